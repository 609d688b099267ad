"""The learner's-script case: plain `model.fit` against `model.fit` + `kerasdiag.keras.Diagnose` (target <= 1.05x).

Same process, same model and data, alternating plain and instrumented fits so that
machine noise hits both; each fit is timed whole (callback setup, probes, predictions
and the final diagnosis included) and per steady epoch, and the time spent inside the
callback's hooks is summed: on a shared machine that sum is the steadier measure. Run alone with
`python bench/cases_keras.py --data-dir DIR [--backend jax]` (one backend, rows as JSON), with
`--backends tensorflow,jax --repeats 5 --update-results` (the `bench:diagnose` table of RESULTS.md),
or as part of `make bench`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from typing import Any

from common import EpochClock, bench_config, build, fit

REPEATS = 3


def diagnose_overhead(splits: Any, epochs: int, prefix: str, repeats: int = REPEATS) -> list[dict[str, Any]]:
    """Two rows: the paired plain fits and the fits with `Diagnose`, medians over `repeats` each."""
    import kerasdiag.keras as kd

    config = bench_config(epochs)
    logdir = tempfile.mkdtemp(prefix="kerasdiag-bench-diagnose-")
    _timed_fit(build(config), splits, config, [])  # warm-up: the first fit of a process pays for tracing
    plain: list[tuple[float, EpochClock]] = []
    diagnosed: list[tuple[float, EpochClock]] = []
    in_hooks: list[float] = []
    fixed: list[float] = []
    per_epoch: list[float] = []
    for _ in range(repeats):
        plain.append(_timed_fit(build(config), splits, config, []))
        callback, spent = _hook_timed(kd.Diagnose(logdir, verbose=0))
        diagnosed.append(_timed_fit(build(config), splits, config, [callback]))
        in_hooks.append(sum(t for _, _, t in spent))
        fixed.append(sum(t for name, _, t in spent if name in ("on_train_begin", "on_train_end")))
        steady = [t for name, epoch, t in spent if name in ("on_epoch_begin", "on_epoch_end") and epoch]
        per_epoch.append(sum(steady) / max(1, epochs - 1))
    base_fit = statistics.median(t for t, _ in plain)
    with_fit = statistics.median(t for t, _ in diagnosed)
    base_epoch = statistics.median(statistics.median(c.epochs[1:]) for _, c in plain)
    with_epoch = statistics.median(statistics.median(c.epochs[1:]) for _, c in diagnosed)
    hooks = statistics.median(in_hooks)
    note = (
        f"whole fit {with_fit:.2f} s against {base_fit:.2f} s = {with_fit / base_fit:.3f}x, "
        f"steady epoch {with_epoch / base_epoch:.3f}x; time inside the callback {hooks:.3f} s per fit "
        f"= {1 + hooks / base_fit:.3f}x of plain fit, of which {statistics.median(fixed):.3f} s once per fit "
        f"and {statistics.median(per_epoch):.4f} s per steady epoch = "
        f"{1 + statistics.median(per_epoch) / base_epoch:.3f}x of a plain epoch; target <= 1.05x; the first "
        f"diagnosed fit of the process {in_hooks[0]:.3f} s inside the callback (one-time imports and compiles)"
    )
    return [
        _row(f"{prefix}/fit, paired baseline x{repeats}", plain, base_epoch, ""),
        _row(f"{prefix}/fit+kd.Diagnose (learner's callback) x{repeats}", diagnosed, with_epoch, note),
    ]


HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")


def _hook_timed(callback: Any) -> tuple[Any, list[float]]:
    """The callback with each hook timed (instance attributes shadow the methods Keras calls)."""
    spent: list[tuple[str, int | None, float]] = []  # (hook, epoch index where it has one, seconds)
    for name in HOOKS:
        method = getattr(callback, name)

        def timed(*args: Any, _method: Any = method, _name: str = name, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                epoch = args[0] if args and "epoch" in _name else None
                spent.append((_name, epoch, time.perf_counter() - start))

        setattr(callback, name, timed)
    return callback, spent


def _timed_fit(model: Any, splits: Any, config: Any, callbacks: list[Any]) -> tuple[float, EpochClock]:
    clock = EpochClock()
    start = time.perf_counter()
    fit(model, splits, config, clock.callbacks(callbacks))
    return time.perf_counter() - start, clock


def _row(name: str, fits: list[tuple[float, EpochClock]], epoch_median: float, note: str) -> dict[str, Any]:
    row = fits[-1][1].result(name)
    row.update(median_s=epoch_median, epochs_s=[round(t, 3) for t, _ in fits], first_epoch_s=None)
    if note:
        row["note"] = note
    return row


def diagnose_table(rows: list[dict[str, Any]], loads: list[str]) -> str:
    """The `bench:diagnose` block of bench/RESULTS.md: one line per row, the load averages around the runs."""
    lines = [
        f"Load average (1, 5, 15 min) before and after each backend: {'; '.join(loads)}",
        "",
        "| case | s/epoch (median) | whole fits, s | measured |",
        "| --- | ---: | --- | --- |",
    ]
    for row in rows:
        fits = ", ".join(f"{t:.2f}" for t in row["epochs_s"])
        lines.append(f"| {row['case']} | {row['median_s']:.4f} | {fits} | {row.get('note', '')} |")
    return "\n".join(lines)


def _main() -> None:
    import argparse
    import json
    import os
    import subprocess
    import sys

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--backend", default="tensorflow", help="One backend, in this process; its rows as JSON.")
    parser.add_argument("--backends", help="Each of these backends in its own process, then print the table.")
    parser.add_argument("--update-results", action="store_true", help="With --backends: write the table into RESULTS.")
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    if args.backends:
        rows, loads = [], []
        for backend in args.backends.split(","):
            before = "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
            command = [sys.executable, __file__, "--data-dir", args.data_dir, "--backend", backend]
            command += ["--samples", str(args.samples), "--epochs", str(args.epochs), "--repeats", str(args.repeats)]
            env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", "KERASDIAG_OFFLINE": "1"}
            env.setdefault("KERASDIAG_XLA_CACHE", "0")  # compile cold, as `make bench` does
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            rows += json.loads(done.stdout)
            loads.append(f"{backend} {before} -> " + "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg()))
        table = diagnose_table(rows, loads)
        print(table)
        if args.update_results:
            from run import update_results

            update_results("diagnose", table)
        return
    os.environ["KERAS_BACKEND"] = args.backend
    from common import bench_splits

    prefix = "tf" if args.backend == "tensorflow" else args.backend
    rows = diagnose_overhead(bench_splits(args.data_dir, args.samples), args.epochs, prefix, args.repeats)
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    _main()
