"""A Keras 2 script translated to Keras 3, line for line: `upgrade_source(source) -> Upgrade`.

Learners bring Keras 2 code from books, tutorials and answers: `from keras.layers.core import Dense`,
`np_utils.to_categorical`, `Adam(lr=0.001)`, `fit_generator`, `history.history['acc']`. Keras 3 rejects most
of it. This code-mod rewrites the script's syntax tree with LibCST, which keeps every comment, space and quote
as written, and changes only what Keras 3 rejects or reads differently (each idiom checked against Keras 3.15
on JAX; the tables below say what Keras 3 does). Names are read the way Python binds them
(`QualifiedNameProvider`): `adam(...)` is renamed only where `adam` is the optimizer the script imported.

Every translation keeps every line on its own line number, so a traceback or a `file:line` into the user's
file stays right: a removed argument leaves its line breaks behind as blank lines. What cannot be translated
on the same lines is reported as `unsupported`, naming the Keras 3 replacement.

Example:

```python
upgrade = upgrade_source(Path("iris.py").read_text(encoding="utf-8"))
exec(compile(upgrade.code, "iris.py", "exec"))
for change in upgrade.changes + upgrade.unsupported:
    print(change.message.get("ja"))
```
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import libcst as cst
from libcst.helpers import get_full_name_for_node, parse_template_expression
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider

from kerasdiag.messages import Message, say

BOM = "\ufeff"


def _words(text: str) -> set[str]:
    return set(text.split())


# Keras 2 modules that Keras 3 folded into their package (ModuleNotFoundError in Keras 3).
_LAYER_MODULES = _words(
    "core convolutional convolutional_recurrent pooling recurrent cudnn_recurrent normalization embeddings merge "
    "advanced_activations noise wrappers local"
)
MODULES = {f"keras.layers.{name}": "keras.layers" for name in sorted(_LAYER_MODULES)} | {
    f"keras.utils.{name}": "keras.utils" for name in ("np_utils", "vis_utils", "data_utils", "generic_utils")
}
# Keras 2 names that Keras 3 has under another name (AttributeError in Keras 3).
NAMES = {f"keras.optimizers.{cls.lower()}": cls for cls in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam")} | {
    "keras.optimizers.adamax": "Adamax",
    "keras.optimizers.nadam": "Nadam",
    "keras.layers.Deconvolution2D": "Conv2DTranspose",
    "keras.layers.Deconv2D": "Conv2DTranspose",
    "keras.layers.Deconvolution3D": "Conv3DTranspose",
    "keras.layers.Deconv3D": "Conv3DTranspose",
    "keras.layers.CuDNNLSTM": "LSTM",
    "keras.layers.CuDNNGRU": "GRU",
}
# Keras 2 modules and names that Keras 3 lacks, with a replacement that needs more than a rename.
GONE_MODULES = {
    "keras.wrappers.scikit_learn": "upgrade.gone.scikit_learn",
    "keras.preprocessing.text": "upgrade.gone.text",
    "keras.engine": "upgrade.gone.engine",
}
GONE = {
    "keras.layers.AtrousConvolution1D": "keras.layers.Conv1D(dilation_rate=...)",
    "keras.layers.AtrousConvolution2D": "keras.layers.Conv2D(dilation_rate=...)",
    "keras.layers.Merge": "keras.layers.Concatenate()",
    "keras.layers.merge": "keras.layers.concatenate(...)",
    "keras.layers.ThresholdedReLU": "keras.layers.ReLU(threshold=...)",
    "keras.utils.np_utils": "keras.utils.to_categorical",
    "keras.backend.set_value": "variable.assign(value)",
    "keras.backend.get_value": "keras.ops.convert_to_numpy(variable)",
    "keras.backend.int_shape": "x.shape",
    "keras.backend.pow": "keras.ops.power",
}
GONE_MESSAGES = {
    "keras.preprocessing.image.ImageDataGenerator": "upgrade.gone.image_generator",
    "keras.backend.image_dim_ordering": "upgrade.gone.image_dim_ordering",
    "keras.backend.set_image_dim_ordering": "upgrade.gone.set_image_dim_ordering",
}
KERAS3_BACKEND = _words(
    "backend clear_session epsilon floatx get_uid image_data_format is_float_dtype is_int_dtype is_keras_tensor "
    "result_type set_epsilon set_floatx set_image_data_format standardize_dtype"
)
# keras.backend functions of Keras 2 that keras.ops holds under the same name.
OPS = _words(
    "sum mean square sqrt abs clip log exp maximum minimum round cast reshape shape concatenate dot max min argmax "
    "argmin std var equal not_equal greater less ones zeros ones_like zeros_like stack expand_dims squeeze "
    "transpose softmax relu sigmoid tanh binary_crossentropy categorical_crossentropy any all prod cumsum repeat "
    "tile one_hot sign switch sparse_categorical_crossentropy"
)
OPTIMIZERS = {"SGD": "0.01", "RMSprop": "0.001", "Adagrad": "0.001", "Adadelta": "0.001", "Adam": "0.001"}
OPTIMIZERS |= {"Adamax": "0.001", "Nadam": "0.001", "AdamW": "0.001", "Ftrl": "0.001", "Lion": "0.001"}
# Layers whose Keras 1 `init=` is a Keras 3 `<keyword>=` (Keras 3: "Unrecognized keyword arguments").
_KERNEL_LAYERS = _words(
    "Dense Conv1D Conv2D Conv3D Convolution1D Convolution2D Convolution3D Conv2DTranspose Conv3DTranspose "
    "SeparableConv1D SeparableConv2D SimpleRNN LSTM GRU"
)
INIT_KEYWORDS = dict.fromkeys(_KERNEL_LAYERS, "kernel_initializer") | {"Embedding": "embeddings_initializer"}
# Keras 2's *_generator methods: Keras 3's name, and the Keras 2 positional parameters after the generator that
# Keras 2.2 and 2.3 share (Keras 3's fit/evaluate/predict take other arguments in those places).
GENERATORS = {
    "fit_generator": (
        "fit",
        ("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data", "validation_steps"),
    ),
    "evaluate_generator": ("evaluate", ("steps",)),
    "predict_generator": ("predict", ("steps",)),
}
NOT_IN_FIT = ("workers", "use_multiprocessing", "max_queue_size")  # Keras 3: a keras.utils.PyDataset takes them
HISTORY_KEYS = {"acc": "accuracy", "val_acc": "val_accuracy"}
CATEGORICAL = {"categorical_crossentropy", "sparse_categorical_crossentropy"}
KERAS_ROOTS = ("keras", "tensorflow")


@dataclass(frozen=True)
class Change:
    """One translated, or untranslatable, Keras 2 idiom.

    Args:
        line: Its line in the user's file (1-based): the same before and after the translation.
        message: The catalog message that names it (`say("upgrade.module", line=5, ...)`).
    """

    line: int
    message: Message


@dataclass(frozen=True)
class Upgrade:
    """A script and its Keras 3 translation.

    Args:
        source: The script as given.
        code: The translation; `source` itself when nothing changed. Always as many lines as `source`.
        changes: The idioms translated, by line.
        unsupported: The Keras 2 idioms left as they are, each naming its Keras 3 replacement, by line.
        syntax_error_line: Where `source` does not parse as Python (then `code` is `source`); None when it parses.
    """

    source: str
    code: str
    changes: list[Change] = field(default_factory=list)
    unsupported: list[Change] = field(default_factory=list)
    syntax_error_line: int | None = None

    def diff(self, name: str) -> str:
        """A unified diff of `source` against `code`, both named `name`; empty when nothing changed."""
        if self.code == self.source:
            return ""
        return "".join(difflib.unified_diff(_lines(self.source), _lines(self.code), name, name))


def upgrade_source(source: str) -> Upgrade:
    """Translate the Keras 2 idioms of a script's `source` into Keras 3, every line kept on its number.

    A source that does not parse comes back unchanged, with no changes: run as it is, Python reports the
    error as it would have.

    Args:
        source: The script's text.

    Returns:
        The translation, what changed, and what could not be translated.
    """
    body = source.removeprefix(BOM)
    try:
        wrapper = MetadataWrapper(cst.parse_module(body))
    except cst.ParserSyntaxError as error:
        return Upgrade(source, source, syntax_error_line=error.raw_line)
    except RecursionError:  # nested deeper than LibCST's parser goes: left to Python
        return Upgrade(source, source)
    facts = _Facts()
    wrapper.visit(facts)
    upgrader = _Upgrader(facts)
    code = wrapper.visit(upgrader).code
    unsupported = sorted(upgrader.unsupported, key=lambda change: change.line)
    if code == body or code.count("\n") != body.count("\n"):
        return Upgrade(source, source, unsupported=unsupported)
    changes = sorted(upgrader.changes, key=lambda change: change.line)
    return Upgrade(source, source[: len(source) - len(body)] + code, changes, unsupported)


class _Facts(cst.CSTVisitor):
    """What translating one line needs to know about the whole script: compile's metrics and loss, numpy's
    name, how `np_utils` is used, and which names are the Keras 2 names to rename."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.metrics: set[str] = set()
        self.losses: set[str | None] = set()
        self.numpy: str | None = None
        self.np_utils: set[str] = set()  # names bound by `from keras.utils import np_utils`
        self.np_utils_names: set[str] = set()  # X in np_utils.X
        self.np_utils_uses: set[cst.Name] = set()
        self.np_utils_bare = False
        self.identifiers: set[str] = set()  # every other name the script binds or reads
        self.renames: dict[cst.Name, str] = {}  # a name that reads an imported Keras 2 name -> its qualified name
        self.ambiguous: set[str] = set()  # Keras 2 names that some name may or may not read
        self.histories: set[str] = {"logs"}  # names that hold a History's dict (`hist = h.history`), callbacks' logs
        self._attributes: set[cst.Name] = set()

    @property
    def accuracy_keys(self) -> bool:
        """Whether the script's history reads 'acc' where Keras 3 logs 'accuracy' (compiled with 'accuracy')."""
        return "accuracy" in self.metrics and "acc" not in self.metrics

    @property
    def np_utils_by_name(self) -> bool:
        """Whether `np_utils.X` can become `X`, imported from keras.utils, without taking another name."""
        return not self.np_utils_bare and not self.np_utils_names & self.identifiers

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if get_full_name_for_node(alias.name) == "numpy":
                self.numpy = alias.evaluated_alias or "numpy"

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = get_full_name_for_node(node.module) if node.module and not node.relative else None
        if module is None or _moved(module) != "keras.utils" or isinstance(node.names, cst.ImportStar):
            return True
        self.np_utils |= {alias.evaluated_alias or "np_utils" for alias in node.names if _name(alias) == "np_utils"}
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._attributes.add(node.attr)
        base = node.value
        if (
            isinstance(base, cst.Name)
            and _qualified(self, base) == {"keras.utils.np_utils"}
            and base.value in self.np_utils
        ):
            self.np_utils_names.add(node.attr.value)
            self.np_utils_uses.add(base)

    def visit_Name(self, node: cst.Name) -> None:
        if node in self._attributes:
            return
        names = _qualified(self, node)
        if node.value in self.np_utils and node not in self.np_utils_uses:
            self.np_utils_bare = True
        elif not names or not all(_moved(name).startswith("keras.utils.") for name in names):
            self.identifiers.add(node.value)
        renamed = {_moved(name) for name in names} & NAMES.keys()
        if len(names) == 1 and renamed and node.value == next(iter(renamed)).rpartition(".")[2]:
            self.renames[node] = renamed.pop()
        self.ambiguous |= renamed if len(names) > 1 else set()

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Attribute) and node.value.attr.value == "history":
            self.histories |= {target.target.value for target in node.targets if isinstance(target.target, cst.Name)}

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Attribute) and node.func.attr.value == "compile"):
            return
        for index, arg in enumerate(node.args):
            keyword = arg.keyword.value if arg.keyword else {1: "loss", 2: "metrics"}.get(index)
            if keyword == "loss":
                self.losses.add(_loss_name(arg.value))
            elif keyword == "metrics" and isinstance(arg.value, (cst.List, cst.Tuple)):
                self.metrics |= {str(e.value.evaluated_value) for e in arg.value.elements if _is_string(e.value)}


