"""Fixes in the run's own language: a learner's script gets the Keras change, at the line of its call.

Rules speak `kerasdiag train` flags (`--lr 0.01`, `--shuffle`). A run of the learner's own script (`kerasdiag
run`, the `Diagnose` callback: its config has `script`) has no flags, nor do logs another tool wrote (then the code
form comes without a place: no script was read), so `as_code` gives each fix a code form,
one translation per flag, at the place it changes: the optimizer at the `compile` call (`compile_at`), the
epochs, batch size, shuffling and input scaling at the `fit` call (`fit_at`), activations, dropout, penalties,
initialisers and layer counts at the lines of the hidden layers (found by reading the script with `ast`,
`diagnosis.script_source`; omitted when it cannot be read). A fix with a flag this module does not know keeps
its flags only: no fix is ever dropped. The flags stay on every fix (`kerasdiag fix` retrains with them).

```python
findings = as_code(findings, record)
fix = findings[0].fixes[0]
fix.shown("en")  # "train.py:42: shuffle the arrays before fit (idx = ...); fit(shuffle=True) does not ..."
```
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kerasdiag.diagnosis.findings import Finding, Fix, Localized
from kerasdiag.diagnosis.script_source import DROPOUT_LAYERS, ScriptSource, callee, file_of, line_of
from kerasdiag.messages import Message, say
from kerasdiag.messages.said import Joined
from kerasdiag.rundir.record import RunRecord

# `type(optimizer).__name__.lower()` (what the callback records) -> the class in `keras.optimizers`.
OPTIMIZERS = {
    name.lower(): name
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Adafactor", "Nadam", "Ftrl")
    + ("Lion", "Lamb")
}
COMPILE_FLAGS = {"--optimizer": "optimizer", "--lr": "learning_rate", "--momentum": "momentum"}
COMPILE_FLAGS["--weight-decay"] = "weight_decay"
FIT_FLAGS = {"--epochs": "epochs", "--batch-size": "batch_size", "--validation-split": "validation_split"}
NUMBER_FLAGS = {"--lr", "--momentum", "--weight-decay", "--validation-split", "--dropout", "--l1", "--l2"}
COUNT_FLAGS = {"--epochs", "--batch-size", "--layers", "--train-size"}
WORD_FLAGS = {"--optimizer", "--activation", "--init", "--units"}
BARE_FLAGS = {"--shuffle", "--normalize", "--batch-norm", "--residual"}


def is_script_run(record: RunRecord) -> bool:
    """A run of the learner's own script or callback (its config names the script), not of `kerasdiag train`."""
    return bool((record.config or {}).get("script"))


def is_plain_log(record: RunRecord) -> bool:
    """Logs another tool wrote (Keras's TensorBoard callback, CSVLogger, a History, SummaryWriter): no flags."""
    return record.source != "kerasdiag"


def as_code(findings: list[Finding], record: RunRecord) -> list[Finding]:
    """`findings` with each fix's code form for a script's run (at its lines) and for plain logs (the change alone:
    no script to point into); a `train` run's findings unchanged."""
    if not is_script_run(record) and not is_plain_log(record):
        return findings
    places = Places.of(record) if is_script_run(record) else Places.nowhere(record)
    return [replace(f, fixes=tuple(places.coded(fix) for fix in f.fixes)) if f.fixes else f for f in findings]


def parse_flags(flags: str) -> dict[str, str] | None:
    """`--lr 0.001 --optimizer adam` -> {"--lr": "0.001", "--optimizer": "adam"}; None for a flag not translated."""
    tokens, given = flags.split(), {}
    while tokens:
        flag = tokens.pop(0)
        if flag in BARE_FLAGS:
            given[flag] = ""
        elif tokens and _valid(flag, tokens[0]):
            given[flag] = tokens.pop(0)
        else:
            return None
    return given or None


def _valid(flag: str, value: str) -> bool:
    if flag in COUNT_FLAGS:
        return value.isdigit()
    if flag in NUMBER_FLAGS:
        try:
            return float(value) >= 0
        except ValueError:
            return False
    return flag in WORD_FLAGS and value.replace("_", "").replace(",", "").isalnum()


