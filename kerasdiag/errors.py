"""The error hierarchy: every domain error kerasdiag raises on purpose.

`cli.py` turns these into a one-line `Error:` message and exit code 1;
anything else is a bug and shows a traceback only with `--debug`.
"""


class KerasdiagError(Exception):
    """Base class of every error kerasdiag reports to the user."""


class ConfigError(KerasdiagError):
    """A combination of flags that cannot be trained."""


class DataError(KerasdiagError):
    """A data set that cannot be found, read or split."""


class RunDirError(KerasdiagError):
    """A path that holds no readable run or TensorBoard logs."""
