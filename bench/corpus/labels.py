"""Label every corpus run from what was measured inside it (measure.py), never from the injected fault.

A label is one of `warning`/`error` (a problem the rule must report as a warning or worse), `info` (worth a note:
found at any severity), `no` (the rule must not warn) or `unclear` (between the two limits below: not scored).
The limits are written here once, apart from the rules' thresholds, with a gap between "yes" and "no" so that a
run near a limit is never scored either way. Chance level: ln k and 1/k (k classes), ln 2 and 0.5 (binary), the
training targets' variance (regression, MSE of predicting their mean).

Which labels a layout can show is `VISIBLE` (bench/diagnosis.py): a label its logs cannot show is `unseen` there and
not counted in recall, yet a warning where the label is `no` still counts as a false warning.

Usage: `.venv/bin/python bench/corpus/labels.py` writes bench/corpus/manifest.json from bench/corpus/measured/.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"

CLASSIFIERS = ("multiclass", "multiclass-logits", "binary", "binary-logits")
CURVES = (
    "overfitting", "underfitting", "divergence", "oscillation", "loss-plateau", "accuracy-plateau", "run-incomplete",
)  # fmt: skip
# The labels each layout's files can show. kerasdiag's run directory shows everything; Keras's TensorBoard callback
# also writes the model config (`keras` tag: layers, activations, regularisers); other plain logs only curves.
VISIBLE: dict[str, tuple[str, ...]] = {
    "kerasdiag": ("*",),
    "keras-tb": (*CURVES, "linear-collapse", "over-regularization"),
    "keras-tb-batch": (*CURVES, "linear-collapse", "over-regularization"),
    "tf-keras-tb": (*CURVES, "linear-collapse", "over-regularization"),
    "csv": CURVES,
    "tf-keras-csv": CURVES,
    "history-json": CURVES,
    "tape": CURVES,
    "torch-scalars": CURVES,
    "torch-add-scalars": CURVES,
}

# A regression's skill (R^2) needs its targets' variance, which only kerasdiag's run.json keeps: underfitting and
# over-regularization (training R^2 held down) of a regression are counted as unseen in every other layout, and
# DIAGNOSIS.md says how many.
UNJUDGED = {"regression": ("underfitting", "over-regularization")}
JUDGED_ANYWAY = ("kerasdiag",)  # the layouts that show what UNJUDGED names

# With an L1/L2 penalty in Keras's loss, plain logs show data loss + penalty only: a plateau or a rise of the data
# loss under a shrinking penalty is not in them (kerasdiag's run directory measures the two apart).
HIDDEN_BY_PENALTY = ("loss-plateau", "overfitting")

# Label limits: (yes at or beyond, no below). Between them a run is `unclear`.
OVERFIT_RISE = (0.15, 0.05)  # test loss at the end above its smoothed minimum by this share
SKILL = (0.40, 0.60)  # (accuracy - chance) / (1 - chance) below -> underfitting; at or above the second -> no
R2 = (0.20, 0.50)  # regression: 1 - test MSE / variance
VANISH = (2e-3, 2e-2)  # first / output layer gradient norm
EXPLODE_GROWTH = (1e3, 30.0)  # largest gradient norm over its first epochs' median
DEAD = (0.6, 0.3)  # share of a ReLU layer's units never active on the probe batch
SATURATED = (0.6, 0.3)  # share of a sigmoid/tanh layer's activations within 0.01 of the limits
SWINGS = (0.35, 0.15)  # share of epoch-to-epoch moves of the test curve that are swings
PLATEAU_LEVEL = (0.7, 0.3)  # data loss as a share of the chance loss, with a flat end
MISMATCH_TV = (0.3, 0.15)  # total-variation distance of training and validation classes
INPUT_SCALE = (20.0, 5.0)  # max over features of |median| and IQR of the raw inputs
IMBALANCE = (5.0, 2.0)  # largest / smallest training class
ECE = (0.08, 0.04)  # test-set top-label ECE (with confidence above accuracy by the first limit)
PENALTY_SHARE = 0.5  # a penalty this share of the loss is a strong regulariser
OVERREG_SKILL = (0.8, 0.95)  # with a strong regulariser, a training skill below -> over-regularized; above -> no
FEW_VALIDATION_SAMPLES = 50  # below this a rise of the validation loss is expected as a note, not a warning


def _series(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _band(value: float, limits: tuple[float, float], high_is_yes: bool = True, yes: str = "warning") -> str:
    """`yes` beyond the first limit, `no` short of the second, else `unclear` (NaN: `unclear`)."""
    if not math.isfinite(value):
        return "unclear"
    first, second = limits
    if high_is_yes:
        return yes if value >= first else "no" if value < second else "unclear"
    return yes if value < first else "no" if value >= second else "unclear"


class Run:
    """One measured run and the quantities every label reads."""

    def __init__(self, doc: dict[str, Any]):
        self.doc = doc
        self.p = doc["params"]
        self.task = self.p["task"]
        self.history = {key: _series(v) for key, v in doc["history"].items()}
        self.rows = doc["measured"]
        self.data = doc["data"]
        self.classifier = self.task in CLASSIFIERS or self.task == "mse-classifier"
        k = len(self.data.get("train_counts", [])) or 1
        self.k = max(k, len(self.data.get("val_counts", [])))
        binary = self.task.startswith("binary")
        if self.task == "regression":
            self.chance_loss = self.data["y_var"]
        elif self.task == "mse-classifier":
            self.chance_loss = (1 - 1 / self.k) / self.k  # MSE of predicting 1/k everywhere against one-hot
        else:
            self.chance_loss = math.log(2) if binary else math.log(self.k)
        self.chance_acc = 0.5 if binary else 1 / self.k
        self.penalty = _series([r.get("penalty") for r in self.rows])
        self.loss = self.history.get("loss", np.array([]))
        n = min(len(self.loss), len(self.penalty))
        # The data loss of the weights at each epoch's end, on the probe batch; where it was not measured, Keras's
        # epoch loss less the penalty (a running mean over the epoch, so an estimate while the penalty shrinks fast).
        probe = _series([r.get("probe_data_loss") for r in self.rows])[:n]
        estimate = self.loss[:n] - np.nan_to_num(self.penalty[:n])
        self.data_loss = np.where(np.isfinite(probe), probe, estimate) if self.penalty[:n].any() else estimate
        self.test_loss = _series([r.get("test_loss") for r in self.rows])
        self.test_acc = _series([r.get("test_accuracy") for r in self.rows])
        self.epochs = len(self.loss)

    @property
    def nonfinite(self) -> bool:
        return bool(self.epochs and not np.all(np.isfinite(self.loss)))

    def skill(self, acc: float) -> float:
        return (acc - self.chance_acc) / (1 - self.chance_acc)

    # --- labels ---------------------------------------------------------------------------------------------------

    def divergence(self) -> str:
        if self.nonfinite:
            return "error"
        d = self.data_loss
        if len(d) < 2:
            return "unclear"
        end = float(np.mean(d[-2:]))
        if (end >= 2 * np.min(d) and end > d[0]) or (end >= 10 * self.chance_loss and end >= 0.9 * d[0]):
            return "warning"  # it rose, or it stays far above chance where it started
        if end >= 10 * self.chance_loss:
            return "unclear"  # far above chance but falling from a huge start: a bad init still converging
        return "no" if end <= 1.3 * np.min(d) else "unclear"

    def overfitting(self) -> str:
        if self.p["label_noise"]:
            # Training and validation labels were re-drawn, the test split's were not: the test loss cannot judge a
            # validation loss that rises as the model memorises the re-drawn labels. Not scored.
            return "unclear"
        t = self.test_loss
        if self.nonfinite or len(t) < 6 or not np.all(np.isfinite(t)):
            return "no" if self.nonfinite else "unclear"
        counts = self.data.get("train_counts", [])
        if self.classifier and counts and (len(counts) < self.k or 0 in counts):
            # A class the training part never holds (class-ordered rows) is in the test split: its test loss rises
            # as the model grows sure of the other classes whatever it memorises; a shift, not overfitting (as for
            # overconfidence). Not scored.
            return "unclear"
        smooth = np.convolve(t, np.ones(3) / 3, mode="valid")
        best = int(np.argmin(smooth)) + 1  # the centre epoch index of the window
        rise = float(np.mean(t[-3:]) / smooth.min() - 1)
        d = self.data_loss
        still_fitting = len(d) > best and d[-1] <= 0.9 * d[best]
        level = np.convolve(t, np.ones(5) / 5, mode="same")
        noise = float(np.std(t[3:-2] / level[3:-2] - 1)) if len(t) > 8 else 0.0  # the test curve's own jitter
        if rise >= OVERFIT_RISE[0] and rise >= 3 * noise and best <= len(t) - 4 and still_fitting:
            # Real (the test split rises), but a log shows it only where its validation curve rises too.
            if self._val_rise() < OVERFIT_RISE[1]:
                return "unclear"
            # On a handful of validation samples the logs cannot make it more than a note.
            return "info" if self.data["n_val"] < FEW_VALIDATION_SAMPLES else "warning"
        return "no" if rise < OVERFIT_RISE[1] else "unclear"

    def _val_rise(self) -> float:
        """How far the validation data loss ends above its smoothed minimum (what the learner's logs can show)."""
        val = self.history.get("val_loss", np.array([]))
        val = val[: len(self.penalty)] - np.nan_to_num(self.penalty[: len(val)])
        if len(val) < 6 or not np.all(np.isfinite(val)):
            return 0.0
        smooth = np.convolve(val, np.ones(3) / 3, mode="valid")
        return float(np.mean(val[-3:]) / smooth.min() - 1) if smooth.min() > 0 else 0.0

    def underfitting(self) -> str:
        if self.task == "regression":  # poor on both sides, as for a classifier: R^2 of the training and test MSE
            t, d = self.test_loss, self.data_loss
            if not len(t) or not math.isfinite(t[-1]) or not len(d) or not math.isfinite(d[-1]):
                return "unclear"
            train_r2, test_r2 = 1 - float(d[-1]) / self.chance_loss, 1 - float(t[-1]) / self.chance_loss
            if train_r2 < R2[0] and test_r2 < R2[0]:
                return "warning"
            return "no" if max(train_r2, test_r2) >= R2[1] else "unclear"
        acc = self.history.get("accuracy")
        if acc is None or not len(self.test_acc) or not math.isfinite(self.test_acc[-1]):
            return "unclear"
        train_skill = self.skill(float(np.nanmean(acc[-3:])))
        test_skill = self.skill(float(self.test_acc[-1]))
        if train_skill < SKILL[0] and test_skill < SKILL[0]:
            return "warning"
        if self.p["label_noise"] and train_skill < SKILL[1]:
            # Training and validation labels were re-drawn, the test split's were not: a fit the clean test split
            # calls good shows in the logs as poor accuracy on the noisy labels. The two cannot judge each other.
            return "unclear"
        return "no" if max(train_skill, test_skill) >= SKILL[1] else "unclear"

    def _grad_matrix(self) -> np.ndarray:
        rows = [r.get("grad_norms") or [] for r in self.rows]
        width = max((len(r) for r in rows), default=0)
        return np.array([[np.nan if v is None else v for v in r] + [np.nan] * (width - len(r)) for r in rows], float)

    def vanishing_gradients(self) -> str:
        g = self._grad_matrix()
        if self.nonfinite or g.size == 0 or g.shape[1] < 2:
            return "no" if g.size and g.shape[1] < 2 else "unclear"
        ratio = g[-5:, 0] / g[-5:, -1]
        label = _band(float(np.nanmedian(ratio)), VANISH, high_is_yes=False)
        # Under a dominant L1/L2 penalty the data loss's gradient (measured here) and the gradient the optimizer
        # applies (data + penalty, what kerasdiag probes) part ways: which one "vanishes" is a matter of definition.
        return "unclear" if label != "no" and self._penalty_share() >= 0.3 else label

    def _penalty_share(self) -> float:
        if not len(self.penalty) or self.nonfinite:
            return 0.0
        return float(np.nanmean(self.penalty[-3:] / self.loss[-3:]))

    def exploding_gradients(self) -> str:
        g = self._grad_matrix()
        if g.size == 0:
            return "unclear"
        if not np.all(np.isfinite(g)):
            return "warning"
        largest = g.max(axis=1)
        growth = float(largest.max() / max(np.median(largest[:2]), 1e-12))
        return _band(growth, EXPLODE_GROWTH)

    def _unit_share(self, key: str) -> float:
        shares: dict[str, list[float]] = {}
        for row in self.rows[-3:]:
            for unit in row.get("units") or []:
                if key in unit:
                    shares.setdefault(unit["layer"], []).append(unit[key])
        return max((float(np.median(v)) for v in shares.values()), default=float("nan"))

    def dead_relu(self) -> str:
        share = self._unit_share("dead")
        if not math.isfinite(share):
            return "no"  # no ReLU layer
        return "error" if share >= 0.99 else _band(share, DEAD)

    def saturation(self) -> str:
        share = self._unit_share("saturated")
        return "no" if not math.isfinite(share) else _band(share, SATURATED)

    def oscillation(self) -> str:
        t = self.test_loss[3:]
        if self.nonfinite or len(t) < 8 or not np.all(np.isfinite(t)):
            return "unclear" if not self.nonfinite else "no"
        moves = np.diff(t)
        level = np.convolve(t, np.ones(5) / 5, mode="same")[1:]
        big = (np.abs(moves) > 0.25 * level) & (np.abs(moves) > 0.05 * self.chance_loss)
        if self.classifier and len(self.test_acc) > 3:
            big = big | (np.abs(np.diff(self.test_acc[3:])) > 0.15)
        ups, downs = int(np.sum(big & (moves > 0))), int(np.sum(big & (moves < 0)))
        share = float(big.mean())
        if ups >= 3 and downs >= 3 and share >= SWINGS[0]:
            return "warning"
        return "no" if share < SWINGS[1] else "unclear"

    def loss_plateau(self) -> str:
        d = self.data_loss
        if self.nonfinite or len(d) < 6:
            return "unclear" if not self.nonfinite else "no"
        change = abs(float(d[-1] - d[-6])) / max(abs(float(d[-6])), 1e-12)
        level = float(np.mean(d[-3:])) / self.chance_loss
        if change < 0.01 and level >= PLATEAU_LEVEL[0]:
            return "warning"
        return "no" if level < PLATEAU_LEVEL[1] or change > 0.05 else "unclear"

    def accuracy_plateau(self) -> str:
        acc = self.history.get("accuracy")
        if acc is None or self.nonfinite or len(acc) < 10:
            return "no"
        n = max(self.data["n_train"], 1)
        longest, best_span = 0, (0, 0)
        for start in range(len(acc)):
            end = start
            while end + 1 < len(acc) and abs(acc[end + 1] - acc[start]) <= max(1.0 / n, 0.002):
                end += 1
            if end - start + 1 > longest:
                longest, best_span = end - start + 1, (start, end)
        start, end = best_span
        fell = (self.loss[start] - self.loss[end]) / max(abs(self.loss[start]), 1e-12)
        level = float(np.median(acc[start : end + 1]))  # the value the stretch sat at, not where one flip began it
        if longest >= max(10, 0.3 * len(acc)) and fell >= 0.10 and level < 0.98:  # a flat 98 % is a finished fit
            return "info"
        return "no" if longest < 5 else "unclear"

    def validation_mismatch(self) -> str:
        if not self.classifier:
            return "no"
        train = np.array(self.data["train_counts"], float)
        val = np.array(self.data["val_counts"], float)
        val = np.pad(val, (0, max(0, len(train) - len(val))))
        train = np.pad(train, (0, max(0, len(val) - len(train))))
        if train.sum() == 0 or val.sum() == 0:
            return "unclear"
        shares = train / train.sum()
        tv = 0.5 * float(np.abs(shares - val / val.sum()).sum())
        absent = bool(np.any((val > 0) & (train == 0)))
        # A random split of n samples differs from training's shares by this much on average: a difference within
        # twice that is the split's size, not its order (no shuffle fixes it). Not scored.
        by_chance = 0.5 * float(np.sum(np.sqrt(2 * shares * (1 - shares) / (np.pi * val.sum()))))
        if not absent and tv < 2 * by_chance:
            return "no" if tv < MISMATCH_TV[1] else "unclear"
        if absent or tv >= 0.5:
            return "error"
        return _band(tv, MISMATCH_TV)

    def unnormalized_input(self) -> str:
        return _band(self.data["x_robust_scale"], INPUT_SCALE)

    def class_imbalance(self) -> str:
        if not self.classifier:
            return "no"
        counts = np.array(self.data["train_counts"], float)
        counts = counts[counts > 0]
        ratio = float(counts.max() / counts.min()) if len(counts) > 1 else 1.0
        return _band(ratio, IMBALANCE)

    def overconfidence(self) -> str:
        cal = self.doc.get("final", {}).get("calibration")
        if not cal or self.nonfinite:
            return "no" if not cal else "unclear"
        gap = cal["confidence"] - cal["accuracy"]
        if cal["ece"] < ECE[1] or gap < ECE[1]:
            return "no"
        # Over-confident means sure of itself: a model guessing near chance is not, however poorly calibrated; and
        # a training set whose classes are skewed against the (balanced) test split is a shift, not overconfidence;
        # so is one that never holds a class the test split holds (class-ordered rows: no model can predict it).
        sure = cal["confidence"] >= self.chance_acc + 0.5 * (1 - self.chance_acc)
        counts = self.data.get("train_counts", [])
        shifted = self.class_imbalance() != "no" or bool(counts and (len(counts) < self.k or 0 in counts))
        return "warning" if cal["ece"] >= ECE[0] and gap >= ECE[0] and sure and not shifted else "unclear"

    def over_regularization(self) -> str:
        p = self.p
        share = self._penalty_share()
        strong = share >= PENALTY_SHARE or p["dropout"] >= 0.8 or p["l1"] >= 0.01 or p["l2"] >= 0.1
        mild = share < 0.1 and p["dropout"] <= 0.5 and p["l1"] <= 1e-3 and p["l2"] <= 1e-3
        if mild:
            return "no"
        # Held back: the training set itself is not fitted (skill of the clean test split stands in for a
        # regression's R^2 where no accuracy exists).
        skill = self._fit_skill()
        if not math.isfinite(skill):
            return "unclear"
        if skill >= OVERREG_SKILL[1]:
            return "no"
        return "warning" if strong and skill < OVERREG_SKILL[0] else "unclear"

    def _fit_skill(self) -> float:
        """How well the training set is fitted: training accuracy as skill over chance, R^2 for a regression."""
        if self.task == "regression":
            d = self.data_loss
            return 1 - float(d[-1]) / self.chance_loss if len(d) and math.isfinite(d[-1]) else float("nan")
        acc = self.history.get("accuracy")
        return self.skill(float(np.nanmean(acc[-3:]))) if acc is not None and len(acc) else float("nan")

    def linear_collapse(self) -> str:
        chain = self.doc["model"]["linear_chain"]
        return "warning" if chain >= 2 else "info" if chain == 1 else "no"

    def run_incomplete(self) -> str:
        return "no"

    def labels(self) -> dict[str, str]:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NaN losses and all-NaN windows are read as such
            return {rule: getattr(self, rule.replace("-", "_"))() for rule in RULES}


RULES = (
    "overfitting", "underfitting", "over-regularization", "vanishing-gradients", "exploding-gradients", "divergence",
    "oscillation", "loss-plateau", "accuracy-plateau", "linear-collapse", "dead-relu", "saturation",
    "validation-mismatch", "unnormalized-input", "class-imbalance", "overconfidence", "run-incomplete",
)  # fmt: skip


def manifest() -> list[dict[str, Any]]:
    found = []
    from store import unpacked

    for path in sorted(unpacked("measured").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        run = Run(doc)
        p = doc["params"]
        found.append(
            {
                "id": p["id"], "split": p["split"], "layout": p["layout"], "base": p["base"], "fault": p["fault"],
                "seed": p["seed"], "task": p["task"], "epochs": run.epochs, "labels": run.labels(),
                "penalty": bool(np.nansum(run.penalty) > 0),
            }
        )  # fmt: skip
    return found


if __name__ == "__main__":
    rows = manifest()
    MANIFEST.write_text(json.dumps(rows, indent=0) + "\n", encoding="utf-8")
    print(f"{len(rows)} runs labelled -> {MANIFEST}")
