"""Learner-shaped Keras scripts, run plainly and under `kerasdiag run`, on TensorFlow and on JAX.

Each script in `scripts/` is one shape of code that learners bring (no Input layer, subclassed models,
generators, Keras 2 imports, ...). For every (shape, backend) pair the script runs in two fresh processes with the
same environment, argv and kind of working folder: `python SCRIPT ARGS` and
`python -m kerasdiag run --logdir RUNS SCRIPT ARGS`. kerasdiag must not change what the script does (its exit code,
its `RESULT ...` lines, the files it writes) and must read the run right: one run directory per `fit`,
`kerasdiag diagnose --format json` agreeing with the diagnosis.json written in-process, the backend and the class
count the script really used, and no finding that the shape rules out. Every check is made; a failure lists all
the problems of the pair, the first being the one-line reason, then both processes' output.

The two processes of a pair run at the same time (the machine's cores are the limit, not the pair). About 10-15 s
a pair on two idle cores, mostly importing TensorFlow/JAX: `pytest -m training tests/training/shapes`, with
`--junitxml` for each process's time (`plain_s`, `kerasdiag_run_s`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

import kerasdiag

pytestmark = pytest.mark.training

SCRIPTS = Path(__file__).resolve().parent / "scripts"
KERASDIAG_FILES = str(Path(kerasdiag.__file__).resolve().parent)
BACKENDS = ("tensorflow", "jax")
OWN = "own"  # the script sets KERAS_BACKEND itself: run once, with no KERAS_BACKEND in the environment
NOT_CLASSES = 0  # the targets are not class labels: kerasdiag must record no class count
TIMEOUT_S = 300

# Rules that judge class labels: meaningless for a regression, a reconstruction or a regression head.
CLASS_RULES = frozenset({"validation-mismatch", "class-imbalance", "overconfidence", "accuracy-plateau"})
# The classification data here is shuffled (or not ordered by class) and its classes are within 1.7x of each other.
BALANCED = frozenset({"validation-mismatch", "class-imbalance"})
# Every fit in every script ends normally (exits and raises come after fit, EarlyStopping is a normal end),
# every script feeds inputs scaled to a small range, and every model but scenario 1's has a non-linearity.
ANY_RUN = frozenset({"run-incomplete", "unnormalized-input", "linear-collapse"})
# Breast-cancer features standardised per column still reach |z| = 12.1 (one outlier): scaled all the same, so
# unnormalized-input is ruled out there too (the rule judges the spread, not one far value).
STANDARDISED_WITH_OUTLIERS = ANY_RUN | BALANCED


@dataclass(frozen=True)
class Shape:
    """One learner script and what kerasdiag must and must not make of it."""

    name: str
    forbid: frozenset[str] = ANY_RUN | BALANCED  # findings the shape rules out
    expect: frozenset[str] = frozenset()  # findings the run must show
    classes: int | None = None  # classes kerasdiag must read (NOT_CLASSES: none); None: not checked
    stream: bool = False  # fit gets batches (generator, PyDataset, tf.data): class counts may be unknown
    mnist: bool = False  # takes --data-dir MNIST_DIR
    backends: tuple[str, ...] = BACKENDS
    runs_on: str | None = None  # backend the runs must record; None: the one in KERAS_BACKEND
    exit_code: int = 0
    fits: int = 1
    raises: bool = False  # ends with an uncaught exception (a traceback is expected)
    keras2: bool = False  # Keras 2 code: plain `python` stops at its imports; scripts/keras3_ports/ has its twin
    penalties: tuple[tuple[float, float], ...] = ()  # (l1, l2) pairs the model summary must show


NOT_CLASSIFICATION = ANY_RUN | CLASS_RULES
SHAPES = {
    shape.name: shape
    for shape in (
        Shape("tf_quickstart", classes=10, mnist=True),
        Shape("sequential_add", classes=3),
        Shape("subclassed", classes=10),
        Shape("subclassed_args_no_config", classes=3),
        Shape("functional_logits", classes=10),
        Shape("binary_sigmoid", forbid=STANDARDISED_WITH_OUTLIERS, classes=2),
        Shape("binary_logits", classes=2),
        Shape("regression_int_targets", forbid=NOT_CLASSIFICATION, classes=NOT_CLASSES),
        Shape("multilabel", forbid=NOT_CLASSIFICATION),  # labels are ~50 % ones each: no class reading applies
        Shape("custom_nonlinear_layer", classes=10),  # tanh inside call: linear-collapse is wrong (ANY_RUN)
        Shape("standalone_activation_layers", classes=10),  # ReLU()/Activation layers break every chain
        Shape("multi_output", forbid=NOT_CLASSIFICATION),  # the brief: no class rules on multi-output runs
        Shape("nested_base_model", classes=10),
        Shape("l1_l2_regularized", classes=10, mnist=True, penalties=((1e-4, 0.0), (0.0, 1e-3), (1e-5, 1e-4))),
        Shape("pydataset", classes=10, stream=True),
        Shape("python_generator", classes=10, stream=True),
        Shape("tfdata_sample_weights", forbid=STANDARDISED_WITH_OUTLIERS, classes=2, stream=True),
        Shape("dict_inputs", classes=3),
        Shape("autoencoder", forbid=NOT_CLASSIFICATION, classes=NOT_CLASSES),
        Shape("early_stopping_restore", classes=10),
        Shape("continued_fit", classes=3, fits=2),
        Shape("sets_backend_itself", classes=3, backends=(OWN,), runs_on="jax"),
        Shape("silent_verbose0", classes=3),
        Shape("own_tensorboard_callback", classes=10),
        Shape(
            "keras2_scenario1",
            forbid=ANY_RUN - {"linear-collapse"} | BALANCED,
            expect=frozenset({"linear-collapse"}),
            classes=10,
            mnist=True,
            keras2=True,
        ),
        Shape(
            "keras2_scenario4",
            forbid=ANY_RUN | {"class-imbalance"},
            expect=frozenset({"validation-mismatch"}),  # Iris in file order: validation is all class 2
            classes=3,
            keras2=True,
        ),
        Shape("exits_nonzero", classes=3, exit_code=3),
        Shape("raises_after_fit", classes=3, exit_code=1, raises=True),
        Shape("writes_files", classes=10),
    )
}
CASES = [
    pytest.param(shape, backend, id=f"{shape.name}-{backend}", marks=[pytest.mark.jax] if backend == "jax" else [])
    for shape in SHAPES.values()
    for backend in shape.backends
]


@dataclass
class Outcome:
    """What one process did: exit code, output, and the files left in its working folder."""

    label: str
    command: list[str]
    cwd: Path
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def results(self) -> list[str]:
        return [line.strip() for line in self.stdout.splitlines() if line.startswith("RESULT ")]

    def show(self) -> str:
        return (
            f"--- {self.label}: exit {self.code} in {self.seconds:.1f} s: {' '.join(self.command)}\n"
            f"--- stdout:\n{self.stdout[-6000:]}\n--- stderr:\n{self.stderr[-6000:]}"
        )


def _env(backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "LC_ALL", "LC_MESSAGES")}
    env.update(PYTHONHASHSEED="0", LANG="C.UTF-8", COLUMNS="120", NO_COLOR="1")
    if backend != OWN:
        env["KERAS_BACKEND"] = backend
    return env


def _run_together(jobs: dict[str, tuple[list[str], Path]], env: dict[str, str], logs: Path) -> dict[str, Outcome]:
    """Run each `label: (command, cwd)` at once; output goes to files under `logs`, never into a cwd."""
    logs.mkdir(exist_ok=True)
    started, ended = {}, {}
    for label, (command, cwd) in jobs.items():
        cwd.mkdir(parents=True, exist_ok=True)
        out, err = (open(logs / f"{label}.{kind}", "w+", encoding="utf-8") for kind in ("out", "err"))  # noqa: SIM115
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        started[label] = (process, out, err, time.monotonic())
    while len(ended) < len(started):  # poll, so that each process gets its own time
        for label, (process, *_, start) in started.items():
            if label not in ended and (process.poll() is not None or time.monotonic() - start > TIMEOUT_S):
                ended[label] = time.monotonic() - start
        time.sleep(0.05)
    return {label: _collect(label, jobs[label], *started[label][:3], ended[label]) for label in jobs}


def _collect(
    label: str, job: tuple[list[str], Path], process: subprocess.Popen, out: IO[str], err: IO[str], seconds: float
) -> Outcome:
    late = ""
    if process.poll() is None:
        process.kill()
        late = f"\n(killed: still running after {TIMEOUT_S} s)"
    code = process.wait()
    texts = []
    for stream in (out, err):
        stream.seek(0)
        texts.append(stream.read())
        stream.close()
    return Outcome(label, job[0], job[1], code, texts[0], texts[1] + late, seconds)


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
# Both backends are bit-for-bit deterministic on CPU for these seeded scripts (checked by running each twice):
# RESULT lines and the scripts' own text files must match exactly.
TOLERANCE = 0.0


def _same_text(a: str, b: str) -> bool:
    """Equal texts, numbers compared within TOLERANCE."""
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return False
    return all(abs(float(x) - float(y)) <= TOLERANCE for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)))


def _written(cwd: Path) -> dict[str, Path]:
    """The files under `cwd` by relative path; TensorBoard event names (time, host, pid) made comparable."""
    files = {}
    for path in sorted(p for p in cwd.rglob("*") if p.is_file()):
        name = re.sub(r"events\.out\.tfevents\.[^/]+$", "events.out.tfevents.*", path.relative_to(cwd).as_posix())
        files[name if name not in files else f"{name} (2)"] = path
    return files


def _behaviour_problems(shape: Shape, plain: Outcome, run: Outcome) -> list[str]:
    """What kerasdiag must leave unchanged: exit code, RESULT lines, files written, no traceback of its own."""
    problems = []
    if run.code != plain.code:
        problems.append(f"kerasdiag run exit {run.code} (plain {plain.code}): {_last_line(run.stderr)}")
    if len(run.results) != len(plain.results) or not all(map(_same_text, run.results, plain.results)):
        problems.append(f"RESULT lines differ: kerasdiag run {run.results} vs plain {plain.results}")
    plain_files, run_files = _written(plain.cwd), _written(run.cwd)
    if sorted(plain_files) != sorted(run_files):
        problems.append(f"files written differ: kerasdiag run {sorted(run_files)} vs plain {sorted(plain_files)}")
    for name in sorted(set(plain_files) & set(run_files)):
        text = name.endswith((".csv", ".txt", ".json"))
        if text and not _same_text(plain_files[name].read_text(), run_files[name].read_text()):
            problems.append(f"{name} differs from the plain run's")
    if shape.raises:
        if _last_line(plain.stderr) not in run.stderr.splitlines():
            problems.append(f"the script's own error is not shown as Python shows it: {_last_line(plain.stderr)!r}")
    elif "Traceback (most recent call last)" in run.stderr:
        ours = re.findall(rf'File "{re.escape(KERASDIAG_FILES)}[^"]*", line \d+, in \S+', run.stderr)
        where = f" from kerasdiag frames ({ours[-1]})" if ours else ""
        problems.append(f"kerasdiag run printed a traceback{where}: {_last_line(run.stderr)}")
    return problems


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _diagnose(run_dir: Path, env: dict[str, str]) -> tuple[int, str, str]:
    command = [sys.executable, "-m", "kerasdiag", "diagnose", "--format", "json", str(run_dir)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    return done.returncode, done.stdout, done.stderr


def _run_problems(shape: Shape, run_dir: Path, backend: str, env: dict[str, str]) -> list[str]:
    """What one run directory must hold: a completed record of the right backend and classes, and a diagnosis that
    `diagnose --format json` repeats, with no crashed rule, nothing the shape rules out and what it expects."""
    problems: list[str] = []
    meta = json.loads((run_dir / "run.json").read_text())
    if meta.get("status") != "completed":
        problems.append(f"status {meta.get('status')!r} for a fit that completed ({meta.get('error')})")
    recorded = meta.get("versions", {}).get("backend")
    if recorded != (shape.runs_on or backend):
        problems.append(f"run recorded backend {recorded!r}, the script ran on {shape.runs_on or backend!r}")
    problems += _class_problems(shape, meta)
    problems += _penalty_problems(shape, meta.get("model") or {})
    if not (run_dir / "diagnosis.json").is_file():
        return [*problems, "no diagnosis.json written"]
    written = json.loads((run_dir / "diagnosis.json").read_text())
    code, stdout, stderr = _diagnose(run_dir, env)
    if code != 0:
        return [*problems, f"kerasdiag diagnose exit {code}: {_last_line(stderr)}"]
    rediagnosed = json.loads(stdout)
    rules = sorted(finding["rule"] for finding in written["findings"])
    if sorted(finding["rule"] for finding in rediagnosed["findings"]) != rules:
        again = sorted(finding["rule"] for finding in rediagnosed["findings"])
        problems.append(f"diagnose --format json gives {again}, diagnosis.json {rules}")
    problems += [f"rule crashed: {s['rule']}: {s['reason']}" for s in written.get("skipped", []) if _crashed(s)]
    for finding in written["findings"]:
        if finding["rule"] in shape.forbid:
            problems.append(f"{finding['rule']} ruled out by the shape: {finding.get('summary', '')[:300]}")
    if shape.expect - set(rules):
        problems.append(f"missing expected finding(s) {sorted(shape.expect - set(rules))}; found {rules}")
    return problems


def _crashed(skipped: dict) -> bool:
    return str(skipped.get("reason", "")).startswith("could not evaluate")


def _class_problems(shape: Shape, meta: dict) -> list[str]:
    data = meta.get("data") or {}
    found = data.get("num_classes")
    counts = {split: (data.get(split) or {}).get("class_counts") for split in ("train", "validation")}
    if shape.classes == NOT_CLASSES and (found or any(counts.values())):
        sizes = {split: len(c) for split, c in counts.items() if c}
        return [f"targets that are not class labels read as {found} classes (class counts of {sizes})"]
    if shape.classes and found is None and not shape.stream:
        source = (meta.get("config") or {}).get("data_source")
        return [f"no class count read from fit's arrays ({shape.classes} classes); kerasdiag says: {source}"]
    if shape.classes and found is not None and found != shape.classes:
        return [f"read as {found} classes; the data has {shape.classes}"]
    return []


def _penalty_problems(shape: Shape, model: dict) -> list[str]:
    seen = {(layer.get("l1") or 0.0, layer.get("l2") or 0.0) for layer in model.get("layers", [])}
    missing = [pair for pair in shape.penalties if not any(_close_pair(pair, s) for s in seen)]
    return [f"model summary lacks the (l1, l2) penalties {missing}; has {sorted(seen)}"] if missing else []


def _close_pair(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(x - y) <= 1e-9 + 1e-6 * abs(x) for x, y in zip(a, b))


def _premise(shape: Shape, plain: Outcome, original: Outcome | None) -> None:
    """The script itself must do what its shape says when run plainly; else the script, not kerasdiag, is wrong."""
    if plain.code != shape.exit_code or not plain.results:
        pytest.fail(f"shape script broken: plain exit {plain.code} (expected {shape.exit_code})\n{plain.show()}")
    if original is not None and (original.code != 1 or "ModuleNotFoundError" not in original.stderr):
        pytest.fail(f"Keras 2 premise: plain python should stop at the Keras 2 imports\n{original.show()}")


@pytest.mark.parametrize(("shape", "backend"), CASES)
def test_kerasdiag_run_keeps_the_script_and_reads_it(tmp_path, mnist_dir, request, shape, backend):
    if backend == "jax" and importlib.util.find_spec("jax") is None:
        pytest.skip("jax is not installed")
    script = SCRIPTS / f"{shape.name}.py"
    args = ["--data-dir", str(mnist_dir)] if shape.mnist else []
    runs = tmp_path / "runs"
    reference = SCRIPTS / "keras3_ports" / script.name if shape.keras2 else script
    jobs = {
        "plain": ([sys.executable, str(reference), *args], tmp_path / "plain"),
        "kerasdiag-run": (
            [sys.executable, "-m", "kerasdiag", "run", "--logdir", str(runs), str(script), *args],
            tmp_path / "kerasdiag-run",
        ),
    }
    if shape.keras2 and backend == BACKENDS[0]:  # the import error is the same on every backend: checked once
        jobs["keras2-plain"] = ([sys.executable, str(script), *args], tmp_path / "keras2-plain")
    env = _env(backend)
    outcomes = _run_together(jobs, env, tmp_path / "logs")
    plain, run = outcomes["plain"], outcomes["kerasdiag-run"]
    # Per-process times, in `--junitxml` reports as properties.
    request.node.user_properties += [("plain_s", round(plain.seconds, 2)), ("kerasdiag_run_s", round(run.seconds, 2))]
    _premise(shape, plain, outcomes.get("keras2-plain"))

    problems = _behaviour_problems(shape, plain, run)
    run_dirs = sorted(p for p in runs.iterdir() if (p / "run.json").is_file()) if runs.is_dir() else []
    if len(run_dirs) != shape.fits:
        problems.append(f"{len(run_dirs)} run directories for {shape.fits} fit(s)")
    for run_dir in run_dirs:
        problems += [f"{run_dir.name}: {p}" for p in _run_problems(shape, run_dir, backend, env)]
    if problems:
        listed = "\n".join(f"- {p}" for p in problems)
        pytest.fail(f"{shape.name} on {backend}: {problems[0]}\n{listed}\n{run.show()}\n{plain.show()}")
