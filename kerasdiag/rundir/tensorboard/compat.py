"""Make tensorboard use its own TensorFlow stub, even where TensorFlow is installed.

tensorboard's reader and writer import TensorFlow (about 8 s) whenever it is
installed, unless the module `tensorboard.compat.notf` exists: that is how
tensorboard's own build selects its TF-free stub. kerasdiag registers that
marker before touching tensorboard, so `diagnose` stays fast and never needs TF.
Where TensorFlow is already imported (Keras on its TensorFlow backend), the marker
would cost nothing and break tensorboard's TF 2 API, which a learner's own
`keras.callbacks.TensorBoard` uses in the same process: then it is left out.
"""

import sys
import types


def tensorboard_without_tensorflow() -> None:
    """Register tensorboard's `notf` marker module (idempotent), unless TensorFlow is already imported."""
    if "tensorflow" in sys.modules:
        return
    sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("tensorboard.compat.notf"))
