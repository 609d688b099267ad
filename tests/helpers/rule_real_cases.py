"""The real half of the labelled suite: small trainings of the four scenarios, other problems and healthy runs.

Each case is a `RunConfig` (kept small: each trains in seconds on two CPU cores), the rules that must fire
at their severity (`expect`), the rules tolerated besides them (`allow`: real trainings vary a little
between machines, so a rule that sits near its threshold in a case is allowed, not required), and checks of
the key evidence. Any other warning or error is a false positive; infos are tolerated (a healthy run may get
them). Used by tests/diagnosis/rules/test_scenarios.py and `python -m tests.helpers.rule_suite_table --real`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasdiag.config import RunConfig
from kerasdiag.diagnosis.findings import Diagnosis, Finding, Severity

W, E, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO
Check = Callable[[dict[str, Finding]], None]


@dataclass(frozen=True)
class RealCase:
    id: str
    flags: dict[str, Any]
    expect: dict[str, Severity] = field(default_factory=dict)
    allow: frozenset[str] = frozenset()
    check: Check | None = None

    def config(self, mnist_dir: Path, logdir: Path) -> RunConfig:
        flags = dict(self.flags)
        if flags.get("dataset", "mnist") == "mnist":
            flags["data_dir"] = str(mnist_dir)
        return RunConfig(logdir=str(logdir), name=self.id, **flags)


def fired(diagnosis: Diagnosis) -> dict[str, Finding]:
    return {f.rule: f for f in diagnosis.findings}


def unexpected_real(case: RealCase, found: dict[str, Finding]) -> list[str]:
    """Warnings and errors that are neither expected nor allowed (infos are tolerated)."""
    return [rule for rule, f in found.items() if f.severity >= W and rule not in case.expect and rule not in case.allow]


# --- key evidence ---------------------------------------------------------------------------------


def _five_linear_layers(found: dict[str, Finding]) -> None:
    ev = found["linear-collapse"].evidence
    assert ev["linear_hidden_layers"] == 5 and ev["collapsed_layers"] == 6, ev
    # What the run shows: with SGD lr 0.01 the gradients neither vanish nor explode.
    assert ev["gradients_vanishing"] is False and ev["gradients_exploding"] is False, ev
    assert 0.1 < ev["grad_ratio_first_last"] < 10, ev
    assert len(ev["median_grad_norms"]) == 6


def _linear_stack_blows_up(found: dict[str, Finding]) -> None:
    assert found["linear-collapse"].evidence["linear_hidden_layers"] == 8
    # NaN within the first two epochs (the exact epoch varies a little between machines).
    assert found["divergence"].evidence["non_finite_epochs"][0] <= 2, found["divergence"].evidence
    assert found["exploding-gradients"].evidence["non_finite_grad_epochs"][0] <= 2


def _small_data_overfits(found: dict[str, Finding]) -> None:
    ev = found["overfitting"].evidence
    assert ev["variant"] == "rising" and ev["best_epoch"] < ev["epochs"] - 2, ev
    assert ev["gap_loss"] > 0 and ev["train_accuracy"] > 0.99, ev
    # Held-out probabilities pile up at 0 and 1 (histogram of P(true class) per class, in numbers).
    assert ev["heldout_extreme_true_share"] > 0.8, ev
    assert set(ev["true_class_histograms"]) == {"0", "1"}
    assert all(len(counts) == 10 and counts[-1] > counts[0] for counts in ev["true_class_histograms"].values())


def _mlp_overfits(found: dict[str, Finding]) -> None:
    ev = found["overfitting"].evidence
    assert ev["train_accuracy"] > 0.99 and ev["gap_accuracy"] > 0.05, ev
    assert ev["rise"] >= ev["threshold_rise"], ev


def _penalty_dominates(found: dict[str, Finding]) -> None:
    ev = found["over-regularization"].evidence
    assert ev["l2"] == 0.1 and ev["penalty_share"] >= ev["threshold_penalty_share"], ev
    assert ev["train_skill"] < ev["threshold_skill"], ev


def _unshuffled_iris(found: dict[str, Finding]) -> None:
    ev = found["validation-mismatch"].evidence
    assert ev["validation_classes"] == [2], ev  # the last 20 % of a class-ordered file: one class
    assert ev["validation_class_counts"] == {"0": 0, "1": 0, "2": 30}, ev
    plateau = found["accuracy-plateau"].evidence
    assert plateau["loss_drop"] >= plateau["threshold_loss_drop"] and plateau["length"] >= 10, plateau
    assert plateau["probe_near"] is not None and plateau["probe_near"] >= 1, plateau


def _raw_pixels(found: dict[str, Finding]) -> None:
    ev = found["unnormalized-input"].evidence
    assert ev["input_max"] == 255 and ev["normalize"] is False, ev


def _sigmoid_vanishes(found: dict[str, Finding]) -> None:
    ev = found["vanishing-gradients"].evidence
    assert ev["ratio_first_last"] < ev["threshold_ratio"], ev


MNIST_SMALL = {"train_size": 2000}

SCENARIOS = [
    RealCase(
        "s1-mnist-5-linear-layers-sgd",
        {**MNIST_SMALL, "layers": 5, "activation": "linear", "epochs": 8},
        {"linear-collapse": W},
        check=_five_linear_layers,
    ),
    RealCase(
        "s1-mnist-8-linear-layers-sgd-lr0.1-diverges",
        {**MNIST_SMALL, "layers": 8, "activation": "linear", "lr": 0.1, "epochs": 5},
        {"linear-collapse": W, "divergence": E, "exploding-gradients": E},
        check=_linear_stack_blows_up,
    ),
    RealCase(
        "s2-cnn-3-vs-5-1000-samples-overfits",
        {
            "model": "cnn",
            "conv_filters": [8, 16],
            "classes": [3, 5],
            "train_size": 1000,
            "epochs": 30,
            "optimizer": "adam",
            "lr": 0.003,
        },
        {"overfitting": W},
        # 200 validation samples: val_loss jumps by 20-60 % between epochs (the learner saw this too).
        allow=frozenset({"oscillation"}),
        check=_small_data_overfits,
    ),
    RealCase(
        "s3-mlp-512-500-samples-overfits",
        {"train_size": 500, "units": [512], "epochs": 25, "optimizer": "adam"},
        {"overfitting": W},
        check=_mlp_overfits,
    ),
    RealCase(
        "s3-mlp-512-l2-0.1-over-regularized",
        {"train_size": 1000, "units": [512], "epochs": 15, "optimizer": "adam", "l2": 0.1},
        {"over-regularization": W},
        check=_penalty_dominates,
    ),
    RealCase(
        "s4-iris-unshuffled-adam-lr0.0005-batch5",
        {
            "dataset": "iris",
            "layers": 1,
            "units": [8],
            "optimizer": "adam",
            "lr": 0.0005,
            "epochs": 40,
            "batch_size": 5,
            "shuffle": False,
        },
        {"validation-mismatch": E, "accuracy-plateau": INFO},
        check=_unshuffled_iris,
    ),
]

OTHER_PROBLEMS = [
    RealCase(
        "mnist-raw-pixels-0-255",
        {**MNIST_SMALL, "normalize": False, "epochs": 10},
        {"unnormalized-input": W, "dead-relu": E, "underfitting": W, "loss-plateau": W},
        check=_raw_pixels,
    ),
    RealCase(
        "mnist-6-sigmoid-layers-sgd",
        {**MNIST_SMALL, "layers": 6, "activation": "sigmoid", "epochs": 10},
        {"vanishing-gradients": W, "underfitting": W, "loss-plateau": W},
        allow=frozenset({"saturation"}),
        check=_sigmoid_vanishes,
    ),
    RealCase(
        "mnist-sgd-lr-1e-5",
        {**MNIST_SMALL, "lr": 1e-5, "epochs": 10},
        {"underfitting": W, "loss-plateau": W},
    ),
]

HEALTHY = [
    RealCase("healthy-mnist-mlp-relu-adam-2x128", {"train_size": 4000, "optimizer": "adam", "epochs": 8}),
    RealCase(
        # Every 3 and 8 of the training split (1,590 in mnist-10k): `--train-size 4000` is now refused there.
        "healthy-mnist-cnn-3-vs-8-adam-all",
        {
            "model": "cnn",
            "conv_filters": [8, 16],
            "classes": [3, 8],
            "epochs": 8,
            "optimizer": "adam",
        },
    ),
    RealCase(
        "healthy-mnist-mlp-512-dropout-0.3",
        {"train_size": 1000, "units": [512], "epochs": 15, "optimizer": "adam", "dropout": 0.3},
    ),
    RealCase(
        "healthy-iris-shuffled-adam-lr0.01",
        {"dataset": "iris", "layers": 1, "units": [8], "optimizer": "adam", "lr": 0.01, "epochs": 50, "batch_size": 8},
    ),
    RealCase("healthy-digits-mlp-sgd-lr0.05", {"dataset": "digits", "epochs": 30, "lr": 0.05, "batch_size": 32}),
]

REAL_CASES = SCENARIOS + OTHER_PROBLEMS + HEALTHY


def train_case(case: RealCase, mnist_dir: Path, logdir: Path) -> Diagnosis:
    """Train one case in this process (TensorFlow backend) and return its final diagnosis."""
    from kerasdiag.training.flags.run import train

    return train(case.config(mnist_dir, logdir)).diagnosis
