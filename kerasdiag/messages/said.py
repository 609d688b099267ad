"""`Said`: a catalog message that is also its English text, for values that code and files keep as `str`.

A run's `problems`, a fallback's reason or a note are compared, joined and written to JSON as plain
strings (in English, as before the catalog), yet a view shows them in the learner's language:

```python
problem = Said("rundir.missing", file="run.json")
problem == "run.json is missing"   # a str, in English
problem.get("ja")                  # "run.json がありません"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kerasdiag.messages import DEFAULT_LANGUAGE, Message, join, say


class Said(str):
    """The English text of a catalog message, which renders in any language with `get(lang)`.

    Args:
        message_id: A catalog id.
        **params: Its placeholders' values (str, numbers, messages, lists of messages).
    """

    message: Message

    def __new__(cls, message_id: str, /, **params: Any) -> Said:
        message = say(message_id, **params)
        said = super().__new__(cls, message.get(DEFAULT_LANGUAGE))
        said.message = message
        return said

    def get(self, lang: str) -> str:
        return self.message.get(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_said, (self.message.id, dict(self.message.params)))


def _said(message_id: str, params: dict[str, Any]) -> Said:
    return Said(message_id, **params)


@dataclass(frozen=True)
class Joined:
    """Items shown one after another in a language, joined by that language's `separator` message."""

    items: tuple[Any, ...]
    separator: str = "list.semicolon"

    def get(self, lang: str) -> str:
        return join(self.items, lang, self.separator)

    def __str__(self) -> str:
        return self.get(DEFAULT_LANGUAGE)
