"""The language a learner reads, from the locale: `LC_ALL`, `LC_MESSAGES`, then `LANG` (the first one set)."""

from __future__ import annotations

import os


def language_from_locale() -> str:
    """`"ja"` when the first locale variable set names Japanese (`ja_JP.UTF-8`), else `"en"`."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return "ja" if os.environ[name].startswith("ja") else "en"
    return "en"