@dataclass(frozen=True)
class Places:
    """Where a script's run calls `fit`, `compile` and its layers, as fixes name them (`train.py:42`)."""

    fit_file: str  # the file of the fit call, as shown (the script as the learner named it)
    fit_line: int | None
    compile_file: str
    compile_line: int | None
    source: ScriptSource | None  # the file of the fit call, parsed
    record: RunRecord

    @classmethod
    def of(cls, record: RunRecord) -> Places:
        config = record.config or {}
        script = str(config["script"])
        fit_at, compile_at = config.get("fit_at"), config.get("compile_at")
        fit_file, compile_file = file_of(fit_at), file_of(compile_at)
        if fit_file is not None and not _same(fit_file, script):
            source = ScriptSource.read(fit_file)
        else:
            source = ScriptSource.read(config.get("script_path")) or ScriptSource.read(script)
            fit_file = script
        fit_line = line_of(fit_at)
        fit_call = source.call_at("fit", fit_line) if source else None
        fit_line = fit_line or (fit_call.lineno if fit_call else None)
        compile_line = line_of(compile_at)
        if compile_at is None and source is not None:
            compile_call = source.call_at("compile", None, before=fit_line)
            compile_line, compile_file = (compile_call.lineno if compile_call else None), fit_file
        shown = compile_file if compile_file and not _same(compile_file, script) else script
        return cls(fit_file, fit_line, shown, compile_line, source, record)

    @classmethod
    def nowhere(cls, record: RunRecord) -> Places:
        """Plain logs: the Keras change without a place (no script was read)."""
        return cls("", None, "", None, None, record)

    def coded(self, fix: Fix) -> Fix:
        """`fix` with its code form and place, or `fix` unchanged when a flag of it has no translation."""
        given = parse_flags(fix.flags)
        pieces = self._pieces(given) if given else None
        if not pieces:
            return fix
        places = {at for at, _ in pieces}
        if len(places) == 1:
            code: Localized = pieces[0][1] if len(pieces) == 1 else Joined(tuple(c for _, c in pieces))
            return replace(fix, code=code, at=pieces[0][0])
        return replace(fix, code=Joined(tuple(say("code.at", at=at, code=c) for at, c in pieces)), at=None)

    def _pieces(self, given: dict[str, str]) -> list[tuple[str, Message]] | None:
        pieces: list[tuple[str, Message] | None] = []
        compile_args = {flag: value for flag, value in given.items() if flag in COMPILE_FLAGS}
        if compile_args:
            pieces.append(self._compile(compile_args))
        fit_args = [f"{FIT_FLAGS[flag]}={value}" for flag, value in given.items() if flag in FIT_FLAGS]
        if fit_args:
            pieces.append((self.fit_at, say("code.fit", arguments=", ".join(fit_args))))
        if "--l1" in given or "--l2" in given:
            pieces.append(self._regularizer(given.get("--l1"), given.get("--l2")))
        for flag, value in given.items():
            if flag in TRANSLATIONS:
                pieces.append(TRANSLATIONS[flag](self, value))
        return None if None in pieces else [p for p in pieces if p is not None]

    @property
    def fit_at(self) -> str:
        return _at(self.fit_file, [self.fit_line] if self.fit_line else [])

    @property
    def compile_at(self) -> str:
        return _at(self.compile_file, [self.compile_line] if self.compile_line else [])

    def layers_at(self, calls: Sequence[ast.Call]) -> str:
        return _at(self.fit_file, [call.lineno for call in calls])

    def hidden(self) -> list[ast.Call]:
        """The script's hidden-layer calls, only of the kinds the run's model has where it is known (a script with
        a CNN branch and an MLP branch names the Dense lines for an MLP run, never its Conv2D lines)."""
        calls = self.source.hidden(self.fit_line) if self.source else []
        model = self.record.model
        kinds = {layer.kind for layer in model.layers} if model is not None else set()
        return [call for call in calls if callee(call) in kinds] or calls

    def layer(self) -> str:
        """The class of the hidden layers (`Dense`, `Conv2D`) as the script or the model names it."""
        hidden = self.hidden()
        if hidden:
            return callee(hidden[0])
        model = self.record.model
        layers = model.hidden_layers if model is not None else []
        return layers[0].kind if layers else "Dense"

    def fit_arrays(self) -> tuple[str, str]:
        """The names of the arrays `fit` trains on (`x_train`, `y_train`), or `x`, `y`."""
        call = self.source.call_at("fit", self.fit_line) if self.source else None
        if call is None or self.source is None:
            return "x", "y"
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        found = [call.args[i] if len(call.args) > i else keywords.get(k) for i, k in enumerate(("x", "y"))]
        names = [self.source.segment(n) if isinstance(n, (ast.Name, ast.Attribute)) else "" for n in found]
        return (names[0], names[1]) if all(names) else ("x", "y")

    def _compile(self, given: dict[str, str]) -> tuple[str, Message] | None:
        name = given.get("--optimizer") or (self.record.config or {}).get("optimizer")
        cls = OPTIMIZERS.get(str(name).lower()) if name else None
        arguments = ", ".join(f"{COMPILE_FLAGS[f]}={v}" for f, v in given.items() if f != "--optimizer")
        if cls is not None:
            return self.compile_at, say("code.compile", optimizer=f"keras.optimizers.{cls}({arguments})")
        return (self.compile_at, say("code.optimizer_args", arguments=arguments)) if arguments else None

    def _regularizer(self, l1: str | None, l2: str | None) -> tuple[str, Message]:
        if l1 and l2:
            regularizer = f"keras.regularizers.L1L2(l1={l1}, l2={l2})"
        else:
            regularizer = f"keras.regularizers.L1({l1})" if l1 else f"keras.regularizers.L2({l2})"
        # a penalty the script already gives (over-regularization's fix lowers it): every layer that has one, the
        # output layer too; none yet (overfitting's fix adds one): the hidden layers
        layers = self.source.layers(self.fit_line) if self.source else []
        penalised = [call for call in layers if any(k.arg == "kernel_regularizer" for k in call.keywords)]
        key = "code.regularizer.existing" if penalised else "code.regularizer"
        return self.layers_at(penalised or self.hidden()), say(key, layer=self.layer(), regularizer=regularizer)


