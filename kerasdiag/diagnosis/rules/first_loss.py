"""unnormalized-input from curves alone: epoch 1's (data) loss far above the chance loss.

Plain logs hold no input range, so a first loss orders of magnitude above ln k is read here, after the learning rate,
an L1/L2 penalty and a wide initialisation in the model config are considered (each explains it before the inputs
do). With nothing to tell the causes
apart the finding is only a note that names them all.
"""

from __future__ import annotations

from kerasdiag.diagnosis.findings import Finding, Severity
from kerasdiag.diagnosis.measure.record import CURVES, basis, wide_inits
from kerasdiag.diagnosis.rules.base import NotEvaluable, about, config_value, finding, fix, fmt, learning_rate
from kerasdiag.diagnosis.rules.loss_series import FirstLoss, LossSeries, first_loss, loss_series
from kerasdiag.diagnosis.rules.needs import Chance, chance, not_a_classifier
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.messages import Message, say
from kerasdiag.rundir.record import RunRecord

INPUT = about("unnormalized-input")
INIT = about("unnormalized-input.init")  # the same finding where the model config's wide init explains it


def _measure_first_loss(record: RunRecord, th: Thresholds) -> tuple[FirstLoss, Chance, LossSeries]:
    """Epoch 1's data loss of a classifier against its chance loss, or NotEvaluable with the reason."""
    if record.anatomy is not None and not_a_classifier(record) is not None:
        anatomy = record.anatomy
        task = say("task.outputs", count=anatomy.outputs) if anatomy.outputs > 1 else say(f"task.{anatomy.task.value}")
        raise NotEvaluable(say("unnormalized-input.skip.not_classifier", task=task))
    level, series = chance(record), loss_series(record)
    first = first_loss(record, series, level, th)
    if first is None:
        raise NotEvaluable(say("unnormalized-input.skip.no_first_loss"))
    return first, level, series


# What a high first loss can come from, by what the run lets rule out: `scaled` (a data summary), `known` (the
# learning rate and the model config were logged), else curves alone.
CAUSES = {
    "scaled": ("unnormalized-input.cause.init", ["a bad initialisation"]),
    "known": ("unnormalized-input.cause.inputs_or_init", ["unscaled inputs", "a bad initialisation"]),
    "curves": (
        "unnormalized-input.cause.any",
        ["unscaled inputs", "a large learning rate", "an L1/L2 penalty", "a bad initialisation"],
    ),
}


def first_loss_finding(record: RunRecord, th: Thresholds) -> list[Finding]:
    """Epoch 1's loss orders of magnitude above the chance loss (ln k, ln 2): unscaled inputs or a bad init."""
    first, level, series = _measure_first_loss(record, th)
    if first.ratio < th.first_loss_factor or first.end >= th.divergence_keep_share * first.start:
        return []  # a loss that stays that high is divergence's finding
    wide = wide_inits(record, th)
    lr, penalty = learning_rate(record), _penalised(record)
    if (penalty and not first.penalty) or (lr is not None and lr >= th.first_loss_lr):
        return []  # an unmeasured L1/L2 penalty or a large learning rate explains a high first loss before inputs do
    # Kernels drawn wide in the model config explain it before inputs nobody measured: a note on the init.
    init_only = bool(wide) and record.data is None
    # Curves alone (no learning rate, or no model config to rule out a penalty): every cause stays possible.
    unknown = record.data is None and not wide and (lr is None or record.anatomy is None)
    causes, named = CAUSES["scaled" if record.data is not None or init_only else "curves" if unknown else "known"]
    evidence = {
        "first_loss": first.first,
        "first_penalty_excluded": first.penalty,
        "end_loss": first.end,
        "chance_loss": first.chance_loss,
        "ratio": first.ratio,
        "possible_causes": named,
        "learning_rate": lr,
        "wide_init_layers": {layer.name: layer.kernel_stddev for layer in wide},
        "threshold_ratio": th.first_loss_factor,
        **level.evidence(),
        **series.evidence(),
        **basis(CURVES if not wide else "from the model config and curves"),
    }
    summary = _summary(first, level, th, causes, wide)
    summary = say("unnormalized-input.curves_only", summary=summary) if unknown else summary
    scale = record.data is None and not init_only
    fixes = [fix("--normalize", say("unnormalized-input.fix.scale"))] if scale else []
    fixes.append(fix("--init glorot_uniform", say("unnormalized-input.fix.init")))
    severity = Severity.INFO if unknown or init_only else series.severity(Severity.WARNING)
    return [
        finding("unnormalized-input", severity, series.told(summary), evidence, fixes, INIT if init_only else INPUT)
    ]


def _summary(first: FirstLoss, level: Chance, th: Thresholds, causes: str, wide: list) -> Message:
    widest = max((layer.kernel_stddev or 0 for layer in wide), default=0.0)
    return say(
        "unnormalized-input.summary.first_loss",
        less_penalty=say("unnormalized-input.less_penalty") if first.penalty else "",
        first=fmt(first.first),
        ratio=fmt(first.ratio),
        chance=level.loss_phrase(),
        threshold=fmt(th.first_loss_factor),
        causes=say(causes),
        init=say("unnormalized-input.wide_init", stddev=fmt(widest)) if wide else "",
    )


def _penalised(record: RunRecord) -> bool:
    """Whether the model holds L1/L2 penalties: its anatomy, else its layers, else the flags."""
    if record.anatomy is not None and record.anatomy.penalty:
        return True
    if record.model is not None:
        return any(layer.l1 or layer.l2 for layer in record.model.layers)
    return bool(config_value(record, "l1") or config_value(record, "l2"))
