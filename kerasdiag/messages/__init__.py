"""Every word a user reads, in every language kerasdiag speaks, keyed by message id.

Code never holds user-facing prose: it names a message and passes the values to fill in.

```python
from kerasdiag.messages import say
summary = say("overfitting.summary.rising", rise="31%", epoch=4)
summary.get("ja")   # rendered from kerasdiag/messages/ja/*.py
```

The catalog is one module per language and area (`messages/en/rules_fit.py` beside
`messages/ja/rules_fit.py`), each a plain `MESSAGES: dict[str, str]` of `str.format` templates with
named placeholders. Why Python modules and not gettext catalogs (Babel): gettext keys messages by their
English text, so a reworded English sentence orphans its translation; kerasdiag's messages are keyed by
stable ids that rules, tests and JSON share. Python dicts need no compile step, load in microseconds, are
read by mypy and ruff like the rest of the code, and `tests/messages/test_messages.py` checks that every id exists
in both languages with the same placeholders. Japanese needs no plural forms, the one thing gettext would add.

Values passed to a message may be strings, numbers, other messages (rendered in the same language) or
lists of messages (joined with the language's list separator).
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

LANGUAGES = ("en", "ja")
DEFAULT_LANGUAGE = "en"


class Localized(Protocol):
    """Anything that can be shown in a language: a catalog `Message` or a literal pair (tests)."""

    def get(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Message:
    """A sentence by id, with the values it is filled with; `get(lang)` renders it.

    Args:
        id: A catalog id (`"overfitting.title"`).
        params: Placeholder name -> value (str, number, Message, or a list of Messages).
    """

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def get(self, lang: str) -> str:
        return render(self.id, lang, self.params)

    @property
    def en(self) -> str:
        return self.get("en")

    @property
    def ja(self) -> str:
        return self.get("ja")

    def __str__(self) -> str:
        return self.get(DEFAULT_LANGUAGE)


def say(message_id: str, **params: Any) -> Message:
    """The message `message_id` filled with `params`.

    Raises:
        KeyError: when the id is not in the catalog, or a placeholder of its English template is not given
            (a programming error: tests render every id).
    """
    needed = placeholders(catalog(DEFAULT_LANGUAGE)[message_id])
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"Expected values for {sorted(missing)} in message {message_id!r}. Received: {sorted(params)}")
    return Message(message_id, params)


def render(message_id: str, lang: str, params: Mapping[str, Any] | None = None) -> str:
    """The message in `lang` (English where `lang` lacks it, the id where both do); never raises."""
    template = catalog(lang).get(message_id) or catalog(DEFAULT_LANGUAGE).get(message_id) or message_id
    values = {name: _shown(value, lang) for name, value in (params or {}).items()}
    try:
        return template.format_map(_Lenient(values))
    except (ValueError, IndexError, AttributeError):
        return template


def text(message_id: str, lang: str, **params: Any) -> str:
    """Shorthand for views: `say(id, **params).get(lang)`."""
    return say(message_id, **params).get(lang)


def aside(words: str, lang: str) -> str:
    """Words in the language's parentheses after what precedes them: ` (…)` in English, `（…）` in Japanese."""
    return render("aside", lang, {"text": words})


def join(items: Iterable[Any], lang: str, separator: str = "list.separator") -> str:
    """Items shown in `lang`, joined with that language's separator (", " / "、")."""
    return render(separator, lang).join(_shown(item, lang) for item in items)


def placeholders(template: str) -> set[str]:
    """The named fields of a `str.format` template."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of one language: the `MESSAGES` of each module in `kerasdiag/messages/<lang>/`.

    Raises:
        ValueError: when two modules define the same id, or `lang` is not a language kerasdiag speaks.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"Expected a language ({', '.join(LANGUAGES)}). Received: {lang!r}")
    package = importlib.import_module(f"{__name__}.{lang}")
    merged: dict[str, str] = {}
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        messages: dict[str, str] = module.MESSAGES
        twice = merged.keys() & messages.keys()
        if twice:
            raise ValueError(f"Expected each message id once. Received {sorted(twice)} again in {module.__name__}")
        merged.update(messages)
    return merged


def in_language(value: Any, lang: str) -> str:
    """`value` in `lang` when it can be shown in one (a `Message`, a `Said`, an error), else `str(value)`."""
    get = getattr(value, "get", None)
    if callable(get) and not isinstance(value, Mapping):
        return str(get(lang))
    return str(value)


def _shown(value: Any, lang: str) -> str:
    """A placeholder's value: lists of messages are joined, anything else shown `in_language`."""
    if isinstance(value, (list, tuple)):
        return join(value, lang)
    return in_language(value, lang)


class _Lenient(dict):
    """Format values where a missing placeholder stays visible as `{name}` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
