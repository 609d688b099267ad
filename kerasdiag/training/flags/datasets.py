"""Datasets: MNIST (Keras cache, an npz or IDX files), Iris and digits (bundled with scikit-learn).

Nothing here imports Keras unless MNIST must be downloaded. Every array that
leaves this module is ready for the model: scaled (unless `--no-normalize`),
shaped for an MLP (flat) or a CNN (height, width, channels), and split into
train / validation (/ test) the way the flags say.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kerasdiag.config import RunConfig
from kerasdiag.errors import DataError
from kerasdiag.messages import say
from kerasdiag.rundir.summaries import DataSummary, SplitSummary
from kerasdiag.training.flags.data_checks import checked_images, checked_labels, checked_pair

DATA_DIR_ENV = "KERASDIAG_DATA_DIR"
OFFLINE_ENV = "KERASDIAG_OFFLINE"
IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
IMAGE_SHAPES = {"mnist": (28, 28, 1), "digits": (8, 8, 1)}
PIXEL_MAX = {"mnist": 255.0, "digits": 16.0}
STATS_ROWS = 10_000  # input mean/std of larger arrays come from this many evenly spaced rows


@dataclass
class Splits:
    """Model-ready arrays of one data set."""

    name: str
    num_classes: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None

    def summary(self) -> DataSummary:
        """What run.json records about the data: sizes, class counts, input range."""
        return summarise_data(self.name, self.num_classes, self.x_train, self.y_train, self.y_val, self.y_test)


def summarise_data(
    name: str,
    num_classes: int,
    x_train: np.ndarray,
    y_train: np.ndarray,
    y_val: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
) -> DataSummary:
    """Sizes, class counts per split and the input range of training arrays (also used for users' own data)."""
    x = np.asarray(x_train)  # no float64 copy: a learner's MNIST is 376 MB as float64
    rows = x[:: max(1, len(x) // STATS_ROWS)]  # mean and std from evenly spaced rows; min and max from all
    split = SplitSummary.from_labels
    return DataSummary(
        dataset=name,
        num_classes=num_classes,
        train=split(y_train, num_classes),
        validation=split(y_val, num_classes) if y_val is not None else None,
        test=split(y_test, num_classes) if y_test is not None else None,
        input_min=float(x.min()),
        input_max=float(x.max()),
        **_mean_std(rows),
        input_shape=list(x.shape[1:]),
    )


def summarise_inputs(name: str, x_train: np.ndarray, val_samples: int | None = None) -> DataSummary:
    """Sizes and the input range of a run whose targets are no class labels (a regression): no class counts."""
    x = np.asarray(x_train)
    rows = x[:: max(1, len(x) // STATS_ROWS)]
    return DataSummary(
        dataset=name,
        num_classes=0,
        train=SplitSummary(len(x), {}),
        validation=SplitSummary(val_samples, {}) if val_samples else None,
        test=None,
        input_min=float(x.min()),
        input_max=float(x.max()),
        **_mean_std(rows),
        input_shape=list(x.shape[1:]),
    )


def _mean_std(rows: np.ndarray) -> dict[str, float]:
    """Mean and std of every value in `rows`, summed in float64 without a float64 copy (2x faster than `.std`)."""
    flat = np.ascontiguousarray(rows).reshape(len(rows), -1)
    mean = flat.mean(dtype=np.float64)
    exact = flat.dtype in (np.float32, np.float64)  # float16, integers, bools: centred in float64
    centred = flat - flat.dtype.type(mean) if exact else flat.astype(np.float64) - mean
    squares = np.einsum("ij,ij->i", centred, centred).sum(dtype=np.float64)  # per row in float32, rows in float64
    return {"input_mean": float(mean), "input_std": float(np.sqrt(squares / flat.size))}


def load(config: RunConfig) -> Splits:
    """Load, select, subsample, scale, shape and split the data set `config` names."""
    (x, y), test = _load_raw(config)
    rng = np.random.default_rng(config.seed)
    x, y, test, num_classes = _select_classes(x, y, test, config.classes)
    if config.train_size is not None and config.train_size > len(y):  # flags alone could not tell (config.py)
        where = f"{config.dataset} --classes {','.join(map(str, config.classes))}" if config.classes else config.dataset
        expected = say("safety.train_size.at_most", samples=f"{len(y):,}", dataset=where)
        raise DataError(expected, f"train_size={config.train_size}")
    if config.train_size is not None:
        x, y = _stratified_subsample(x, y, config.train_size, rng)
    if test is not None:
        test = (_prepare(test[0], config, reference=x), test[1])
    x = _prepare(x, config, reference=x)
    if config.shuffle:
        order = rng.permutation(len(y))
        x, y = x[order], y[order]
    n_val = int(round(len(y) * config.validation_split))
    if n_val < 1 or n_val >= len(y):
        raise DataError(
            say("data.split"),
            say("data.split.received", split=config.validation_split, samples=len(y)),
        )
    cut = len(y) - n_val  # like Keras: validation is the END of the (possibly shuffled) arrays
    splits = Splits(config.dataset, num_classes, x[:cut], y[:cut], x[cut:], y[cut:])
    if test is not None:
        splits.x_test, splits.y_test = test
    return splits


def _prepare(x: np.ndarray, config: RunConfig, reference: np.ndarray) -> np.ndarray:
    """Scale (pixels by their maximum, features by the training mean and std) and shape for the model."""
    x = x.astype(np.float32)
    if config.normalize:
        if config.dataset in PIXEL_MAX:
            x = x / PIXEL_MAX[config.dataset]
        else:  # tabular: standardise each feature
            mean, std = reference.mean(axis=0), reference.std(axis=0)
            x = (x - mean) / np.where(std > 0, std, 1.0)
    if config.model == "cnn":
        return x.reshape((len(x), *IMAGE_SHAPES[config.dataset]))
    return x.reshape((len(x), -1))


def _select_classes(x, y, test, classes):
    if classes is None:
        return x, y, test, int(y.max()) + 1
    present = set(np.unique(y).tolist())
    missing = [c for c in classes if c not in present]
    if missing:
        expected = say("data.classes", labels=str(sorted(present)))
        raise DataError(expected, f"classes={','.join(map(str, classes))}")
    lookup = {c: i for i, c in enumerate(classes)}

    def keep(xs, ys):
        mask = np.isin(ys, classes)
        return xs[mask], np.array([lookup[int(v)] for v in ys[mask]], dtype=np.int64)

    x, y = keep(x, y)
    if test is not None:
        test = keep(*test)
    return x, y, test, len(classes)


def _stratified_subsample(x, y, size, rng):
    """`size` samples with the class proportions of `y` (largest remainders get the leftover slots)."""
    if size >= len(y):
        return x, y
    classes, counts = np.unique(y, return_counts=True)
    share = counts / counts.sum() * size
    quota = np.floor(share).astype(int)
    quota[np.argsort(quota - share)[: size - quota.sum()]] += 1
    chosen = [rng.choice(np.flatnonzero(y == c), q, replace=False) for c, q in zip(classes, np.minimum(quota, counts))]
    index = np.sort(np.concatenate(chosen))  # keep the file order, so --no-shuffle still means something
    return x[index], y[index]


def _load_raw(config: RunConfig):
    """The raw arrays, read once per process (a sweep loads each data set once); callers never mutate them."""
    data_dir = config.data_dir or os.environ.get(DATA_DIR_ENV)
    seed = config.seed if config.dataset == "digits" else 0
    return _read_raw(config.dataset, data_dir, seed, os.environ.get("KERAS_HOME"))


@functools.lru_cache(maxsize=4)
def _read_raw(dataset: str, data_dir: str | None, seed: int, keras_home: str | None):
    if dataset == "iris":
        return read_iris(), None
    if dataset == "digits":
        return _load_digits(seed)
    return load_mnist(data_dir)


def read_iris() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's Iris (150 x 4 float64, labels 0-2), from its bundled CSV without importing scikit-learn.

    Importing `sklearn.datasets` takes 2-5 s (it pulls in SciPy); the CSV is what `load_iris` reads.
    """
    import importlib.util

    spec = importlib.util.find_spec("sklearn")
    csv = Path(spec.origin).parent / "datasets" / "data" / "iris.csv" if spec and spec.origin else None
    if csv is None or not csv.is_file():
        from sklearn.datasets import load_iris

        bunch = load_iris()
        return bunch.data, bunch.target.astype(np.int64)
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    return np.ascontiguousarray(table[:, :4]), table[:, 4].astype(np.int64)


def _load_digits(seed: int):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(
        bunch.images, bunch.target.astype(np.int64), test_size=0.2, random_state=seed, stratify=bunch.target
    )
    return (x_tr, y_tr), (x_te, y_te)


def load_mnist(data_dir: str | None):
    """MNIST as ((x_train, y_train), (x_test, y_test)) of uint8 images and int labels."""
    if data_dir:
        return _read_mnist_dir(Path(data_dir))
    cache = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets" / "mnist.npz"
    if cache.is_file():
        return _read_npz(cache)
    return _download_mnist()


def _download_mnist():
    hint = say("data.mnist.hint", env=DATA_DIR_ENV)
    if os.environ.get(OFFLINE_ENV):
        raise DataError(say("data.mnist.cache"), say("data.mnist.offline", env=OFFLINE_ENV, hint=hint))
    try:
        import keras

        (x, y), (xt, yt) = keras.datasets.mnist.load_data()
    except Exception as exc:  # network errors come in many types
        raise DataError(
            say("data.mnist.download"), say("data.mnist.failed", error=f"{type(exc).__name__}: {exc}", hint=hint)
        ) from None
    return (x, y.astype(np.int64)), (xt, yt.astype(np.int64))


def _read_mnist_dir(path: Path):
    if path.is_file() and path.suffix == ".npz":
        return _read_npz(path)
    if not path.is_dir():
        what = say("data.dir.not_folder" if path.exists() else "data.not_found", path=path)
        raise DataError(say("data.dir"), what, path=path)
    if (path / "mnist.npz").is_file():
        return _read_npz(path / "mnist.npz")
    found = {k: all((path / f).is_file() for f in files) for k, files in IDX_FILES.items()}
    if found["train"] and found["test"]:
        return _read_idx_pair(path, "train"), _read_idx_pair(path, "test")
    if found["test"] or found["train"]:  # one split only (like mnist-10k): first 80% train, rest test
        x, y = _read_idx_pair(path, "test" if found["test"] else "train")
        cut = int(len(y) * 0.8)
        return (x[:cut], y[:cut]), (x[cut:], y[cut:])
    names = ", ".join(["mnist.npz", *IDX_FILES["train"], *IDX_FILES["test"]])
    raise DataError(say("data.dir.files", names=names), say("data.dir.none", path=path), path=path)


def _read_npz(path: Path):
    try:
        with open(path, "rb") as stream:
            if stream.read(2) != b"PK":
                raise ValueError("not a zip archive")
            stream.seek(0)
            with np.load(stream, allow_pickle=False) as data:  # numpy leaks a file it opened on a bad zip
                arrays = [data[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        why = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise DataError(say("data.npz"), f"{path} ({why})", path=path) from None
    x, y, xt, yt = arrays
    return checked_pair(path, "train", x, y), checked_pair(path, "test", xt, yt)


def _read_idx_pair(path: Path, split: str):
    images, labels = (path / f for f in IDX_FILES[split])
    x = checked_images(images, "images", read_idx(images))
    return x, checked_labels(labels, "labels", read_idx(labels), len(x))


def read_idx(path: Path) -> np.ndarray:
    """Read one gzip-compressed IDX file (the format MNIST is distributed in) of unsigned bytes."""
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read()
    except (OSError, EOFError) as exc:
        raise DataError(say("data.idx.gzip"), f"{path} ({exc})", path=path) from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataError(say("data.idx.magic"), f"{path}", path=path)
    ndim = raw[3]
    offset = 4 + 4 * ndim
    if len(raw) < offset:
        header = say("data.idx.header", ndim=ndim)
        raise DataError(header, say("data.idx.truncated", path=path, size=len(raw)), path=path)
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    expected = math.prod(dims)
    if len(raw) - offset != expected:
        raise DataError(
            say("data.idx.size", size=expected, dims=str(dims)),
            say("data.idx.size_received", size=len(raw) - offset, path=path),
            path=path,
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(dims)
