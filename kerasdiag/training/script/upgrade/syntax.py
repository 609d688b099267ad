"""What a LibCST node says: its qualified names, its name, its string, its code."""

from __future__ import annotations

from typing import TypeGuard

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import QualifiedNameProvider


def _qualified(visitor: cst.MetadataDependent, node: cst.CSTNode) -> set[str]:
    return {name.name for name in visitor.get_metadata(QualifiedNameProvider, node, set())}


def _name(alias: cst.ImportAlias) -> str:
    return get_full_name_for_node(alias.name) or ""


def _attribute_name(node: cst.BaseExpression) -> str | None:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else None


def _loss_name(node: cst.BaseExpression) -> str | None:
    """A loss given by name ('binary_crossentropy', keras.losses.binary_crossentropy), else None."""
    if _is_string(node):
        return str(node.evaluated_value)
    return _attribute_name(node)


def _is_string(node: cst.CSTNode | None) -> TypeGuard[cst.SimpleString]:
    """A plain string literal ('acc', r"acc"), not bytes or an f-string."""
    return isinstance(node, cst.SimpleString) and node.prefix.lower() in ("", "r", "u")


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _short(node: cst.CSTNode) -> str:
    code = _code(node)
    return code if len(code) <= 40 and "\n" not in code else "..."


def _newlines(node: cst.CSTNode | cst.MaybeSentinel) -> int:
    return _code(node).count("\n") if isinstance(node, cst.CSTNode) else 0
