"""Diagnoses as JSON for machines (`--format json`): plain `json.dumps`, never through Rich.

Control characters, bidirectional overrides and lone surrogates in strings are written as `\\u` escapes
(`render.safe.json_text`): the same JSON values, safe to print to a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kerasdiag.diagnosis.findings import Diagnosis
from kerasdiag.render.safe import json_text


def diagnosis_json(diagnoses: Sequence[Diagnosis], lang: str = "en") -> str:
    """The machine form: one object for one run, a list for several."""
    payload: Any = [d.to_dict(lang) for d in diagnoses]
    return json_text(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False))
