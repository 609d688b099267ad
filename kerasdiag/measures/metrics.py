"""Final and best metrics of a run, and its best epoch: one definition for compare, report and sweep."""

from __future__ import annotations

import math

from kerasdiag.rundir.record import RunRecord


def final_and_best(record: RunRecord) -> dict[str, float]:
    """Final training and validation metrics, best (lowest loss / highest accuracy) validation ones."""
    out: dict[str, float] = {"epochs": float(len(record.epochs))}
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        values = [v for v in record.series(name) if math.isfinite(v)]
        if values:
            out[f"final {name}"] = values[-1]
            if name.startswith("val_"):
                out[f"best {name}"] = min(values) if "loss" in name else max(values)
    val_loss = record.series("val_loss")
    finite = [(v, i) for i, v in enumerate(val_loss) if math.isfinite(v)]
    if finite:
        out["best epoch (val_loss)"] = float(record.epochs[min(finite)[1]].epoch)
    if "final accuracy" in out and "final val_accuracy" in out:
        out["train-val acc gap"] = out["final accuracy"] - out["final val_accuracy"]
    return out
