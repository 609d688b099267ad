"""A Diagnosis as Markdown: TensorBoard's Text tab, `diagnose --format markdown`, files.

Markdown is a serialisation of the findings, like `Diagnosis.to_dict` is for JSON: it lives
beside them because training writes it into the run's TensorBoard logs (training sits below render/).
"""

from __future__ import annotations

from kerasdiag.diagnosis.findings import Diagnosis, Fix, rule_name
from kerasdiag.messages import aside, render


def diagnosis_markdown(diagnosis: Diagnosis, lang: str = "en") -> str:
    lines = [f"## kerasdiag: {diagnosis.run}", ""]
    if diagnosis.source and diagnosis.source.read:
        lines += [f"_{diagnosis.source.line(lang)}_", ""]
    head = verdict(diagnosis, lang)
    if head:
        lines += [head, ""]
    if diagnosis.first_fix is not None:
        rule, first = diagnosis.first_fix
        heading = render("diagnosis.first_fix", lang)
        change = f"`{first.flags}`" if first.code is None else _code(first, lang)
        lines += [f"**{heading}:** {change}{aside(rule_name(rule, lang), lang)}: {first.why.get(lang)}", ""]
    for finding in diagnosis.findings:
        label, name = finding.severity.shown(lang), rule_name(finding.rule, lang)
        if finding.caused_by:
            cause = render("diagnosis.caused_by", lang, {"cause": f"`{rule_name(finding.caused_by, lang)}`"})
            lines += [f"#### ↳ [{label}] `{name}`{aside(cause, lang)}: {finding.title.get(lang)}", ""]
        else:
            lines += [f"### [{label}] `{name}`: {finding.title.get(lang)}", ""]
        evidence = render("diagnosis.evidence", lang)
        lines += [f"**{evidence}:** {finding.summary.get(lang)}", "", finding.explanation.get(lang), ""]
        lines += [_fix_line(fix, lang) for fix in finding.fixes]
        lines.append("")
    if diagnosis.skipped:
        skipped = render("list.semicolon", lang).join(
            f"`{rule_name(s.rule, lang)}`{aside(s.reason_in(lang), lang)}" for s in diagnosis.skipped
        )
        lines += [f"_{render('diagnosis.skipped', lang)}:_ " + skipped, ""]
    return "\n".join(lines)


def _fix_line(fix: Fix, lang: str) -> str:
    """`- `--flags`: why`, or for a script's run `- `train.py:42`: <code>. why`."""
    if fix.code is None:
        return f"- `{fix.flags}`: {fix.why.get(lang)}"
    return "- " + render("code.with_why", lang, {"code": _code(fix, lang), "why": fix.why.get(lang)})


def _code(fix: Fix, lang: str) -> str:
    """A code form after its place in code type: `train.py:42`: fit(..., epochs=34)."""
    code = fix.code.get(lang) if fix.code is not None else fix.flags
    return render("code.at", lang, {"at": f"`{fix.at}`", "code": code}) if fix.at else code


def verdict(diagnosis: Diagnosis, lang: str) -> str | None:
    """The line above the findings (`Diagnosis.verdict`): None when there is a warning or an error (the findings
    speak); "No problems found." only with no finding in a run long enough to judge; a count of notes with info
    findings only; and for a run shorter than the curve rules need, that it is too short to judge."""
    return diagnosis.verdict(lang)
