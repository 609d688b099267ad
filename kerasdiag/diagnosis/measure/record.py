"""What plain curves and the model config show, for runs without a data summary or probes (plain Keras logs).

Rules fall back on these measurements when the richer evidence is missing; their findings say so with
`basis` and a `confidence` of "low" in the evidence, because curves alone admit more explanations than
probes or class counts do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kerasdiag.diagnosis.measure.series import finite_prefix, relative_drop, samples_behind, smooth
from kerasdiag.diagnosis.rules.base import num_classes
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.model_summary import LayerInfo
from kerasdiag.rundir.record import RunRecord
from kerasdiag.rundir.schema import CAN_DIE, SQUASHING

CURVES = "from the curves"
CONFIG = "from the model config and curves"
LOW = "low"
NORMAL_INITS = ("RandomNormal", "TruncatedNormal", "random_normal", "truncated_normal")


def basis(basis_text: str) -> dict[str, str]:
    """The evidence fields that say a finding rests on weaker evidence than probes or a data summary."""
    return {"basis": basis_text, "confidence": LOW}


def classes(record: RunRecord) -> int | None:
    """Number of classes: the data summary or predictions, else the model's output units (2 for one sigmoid)."""
    known = num_classes(record)
    if known:
        return known
    output = record.model.output_layer if record.model is not None else None
    if output is None or not output.units:
        return classes_at_chance(record)
    return 2 if output.units == 1 else int(output.units)


def classes_at_chance(record: RunRecord, epochs: int = 3) -> int | None:
    """k, where plain curves show a classifier that learnt (almost) nothing, over `epochs` consecutive epochs:

    - outputs that ignore the input, over k classes: the accuracy sits at 1/k and the loss at ln k, or a little above
      it (a constant guess other than the class shares scores ln k plus how far it is from them), for one whole k
      (read from the loss or from the accuracy);
    - a binary classifier no surer than it is right: the loss sits at the binary entropy H(a) of its accuracy a,
      with a below `BINARY_PRIOR_MAX_ACCURACY` (predicting the class shares, or a weak model with one confidence).

    Both are looked for over the last `epochs` epochs; the first also earlier, on the training and on the validation
    curves, with the accuracy held to `EARLY_CHANCE_BAND` of 1/k: a model that sat at chance for a while and then
    learnt shows its k there (the first such stretch's). A falling loss passes ln k (or H(a)) on its way down, but not
    while its accuracy matches it for several epochs. Else None (also where two stretches give k more than 1 apart).
    """
    if not (record.has("loss") and record.has("accuracy")):
        return None
    loss, accuracy = record.series("loss"), record.series("accuracy")
    if _usable(loss[-epochs:], accuracy[-epochs:], epochs):
        if _binary_at_entropy(loss[-epochs:], accuracy[-epochs:]):
            return 2
        k = _k_at_chance(loss[-epochs:], accuracy[-epochs:], 1.0)
        if k is not None:
            return k
    found: list[int] = []
    pairs = [(loss, accuracy)]
    if record.has("val_loss") and record.has("val_accuracy"):
        pairs.append((record.series("val_loss"), record.series("val_accuracy")))
    for curve, acc in pairs:
        for start in range(0, min(curve.size, acc.size) - epochs + 1):
            window = slice(start, start + epochs)
            if _usable(curve[window], acc[window], epochs):
                k = _k_at_chance(curve[window], acc[window], EARLY_CHANCE_BAND)
                found += [k] if k is not None else []
    # The first stretch's k; a loss sliding down from ln 10 passes through ln 9's band too, so a neighbour agrees.
    agree = bool(found) and all(abs(k - found[0]) <= 1 for k in found)
    return found[0] if agree else None


def _usable(loss: np.ndarray, accuracy: np.ndarray, epochs: int) -> bool:
    finite = np.all(np.isfinite(loss)) and np.all(np.isfinite(accuracy))
    return loss.size == epochs == accuracy.size and bool(finite) and loss.min() > 0


