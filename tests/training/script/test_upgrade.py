"""`upgrade_source` and `kerasdiag upgrade`: Keras 2 idioms translated to Keras 3, every line on its own number.

Each case is a script before and after: the translation must be exact, as many lines long, and stable (upgrading
twice changes nothing more). The idioms Keras 3 still runs stay as they are; those with no same-line translation
are reported with their line. One test (`training`) really runs a translated Keras 2 script on Keras 3.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kerasdiag.cli import main
from kerasdiag.training.script.upgrade import Upgrade, upgrade_source
from tests.helpers.english import english_left

PLAIN = {"COLUMNS": "120", "NO_COLOR": "1", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}

# Scenario 4's Keras 2 script (Iris MLP, as books and Q&A answers write it), with predict_classes after the fit.
IRIS_KERAS2 = """\
import numpy as np
from sklearn.datasets import load_iris
from keras.models import Sequential
from keras.layers.core import Dense, Activation
from keras.utils import np_utils
from keras import optimizers

iris = load_iris()
x, y = iris.data, np_utils.to_categorical(iris.target)
model = Sequential()
model.add(Dense(8, input_dim=4))
model.add(Activation('relu'))
model.add(Dense(3))
model.add(Activation('softmax'))
adam = optimizers.Adam(lr=0.0005, decay=0.0)
model.compile(loss='categorical_crossentropy', optimizer=adam, metrics=['accuracy'])
history = model.fit(x, y, nb_epoch=3, batch_size=16, validation_split=0.2, verbose=0)
print('acc', history.history['acc'][-1], 'val_acc', history.history['val_acc'][-1])
classes = model.predict_classes(x, verbose=0)
print('classes', classes.shape, set(classes.tolist()) <= {0, 1, 2})
"""

# (id, Keras 2 source, its Keras 3 translation)
TRANSLATED = [
    ("layers-core", "from keras.layers.core import Dense, Dropout\n", "from keras.layers import Dense, Dropout\n"),
    (
        "layers-submodules",
        "from keras.layers.convolutional import Conv2D\nfrom keras.layers.pooling import MaxPooling2D\n"
        "from keras.layers.recurrent import LSTM\nfrom keras.layers.normalization import BatchNormalization\n"
        "from keras.layers.embeddings import Embedding\nfrom keras.layers.merge import concatenate\n"
        "from keras.layers.advanced_activations import LeakyReLU\n",
        "from keras.layers import Conv2D\nfrom keras.layers import MaxPooling2D\nfrom keras.layers import LSTM\n"
        "from keras.layers import BatchNormalization\nfrom keras.layers import Embedding\n"
        "from keras.layers import concatenate\nfrom keras.layers import LeakyReLU\n",
    ),
    (
        "import-module-and-attribute",
        "import keras.layers.core\nlayer = keras.layers.core.Dense(3)\n",
        "import keras.layers\nlayer = keras.layers.Dense(3)\n",
    ),
    ("import-module-as", "import keras.layers.core as core\n", "import keras.layers as core\n"),
    (
        "np-utils",
        "from keras.utils import np_utils\n\ny = np_utils.to_categorical(labels, 10)  # one-hot\n",
        "from keras.utils import to_categorical\n\ny = to_categorical(labels, 10)  # one-hot\n",
    ),
    (
        "np-utils-two-names",
        "from keras.utils import np_utils, plot_model\ny = np_utils.to_categorical(a)\nz = np_utils.normalize(b)\n",
        "from keras.utils import normalize, to_categorical, plot_model\ny = to_categorical(a)\nz = normalize(b)\n",
    ),
    (
        "np-utils-module-path",
        "from keras.utils.np_utils import to_categorical\n",
        "from keras.utils import to_categorical\n",
    ),
    (
        "np-utils-attribute-path",
        "import keras\ny = keras.utils.np_utils.to_categorical(labels)\n",
        "import keras\ny = keras.utils.to_categorical(labels)\n",
    ),
    (
        "lowercase-optimizer",
        "from keras.optimizers import adam\nopt = adam(lr=0.01)\n",
        "from keras.optimizers import Adam\nopt = Adam(learning_rate=0.01)\n",
    ),
    (
        "lowercase-optimizer-attribute",
        "from keras import optimizers\nopt = optimizers.sgd(lr=0.1, momentum=0.9)\n",
        "from keras import optimizers\nopt = optimizers.SGD(learning_rate=0.1, momentum=0.9)\n",
    ),
    (
        "lowercase-optimizer-name-rebound",
        "from keras.optimizers import rmsprop\nrmsprop = rmsprop(lr=0.01)\nmodel.compile(optimizer=rmsprop)\n",
        "from keras.optimizers import RMSprop as rmsprop\nrmsprop = rmsprop(learning_rate=0.01)\n"
        "model.compile(optimizer=rmsprop)\n",
    ),
    (
        "lr-and-decay-zero",
        "opt = keras.optimizers.Adam(lr=0.0005, decay=0.0)\nopt2 = SGD(decay=0, lr=0.1)\n",
        "opt = keras.optimizers.Adam(learning_rate=0.0005)\nopt2 = SGD(learning_rate=0.1)\n",
    ),
    (
        "decay-zero-on-its-own-last-line",
        "opt = SGD(lr=0.01,\n          decay=0.0)\nprint(opt)\n",
        "opt = SGD(learning_rate=0.01,\n          )\nprint(opt)\n",
    ),
    (
        "decay-zero-on-its-own-middle-line",
        "opt = SGD(lr=0.01,\n          decay=0.0,\n          momentum=0.9)\nprint(opt)\n",
        "opt = SGD(learning_rate=0.01,\n\n          momentum=0.9)\nprint(opt)\n",
    ),
    ("nb-epoch", "model.fit(x, y, nb_epoch=10, batch_size=32)\n", "model.fit(x, y, epochs=10, batch_size=32)\n"),
    (
        "fit-generator-positional",
        "model.fit_generator(gen, 10, 2, verbose=0)\n",
        "model.fit(gen, steps_per_epoch=10, epochs=2, verbose=0)\n",
    ),
    (
        "fit-generator-workers",
        "model.fit_generator(generator=gen, steps_per_epoch=10, workers=4, use_multiprocessing=True)\n",
        "model.fit(x=gen, steps_per_epoch=10)\n",
    ),
    (
        "fit-generator-workers-own-lines",
        "model.fit_generator(gen, 10,\n                    workers=4,\n                    max_queue_size=8,\n"
        "                    epochs=3)\n",
        "model.fit(gen, steps_per_epoch=10,\n\n\n                    epochs=3)\n",
    ),
    (
        "evaluate-predict-generator",
        "score = model.evaluate_generator(gen, 5)\nout = model.predict_generator(gen, steps=5)\n",
        "score = model.evaluate(gen, steps=5)\nout = model.predict(gen, steps=5)\n",
    ),
    (
        "init",
        "from keras.layers import Dense, Embedding\na = Dense(64, init='uniform')\n"
        "b = Embedding(100, 8, init='uniform')\n",
        "from keras.layers import Dense, Embedding\na = Dense(64, kernel_initializer='uniform')\n"
        "b = Embedding(100, 8, embeddings_initializer='uniform')\n",
    ),
    (
        "dropped-layer-aliases",
        "from keras.layers.convolutional import Deconvolution2D\nfrom keras.layers import CuDNNLSTM\n"
        "x = Deconvolution2D(8, 3)(x)\nx = CuDNNLSTM(4)(x)\n",
        "from keras.layers import Conv2DTranspose\nfrom keras.layers import LSTM\n"
        "x = Conv2DTranspose(8, 3)(x)\nx = LSTM(4)(x)\n",
    ),
    (
        "predict-classes-softmax",
        "import numpy as np\nmodel.compile(loss='categorical_crossentropy', optimizer='adam')\n"
        "labels = model.predict_classes(x_test)\n",
        "import numpy as np\nmodel.compile(loss='categorical_crossentropy', optimizer='adam')\n"
        "labels = np.argmax(model.predict(x_test), axis=-1)\n",
    ),
    (
        "predict-classes-sigmoid",
        "model.compile('adam', 'binary_crossentropy')\nlabels = model.predict_classes(x_test)[:, 0]\n",
        "model.compile('adam', 'binary_crossentropy')\n"
        'labels = (model.predict(x_test) > 0.5).astype("int32")[:, 0]\n',
    ),
    (
        "history-keys-with-metrics-accuracy",
        "model.compile(loss='mse', optimizer='sgd', metrics=['accuracy'])\n"
        "h = model.fit(x, y, callbacks=[EarlyStopping(monitor='val_acc')])\n"
        "plt.plot(h.history['acc'])\nplt.plot(h.history[\"val_acc\"])\nplt.plot(h.history['loss'])\n",
        "model.compile(loss='mse', optimizer='sgd', metrics=['accuracy'])\n"
        "h = model.fit(x, y, callbacks=[EarlyStopping(monitor='val_accuracy')])\n"
        "plt.plot(h.history['accuracy'])\nplt.plot(h.history[\"val_accuracy\"])\nplt.plot(h.history['loss'])\n",
    ),
    (
        "history-dict-and-callback-logs",
        "model.compile('sgd', 'mse', metrics=['accuracy'])\nhist = model.fit(x, y).history\nprint(hist['val_acc'])\n"
        "class Log(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print(logs['acc'])\n",
        "model.compile('sgd', 'mse', metrics=['accuracy'])\nhist = model.fit(x, y).history\n"
        "print(hist['val_accuracy'])\nclass Log(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        print(logs['accuracy'])\n",
    ),
    (
        "set-image-dim-ordering",
        "from keras import backend as K\nK.set_image_dim_ordering('th')\nK.set_image_dim_ordering(\"tf\")\n",
        "from keras import backend as K\nK.set_image_data_format('channels_first')\n"
        'K.set_image_data_format("channels_last")\n',
    ),
    (
        "optimizer-lr-attribute",
        "print(model.optimizer.lr)\nrate = self.model.optimizer.lr\n",
        "print(model.optimizer.learning_rate)\nrate = self.model.optimizer.learning_rate\n",
    ),
    (
        "comments-and-spacing-kept",
        "from keras.layers.core import (Dense,   # the head\n    Activation)\nopt = Adam( lr = 1e-3 )  # tuned\n",
        "from keras.layers import (Dense,   # the head\n    Activation)\nopt = Adam( learning_rate = 1e-3 )  # tuned\n",
    ),
    (
        "crlf-kept",
        "from keras.layers.core import Dense\r\nx = 1\r\n",
        "from keras.layers import Dense\r\nx = 1\r\n",
    ),
    (
        "optimizer-imported-under-another-name",
        "from keras.optimizers import Adam as A\nfrom keras import optimizers as o\nx = A(lr=1)\ny = o.SGD(lr=2)\n",
        "from keras.optimizers import Adam as A\nfrom keras import optimizers as o\nx = A(learning_rate=1)\n"
        "y = o.SGD(learning_rate=2)\n",
    ),
    ("byte-order-mark-kept", "\ufefffrom keras.layers.core import Dense\n", "\ufefffrom keras.layers import Dense\n"),
]

# Code Keras 3 runs as it is: nothing to change, nothing to report.
UNCHANGED = [
    ("tensorflow-keras", "from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.optimizers import Adam\n"),
    (
        "keras-2-that-keras-3-runs",
        "from keras.layers import Dense, Activation, Convolution2D\nm.add(Dense(8, input_dim=4))\n"
        "m.add(Activation('relu'))\nc = Convolution2D(32, 3)\n",
    ),
    ("keras-3", "import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\nmodel.fit(x, y, epochs=3)\n"),
    ("history-acc-with-metrics-acc", "model.compile('sgd', 'mse', metrics=['acc'])\nprint(h.history['acc'])\n"),
    ("history-acc-without-compile", "print(h.history['acc'])\n"),
    (
        "own-dict-with-acc",
        "model.compile('sgd', 'mse', metrics=['accuracy'])\nscores = {'acc': 1}\nprint(scores['acc'])\n",
    ),
    ("scikit-learn-methods", "clf.fit(X, y)\np = clf.predict_proba(X)\n"),
    ("own-class-named-dense", "class Dense:\n    def __init__(self, init):\n        pass\n\nd = Dense(init=1)\n"),
    ("own-name-adam", "from keras.optimizers import Adam\nadam = Adam(learning_rate=1e-3)\nm.compile(adam)\n"),
]

# (id, Keras 2 source, [(line, message id)] of what is reported and left as it is)
UNSUPPORTED = [
    ("decay-non-zero", "from keras.optimizers import SGD\nopt = SGD(lr=0.01, decay=1e-6)\n", [(2, "upgrade.decay")]),
    (
        "image-dim-ordering",
        "from keras import backend as K\nx = 1\nif K.image_dim_ordering() == 'th':\n    K.set_image_dim_ordering(o)\n",
        [(3, "upgrade.gone.image_dim_ordering"), (4, "upgrade.gone.set_image_dim_ordering")],
    ),
    (
        "scikit-learn-wrapper",
        "import numpy\nfrom keras.wrappers.scikit_learn import KerasClassifier\n",
        [(2, "upgrade.gone.scikit_learn")],
    ),
    ("predict-classes-unknown-loss", "labels = model.predict_classes(x)\n", [(1, "upgrade.predict_classes")]),
    (
        "predict-classes-without-numpy",
        "model.compile(loss='categorical_crossentropy', optimizer='sgd')\nlabels = model.predict_classes(x)\n",
        [(2, "upgrade.predict_classes")],
    ),
    (
        "image-data-generator",
        "from keras.preprocessing.image import ImageDataGenerator\n",
        [(1, "upgrade.gone.image_generator")],
    ),
    (
        "backend-tensor-functions",
        "from keras import backend as K\n\ndef rmse(y, p):\n    return K.sqrt(K.mean(K.square(p - y)))\n",
        [(4, "upgrade.gone")],
    ),
    ("np-utils-passed-around", "from keras.utils import np_utils\nhelpers = [np_utils]\n", [(1, "upgrade.gone")]),
    (
        "fit-generator-many-positionals",
        "model.fit_generator(gen, 10, 2, 1, [], None, 5, None)\n",
        [(1, "upgrade.positional_by_hand")],
    ),
]


def upgraded(source: str) -> Upgrade:
    upgrade = upgrade_source(source)
    assert upgrade.code.count("\n") == source.count("\n"), upgrade.code
    assert upgrade.code.splitlines() != [] or not source
    return upgrade


@pytest.mark.parametrize(("before", "after"), [c[1:] for c in TRANSLATED], ids=[c[0] for c in TRANSLATED])
def test_each_keras2_idiom_is_translated_on_its_own_lines(before: str, after: str) -> None:
    upgrade = upgraded(before)
    assert upgrade.code == after
    assert upgrade.changes, "a translation names what it changed"
    assert all(1 <= change.line <= before.count("\n") for change in upgrade.changes)


@pytest.mark.parametrize(
    "before", [c[1] for c in TRANSLATED] + [IRIS_KERAS2], ids=[c[0] for c in TRANSLATED] + ["iris"]
)
def test_upgrading_twice_changes_nothing_more(before: str) -> None:
    once = upgraded(before)
    twice = upgraded(once.code)
    assert twice.code == once.code
    assert twice.changes == []


@pytest.mark.parametrize("source", [c[1] for c in UNCHANGED], ids=[c[0] for c in UNCHANGED])
def test_code_that_keras3_runs_is_left_alone(source: str) -> None:
    upgrade = upgraded(source)
    assert (upgrade.code, upgrade.changes, upgrade.unsupported) == (source, [], [])
    assert upgrade.diff("script.py") == ""


@pytest.mark.parametrize(("source", "reported"), [c[1:] for c in UNSUPPORTED], ids=[c[0] for c in UNSUPPORTED])
def test_untranslatable_idioms_are_reported_with_their_line(source: str, reported: list[tuple[int, str]]) -> None:
    upgrade = upgraded(source)
    assert sorted({(change.line, change.message.id) for change in upgrade.unsupported}) == reported
    for change in upgrade.unsupported:
        assert change.message.en.startswith(f"line {change.line}: ")


def test_a_non_zero_decay_names_the_schedule_that_decays_the_same_way() -> None:
    upgrade = upgraded("opt = SGD(lr=0.01,\n          decay=1e-6)\nopt2 = Adam(decay=0.1)\n")
    assert upgrade.code == "opt = SGD(learning_rate=0.01,\n          decay=1e-6)\nopt2 = Adam(decay=0.1)\n"
    lines = [change.message.en for change in upgrade.unsupported]
    assert lines == [
        "line 2: Keras 3 ignores decay=1e-6; for the same decay of the learning rate, pass "
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)",
        "line 3: Keras 3 ignores decay=0.1; for the same decay of the learning rate, pass "
        "learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.001, decay_steps=1, decay_rate=0.1)",
    ]


def test_backend_functions_name_their_keras_ops_replacement() -> None:
    upgrade = upgraded("from keras import backend as K\nloss = K.mean(K.square(p))\nK.clear_session()\n")
    assert [c.message.en for c in upgrade.unsupported] == [
        "line 2: Keras 3 has no K.mean; use keras.ops.mean",
        "line 2: Keras 3 has no K.square; use keras.ops.square",
    ]


def test_the_iris_script_changes_are_named_line_by_line() -> None:
    upgrade = upgraded(IRIS_KERAS2)
    assert [change.message.en for change in upgrade.changes] == [
        "line 4: keras.layers.core -> keras.layers",
        "line 5: np_utils -> to_categorical",
        "line 9: np_utils.to_categorical -> to_categorical",
        "line 15: lr= -> learning_rate=",
        "line 15: decay=0.0 removed (Keras 3 has no decay, and 0 changed nothing)",
        "line 17: nb_epoch= -> epochs=",
        "line 18: 'acc' -> 'accuracy' (compiled with metrics=['accuracy'], Keras 3 logs 'accuracy')",
        "line 18: 'val_acc' -> 'val_accuracy' (compiled with metrics=['accuracy'], Keras 3 logs 'val_accuracy')",
        "line 19: model.predict_classes(...) -> np.argmax(model.predict(...), axis=-1)",
    ]
    assert upgrade.unsupported == []
    assert "Dense(8, input_dim=4)" in upgrade.code and "adam = optimizers.Adam(learning_rate=0.0005)" in upgrade.code


@pytest.mark.parametrize(
    "source",
    ["def f(:\n    pass\n", 'print "hello"\nfrom keras.layers.core import Dense\n', "x = (\n"],
    ids=["bad-def", "python-2-print", "unclosed"],
)
def test_a_syntax_error_passes_through_unchanged(source: str) -> None:
    upgrade = upgrade_source(source)
    assert (upgrade.code, upgrade.changes, upgrade.unsupported) == (source, [], [])
    assert upgrade.syntax_error_line is not None
    assert upgrade.diff("broken.py") == ""


def test_the_diff_is_a_unified_diff_of_the_changed_lines() -> None:
    diff = upgraded("import os\nfrom keras.layers.core import Dense\n").diff("my_script.py")
    assert diff.splitlines() == [
        "--- my_script.py",
        "+++ my_script.py",
        "@@ -1,2 +1,2 @@",
        " import os",
        "-from keras.layers.core import Dense",
        "+from keras.layers import Dense",
    ]


def test_every_change_reads_in_japanese_without_english_left() -> None:
    sources = [c[1] for c in TRANSLATED] + [c[1] for c in UNSUPPORTED] + [IRIS_KERAS2]
    changes = [change for source in sources for change in (lambda u: u.changes + u.unsupported)(upgrade_source(source))]
    japanese = [change.message.ja for change in changes]
    assert all(line.startswith(f"{change.line} 行目: ") for line, change in zip(japanese, changes))
    assert english_left("\n".join(japanese)) == []


# kerasdiag upgrade


def kerasdiag(*args: Any) -> Any:
    return CliRunner().invoke(main, ["upgrade", *[str(a) for a in args]], env=PLAIN)


def test_cli_prints_the_diff_on_stdout_and_the_changes_on_stderr(tmp_path: Path) -> None:
    script = tmp_path / "iris_keras2.py"
    script.write_text(IRIS_KERAS2, encoding="utf-8")
    result = kerasdiag(script)
    assert result.exit_code == 0, result.output
    assert result.stdout == upgrade_source(IRIS_KERAS2).diff(str(script))
    diff = result.stdout.splitlines()
    assert (
        "-from keras.layers.core import Dense, Activation" in diff
        and "+from keras.layers import Dense, Activation" in diff
    )
    assert result.stderr.splitlines()[0] == "line 4: keras.layers.core -> keras.layers"
    assert script.read_text(encoding="utf-8") == IRIS_KERAS2, "without --write the file is not changed"


def test_cli_write_keeps_the_original_as_orig(tmp_path: Path) -> None:
    script = tmp_path / "iris_keras2.py"
    script.write_bytes(IRIS_KERAS2.encode("utf-8"))
    script.chmod(0o755)
    result = kerasdiag(script, "--write")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "iris_keras2.py.orig").read_bytes() == IRIS_KERAS2.encode("utf-8")
    assert script.read_text(encoding="utf-8") == upgrade_source(IRIS_KERAS2).code
    assert script.stat().st_mode & 0o777 == 0o755
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"Upgraded {script}; the original is kept as {script}.orig."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["iris_keras2.py", "iris_keras2.py.orig"]


def test_cli_write_refuses_when_orig_exists(tmp_path: Path) -> None:
    script, orig = tmp_path / "old.py", tmp_path / "old.py.orig"
    script.write_text("from keras.layers.core import Dense\n", encoding="utf-8")
    orig.write_text("the user's own backup\n", encoding="utf-8")
    result = kerasdiag(script, "--write")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: Expected no file at {orig} (--write keeps the original there). ")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert script.read_text(encoding="utf-8") == "from keras.layers.core import Dense\n"
    assert orig.read_text(encoding="utf-8") == "the user's own backup\n"


def test_cli_says_so_in_one_line_when_there_is_nothing_to_change(tmp_path: Path) -> None:
    script = tmp_path / "modern.py"
    script.write_text("import keras\nmodel = keras.Sequential()\n", encoding="utf-8")
    result = kerasdiag(script, "--write")
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", f"Nothing to upgrade in {script}: no Keras 2 idiom found.\n")
    assert not (tmp_path / "modern.py.orig").exists()


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"x = '\xff'\n", "(not UTF-8 text)"), (b"MZ\x00\x00\x03\x00\x04\x00", "(line 1 is not valid Python)")],
    ids=["latin-1", "binary"],
)
def test_cli_refuses_a_file_that_is_not_a_python_script_in_one_line(tmp_path: Path, content: bytes, why: str) -> None:
    script = tmp_path / "data.py"
    script.write_bytes(content)
    result = kerasdiag(script)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: Expected a Python script in UTF-8. Received: {script} {why}\n"


def test_cli_in_japanese_has_no_english_left(tmp_path: Path) -> None:
    script = tmp_path / "iris_keras2.py"
    script.write_text(IRIS_KERAS2 + "from keras.wrappers.scikit_learn import KerasClassifier\n", encoding="utf-8")
    result = kerasdiag(script, "--write", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "4 行目: keras.layers.core -> keras.layers" in result.stderr
    assert "21 行目: Keras 3 には keras.wrappers.scikit_learn がありません。" in result.stderr
    assert english_left(result.stderr) == []


@pytest.mark.training
def test_the_translated_keras2_iris_script_trains_on_keras3(tmp_path: Path) -> None:
    """The Keras 2 script fails on Keras 3; its translation trains and reads the history and the classes."""
    original, translated = tmp_path / "iris_keras2.py", tmp_path / "iris_keras3.py"
    original.write_text(IRIS_KERAS2, encoding="utf-8")
    translated.write_text(upgrade_source(IRIS_KERAS2).code, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="jax", PYTHONWARNINGS="ignore")

    def run(script: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)

    before = run(original)
    assert before.returncode != 0 and "No module named 'keras.layers.core'" in before.stderr, before.stderr[-2000:]
    after = run(translated)
    assert after.returncode == 0, after.stderr[-3000:]
    lines = after.stdout.splitlines()
    assert lines[0].startswith("acc ") and len(lines[0].split()) == 4, after.stdout
    assert all(0.0 <= float(value) <= 1.0 for value in lines[0].split()[1::2])
    assert lines[1] == "classes (150,) True"
