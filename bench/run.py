"""`make bench`: kerasdiag against plain Keras `fit`, per backend, plus the CLI latencies, as one table.

Each backend runs in its own process (Keras has one backend per process); this
process only orchestrates, runs the command-line cases and prints the table.

Usage:
    python bench/run.py --data-dir ../shared/data/mnist-10k                 # this machine (CPU): tf + jax
    python bench/run.py --data-dir DIR --backends jax --update-results gpu  # the GPU machine (no TensorFlow)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
BASELINES = {"tf/": "tf/fit", "jax/": "jax/fit"}


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    os.environ.setdefault("KERASDIAG_XLA_CACHE", "0")  # every case compiles cold unless it says otherwise
    if args.worker:
        _worker(args)
        return
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    info: dict[str, Any] = {"machine": _machine()}
    for backend in args.backends.split(","):
        worker = _run_worker(backend, args)
        results += worker["results"]
        info[backend] = worker["info"]
    if not args.skip_cli:
        from cases_cli import run_cli_cases

        results += run_cli_cases(tuple(args.backends.split(",")), args.data_dir)
    info["bench_seconds"] = round(time.perf_counter() - started, 1)
    table = render(results, info, args)
    print(table)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    label = args.update_results or "last"
    (out / f"{label}.json").write_text(json.dumps({"info": info, "results": results}, indent=2))
    if args.update_results:
        update_results(args.update_results, table)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True, help="mnist-10k folder (mnist.npz or IDX files).")
    parser.add_argument("--samples", type=int, default=60000, help="Training samples per epoch (tiled).")
    parser.add_argument("--epochs", type=int, default=5, help="Epochs per case; the first is warm-up.")
    parser.add_argument("--backends", default="tensorflow,jax", help="Comma-separated backends to run.")
    parser.add_argument("--skip-cli", action="store_true", help="Skip the command-line latencies.")
    parser.add_argument("--skip-sweep", action="store_true", help="Skip the sweep-overhead case.")
    parser.add_argument("--update-results", metavar="LABEL", help="Replace the LABEL table in bench/RESULTS.md.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def _run_worker(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", "KERASDIAG_OFFLINE": "1"}
    command = [sys.executable, str(Path(__file__)), "--worker", backend, "--data-dir", args.data_dir]
    command += ["--samples", str(args.samples), "--epochs", str(args.epochs)]
    command += ["--skip-sweep"] if args.skip_sweep else []
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{backend} worker failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _worker(args: argparse.Namespace) -> None:
    """One backend's cases, in this process; the last line of stdout is their JSON."""
    import keras
    from common import bench_splits

    from kerasdiag.training.backends.select import device_name

    splits = bench_splits(args.data_dir, args.samples)
    if args.worker == "jax":
        from cases_jax import run_jax_cases as run_cases
    else:
        from cases_tf import run_tf_cases as run_cases
    results = run_cases(splits, args.epochs)
    from cases_keras import diagnose_overhead

    results += diagnose_overhead(splits, args.epochs, "tf" if args.worker == "tensorflow" else args.worker)
    if args.worker == "jax":
        from cases_vector import run_vector_cases

        results += run_vector_cases(args.data_dir)
    if not args.skip_sweep:
        from cases_cli import sweep_overhead

        results.append(sweep_overhead(args.data_dir, args.worker))
    info = {"keras": keras.__version__, "device": device_name(), **_backend_version(args.worker)}
    print(json.dumps({"info": info, "results": results}))


def _backend_version(backend: str) -> dict[str, str]:
    if backend == "jax":
        import jax
        import jaxlib

        return {"jax": jax.__version__, "jaxlib": jaxlib.__version__}
    import tensorflow as tf

    return {"tensorflow": tf.__version__}


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def render(results: list[dict[str, Any]], info: dict[str, Any], args: argparse.Namespace) -> str:
    """One Markdown table: seconds per steady epoch, speed-up against plain `fit` of the same backend."""
    medians = {r["case"]: r["median_s"] for r in results}
    lines = [
        f"Machine: {info['machine']}",
        *(f"{b}: {json.dumps(info[b])}" for b in ("tensorflow", "jax") if b in info),
        f"MLP 784-128-128-10, SGD, batch 128, {args.samples} samples/epoch (mnist-10k tiled), "
        f"validation 2,000; {args.epochs} epochs per case, median of epochs 2..{args.epochs}; "
        f"bench took {info['bench_seconds']} s",
        "",
        "| case | s/epoch (median) | fit / case | first epoch s | final val_acc | raw s |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(_row(r, medians))
    return "\n".join(lines)


def _row(r: dict[str, Any], medians: dict[str, float]) -> str:
    base = next((medians.get(b) for prefix, b in BASELINES.items() if r["case"].startswith(prefix)), None)
    speed = f"{base / r['median_s']:.2f}x" if base and r["case"].split(" ")[0] != "sweep" else ""
    first = f"{r['first_epoch_s']:.2f}" if r.get("first_epoch_s") else ""
    val = r.get("final", {}).get("val_accuracy", "")
    raw = ", ".join(f"{t:.3f}" for t in r.get("epochs_s", []))
    note = ""
    if "note" in r:
        note = f" ({r['note']})"
    if "target_s" in r:
        note = f" (target <= {r['target_s']} s)"
    if "outside_fraction" in r:
        where = "in train()" if "train()" in r["case"] else "in epochs"
        note = f" ({where} {r['in_epochs_s']:.1f} s; outside {100 * r['outside_fraction']:.0f}%, target <= 10%)"
    return f"| {r['case']}{note} | {r['median_s']:.4f} | {speed} | {first} | {val} | {raw} |"


def update_results(label: str, table: str) -> None:
    """Replace the text between `<!-- bench:LABEL -->` and `<!-- /bench:LABEL -->` in bench/RESULTS.md."""
    begin, end = f"<!-- bench:{label} -->", f"<!-- /bench:{label} -->"
    text = RESULTS.read_text() if RESULTS.exists() else ""
    block = f"{begin}\n{table}\n{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
