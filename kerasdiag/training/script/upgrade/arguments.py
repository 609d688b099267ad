"""A call's arguments found by keyword, named, and removed without moving a line."""

from __future__ import annotations

import libcst as cst

from kerasdiag.training.script.upgrade.syntax import _newlines


def _drop_arg(call: cst.Call, index: int) -> cst.Call | None:
    """`call` without argument `index`, as many lines long (line breaks it held stay as blank lines where it
    was); None where that cannot be done."""
    args = list(call.args)
    removed = args.pop(index)
    if index == len(args) and args:  # the last one: its predecessor ends the call instead
        last = args[-1].with_changes(whitespace_after_arg=removed.whitespace_after_arg)
        args[-1] = last if _newlines(last.comma) else last.with_changes(comma=removed.comma)
    dropped = call.with_changes(args=args)
    if _newlines(dropped) == _newlines(call):
        return dropped
    before = args[index - 1].comma if index else None
    where = before.whitespace_after if isinstance(before, cst.Comma) else dropped.whitespace_before_args
    if not isinstance(where, cst.ParenthesizedWhitespace) and isinstance(removed.comma, cst.Comma):
        where = removed.comma.whitespace_after
    if not isinstance(where, cst.ParenthesizedWhitespace):
        return None
    dropped = _with_whitespace(dropped, index, where)
    lost = _newlines(call) - _newlines(dropped)
    blank = [cst.EmptyLine(indent=False)] * max(lost, 0)
    dropped = _with_whitespace(dropped, index, where.with_changes(empty_lines=[*where.empty_lines, *blank]))
    return dropped if _newlines(dropped) == _newlines(call) else None


def _with_whitespace(call: cst.Call, index: int, whitespace: cst.ParenthesizedWhitespace) -> cst.Call:
    """`call` with `whitespace` before its argument `index` (where a removed one was)."""
    if index == 0:
        return call.with_changes(whitespace_before_args=whitespace)
    args = list(call.args)
    comma = args[index - 1].comma
    if not isinstance(comma, cst.Comma):
        return call
    args[index - 1] = args[index - 1].with_changes(comma=comma.with_changes(whitespace_after=whitespace))
    return call.with_changes(args=args)


def _keyword_index(call: cst.Call, keyword: str) -> int | None:
    return next((i for i, arg in enumerate(call.args) if arg.keyword and arg.keyword.value == keyword), None)


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
