"""SummaryWriter: TensorBoard event files written without TensorFlow.

kerasdiag writes every run's TensorBoard logs itself, with tensorboard's own
protobufs and the TFRecord framing of `records.py`, so that logs look the same on every Keras
backend (JAX and torch machines often have no TensorFlow) and probes, Keras's
epoch scalars and the diagnosis text share the same files.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.rundir.tensorboard.write.records import EventFile, ScalarValues, event_bytes


class SummaryWriter:
    """Writes scalars, histograms and Markdown text to one event-file directory.

    The event file is created lazily, on the first value; values reach it at `flush()` (and `close()`).

    Args:
        log_dir: Directory of the event files, e.g. `runs/<run>/train`.

    Example:

    ```python
    writer = SummaryWriter("runs/demo/train")
    writer.scalar("epoch_loss", 0.25, step=0)
    writer.close()
    ```
    """

    def __init__(self, log_dir: str | Path):
        self.log_dir = Path(log_dir)
        self._writer: EventFile | None = None

    def _events(self) -> EventFile:
        if self._writer is None:
            self._writer = EventFile(self.log_dir)
        return self._writer

    def _add(self, value: Any, step: int) -> None:
        self._add_all([value.SerializeToString()], step)

    def _add_all(self, values: list[bytes], step: int) -> None:
        """One event holding the serialized `Summary.Value`s."""
        self._events().add_bytes(event_bytes(time.time(), step, values))

    def scalar(self, tag: str, value: float, step: int) -> None:
        """Writes a scalar the way Keras 3 does: a float tensor tagged for the scalars plugin."""
        self._add_all([_SCALARS(tag, float(value))], step)

    def histogram(self, tag: str, values: np.ndarray, step: int, buckets: int = 30) -> None:
        value = histogram_value(tag, values, buckets)
        if value is not None:
            self._add(value, step)

    def write(
        self,
        step: int,
        scalars: dict[str, float] | None = None,
        histograms: dict[str, np.ndarray] | None = None,
        serialized: list[bytes] | None = None,
    ) -> None:
        """Writes many scalars and histograms of one step as one event (one record, one checksum).

        TensorBoard reads each value of an event's summary as its own tag (tf.summary's merged summaries
        are written this way), so this shows exactly what `scalar` and `histogram` one by one would.
        `serialized` adds `Summary.Value`s serialized already (histograms built in bulk), after the histograms.
        """
        values = [_SCALARS(tag, float(value)) for tag, value in (scalars or {}).items()]
        for tag, array in (histograms or {}).items():
            histogram = histogram_value(tag, array)
            if histogram is not None:
                values.append(histogram.SerializeToString())
        values += serialized or []
        if values:
            self._add_all(values, step)

    def text(self, tag: str, markdown: str, step: int = 0) -> None:
        """Writes Markdown that TensorBoard's Text tab renders."""
        from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

        tensor = tensor_pb2.TensorProto(
            dtype=types_pb2.DT_STRING,
            string_val=[markdown.encode("utf-8")],
            tensor_shape=tensor_shape_pb2.TensorShapeProto(),
        )
        self._add(summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=_METADATA["text"]), step)

    def flush(self) -> None:
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _scalar_value(tag: str, value: float) -> Any:
    """A float tensor tagged for the scalars plugin, as Keras 3 writes scalars."""
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_FLOAT, float_val=[float(value)], tensor_shape=tensor_shape_pb2.TensorShapeProto()
    )
    return summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=_METADATA["scalars"])


def histogram_value(tag: str, values: np.ndarray, buckets: int = 30) -> Any:
    """A histogram of the finite values, or `None` when there are none."""
    from tensorboard.compat.proto import summary_pb2

    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    if not values.size:
        return None
    counts, edges = np.histogram(values, bins=buckets)
    histo = summary_pb2.HistogramProto(
        min=float(values.min()),
        max=float(values.max()),
        num=float(values.size),
        sum=float(values.sum()),
        sum_squares=float(np.square(values).sum()),
        bucket_limit=[float(e) for e in edges[1:]],
        bucket=[float(c) for c in counts],
    )
    return summary_pb2.Summary.Value(tag=tag, histo=histo)


class _Metadata(dict):
    """The `SummaryMetadata` of each plugin, built once (protobufs are copied into each value anyway)."""

    def __missing__(self, plugin: str) -> Any:
        from tensorboard.compat.proto import summary_pb2

        data = summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin)
        self[plugin] = summary_pb2.SummaryMetadata(plugin_data=data)
        return self[plugin]


_METADATA = _Metadata()
_SCALARS = ScalarValues(_scalar_value)