def _k_at_chance(loss: np.ndarray, accuracy: np.ndarray, band: float) -> int | None:
    """The k whose ln k the loss sits at (or a little above) while the accuracy sits at 1/k (`band` x the usual
    tolerance of max(`CHANCE_ACCURACY_BAND`, `CHANCE_ACCURACY_BAND_K`/k)), else None. Where two neighbours both fit
    (ln 9 and ln 10 are 5 % apart), the one whose ln k is nearest the loss."""
    middle = float(np.median(loss))
    by_loss = int(round(math.exp(middle))) if middle < math.log(MAX_CLASSES) else 0
    by_accuracy = int(round(1.0 / max(float(np.median(accuracy)), 1.0 / MAX_CLASSES)))
    fitting = []
    for k in {by_loss, by_accuracy}:
        if k < 2:
            continue
        low, high = (1 - AT_CHANCE_TOLERANCE) * np.log(k), (1 + ABOVE_CHANCE_TOLERANCE) * np.log(k)
        at_ln_k = np.all((loss >= low) & (loss <= high))
        usual = max(CHANCE_ACCURACY_BAND, CHANCE_ACCURACY_BAND_K / k)
        if at_ln_k and np.all(np.abs(accuracy - 1.0 / k) <= band * usual):
            fitting.append(k)
    return min(fitting, key=lambda k: (abs(math.log(middle / math.log(k))), k), default=None)


AT_CHANCE_TOLERANCE = 0.03  # a loss within this share of ln k (or of H(a)) sits there
ABOVE_CHANCE_TOLERANCE = 0.10  # ... or up to this share above ln k (a constant guess off the class shares)
MAX_CLASSES = 10_000  # a loss above ln of this is no chance level of any classifier here
EARLY_CHANCE_BAND = 0.6  # before the last epochs: the accuracy within 0.6 x the usual band of 1/k
BINARY_PRIOR_MAX_ACCURACY = 0.8  # above it H(a) is low enough for a good model's loss to pass by chance
CHANCE_ACCURACY_BAND = 0.05  # an accuracy within max(this, CHANCE_ACCURACY_BAND_K / k) of 1/k sits at chance ...
CHANCE_ACCURACY_BAND_K = 0.3  # ... (0.15 for 2 classes, 0.1 for 3, 0.05 from 6 on)


def _binary_at_entropy(loss: np.ndarray, accuracy: np.ndarray) -> bool:
    """The loss at the binary entropy of the accuracy, every epoch, with the accuracy in [0.5, max)."""
    if not np.all((accuracy >= 0.5) & (accuracy < BINARY_PRIOR_MAX_ACCURACY)):
        return False
    entropy = binary_entropy(accuracy)
    return bool(np.all(np.abs(loss - entropy) <= AT_CHANCE_TOLERANCE * entropy))


def binary_entropy(share: np.ndarray | float) -> np.ndarray:
    """H(a) = -(a ln a + (1 - a) ln(1 - a)): the cross-entropy of guessing a two-way split with shares a, 1 - a."""
    a = np.asarray(share, dtype=float)
    return -(a * np.log(a) + (1 - a) * np.log(1 - a))


@dataclass(frozen=True)
class Pinned:
    """An accuracy that stayed at one value from epoch 1 to the end."""

    metric: str
    value: float
    from_epoch: int  # the first epoch (from 1) of the constant stretch that lasts to the end
    chance: float | None
    spread: float  # max - min over the stretch


def pinned_accuracy(record: RunRecord, th: Thresholds, min_share: float | None = None) -> Pinned | None:
    """The training accuracy, when from epoch `pinned_start_max` (or earlier) to the end it stayed at one value.

    With `min_share`, a later start counts too when the constant stretch covers at least that share of the epochs
    (a network that died mid-run).
    """
    if not record.has("accuracy"):
        return None
    acc = finite_prefix(record.series("accuracy"))
    if acc.size < th.min_epochs:
        return None
    moved = np.flatnonzero(np.abs(acc - acc[-1]) > th.pinned_tolerance)
    start = int(moved[-1]) + 1 if moved.size else 0
    long_enough = min_share is not None and acc.size - start >= max(th.min_epochs, min_share * acc.size)
    if start >= th.pinned_start_max and not long_enough:
        return None
    k = classes(record)
    stretch = acc[start:]
    return Pinned("accuracy", float(stretch.mean()), start + 1, 1.0 / k if k else None, float(np.ptp(stretch)))