class _Upgrader(cst.CSTTransformer):
    """Rewrites the Keras 2 idioms in place and records each change, or why one was not made."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)

    def __init__(self, facts: _Facts) -> None:
        super().__init__()
        self.facts = facts
        self.changes: list[Change] = []
        self.unsupported: list[Change] = []
        self._imports = 0

    # Imports: modules moved, names renamed, names gone.

    def visit_Import(self, node: cst.Import) -> None:
        self._imports += 1

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        self._imports -= 1
        aliases = []
        for original, alias in zip(original_node.names, updated_node.names):
            module = get_full_name_for_node(alias.name) or ""
            if not self._gone_module(original, module) and _moved(module) != module:
                self._change(original, "upgrade.module", old=module, new=_moved(module))
                alias = alias.with_changes(name=cst.parse_expression(_moved(module)))
            aliases.append(alias)
        return updated_node.with_changes(names=aliases)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._imports += 1

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        self._imports -= 1
        module = get_full_name_for_node(updated_node.module) if updated_node.module else None
        if module is None or updated_node.relative or self._gone_module(original_node, module):
            return updated_node
        if _moved(module) != module:
            self._change(original_node.module or original_node, "upgrade.module", old=module, new=_moved(module))
            updated_node = updated_node.with_changes(module=cst.parse_expression(_moved(module)))
        if isinstance(updated_node.names, cst.ImportStar) or isinstance(original_node.names, cst.ImportStar):
            return updated_node
        aliases: list[cst.ImportAlias] = []
        for original, alias in zip(original_node.names, updated_node.names):
            aliases += self._imported(original, alias, f"{_moved(module)}.{_name(alias)}")
        return updated_node.with_changes(names=aliases)

    def _imported(self, original: cst.ImportAlias, alias: cst.ImportAlias, name: str) -> list[cst.ImportAlias]:
        """`alias` (of `from M import X`, `name` = M.X) as Keras 3 has it."""
        if name == "keras.utils.np_utils" and self.facts.np_utils_by_name:
            names = sorted(self.facts.np_utils_names) or ["to_categorical"]
            self._change(original, "upgrade.renamed", old=_name(alias), new=", ".join(names))
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            return [cst.ImportAlias(cst.Name(n), comma=comma) for n in names[:-1]] + [
                cst.ImportAlias(cst.Name(names[-1]), comma=alias.comma)
            ]
        if name in NAMES:
            new = NAMES[name]
            self._change(original, "upgrade.renamed", old=_name(alias), new=new)
            if alias.asname is None and name in self.facts.ambiguous:  # some use may read another binding
                return [alias.with_changes(name=cst.Name(new), asname=cst.AsName(cst.Name(_name(alias))))]
            return [alias.with_changes(name=cst.Name(new))]
        self._gone(original, _name(alias), name)
        return [alias]

    def _gone_module(self, node: cst.CSTNode, module: str) -> bool:
        for gone, message_id in GONE_MODULES.items():
            if module == gone or module.startswith(gone + "."):
                self._unsupported(node, message_id, old=gone)
                return True
        return False

    def _gone(self, node: cst.CSTNode, written: str, name: str) -> None:
        """Report `name` (qualified, written `written`) when Keras 3 lacks it."""
        backend = name.removeprefix("keras.backend.") if name.startswith("keras.backend.") else None
        if name in GONE_MESSAGES:
            self._unsupported(node, GONE_MESSAGES[name], old=written)
        elif name in GONE:
            self._unsupported(node, "upgrade.gone", old=written, new=GONE[name])
        elif backend and "." not in backend and backend not in KERAS3_BACKEND:
            if backend in OPS:
                self._unsupported(node, "upgrade.gone", old=written, new=f"keras.ops.{backend}")
            else:
                self._unsupported(node, "upgrade.gone.backend", old=written)

    # Names and attributes: renamed Keras 2 names, moved module paths, np_utils.X, optimizer.lr.

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        name = self.facts.renames.get(original_node)
        if self._imports or name is None or name in self.facts.ambiguous:
            return updated_node
        self._change(original_node, "upgrade.renamed", old=original_node.value, new=NAMES[name])
        return updated_node.with_changes(value=NAMES[name])

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if self._imports:
            return updated_node
        written = get_full_name_for_node(original_node) or ""
        names = {_moved(name) for name in _qualified(self, original_node)}
        base = original_node.value
        if written in MODULES and written in _qualified(self, original_node):
            self._change(original_node, "upgrade.module", old=written, new=MODULES[written])
            return cst.parse_expression(MODULES[written]).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        if base in self.facts.np_utils_uses and self.facts.np_utils_by_name:
            self._change(original_node, "upgrade.renamed", old=written, new=original_node.attr.value)
            return cst.Name(original_node.attr.value, lpar=updated_node.lpar, rpar=updated_node.rpar)
        if names & NAMES.keys():
            new = NAMES[(names & NAMES.keys()).pop()]
            self._change(original_node.attr, "upgrade.renamed", old=original_node.attr.value, new=new)
            return updated_node.with_changes(attr=cst.Name(new))
        if original_node.attr.value == "lr" and _attribute_name(base) == "optimizer":
            self._change(original_node.attr, "upgrade.renamed", old=".lr", new=".learning_rate")
            return updated_node.with_changes(attr=cst.Name("learning_rate"))
        for name in names - {"keras.backend.set_image_dim_ordering"}:  # that one: leave_Call
            if not self._gone_module(original_node, name):
                self._gone(original_node, written, name)
        return updated_node

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        """`history.history['acc']` -> `['accuracy']` where Keras 3 logs 'accuracy' (metrics=['accuracy'])."""
        base = original_node.value
        history = isinstance(base, cst.Attribute) and base.attr.value == "history"
        if not history and not (isinstance(base, cst.Name) and base.value in self.facts.histories):
            return updated_node
        index = updated_node.slice[0].slice if len(updated_node.slice) == 1 else None
        if isinstance(index, cst.Index) and (key := self._history_key(original_node, index.value)):
            return updated_node.with_changes(
                slice=[updated_node.slice[0].with_changes(slice=index.with_changes(value=key))]
            )
        return updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        """`monitor='val_acc'` (EarlyStopping, ModelCheckpoint) -> 'val_accuracy', like the history's keys."""
        is_monitor = updated_node.keyword is not None and updated_node.keyword.value == "monitor"
        key = self._history_key(original_node, updated_node.value) if is_monitor else None
        return updated_node.with_changes(value=key) if key else updated_node

    def _history_key(self, node: cst.CSTNode, value: cst.BaseExpression) -> cst.SimpleString | None:
        if not (self.facts.accuracy_keys and _is_string(value) and value.evaluated_value in HISTORY_KEYS):
            return None
        key = cst.SimpleString(f"{value.quote}{HISTORY_KEYS[str(value.evaluated_value)]}{value.quote}")
        self._change(node, "upgrade.history_key", old=value.value, new=key.value)
        return key

    # Calls: optimizer and layer arguments, the *_generator methods, predict_classes, image_dim_ordering.

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        name = _attribute_name(func) or ""
        qualified = {_moved(q) for q in _qualified(self, original_node.func)}
        keras = {NAMES.get(q, q.rpartition(".")[2]) for q in qualified if q.split(".")[0] in KERAS_ROOTS}
        called = keras if keras else {name} if not qualified else set()  # a Keras name, or one of a star import
        if optimizer := next((n for n in sorted(called) if n in OPTIMIZERS), None):
            return self._optimizer(original_node, updated_node, optimizer)
        if layer := next((n for n in sorted(called) if n in INIT_KEYWORDS), None):
            return self._keyword(original_node, updated_node, "init", INIT_KEYWORDS[layer])
        if "keras.backend.set_image_dim_ordering" in qualified:
            return self._image_dim_ordering(original_node, updated_node)
        if not isinstance(func, cst.Attribute):
            return updated_node
        if name in GENERATORS:
            return self._generator(original_node, updated_node, func)
        if name == "fit":
            return self._keyword(original_node, updated_node, "nb_epoch", "epochs")
        if name == "predict_classes":
            return self._predict_classes(original_node, updated_node, func)
        return updated_node

    def _optimizer(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        """`lr=` -> `learning_rate=` (Keras 3: "Argument(s) not recognized"); `decay=0` dropped, another
        `decay=` reported (Keras 3 ignores it: "no longer supported and will be ignored")."""
        call = self._keyword(original, call, "lr", "learning_rate")
        index = _keyword_index(call, "decay")
        if index is None:
            return call
        decay = call.args[index].value
        if isinstance(decay, (cst.Integer, cst.Float)) and float(decay.evaluated_value) == 0:
            return self._drop(original, call, index, "upgrade.why.decay_zero")
        lr_index = _keyword_index(call, "learning_rate")
        lr = _code(call.args[lr_index].value) if lr_index is not None else OPTIMIZERS[name]
        self._unsupported(original.args[index], "upgrade.decay", decay=_code(decay), lr=lr)
        return call

    def _keyword(self, original: cst.Call, call: cst.Call, old: str, new: str) -> cst.Call:
        index = _keyword_index(call, old)
        if index is None or _keyword_index(call, new) is not None:
            return call
        self._change(original.args[index], "upgrade.renamed", old=f"{old}=", new=f"{new}=")
        args = list(call.args)
        args[index] = args[index].with_changes(keyword=cst.Name(new))
        return call.with_changes(args=args)

    def _generator(self, original: cst.Call, call: cst.Call, func: cst.Attribute) -> cst.Call:
        """`fit_generator(gen, 100, 5)` -> `fit(gen, steps_per_epoch=100, epochs=5)`: Keras 3 has no
        *_generator methods, and its fit/evaluate/predict take other arguments in those places."""
        method = func.attr.value
        new, positional = GENERATORS[method]
        count = next((i for i, arg in enumerate(call.args) if arg.keyword or arg.star), len(call.args))
        if count - 1 > len(positional):  # past the parameters Keras 2.2 and 2.3 share: left to the learner
            self._unsupported(original.args[len(positional) + 1], "upgrade.positional_by_hand", method=method, new=new)
            return call
        self._change(original.func, "upgrade.renamed", old=method, new=new)
        args = list(call.args)
        for index in range(1, count):
            args[index] = args[index].with_changes(keyword=cst.Name(positional[index - 1]), equal=_equal())
            value = _code(args[index].value)
            self._change(original.args[index], "upgrade.by_name", value=value, keyword=positional[index - 1])
        call = call.with_changes(func=func.with_changes(attr=cst.Name(new)), args=args)
        call = self._keyword(original, self._keyword(original, call, "generator", "x"), "nb_epoch", "epochs")
        for keyword in NOT_IN_FIT:
            found = _keyword_index(call, keyword)
            if found is not None:
                call = self._drop(original, call, found, say("upgrade.why.workers", method=new, keyword=keyword))
        return call

    def _drop(self, original: cst.Call, call: cst.Call, index: int, why: str | Message) -> cst.Call:
        """`call` without its argument `index`, reported with `why`; kept and reported where removing it
        would move a line."""
        keyword = call.args[index].keyword
        named = keyword.value if keyword else None
        position = next((arg for arg in original.args if arg.keyword and arg.keyword.value == named), original)
        dropped = _drop_arg(call, index)
        old = _code(call.args[index]).strip().rstrip(",").strip()
        if dropped is None:
            self._unsupported(position, "upgrade.remove_by_hand", old=old)
            return call
        self._change(position, "upgrade.removed", old=old, why=say(why) if isinstance(why, str) else why)
        return dropped

    def _predict_classes(self, original: cst.Call, call: cst.Call, func: cst.Attribute) -> cst.BaseExpression:
        """`predict_classes(x)` -> argmax of predict (softmax) or predict > 0.5 (one sigmoid), from compile's loss."""
        predict = call.with_changes(func=func.with_changes(attr=cst.Name("predict")), lpar=(), rpar=())
        losses = self.facts.losses
        if losses == {"binary_crossentropy"}:
            template = '({x} > 0.5).astype("int32")'
            new = parse_template_expression(template, x=predict)
        elif losses and losses <= CATEGORICAL and self.facts.numpy:
            template = self.facts.numpy + ".argmax({x}, axis=-1)"
            new = parse_template_expression(template, x=predict)
        else:
            self._unsupported(original.func, "upgrade.predict_classes")
            return call
        receiver = _short(func.value)
        shown = template.format(x=f"{receiver}.predict(...)")
        self._change(original.func, "upgrade.renamed", old=f"{receiver}.predict_classes(...)", new=shown)
        return new.with_changes(lpar=call.lpar, rpar=call.rpar)

    def _image_dim_ordering(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """`K.set_image_dim_ordering('th')` -> `K.set_image_data_format('channels_first')` ('tf': channels_last)."""
        formats = {"th": "channels_first", "tf": "channels_last"}
        value = call.args[0].value if len(call.args) == 1 and not call.args[0].keyword else None
        if not (isinstance(call.func, cst.Attribute) and _is_string(value) and value.evaluated_value in formats):
            self._unsupported(original.func, "upgrade.gone.set_image_dim_ordering", old=_code(original.func))
            return call
        new = f"{value.quote}{formats[str(value.evaluated_value)]}{value.quote}"
        func = call.func.with_changes(attr=cst.Name("set_image_data_format"))
        old = f"{call.func.attr.value}({value.value})"
        self._change(original.func, "upgrade.renamed", old=old, new=f"set_image_data_format({new})")
        return call.with_changes(func=func, args=[call.args[0].with_changes(value=cst.SimpleString(new))])

    # Records.

    def _change(self, node: cst.CSTNode, message_id: str, **params: Any) -> None:
        _record(self.changes, self._line(node), message_id, params)

    def _unsupported(self, node: cst.CSTNode, message_id: str, **params: Any) -> None:
        _record(self.unsupported, self._line(node), message_id, params)

    def _line(self, node: cst.CSTNode) -> int:
        return int(self.get_metadata(PositionProvider, node).start.line)


def _record(changes: list[Change], line: int, message_id: str, params: dict[str, Any]) -> None:
    change = Change(line, say(message_id, line=line, **params))
    if change not in changes:
        changes.append(change)


def _drop_arg(call: cst.Call, index: int) -> cst.Call | None:
    """`call` without argument `index`, as many lines long (line breaks it held stay as blank lines where it
    was); None where that cannot be done."""
    args = list(call.args)
    removed = args.pop(index)
    if index == len(args) and args:  # the last one: its predecessor ends the call instead
        last = args[-1].with_changes(whitespace_after_arg=removed.whitespace_after_arg)
        args[-1] = last if _newlines(last.comma) else last.with_changes(comma=removed.comma)
    dropped = call.with_changes(args=args)
    if _newlines(dropped) == _newlines(call):
        return dropped
    before = args[index - 1].comma if index else None
    where = before.whitespace_after if isinstance(before, cst.Comma) else dropped.whitespace_before_args
    if not isinstance(where, cst.ParenthesizedWhitespace) and isinstance(removed.comma, cst.Comma):
        where = removed.comma.whitespace_after
    if not isinstance(where, cst.ParenthesizedWhitespace):
        return None
    dropped = _with_whitespace(dropped, index, where)
    lost = _newlines(call) - _newlines(dropped)
    blank = [cst.EmptyLine(indent=False)] * max(lost, 0)
    dropped = _with_whitespace(dropped, index, where.with_changes(empty_lines=[*where.empty_lines, *blank]))
    return dropped if _newlines(dropped) == _newlines(call) else None


def _with_whitespace(call: cst.Call, index: int, whitespace: cst.ParenthesizedWhitespace) -> cst.Call:
    """`call` with `whitespace` before its argument `index` (where a removed one was)."""
    if index == 0:
        return call.with_changes(whitespace_before_args=whitespace)
    args = list(call.args)
    comma = args[index - 1].comma
    if not isinstance(comma, cst.Comma):
        return call
    args[index - 1] = args[index - 1].with_changes(comma=comma.with_changes(whitespace_after=whitespace))
    return call.with_changes(args=args)


def _keyword_index(call: cst.Call, keyword: str) -> int | None:
    return next((i for i, arg in enumerate(call.args) if arg.keyword and arg.keyword.value == keyword), None)


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _moved(name: str) -> str:
    """`name` (a module, or a name in one) under its Keras 3 module: keras.layers.core.Dense -> keras.layers.Dense."""
    for old, new in MODULES.items():
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return name


def _qualified(visitor: cst.MetadataDependent, node: cst.CSTNode) -> set[str]:
    return {name.name for name in visitor.get_metadata(QualifiedNameProvider, node, set())}


def _name(alias: cst.ImportAlias) -> str:
    return get_full_name_for_node(alias.name) or ""


def _attribute_name(node: cst.BaseExpression) -> str | None:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else None


def _loss_name(node: cst.BaseExpression) -> str | None:
    """A loss given by name ('binary_crossentropy', keras.losses.binary_crossentropy), else None."""
    if _is_string(node):
        return str(node.evaluated_value)
    return _attribute_name(node)


def _is_string(node: cst.CSTNode | None) -> TypeGuard[cst.SimpleString]:
    """A plain string literal ('acc', r"acc"), not bytes or an f-string."""
    return isinstance(node, cst.SimpleString) and node.prefix.lower() in ("", "r", "u")


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _short(node: cst.CSTNode) -> str:
    code = _code(node)
    return code if len(code) <= 40 and "\n" not in code else "..."


def _newlines(node: cst.CSTNode | cst.MaybeSentinel) -> int:
    return _code(node).count("\n") if isinstance(node, cst.CSTNode) else 0


def _lines(text: str) -> list[str]:
    return [line if line.endswith(("\n", "\r")) else line + "\n" for line in text.splitlines(keepends=True)]
