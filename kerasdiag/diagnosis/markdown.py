"""A Diagnosis as Markdown: TensorBoard's Text tab, `diagnose --format markdown`, files.

Markdown is a serialisation of the findings, like `Diagnosis.to_dict` is for JSON: it lives
beside them because training writes it into the run's TensorBoard logs (training sits below render/).
"""

from __future__ import annotations

from kerasdiag.diagnosis.findings import Diagnosis, Finding, Severity

HEADINGS = {
    "en": {
        "healthy": "No problems found.",
        "fixes": "Try",
        "skipped": "Not evaluated",
        "evidence": "Evidence",
        "first_fix": "First fix to try",
        "caused_by": "symptom of",
    },
    "ja": {
        "healthy": "問題は見つかりませんでした。",
        "first_fix": "最初に試すこと",
        "caused_by": "原因:",
        "fixes": "試すこと",
        "skipped": "評価できなかったルール",
        "evidence": "根拠",
    },
}


def diagnosis_markdown(diagnosis: Diagnosis, lang: str = "en") -> str:
    text = HEADINGS[lang]
    lines = [f"## kerasdiag: {diagnosis.run}", ""]
    if diagnosis.source and diagnosis.source.read:
        lines += [f"_{diagnosis.source.line()}_", ""]
    if not problems(diagnosis):
        lines += [text["healthy"], ""]
    if diagnosis.first_fix is not None:
        rule, first = diagnosis.first_fix
        lines += [f"**{text['first_fix']}:** `{first.flags}` ({rule}): {first.why.get(lang)}", ""]
    for finding in diagnosis.findings:
        if finding.caused_by:
            head = f"#### ↳ [{finding.severity.label}] `{finding.rule}` ({text['caused_by']} `{finding.caused_by}`)"
            lines += [f"{head}: {finding.title.get(lang)}", ""]
        else:
            lines += [f"### [{finding.severity.label}] `{finding.rule}`: {finding.title.get(lang)}", ""]
        lines += [f"**{text['evidence']}:** {finding.summary.get(lang)}", "", finding.explanation.get(lang), ""]
        lines += [f"- `{fix.flags}`: {fix.why.get(lang)}" for fix in finding.fixes]
        lines.append("")
    if diagnosis.skipped:
        lines += [f"_{text['skipped']}:_ " + "; ".join(f"`{s.rule}` ({s.reason})" for s in diagnosis.skipped), ""]
    return "\n".join(lines)


def problems(diagnosis: Diagnosis) -> list[Finding]:
    return [f for f in diagnosis.findings if f.severity >= Severity.WARNING]
