"""The pre-pass over the whole script that translating one line needs (`_Facts`)."""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import QualifiedNameProvider

from kerasdiag.training.script.upgrade.syntax import _is_string, _loss_name, _name, _qualified
from kerasdiag.training.script.upgrade.tables import NAMES, _moved


class _Facts(cst.CSTVisitor):
    """What translating one line needs to know about the whole script: compile's metrics and loss, numpy's
    name, how `np_utils` is used, and which names are the Keras 2 names to rename."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.metrics: set[str] = set()
        self.losses: set[str | None] = set()
        self.numpy: str | None = None
        self.np_utils: set[str] = set()  # names bound by `from keras.utils import np_utils`
        self.np_utils_names: set[str] = set()  # X in np_utils.X
        self.np_utils_uses: set[cst.Name] = set()
        self.np_utils_bare = False
        self.identifiers: set[str] = set()  # every other name the script binds or reads
        self.renames: dict[cst.Name, str] = {}  # a name that reads an imported Keras 2 name -> its qualified name
        self.ambiguous: set[str] = set()  # Keras 2 names that some name may or may not read
        self.histories: set[str] = {"logs"}  # names that hold a History's dict (`hist = h.history`), callbacks' logs
        self._attributes: set[cst.Name] = set()

    @property
    def accuracy_keys(self) -> bool:
        """Whether the script's history reads 'acc' where Keras 3 logs 'accuracy' (compiled with 'accuracy')."""
        return "accuracy" in self.metrics and "acc" not in self.metrics

    @property
    def np_utils_by_name(self) -> bool:
        """Whether `np_utils.X` can become `X`, imported from keras.utils, without taking another name."""
        return not self.np_utils_bare and not self.np_utils_names & self.identifiers

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if get_full_name_for_node(alias.name) == "numpy":
                self.numpy = alias.evaluated_alias or "numpy"

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = get_full_name_for_node(node.module) if node.module and not node.relative else None
        if module is None or _moved(module) != "keras.utils" or isinstance(node.names, cst.ImportStar):
            return True
        self.np_utils |= {alias.evaluated_alias or "np_utils" for alias in node.names if _name(alias) == "np_utils"}
        return False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._attributes.add(node.attr)
        base = node.value
        if (
            isinstance(base, cst.Name)
            and _qualified(self, base) == {"keras.utils.np_utils"}
            and base.value in self.np_utils
        ):
            self.np_utils_names.add(node.attr.value)
            self.np_utils_uses.add(base)

    def visit_Name(self, node: cst.Name) -> None:
        if node in self._attributes:
            return
        names = _qualified(self, node)
        if node.value in self.np_utils and node not in self.np_utils_uses:
            self.np_utils_bare = True
        elif not names or not all(_moved(name).startswith("keras.utils.") for name in names):
            self.identifiers.add(node.value)
        renamed = {_moved(name) for name in names} & NAMES.keys()
        if len(names) == 1 and renamed and node.value == next(iter(renamed)).rpartition(".")[2]:
            self.renames[node] = renamed.pop()
        self.ambiguous |= renamed if len(names) > 1 else set()

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Attribute) and node.value.attr.value == "history":
            self.histories |= {target.target.value for target in node.targets if isinstance(target.target, cst.Name)}

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Attribute) and node.func.attr.value == "compile"):
            return
        for index, arg in enumerate(node.args):
            keyword = arg.keyword.value if arg.keyword else {1: "loss", 2: "metrics"}.get(index)
            if keyword == "loss":
                self.losses.add(_loss_name(arg.value))
            elif keyword == "metrics" and isinstance(arg.value, (cst.List, cst.Tuple)):
                self.metrics |= {str(e.value.evaluated_value) for e in arg.value.elements if _is_string(e.value)}
