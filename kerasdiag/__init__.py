"""kerasdiag: train small Keras models from flags and explain what went wrong."""

__version__ = "0.1.0"
