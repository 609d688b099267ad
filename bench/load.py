"""How `kerasdiag diagnose` scales: time and peak memory for many runs and for one very long history.

Writes synthetic run directories (the rows a real MLP run writes: metrics, per-layer probes, batch-loss
spread, probe extras) into a temporary folder, then runs `kerasdiag diagnose` on them in a child process
and reads the child's own peak RSS from `os.wait4`. Prints one Markdown table.

Example:

```
.venv/bin/python bench/load.py                    # 200 runs of 50 epochs; one run of 100,000 epochs
.venv/bin/python bench/load.py --runs 20 --epochs 10000
git archive 7773931 kerasdiag | tar -x -C /tmp/before && .venv/bin/python bench/load.py --before /tmp/before
```
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYERS = ("dense_1", "dense_2", "output")


def history_row(epoch: int) -> dict:
    """One history.jsonl line shaped like a real 2-hidden-layer MLP run's."""
    loss = 2.0 / math.sqrt(epoch) + 0.05
    probes = {
        name: {
            "grad_norm": 0.1 / (i + 1) + 0.001 * (epoch % 7),
            "weight_norm": 5.0 + 0.001 * epoch,
            "update_ratio": 0.001,
            "dead_fraction": 0.1,
            "saturated_fraction": 0.0,
        }
        for i, name in enumerate(LAYERS)
    }
    return {
        "epoch": epoch,
        "loss": loss,
        "accuracy": 1 - loss / 3,
        "val_loss": loss * 1.1,
        "val_accuracy": 1 - loss / 2.8,
        "learning_rate": 0.01,
        "seconds": 0.42,
        "probes": probes,
        "batch_loss": {"mean": loss, "std": 0.05, "min": loss - 0.1, "max": loss + 0.1},
        "extra": {"penalty_loss": 0.0, "probe_samples": 256.0, "probe_wrong": 20.0, "probe_near": 3.0},
    }


def write_run(path: Path, epochs: int) -> None:
    path.mkdir(parents=True)
    config = {"dataset": "mnist", "model": "mlp", "layers": 2, "units": [128], "epochs": epochs}
    meta = {"schema": 1, "status": "completed", "config": config}
    (path / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    with open(path / "history.jsonl", "w", encoding="utf-8") as stream:
        for epoch in range(1, epochs + 1):
            stream.write(json.dumps(history_row(epoch)) + "\n")


def measure(path: Path, source: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `kerasdiag diagnose path --brief` in a fresh process, kerasdiag from `source`."""
    command = [sys.executable, "-m", "kerasdiag", "diagnose", str(path), "--brief"]
    env = dict(os.environ, PYTHONPATH=str(source))
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=source)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"diagnose {path} failed: {child.stderr.read().decode() if child.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="Runs in the folder case.")
    parser.add_argument("--run-epochs", type=int, default=50, help="Epochs of each run in the folder case.")
    parser.add_argument("--epochs", type=int, default=100_000, help="Epochs of the long-history case.")
    parser.add_argument("--before", type=Path, help="Another source tree (holding kerasdiag/) to measure too.")
    parser.add_argument("--repeats", type=int, default=3, help="Measurements per case; the table shows the best.")
    args = parser.parse_args()
    sources = {"this tree": Path(__file__).resolve().parents[1]}
    if args.before:
        sources = {"before": args.before.resolve(), "after": sources["this tree"]}
    with tempfile.TemporaryDirectory(prefix="kerasdiag-load-") as tmp:
        root = Path(tmp)
        for i in range(args.runs):
            write_run(root / "many" / f"run-{i:04d}", args.run_epochs)
        write_run(root / "long", args.epochs)
        size = (root / "long" / "history.jsonl").stat().st_size / 1e6
        cases = [
            (f"diagnose folder of {args.runs} runs x {args.run_epochs} epochs", root / "many"),
            (f"diagnose one run of {args.epochs:,} epochs (history.jsonl {size:.0f} MB)", root / "long"),
        ]
        print("| case | code | seconds (best) | peak RSS MB |")
        print("| --- | --- | ---: | ---: |")
        for label, path in cases:
            best: dict[str, tuple[float, float]] = {}
            for _ in range(args.repeats):  # interleaved, so both trees see the same load on a shared machine
                for name, source in sources.items():
                    seconds, rss = measure(path, source)
                    best[name] = min(best.get(name, (seconds, rss)), (seconds, rss))
            for name, (seconds, rss) in best.items():
                print(f"| {label} | {name} | {seconds:.2f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
