"""Find English prose left in output that should be Japanese.

Identifiers, flags, code, paths, numbers and rule ids may stay; a run of three or more plain English words
is a sentence (or its fragment) that the catalog failed to translate.
"""

from __future__ import annotations

import re

# Tokens that are not prose: `code`, --flags, paths, key=value, snake_case / kebab-case / CamelCase / dotted
# identifiers, numbers with units, URLs.
NOT_PROSE = [
    r"`[^`]*`",
    r"https?://\S+",
    r"(?<!\w)--?[A-Za-z][\w-]*(?:[ =][^\s,;)]+)?",
    r"\S*[/\\]\S*",
    r"\b\w+=\S+",
    r"\b[A-Za-z]+(?:[_.][A-Za-z0-9]+)+\b",
    r"\b[a-z]+(?:-[a-z0-9]+)+\b",
    r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+\b",
    r"\b\w*\d\w*\b",
]
WORD_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")
# Names and words that stay English in Japanese text (products, Keras API words without markup).
ALLOWED = {"kerasdiag", "keras", "tensorboard", "tensorflow", "jax", "torch", "relu", "softmax", "sigmoid", "tanh"}


def english_left(output: str) -> list[str]:
    """Every run of 3+ English words in `output` after identifiers, code and paths are removed."""
    text = output
    for pattern in NOT_PROSE:
        text = re.sub(pattern, " ", text)
    found = []
    for match in WORD_RUN.finditer(text):
        words = [w for w in re.split(r"[ ,]+", match.group(0)) if w.lower() not in ALLOWED]
        if len(words) >= 3:
            found.append(match.group(0))
    return found
