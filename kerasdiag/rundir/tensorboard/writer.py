"""SummaryWriter: TensorBoard event files written without TensorFlow.

kerasdiag writes every run's TensorBoard logs itself, with tensorboard's own
protobufs and event-file writer, so that logs look the same on every Keras
backend (JAX and torch machines often have no TensorFlow) and probes, Keras's
epoch scalars and the diagnosis text share the same files.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from kerasdiag.rundir.tensorboard.compat import tensorboard_without_tensorflow


class SummaryWriter:
    """Writes scalars, histograms and Markdown text to one event-file directory.

    The underlying writer is created lazily, on the first value.

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
        self._writer: Any = None

    def _events(self) -> Any:
        if self._writer is None:
            tensorboard_without_tensorflow()
            from tensorboard.summary.writer.event_file_writer import EventFileWriter

            self.log_dir.mkdir(parents=True, exist_ok=True)
            self._writer = EventFileWriter(str(self.log_dir), flush_secs=5)
        return self._writer

    def _add(self, value: Any, step: int) -> None:
        tensorboard_without_tensorflow()
        from tensorboard.compat.proto import event_pb2, summary_pb2

        summary = summary_pb2.Summary(value=[value])
        self._events().add_event(event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary))

    def scalar(self, tag: str, value: float, step: int) -> None:
        """Writes a scalar the way Keras 3 does: a float tensor tagged for the scalars plugin."""
        from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

        tensor = tensor_pb2.TensorProto(
            dtype=types_pb2.DT_FLOAT, float_val=[float(value)], tensor_shape=tensor_shape_pb2.TensorShapeProto()
        )
        self._add(summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=_metadata("scalars")), step)

    def histogram(self, tag: str, values: np.ndarray, step: int, buckets: int = 30) -> None:
        from tensorboard.compat.proto import summary_pb2

        values = np.asarray(values, dtype=np.float64).ravel()
        values = values[np.isfinite(values)]
        if not values.size:
            return
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
        self._add(summary_pb2.Summary.Value(tag=tag, histo=histo), step)

    def text(self, tag: str, markdown: str, step: int = 0) -> None:
        """Writes Markdown that TensorBoard's Text tab renders."""
        from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

        tensor = tensor_pb2.TensorProto(
            dtype=types_pb2.DT_STRING,
            string_val=[markdown.encode("utf-8")],
            tensor_shape=tensor_shape_pb2.TensorShapeProto(),
        )
        self._add(summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=_metadata("text")), step)

    def flush(self) -> None:
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _metadata(plugin: str) -> Any:
    from tensorboard.compat.proto import summary_pb2

    return summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin))
