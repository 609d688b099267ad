"""Keep the TensorBoard server from importing TensorFlow (used by `kerasdiag board` only).

tensorboard imports TensorFlow (about 8 s) whenever it is installed, unless the module
`tensorboard.compat.notf` exists: that is how tensorboard's own build selects its TF-free
stub. tensorboard resolves that choice once per process and caches it, so the marker is
set only in the process that runs the TensorBoard server (`board/server.py`). kerasdiag's
own event writer and reader use tensorboard's protobufs and need neither TensorFlow nor the
marker; setting it there would break a learner's `keras.callbacks.TensorBoard` or
`tf.summary` later in the same process (`kd.Diagnose`, `kerasdiag run`).
"""

import sys
import types


def tensorboard_without_tensorflow() -> None:
    """Register tensorboard's `notf` marker module (idempotent), unless TensorFlow is already imported."""
    if "tensorflow" in sys.modules:
        return
    sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("tensorboard.compat.notf"))