def loss_change(record: RunRecord, th: Thresholds) -> float | None:
    """Relative change of the smoothed training loss over the last `plateau_window` epochs."""
    if not record.has("loss"):
        return None
    loss = finite_prefix(record.series("loss"))
    if loss.size < th.plateau_window + 1:
        return None
    smoothed = smooth(loss, th.smooth_window)
    return abs(relative_drop(float(smoothed[-th.plateau_window - 1]), float(smoothed[-1])))


def hidden(record: RunRecord) -> list[LayerInfo]:
    return record.model.hidden_layers if record.model is not None else []


def negative_bias_relus(record: RunRecord) -> list[LayerInfo]:
    """Hidden layers of units that can die (`CAN_DIE`) whose bias starts below 0: every unit starts (and may stay)
    dead."""
    return [
        layer
        for layer in hidden(record)
        if layer.activation in CAN_DIE and layer.bias_value is not None and layer.bias_value < 0
    ]


def wide_squashing(record: RunRecord, th: Thresholds) -> list[LayerInfo]:
    """sigmoid/tanh hidden layers whose kernels are drawn with a stddev of at least `saturation_init_stddev`."""
    return [
        layer
        for layer in hidden(record)
        if layer.activation in SQUASHING
        and layer.kernel_stddev is not None
        and layer.kernel_stddev >= th.saturation_init_stddev
    ]


def wide_inits(record: RunRecord, th: Thresholds) -> list[LayerInfo]:
    """Parametric layers whose kernels are drawn with a stddev of at least `saturation_init_stddev`."""
    layers = record.model.parametric_layers if record.model is not None else []
    return [layer for layer in layers if (layer.kernel_stddev or 0.0) >= th.saturation_init_stddev]


def squashing_depth(record: RunRecord) -> int:
    return sum(layer.activation in SQUASHING for layer in hidden(record))


def max_dropout(record: RunRecord) -> float:
    if record.model is not None:
        return max((layer.rate or 0.0 for layer in record.model.layers if layer.kind == "Dropout"), default=0.0)
    if record.config is not None:
        return float(record.config.get("dropout") or 0.0)
    return 0.0


def layer_facts(layers: list[LayerInfo]) -> dict[str, dict[str, object]]:
    """Per layer name: its activation and initialisers, for the evidence."""
    return {
        layer.name: {
            "activation": layer.activation,
            "kernel_init": layer.kernel_init,
            "kernel_stddev": layer.kernel_stddev,
            "bias_init": layer.bias_init,
            "bias_value": layer.bias_value,
        }
        for layer in layers
    }


def validation_samples(record: RunRecord) -> int | None:
    """The validation split's size: from the data summary, else counted from the val_accuracy values' lattice."""
    if record.data is not None and record.data.validation is not None and record.data.validation.samples:
        return record.data.validation.samples
    return samples_behind(record.series("val_accuracy")) if record.has("val_accuracy") else None


def inputs_in_range(record: RunRecord, th: Thresholds) -> bool:
    """The data summary measured the inputs in a small range (|x| <= `input_abs_max`), or standardised (mean and
    spread within `input_std_max`, a heavy tail allowed), with a spread within `input_std_max`: "normalise your
    inputs" is no fix then. False where nothing was measured."""
    data = record.data
    if data is None or (data.input_max is None and data.input_std is None):
        return False
    low, high, std, mean = data.input_min, data.input_max, data.input_std, data.input_mean
    largest = max((abs(v) for v in (low, high) if v is not None), default=0.0)
    standardised = std is not None and std <= th.input_std_max and mean is not None and abs(mean) <= th.input_std_max
    return (largest <= th.input_abs_max or standardised) and (std is None or std <= th.input_std_max)