def _shuffle(places: Places, _: str) -> tuple[str, Message]:
    x, y = places.fit_arrays()
    code = f"idx = np.random.permutation(len({x})); {x}, {y} = {x}[idx], {y}[idx]"
    return places.fit_at, say("code.shuffle", code=code)


def _normalize(places: Places, _: str) -> tuple[str, Message]:
    """Pixels (0..255) are divided by 255; other features are standardised (wine's, a house's price)."""
    data = places.record.data
    low, high = (data.input_min, data.input_max) if data is not None else (None, None)
    pixels = low is not None and high is not None and low >= 0 and 1.5 < high <= 255
    return places.fit_at, say("code.normalize.pixels" if pixels else "code.normalize", x=places.fit_arrays()[0])


def _train_size(places: Places, size: str) -> tuple[str, Message]:
    return places.fit_at, say("code.train_size", size=size)


def _activation(places: Places, name: str) -> tuple[str, Message]:
    return places.layers_at(places.hidden()), say("code.activation", layer=places.layer(), activation=name)


def _dropout(places: Places, rate: str) -> tuple[str, Message]:
    drops = places.source.dropouts(places.fit_line) if places.source else []
    model = places.record.model
    if drops or (model is not None and any(layer.kind in DROPOUT_LAYERS for layer in model.layers)):
        return places.layers_at(drops), say("code.dropout.set", rate=rate)
    return places.layers_at(places.hidden()), say("code.dropout.add", rate=rate, layer=places.layer())


def _batch_norm(places: Places, _: str) -> tuple[str, Message]:
    return places.layers_at(places.hidden()), say("code.batch_norm", layer=places.layer())


def _init(places: Places, name: str) -> tuple[str, Message]:
    layers = places.source.layers(places.fit_line) if places.source else []
    return places.layers_at(layers), say("code.init", layer=places.layer(), init=name)


def _units(places: Places, units: str) -> tuple[str, Message]:
    return places.layers_at(places.hidden()), say("code.units", layer=places.layer(), units=units.replace(",", ", "))


def _layers(places: Places, count: str) -> tuple[str, Message]:
    wanted, model = int(count), places.record.model
    now = len(model.hidden_layers) if model is not None and model.layers else len(places.hidden()) or None
    kind = "one" if wanted == 1 else "more" if now is not None and wanted > now else "fewer"
    return places.layers_at(places.hidden()), say(f"code.layers.{kind}", layer=places.layer(), count=wanted)


def _residual(places: Places, _: str) -> tuple[str, Message]:
    return places.layers_at(places.hidden()), say("code.residual", layer=places.layer())


TRANSLATIONS: dict[str, Callable[[Places, str], tuple[str, Message] | None]] = {
    "--shuffle": _shuffle,
    "--normalize": _normalize,
    "--train-size": _train_size,
    "--activation": _activation,
    "--dropout": _dropout,
    "--batch-norm": _batch_norm,
    "--init": _init,
    "--units": _units,
    "--layers": _layers,
    "--residual": _residual,
}


def _same(path: str, script: str) -> bool:
    """Whether `path` (a call's file) is the script (named in another spelling, e.g. absolute)."""
    return Path(path).name == Path(script).name


def _at(file: str, lines: Sequence[int]) -> str:
    """`train.py:31-33,40` (runs of lines joined), or `train.py` without a line."""
    numbers = sorted(set(lines))
    if not numbers:
        return file
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return file + ":" + ",".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
