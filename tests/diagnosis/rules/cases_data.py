"""Labelled cases of diagnosis/rules/data.py: validation-mismatch, unnormalized-input, class-imbalance."""

from __future__ import annotations

from kerasdiag.rundir.record import RunRecord
from tests.diagnosis.rules.case_base import INFO, Case, E, W
from tests.helpers.rule_factory import (
    data_summary,
    healthy_curves,
    make_record,
    mlp,
    mnist_data,
)

# --- data ---------------------------------------------------------------------------------------


def _data_only(data) -> RunRecord:
    curves = healthy_curves("mnist-mlp-adam", 20, 121)
    curves["val_accuracy"] = None  # continuous synthetic accuracy would not fit a small validation set's steps
    return make_record(**curves, model=mlp(classes=data.num_classes), data=data)


DATA = [
    Case(
        "validation-has-class-training-never-saw",
        lambda: _data_only(data_summary({0: 60, 1: 60}, {2: 30}, num_classes=3)),
        {"validation-mismatch": E},
    ),
    Case(
        "validation-class-shares-differ-0.3",
        lambda: _data_only(data_summary({0: 300, 1: 300}, {0: 120, 1: 30})),
        {"validation-mismatch": W},
    ),
    Case(
        "validation-small-shuffled-split",
        lambda: _data_only(data_summary({0: 41, 1: 38, 2: 41}, {0: 9, 1: 12, 2: 9}, dataset="iris")),
        near_miss=("validation-mismatch",),
    ),
    Case(
        "validation-shares-differ-0.2",
        lambda: _data_only(data_summary({0: 300, 1: 300}, {0: 105, 1: 45})),
        near_miss=("validation-mismatch",),
    ),
    Case(
        "pixels-0-255",
        lambda: _data_only(mnist_data(input_range=(0.0, 255.0), mean=33.3, std=78.6)),
        {"unnormalized-input": W},
    ),
    Case(
        "features-up-to-1000",
        lambda: _data_only(mnist_data(input_range=(-3.0, 1000.0), mean=120.0, std=300.0)),
        {"unnormalized-input": W},
    ),
    Case(
        "raw-iris-max-7.9",
        lambda: _data_only(
            data_summary({0: 40, 1: 40, 2: 40}, {0: 10, 1: 10, 2: 10}, input_range=(0.1, 7.9), mean=3.5, std=1.97)
        ),
        near_miss=("unnormalized-input",),
    ),
    Case(
        "standardised-with-outliers-to-8",
        lambda: _data_only(mnist_data(input_range=(-3.0, 8.0), mean=0.0, std=1.0)),
        near_miss=("unnormalized-input",),
    ),
    Case(
        "classes-5-to-1",
        lambda: _data_only(data_summary({0: 2500, 1: 500}, {0: 625, 1: 125})),
        {"class-imbalance": INFO},
    ),
    Case(
        "classes-20-to-1",
        lambda: _data_only(data_summary({0: 4000, 1: 200}, {0: 1000, 1: 50})),
        {"class-imbalance": W},
    ),
    Case(
        "classes-2.5-to-1-near-miss",
        lambda: _data_only(data_summary({0: 50, 1: 50, 2: 20}, {0: 12, 1: 12, 2: 6})),
        near_miss=("class-imbalance",),
    ),
    Case("mnist-natural-balance", lambda: _data_only(mnist_data()), near_miss=("class-imbalance",)),
]
