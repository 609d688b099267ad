"""DiagnoseCallback: a learner's own `model.fit` writes the same run directory as `kerasdiag train`.

It composes the callbacks `train` uses (`ProbeCallback`, `RunLogger`,
`BestWeights`) around a `RunSession`, and gets the data from `fit`'s arguments:
explicitly (`x=`, `y=`, `validation_data=`), from `supply_fit_arguments`
(`kerasdiag run` and `kd.fit` wrap `fit`), or else from the running `fit` call.
`kerasdiag.keras.Diagnose` adds the terminal output on top.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import keras
import numpy as np

from kerasdiag.diagnosis.engine import RULES, diagnose_run, static_checks
from kerasdiag.diagnosis.findings import Diagnosis, Finding, Severity
from kerasdiag.messages import say
from kerasdiag.messages.said import Said
from kerasdiag.rundir.record import RunRecord, RunStatus
from kerasdiag.rundir.summaries import DataSummary
from kerasdiag.training.backends import compiled_predict
from kerasdiag.training.backends.run_loss import probe_refusal
from kerasdiag.training.backends.select import tensorflow_unloaded_within
from kerasdiag.training.callbacks.best_weights import BestWeights
from kerasdiag.training.callbacks.probe import ProbeCallback, to_numpy
from kerasdiag.training.callbacks.run_logger import RunLogger
from kerasdiag.training.flags.datasets import summarise_inputs
from kerasdiag.training.script.fit_data import (
    FitData,
    fit_caller,
    probe_rows,
    resolve_fit_data,
    running_fit_arguments,
    training_arrays,
)
from kerasdiag.training.session import RunSession, named

# Rules worth a live warning mid-training: each fires once per run, as one line.
LIVE_RULES = {rule_id: RULES[rule_id] for rule_id in ("divergence", "exploding-gradients", "dead-relu")}


class DiagnoseCallback(keras.callbacks.Callback):
    """Writes a kerasdiag run directory for any `model.fit` and diagnoses it at the end.

    Args:
        logdir: Folder of runs; each `fit` gets a new `<logdir>/<time>-<script>-<model>`. Defaults to `"runs"`.
        log_dir: Keras's spelling of `logdir` (as in `keras.callbacks.TensorBoard`); wins when given.
        name: Run directory name instead of the time stamp one (never overwritten). Defaults to `None`.
        x: Training inputs, when `fit` gets a dataset or the callback cannot read its arguments.
        y: Their labels, integer or one-hot.
        validation_data: `(x_val, y_val)`, as `fit` takes it.
        validation_split: As `fit` takes it, with `x` and `y`: the LAST rows are validation.
        probe_every: Probe gradients and activations every N epochs. Defaults to `1`.
        script: The script being run (recorded in run.json). Defaults to `sys.argv[0]`.
    """

    async_safe = True  # the batch hook only records the running loss (see ProbeCallback)

    def __init__(
        self,
        logdir: str | Path = "runs",
        *,
        log_dir: str | Path | None = None,
        name: str | None = None,
        x: Any = None,
        y: Any = None,
        validation_data: Any = None,
        validation_split: float = 0.0,
        probe_every: int = 1,
        script: str | None = None,
    ):
        super().__init__()
        self.logdir = Path(log_dir if log_dir is not None else logdir)
        self.name = name
        self.explicit = {"x": x, "y": y, "validation_data": validation_data, "validation_split": validation_split}
        self.probe_every = probe_every
        self.script = script if script is not None else (sys.argv[0] if sys.argv and sys.argv[0] else None)
        self.fit_arguments: dict[str, Any] | None = None
        self.session: RunSession | None = None
        self.diagnosis: Diagnosis | None = None
        self.fit_index: int | None = None  # which `fit` of the script this is (set by `kerasdiag run`)
        self.fit_at: str | None = None  # `file:line` of the script's `fit` call (set by `kerasdiag run`)
        self.compile_at: str | None = None  # and of its `compile` call, where seen

    def supply_fit_arguments(self, arguments: dict[str, Any]) -> None:
        """`fit`'s arguments as the caller passed them (before Keras splits off `validation_split`)."""
        self.fit_arguments = dict(arguments)

    @property
    def path(self) -> Path | None:
        """The run directory of the current (or last) `fit`."""
        return self.session.run.path if self.session is not None else None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.session, self.diagnosis = None, None
        self.warned: set[str] = set()
        self.children: list[Any] = []
        self.probe: ProbeCallback | None = None
        self.data: FitData | None = None
        self.data_problem: str = ""
        self.pending = False  # the model is described and probed once it is built (at a batch's start)
        self.epoch = 0
        self.switched_off: set[str] = set()
        self.guarded("start", self._start)

    def _start(self) -> None:
        arguments = self._arguments()
        _tensorflow_for_keras_tensorboard(arguments.get("callbacks"))
        self.y_fit = arguments.get("y")
        self.data, self.data_problem = resolve_fit_data(
            arguments.get("x"),
            arguments.get("y"),
            arguments.get("validation_split") or 0.0,
            arguments.get("validation_data"),
        )
        config = self._config(arguments)
        record = RunRecord(path="", source="kerasdiag", config=config)
        record.data = self.data.summary(config["script_name"]) if self.data is not None else None
        self.session = RunSession.start(self.logdir, self.name or self._stem(config), record)
        self.session.lang = getattr(self, "lang", "en")  # kd.Diagnose's language, for TensorBoard's Text tab
        self.session.logger = RunLogger(self.session.run, record, stop_on_nan=False)  # the learner's fit runs on
        self.session.best = BestWeights()
        self.children = [self.session.logger, self.session.best]
        with tensorflow_unloaded_within():  # the model's JSON for TensorBoard, without importing TensorFlow
            for child in self.children:
                child.set_model(self.model)
                child.set_params(self.params)
                child.on_train_begin()
        self.pending = True
        if model_built(self.model):
            self._describe()

    def _describe(self) -> None:
        """The model summary, anatomy and static findings; then the probes (the model is built by now)."""
        assert self.session is not None
        self.pending = False
        record = self.session.record
        with tensorflow_unloaded_within():  # the model's config, on JAX or torch, without importing TensorFlow
            self.session.describe_model(self.model, self.y_fit)
            if self.data is not None and record.anatomy is not None and not record.anatomy.task.classifier:
                self.data = None  # no classes to count: a regression's targets are no class labels
                self.data_problem = Said("fit_data.not_classes", task=say(f"task.{record.anatomy.task.value}"))
                record.data = None
            if record.anatomy is not None and not record.anatomy.task.classifier and record.data is None:
                # a regression keeps its sizes and input range (unnormalized-input judges them), no class counts
                record.data = self._inputs_only(record.config or {})
                self.session.run.write_meta(data=record.data.to_dict() if record.data is not None else None)
            self.on_static(named(static_checks(record), self.session.run))
            self.guarded("probe", self._start_probe)

    def _inputs_only(self, config: dict[str, Any]) -> DataSummary | None:
        """The training inputs' size and range from `fit`'s arrays (None when they are no arrays)."""
        arguments = self._arguments()
        split = arguments.get("validation_split") or 0.0
        found = training_arrays(arguments.get("x"), arguments.get("y"), split)
        if found is None or not len(found[0]):
            return None
        whole = training_arrays(arguments.get("x"), arguments.get("y")) if split else None
        val = len(whole[0]) - len(found[0]) if whole is not None else None
        return summarise_inputs(str(config.get("script_name") or "keras"), found[0], val)

    def _start_probe(self) -> None:
        """Probes with the run's own loss on the script's targets; class labels (threshold margins) for a classifier.

        A run whose loss kerasdiag cannot apply (several outputs, a dict of losses, a custom `compute_loss`, a
        loss that fails on the probe batch) is not probed: run.json's `probes_off` says why.
        """
        assert self.session is not None and self.session.logger is not None
        anatomy = self.session.record.anatomy
        batch = self._probe_batch()
        refused = probe_refusal(self.model, batch[1] if batch is not None else None)
        if refused is not None:  # the English text, and its catalog id for a view in the learner's language
            message = {"id": refused.message.id, "params": dict(refused.message.params)}
            self.session.run.write_meta(probes_off=str(refused), probes_off_message=message)
            self.session.record.probes_off = refused  # the diagnosis printed at the end of fit says it too
        if anatomy is None or batch is None or refused is not None:
            return
        x, targets, labels = batch
        self.probe = ProbeCallback(x, targets, freq=self.probe_every, labels=labels, task=anatomy.task)
        self.probe.set_model(self.model)
        self.probe.set_params(self.params)
        self.probe.on_train_begin()
        self.probe.on_epoch_begin(self.epoch)
        self.session.logger.probe = self.probe
        self.children.insert(0, self.probe)

    def _probe_batch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
        """The probe rows, their targets as `fit` got them, and their classes where predictions are kept too.

        Without class labels (a regression: `self.data` is `None`), the rows come from `fit`'s arrays directly;
        named inputs (a dict) give none: the model takes no one array.
        """
        if self.data is not None and not self.data.model_inputs:
            return None
        if self.data is not None:
            x, labels = self.data.probe_batch()
            return x, self.data.probe_targets(), labels if self._classifier() else None
        arguments = self._arguments()
        found = training_arrays(arguments.get("x"), arguments.get("y"), arguments.get("validation_split") or 0.0)
        if found is None:
            return None
        rows = probe_rows(len(found[1]))
        return np.asarray(found[0][rows]), np.asarray(found[1][rows]), None

    def guarded(self, part: str, action: Callable[..., Any], *args: Any) -> None:
        """Run one part of kerasdiag's work inside `fit`; a failure switches that part off, never the training.

        `probe`: the probes stop, epochs are still logged. Anything else (`start`, `log`, `end`...): the run keeps
        what was written and is finished with what was measured. The failure is a note on stderr and in run.json
        (`kerasdiag_errors`), with the traceback when `KERASDIAG_DEBUG` is set; `fit` itself never sees it.
        """
        if part in self.switched_off:
            return
        try:
            action(*args)
        except Exception as exc:  # noqa: BLE001 - kerasdiag's own failure must not become the learner's
            self._switch_off(part, exc)

    def _switch_off(self, part: str, exc: Exception) -> None:
        """Stop `part` for the rest of this fit: the probes, the live warnings, the progress line, the predictions
        alone; the run's logging with `start` and `log` (then nothing more is written but the end)."""
        error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        self.switched_off.add(part)
        if part == "probe" and self.probe is not None:
            self.children = [child for child in self.children if child is not self.probe]
            if self.session is not None and self.session.logger is not None:
                self.session.logger.probe = None
            self.probe = None
        elif part in ("start", "log"):
            self.children, self.probe, self.pending = [], None, False
        elif part == "describe":
            self.pending = False
        if self.session is not None:
            self.session.record_internal_error(part, error)
        self.on_internal_error(part, error, exc)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch = epoch
        for child in list(self.children):
            self.guarded(self._part(child), child.on_epoch_begin, epoch, logs)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        if self.pending and self.session is not None and model_built(self.model):
            self.guarded("describe", self._describe)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.probe is not None:
            self.guarded("probe", self.probe.on_train_batch_end, batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.pending and self.session is not None:  # one batch per epoch: built only now
            self.guarded("describe", self._describe)
            if self.probe is not None:
                self.probe.start_kernels = None  # no update over this epoch was seen: no probe row for it
        for child in list(self.children):
            self.guarded(self._part(child), child.on_epoch_end, epoch, logs)
        if self.session is not None and self.children:
            self.guarded("live", self._live_findings, epoch)

    def _live_findings(self, epoch: int) -> None:
        assert self.session is not None
        for finding in diagnose_run(self.session.record, rules=LIVE_RULES).findings:
            if finding.severity >= Severity.WARNING and finding.rule not in self.warned:
                self.warned.add(finding.rule)
                self.on_live_finding(epoch + 1, finding)

    def _part(self, child: Any) -> str:
        return "probe" if child is self.probe else "log"

    def on_train_end(self, logs: dict | None = None) -> None:
        self.end(RunStatus.COMPLETED)

    def end(self, status: RunStatus, error: BaseException | None = None) -> None:
        """Finish the run once: `on_train_end`, or a wrapper of `fit` when it raised (interrupted, failed).

        Never raises: whatever fails while finishing (the predictions, a full disk) marks the run failed with
        the reason, diagnoses what was measured and is noted as kerasdiag's own error.
        """
        session = self.session
        if session is None or self.diagnosis is not None:
            return
        try:
            if status == RunStatus.FAILED and error is not None:
                self.diagnosis = session.abort(error)
            else:
                if status == RunStatus.INTERRUPTED:
                    session.interrupt()
                else:
                    session.status = status
                    self.guarded("early-stop", self._note_early_stop, session)
                if self.data is not None and self._classifier() and self.children:
                    self.guarded("predictions", self._save_predictions, session)
                self.diagnosis = session.finish()
        except Exception as exc:  # noqa: BLE001 - kerasdiag's own failure: noted, the run diagnosed as far as it can
            self._switch_off("end", exc)
            self.diagnosis = session.abort(exc)
        finally:
            session.close()
        with contextlib.suppress(Exception):
            self.on_diagnosis(self.diagnosis)

    def _note_early_stop(self, session: RunSession) -> None:
        """A callback of the script (EarlyStopping) ended training before `epochs`: on purpose, not incomplete."""
        logger = session.logger
        diverged = logger is not None and logger.diverged
        if getattr(self.model, "stop_training", False) and not diverged and session.record.config is not None:
            session.record.config["stopped_early"] = True
            session.run.write_meta(config=session.record.config)

    def _save_predictions(self, session: RunSession) -> None:
        """Held-out predictions; after an interrupt, from the weights of the last finished step, if readable."""
        assert self.data is not None
        if session.status == RunStatus.INTERRUPTED and hasattr(self.model, "jax_state_sync"):
            self.model.jax_state_sync()  # JAX keeps the weights outside the variables during fit
        assert session.record.anatomy is not None  # `_classifier` holds
        try:
            predict = compiled_predict(self.model)
            session.save_predictions(self.model, self.data.held_out(), predict, session.record.anatomy.task)
        except Exception as exc:  # noqa: BLE001 - an interrupted fit may leave the model unusable
            if session.status != RunStatus.INTERRUPTED:
                raise
            session.record.problems.append(Said("training.no_predictions", kind=type(exc).__name__))

    def on_static(self, diagnosis: Diagnosis) -> None:
        """Called before the first epoch with what the model and data alone show."""

    def on_live_finding(self, epoch: int, finding: Finding) -> None:
        """Called once per rule when a live rule fires during training."""

    def on_diagnosis(self, diagnosis: Diagnosis) -> None:
        """Called with the run's diagnosis once the run directory is complete."""

    def on_internal_error(self, part: str, error: str, exc: Exception) -> None:
        """Called when a part of kerasdiag failed inside `fit` and was switched off (training goes on)."""

    def _arguments(self) -> dict[str, Any]:
        if self.explicit["x"] is not None:
            return self._explicit_arguments(self.fit_arguments or running_fit_arguments(self.model) or {})
        if self.fit_arguments is not None:
            return self.fit_arguments
        running = running_fit_arguments(self.model) or {}
        if running.get("validation_split") and running.get("validation_data") is not None:
            running = {**running, "split_by_keras": True}  # Keras already took the last rows off x, y
        return {**running, "validation_split": 0.0} if running.get("split_by_keras") else running

    def _explicit_arguments(self, context: dict[str, Any]) -> dict[str, Any]:
        """`x=`/`y=` given to the callback, with the validation `fit` used unless the callback was told one."""
        merged = {**context, "x": self.explicit["x"], "y": self.explicit["y"]}
        if self.explicit["validation_data"] is not None:
            merged.update(validation_data=self.explicit["validation_data"], validation_split=0.0)
        elif self.explicit["validation_split"]:
            merged.update(validation_split=self.explicit["validation_split"], validation_data=None)
        elif context.get("validation_split"):
            merged["validation_data"] = None  # split the full x, y given here, as fit split its own
        return merged

    def _classifier(self) -> bool:
        """Held-out predictions and threshold margins: a one-output classifier (softmax, logits, binary sigmoid or
        logit) over the data's classes, whose outputs become class probabilities (`probe.to_probabilities`)."""
        assert self.session is not None
        anatomy = self.session.record.anatomy
        if anatomy is None or not anatomy.task.classifier or anatomy.outputs != 1:
            return False
        data = self.data
        return data is not None and data.model_inputs and anatomy.num_classes == data.num_classes >= 2

    def _config(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """What is knowable of the run's settings, named as `kerasdiag train` names its flags."""
        optimizer = self.model.optimizer
        split = float(arguments.get("validation_split") or 0.0)
        by_keras = bool(arguments.get("split_by_keras")) or split > 0
        data: FitData | None = self.data
        return {
            "script": self.script,
            "script_path": str(Path(self.script).resolve()) if self.script else None,
            "script_name": Path(self.script).stem if self.script else "keras",
            "argv": sys.argv[1:] if self.script and sys.argv and sys.argv[0] == self.script else None,
            "fit_index": self.fit_index,
            "fit_at": self.fit_at or fit_caller(self.model),
            "compile_at": self.compile_at,
            "model_name": self.model.name,
            "optimizer": type(optimizer).__name__.lower() if optimizer is not None else None,
            "lr": float(f"{float(to_numpy(optimizer.learning_rate)):.7g}") if optimizer is not None else None,
            "loss": _name(getattr(self.model, "loss", None)),
            "epochs": _epochs_to_run((self.params or {}).get("epochs"), arguments.get("initial_epoch")),
            "initial_epoch": arguments.get("initial_epoch") or 0,
            "batch_size": arguments.get("batch_size") or 32,
            "validation_split": self._split_fraction(split, data) if by_keras else 0.0,
            "shuffle": False if by_keras else None,  # Keras never shuffles before validation_split
            "fit_shuffle": arguments.get("shuffle", True),
            "weighted_classes": any(arguments.get(k) is not None for k in ("class_weight", "sample_weight")),
            "activation": None,  # known once the model is built: the anatomy's layers
            "data_source": "fit arguments" if data is not None else self.data_problem,
            "backend": keras.backend.backend(),
        }

    @staticmethod
    def _split_fraction(split: float, data: FitData | None) -> float:
        if split or data is None or data.y_val is None:
            return split
        return round(len(data.y_val) / (len(data.y_val) + len(data.y_train)), 4)

    @staticmethod
    def _stem(config: dict[str, Any]) -> str:
        return f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{config['script_name']}-{config['model_name']}"


def _tensorflow_for_keras_tensorboard(callbacks: Any) -> None:
    """Import TensorFlow first when the script's own `keras.callbacks.TensorBoard` will need it anyway.

    kerasdiag's event writer otherwise selects tensorboard's TF-free stub for the whole
    process, and Keras's TensorBoard callback on the JAX or torch backend would then fail.
    """
    listed = getattr(callbacks, "callbacks", callbacks) or ()
    wanted = any(isinstance(cb, keras.callbacks.TensorBoard) for cb in listed)
    if wanted and "tensorflow" not in sys.modules and importlib.util.find_spec("tensorflow") is not None:
        importlib.import_module("tensorflow")


def _name(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return getattr(value, "name", None) or getattr(value, "__name__", None) or type(value).__name__


def model_built(model: Any) -> bool:
    """Whether `model` and every layer in it are built (TensorFlow builds an unbuilt model at the first step)."""
    try:
        return bool(model.built) and all(getattr(layer, "built", True) for layer in model._flatten_layers())
    except Exception:  # noqa: BLE001 - a model kerasdiag cannot inspect is taken as built
        return True


def _epochs_to_run(epochs: Any, initial_epoch: Any) -> int | None:
    """The epochs this `fit` runs: `epochs` is the index it ends at, `initial_epoch` where a continued fit starts."""
    if not isinstance(epochs, int):
        return None
    return max(epochs - (initial_epoch if isinstance(initial_epoch, int) else 0), 0)
