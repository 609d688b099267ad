"""The transformer that rewrites the Keras 2 idioms in place and records each change (`_Upgrader`)."""

from __future__ import annotations

from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node, parse_template_expression
from libcst.metadata import PositionProvider, QualifiedNameProvider

from kerasdiag.messages import Message, say
from kerasdiag.training.script.upgrade.arguments import _drop_arg, _equal, _keyword_index
from kerasdiag.training.script.upgrade.facts import _Facts
from kerasdiag.training.script.upgrade.result import Change
from kerasdiag.training.script.upgrade.syntax import _attribute_name, _code, _is_string, _name, _qualified, _short
from kerasdiag.training.script.upgrade.tables import (
    CATEGORICAL,
    GENERATORS,
    GONE,
    GONE_MESSAGES,
    GONE_MODULES,
    HISTORY_KEYS,
    INIT_KEYWORDS,
    KERAS3_BACKEND,
    KERAS_ROOTS,
    MODULES,
    NAMES,
    NOT_IN_FIT,
    OPS,
    OPTIMIZERS,
    _moved,
)


class _Upgrader(cst.CSTTransformer):
    """Rewrites the Keras 2 idioms in place and records each change, or why one was not made."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)

    def __init__(self, facts: _Facts) -> None:
        super().__init__()
        self.facts = facts
        self.changes: list[Change] = []
        self.unsupported: list[Change] = []
        self._imports = 0

    # Imports: modules moved, names renamed, names gone.

    def visit_Import(self, node: cst.Import) -> None:
        self._imports += 1

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        self._imports -= 1
        aliases = []
        for original, alias in zip(original_node.names, updated_node.names):
            module = get_full_name_for_node(alias.name) or ""
            if not self._gone_module(original, module) and _moved(module) != module:
                self._change(original, "upgrade.module", old=module, new=_moved(module))
                alias = alias.with_changes(name=cst.parse_expression(_moved(module)))
            aliases.append(alias)
        return updated_node.with_changes(names=aliases)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._imports += 1

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom:
        self._imports -= 1
        module = get_full_name_for_node(updated_node.module) if updated_node.module else None
        if module is None or updated_node.relative or self._gone_module(original_node, module):
            return updated_node
        if _moved(module) != module:
            self._change(original_node.module or original_node, "upgrade.module", old=module, new=_moved(module))
            updated_node = updated_node.with_changes(module=cst.parse_expression(_moved(module)))
        if isinstance(updated_node.names, cst.ImportStar) or isinstance(original_node.names, cst.ImportStar):
            return updated_node
        aliases: list[cst.ImportAlias] = []
        for original, alias in zip(original_node.names, updated_node.names):
            aliases += self._imported(original, alias, f"{_moved(module)}.{_name(alias)}")
        return updated_node.with_changes(names=aliases)

    def _imported(self, original: cst.ImportAlias, alias: cst.ImportAlias, name: str) -> list[cst.ImportAlias]:
        """`alias` (of `from M import X`, `name` = M.X) as Keras 3 has it."""
        if name == "keras.utils.np_utils" and self.facts.np_utils_by_name:
            names = sorted(self.facts.np_utils_names) or ["to_categorical"]
            self._change(original, "upgrade.renamed", old=_name(alias), new=", ".join(names))
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            return [cst.ImportAlias(cst.Name(n), comma=comma) for n in names[:-1]] + [
                cst.ImportAlias(cst.Name(names[-1]), comma=alias.comma)
            ]
        if name in NAMES:
            new = NAMES[name]
            self._change(original, "upgrade.renamed", old=_name(alias), new=new)
            if alias.asname is None and name in self.facts.ambiguous:  # some use may read another binding
                return [alias.with_changes(name=cst.Name(new), asname=cst.AsName(cst.Name(_name(alias))))]
            return [alias.with_changes(name=cst.Name(new))]
        self._gone(original, _name(alias), name)
        return [alias]

    def _gone_module(self, node: cst.CSTNode, module: str) -> bool:
        for gone, message_id in GONE_MODULES.items():
            if module == gone or module.startswith(gone + "."):
                self._unsupported(node, message_id, old=gone)
                return True
        return False

    def _gone(self, node: cst.CSTNode, written: str, name: str) -> None:
        """Report `name` (qualified, written `written`) when Keras 3 lacks it."""
        backend = name.removeprefix("keras.backend.") if name.startswith("keras.backend.") else None
        if name in GONE_MESSAGES:
            self._unsupported(node, GONE_MESSAGES[name], old=written)
        elif name in GONE:
            self._unsupported(node, "upgrade.gone", old=written, new=GONE[name])
        elif backend and "." not in backend and backend not in KERAS3_BACKEND:
            if backend in OPS:
                self._unsupported(node, "upgrade.gone", old=written, new=f"keras.ops.{backend}")
            else:
                self._unsupported(node, "upgrade.gone.backend", old=written)

    # Names and attributes: renamed Keras 2 names, moved module paths, np_utils.X, optimizer.lr.

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        name = self.facts.renames.get(original_node)
        if self._imports or name is None or name in self.facts.ambiguous:
            return updated_node
        self._change(original_node, "upgrade.renamed", old=original_node.value, new=NAMES[name])
        return updated_node.with_changes(value=NAMES[name])

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if self._imports:
            return updated_node
        written = get_full_name_for_node(original_node) or ""
        names = {_moved(name) for name in _qualified(self, original_node)}
        base = original_node.value
        if written in MODULES and written in _qualified(self, original_node):
            self._change(original_node, "upgrade.module", old=written, new=MODULES[written])
            return cst.parse_expression(MODULES[written]).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        if base in self.facts.np_utils_uses and self.facts.np_utils_by_name:
            self._change(original_node, "upgrade.renamed", old=written, new=original_node.attr.value)
            return cst.Name(original_node.attr.value, lpar=updated_node.lpar, rpar=updated_node.rpar)
        if names & NAMES.keys():
            new = NAMES[(names & NAMES.keys()).pop()]
            self._change(original_node.attr, "upgrade.renamed", old=original_node.attr.value, new=new)
            return updated_node.with_changes(attr=cst.Name(new))
        if original_node.attr.value == "lr" and _attribute_name(base) == "optimizer":
            self._change(original_node.attr, "upgrade.renamed", old=".lr", new=".learning_rate")
            return updated_node.with_changes(attr=cst.Name("learning_rate"))
        for name in names - {"keras.backend.set_image_dim_ordering"}:  # that one: leave_Call
            if not self._gone_module(original_node, name):
                self._gone(original_node, written, name)
        return updated_node

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        """`history.history['acc']` -> `['accuracy']` where Keras 3 logs 'accuracy' (metrics=['accuracy'])."""
        base = original_node.value
        history = isinstance(base, cst.Attribute) and base.attr.value == "history"
        if not history and not (isinstance(base, cst.Name) and base.value in self.facts.histories):
            return updated_node
        index = updated_node.slice[0].slice if len(updated_node.slice) == 1 else None
        if isinstance(index, cst.Index) and (key := self._history_key(original_node, index.value)):
            return updated_node.with_changes(
                slice=[updated_node.slice[0].with_changes(slice=index.with_changes(value=key))]
            )
        return updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        """`monitor='val_acc'` (EarlyStopping, ModelCheckpoint) -> 'val_accuracy', like the history's keys."""
        is_monitor = updated_node.keyword is not None and updated_node.keyword.value == "monitor"
        key = self._history_key(original_node, updated_node.value) if is_monitor else None
        return updated_node.with_changes(value=key) if key else updated_node

    def _history_key(self, node: cst.CSTNode, value: cst.BaseExpression) -> cst.SimpleString | None:
        if not (self.facts.accuracy_keys and _is_string(value) and value.evaluated_value in HISTORY_KEYS):
            return None
        key = cst.SimpleString(f"{value.quote}{HISTORY_KEYS[str(value.evaluated_value)]}{value.quote}")
        self._change(node, "upgrade.history_key", old=value.value, new=key.value)
        return key

    # Calls: optimizer and layer arguments, the *_generator methods, predict_classes, image_dim_ordering.

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        name = _attribute_name(func) or ""
        qualified = {_moved(q) for q in _qualified(self, original_node.func)}
        keras = {NAMES.get(q, q.rpartition(".")[2]) for q in qualified if q.split(".")[0] in KERAS_ROOTS}
        called = keras if keras else {name} if not qualified else set()  # a Keras name, or one of a star import
        if optimizer := next((n for n in sorted(called) if n in OPTIMIZERS), None):
            return self._optimizer(original_node, updated_node, optimizer)
        if layer := next((n for n in sorted(called) if n in INIT_KEYWORDS), None):
            return self._keyword(original_node, updated_node, "init", INIT_KEYWORDS[layer])
        if "keras.backend.set_image_dim_ordering" in qualified:
            return self._image_dim_ordering(original_node, updated_node)
        if not isinstance(func, cst.Attribute):
            return updated_node
        if name in GENERATORS:
            return self._generator(original_node, updated_node, func)
        if name == "fit":
            return self._keyword(original_node, updated_node, "nb_epoch", "epochs")
        if name == "predict_classes":
            return self._predict_classes(original_node, updated_node, func)
        return updated_node

    def _optimizer(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        """`lr=` -> `learning_rate=` (Keras 3: "Argument(s) not recognized"); `decay=0` dropped, another
        `decay=` reported (Keras 3 ignores it: "no longer supported and will be ignored")."""
        call = self._keyword(original, call, "lr", "learning_rate")
        index = _keyword_index(call, "decay")
        if index is None:
            return call
        decay = call.args[index].value
        if isinstance(decay, (cst.Integer, cst.Float)) and float(decay.evaluated_value) == 0:
            return self._drop(original, call, index, "upgrade.why.decay_zero")
        lr_index = _keyword_index(call, "learning_rate")
        lr = _code(call.args[lr_index].value) if lr_index is not None else OPTIMIZERS[name]
        self._unsupported(original.args[index], "upgrade.decay", decay=_code(decay), lr=lr)
        return call

    def _keyword(self, original: cst.Call, call: cst.Call, old: str, new: str) -> cst.Call:
        index = _keyword_index(call, old)
        if index is None or _keyword_index(call, new) is not None:
            return call
        self._change(original.args[index], "upgrade.renamed", old=f"{old}=", new=f"{new}=")
        args = list(call.args)
        args[index] = args[index].with_changes(keyword=cst.Name(new))
        return call.with_changes(args=args)

    def _generator(self, original: cst.Call, call: cst.Call, func: cst.Attribute) -> cst.Call:
        """`fit_generator(gen, 100, 5)` -> `fit(gen, steps_per_epoch=100, epochs=5)`: Keras 3 has no
        *_generator methods, and its fit/evaluate/predict take other arguments in those places."""
        method = func.attr.value
        new, positional = GENERATORS[method]
        count = next((i for i, arg in enumerate(call.args) if arg.keyword or arg.star), len(call.args))
        if count - 1 > len(positional):  # past the parameters Keras 2.2 and 2.3 share: left to the learner
            self._unsupported(original.args[len(positional) + 1], "upgrade.positional_by_hand", method=method, new=new)
            return call
        self._change(original.func, "upgrade.renamed", old=method, new=new)
        args = list(call.args)
        for index in range(1, count):
            args[index] = args[index].with_changes(keyword=cst.Name(positional[index - 1]), equal=_equal())
            value = _code(args[index].value)
            self._change(original.args[index], "upgrade.by_name", value=value, keyword=positional[index - 1])
        call = call.with_changes(func=func.with_changes(attr=cst.Name(new)), args=args)
        call = self._keyword(original, self._keyword(original, call, "generator", "x"), "nb_epoch", "epochs")
        for keyword in NOT_IN_FIT:
            found = _keyword_index(call, keyword)
            if found is not None:
                call = self._drop(original, call, found, say("upgrade.why.workers", method=new, keyword=keyword))
        return call

    def _drop(self, original: cst.Call, call: cst.Call, index: int, why: str | Message) -> cst.Call:
        """`call` without its argument `index`, reported with `why`; kept and reported where removing it
        would move a line."""
        keyword = call.args[index].keyword
        named = keyword.value if keyword else None
        position = next((arg for arg in original.args if arg.keyword and arg.keyword.value == named), original)
        dropped = _drop_arg(call, index)
        old = _code(call.args[index]).strip().rstrip(",").strip()
        if dropped is None:
            self._unsupported(position, "upgrade.remove_by_hand", old=old)
            return call
        self._change(position, "upgrade.removed", old=old, why=say(why) if isinstance(why, str) else why)
        return dropped

    def _predict_classes(self, original: cst.Call, call: cst.Call, func: cst.Attribute) -> cst.BaseExpression:
        """`predict_classes(x)` -> argmax of predict (softmax) or predict > 0.5 (one sigmoid), from compile's loss."""
        predict = call.with_changes(func=func.with_changes(attr=cst.Name("predict")), lpar=(), rpar=())
        losses = self.facts.losses
        if losses == {"binary_crossentropy"}:
            template = '({x} > 0.5).astype("int32")'
            new = parse_template_expression(template, x=predict)
        elif losses and losses <= CATEGORICAL and self.facts.numpy:
            template = self.facts.numpy + ".argmax({x}, axis=-1)"
            new = parse_template_expression(template, x=predict)
        else:
            self._unsupported(original.func, "upgrade.predict_classes")
            return call
        receiver = _short(func.value)
        shown = template.format(x=f"{receiver}.predict(...)")
        self._change(original.func, "upgrade.renamed", old=f"{receiver}.predict_classes(...)", new=shown)
        return new.with_changes(lpar=call.lpar, rpar=call.rpar)

    def _image_dim_ordering(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """`K.set_image_dim_ordering('th')` -> `K.set_image_data_format('channels_first')` ('tf': channels_last)."""
        formats = {"th": "channels_first", "tf": "channels_last"}
        value = call.args[0].value if len(call.args) == 1 and not call.args[0].keyword else None
        if not (isinstance(call.func, cst.Attribute) and _is_string(value) and value.evaluated_value in formats):
            self._unsupported(original.func, "upgrade.gone.set_image_dim_ordering", old=_code(original.func))
            return call
        new = f"{value.quote}{formats[str(value.evaluated_value)]}{value.quote}"
        func = call.func.with_changes(attr=cst.Name("set_image_data_format"))
        old = f"{call.func.attr.value}({value.value})"
        self._change(original.func, "upgrade.renamed", old=old, new=f"set_image_data_format({new})")
        return call.with_changes(func=func, args=[call.args[0].with_changes(value=cst.SimpleString(new))])

    # Records.

    def _change(self, node: cst.CSTNode, message_id: str, **params: Any) -> None:
        _record(self.changes, self._line(node), message_id, params)

    def _unsupported(self, node: cst.CSTNode, message_id: str, **params: Any) -> None:
        _record(self.unsupported, self._line(node), message_id, params)

    def _line(self, node: cst.CSTNode) -> int:
        return int(self.get_metadata(PositionProvider, node).start.line)


def _record(changes: list[Change], line: int, message_id: str, params: dict[str, Any]) -> None:
    change = Change(line, say(message_id, line=line, **params))
    if change not in changes:
        changes.append(change)
