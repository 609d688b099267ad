"""The report of one run: PNG figures in the run directory and a self-contained `report.html`.

The HTML embeds its images as base64 data URIs and needs no server, no network and no
other file: it opens in any browser. Every string from the run is escaped (`_escape`: HTML, and control
characters shown as `\\x1b`). Its words, and the
figures', are in the report's `lang`; the templates of `messages/*/views_report.py` are HTML
(trusted), the values filled into them are escaped.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kerasdiag.diagnosis.findings import Diagnosis, Finding, Fix, rule_name
from kerasdiag.diagnosis.markdown import verdict
from kerasdiag.experiments.compare import FIRST_OUTPUT, class_labels, criterion, split_name
from kerasdiag.measures.calibration import reliability
from kerasdiag.measures.metrics import final_and_best
from kerasdiag.measures.threshold import Threshold, threshold_for_run
from kerasdiag.messages import catalog, render, text
from kerasdiag.render.compare import metric_label, scored_on
from kerasdiag.render.files import MAX_OWNED_BYTES, OwnedFiles, read_regular
from kerasdiag.render.safe import LINE_BREAK, printable
from kerasdiag.rundir.record import RunRecord

REPORT_HTML = "report.html"
# Figure file -> the message id of its caption.
CAPTIONS = {
    "loss.png": "view.report.caption.loss",
    "accuracy.png": "view.report.caption.accuracy",
    "gradients.png": "view.report.caption.gradients",
    "probabilities.png": "view.report.caption.probabilities",
    "reliability.png": "view.report.caption.reliability",
}
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: .25em .6em; }
th { background: #f5f5f5; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.finding { border-left: 5px solid #999; padding: .2em 1em; margin: 1em 0; background: #fafafa; }
.error { border-color: #c62828; } .warning { border-color: #f9a825; } .info { border-color: #0288d1; }
figure { margin: 1em 0; } figure img { max-width: 100%; } figcaption { color: #555; font-size: .9em; }
code { background: #f0f0f0; padding: 0 .2em; }
"""


def write_figures(
    record: RunRecord,
    out: Path,
    threshold: Threshold | None = None,
    lang: str = "en",
    owned: OwnedFiles | None = None,
) -> list[Path]:
    """loss.png, accuracy.png, gradients.png and, with predictions, probabilities.png and reliability.png: drawn as
    compare draws them (classes named by label, `threshold` on P(first class), every bin with its sample count).

    Each goes where `owned` (`out`'s manifest, read when not given) places it: never over a file kerasdiag did
    not write (`render.files`).
    """
    from kerasdiag.render import figures as plots

    owned = owned if owned is not None else OwnedFiles.read(out)
    label = Path(record.path).name
    runs = [(label, record)]
    plans: list[tuple[str, Callable[[Path], Path]]] = [
        ("loss.png", lambda path: plots.curves_figure(runs, "loss", path, lang))
    ]
    if record.has("accuracy"):
        plans.append(("accuracy.png", lambda path: plots.curves_figure(runs, "accuracy", path, lang)))
    plans.append(("gradients.png", lambda path: plots.gradients_figure(record, path, lang)))
    if record.predictions is not None:
        labels = class_labels(record, record.predictions.probs.shape[1]) if record.predictions.probs.ndim == 2 else ()
        predicted = [plots.HeldOut(label, record.predictions, labels, threshold)]
        plans.append(("probabilities.png", lambda path: plots.probabilities_figure(predicted, path, lang)))
        plans.append(("reliability.png", lambda path: plots.reliability_figure(predicted, path, lang)))
    places = [owned.place(name) for name, _ in plans]  # a link or folder in the way: refused before any is drawn
    return [owned.record(draw(place)) for (_, draw), place in zip(plans, places)]


def write_report(
    record: RunRecord, diagnosis: Diagnosis, out: Path, lang: str = "en", owned: OwnedFiles | None = None
) -> Path:
    """Write the figures and `report.html` into `out` (the run directory); return the HTML path.

    A file kerasdiag did not write is never overwritten: the page or figure goes beside it under a new name
    (`report-2.html`), which `owned.beside` lists; a link, folder or device in the way is refused (RunDirError).
    """
    owned = owned if owned is not None else OwnedFiles.read(out)
    path = owned.place(REPORT_HTML)  # refused before any figure is drawn
    threshold = threshold_for_run(record, positive=FIRST_OUTPUT)  # as compare: on P(first class)
    images = write_figures(record, out, threshold, lang, owned)
    page = render_html(record, diagnosis, images, threshold, lang)
    return owned.write(path, page.encode("utf-8", "backslashreplace"))


def render_html(
    record: RunRecord, diagnosis: Diagnosis, images: list[Path], threshold: Threshold | None, lang: str = "en"
) -> str:
    """The whole page as one string: summary, findings, figures (inline), config."""
    title = _html("view.report.title", lang, name=Path(record.path).name)
    status = _html("view.report.status", lang, status=_status(record.status, lang), epochs=len(record.epochs))
    parts = [
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p>{status}</p>",
        _metrics_table(record, threshold, lang),
        f"<h2>{_html('view.report.findings', lang)}</h2>",
        _findings(diagnosis, lang),
        f"<h2>{_html('view.report.figures', lang)}</h2>",
        *(_figure(image, lang) for image in images),
        f"<h2>{_html('view.report.config', lang)}</h2>",
        _config_table(record.config or {}),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def _escape(value: object) -> str:
    """Text from the run in the page: HTML-escaped, control characters and lone surrogates shown escaped."""
    return html.escape(printable(value, keep=LINE_BREAK))


def _html(message_id: str, lang: str, **params: Any) -> str:
    """A catalog template of this page (trusted HTML) filled with escaped values."""
    return render(message_id, lang, {name: _escape(str(value)) for name, value in params.items()})


def _status(status: Any, lang: str) -> str:
    """A run's status (`completed`) as a person reads it in `lang`; one kerasdiag does not know stays as it is."""
    key = f"view.report.status.{status}"
    return render(key, lang) if key in catalog("en") else str(status)


def _metrics_table(record: RunRecord, threshold: Threshold | None, lang: str = "en") -> str:
    """Final and best metrics, the ECE and, for two classes, the suggested threshold: what it predicts, how it
    was chosen, the samples it was scored on (none of which chose it) and the accuracies there."""
    rows = [
        (_escape(metric_label(k, lang)), f"{v:.0f}" if "epoch" in k else f"{v:.4f}", True)
        for k, v in final_and_best(record).items()
    ]
    pred = record.predictions
    if pred is not None:
        measured = reliability(pred.y_true, pred.probs).ece
        ece = f"{measured:.4f}" if math.isfinite(measured) else "-"  # no row of probabilities (NaN, a divergence)
        rows.append((_html("view.report.ece", lang, split=split_name(pred.split, lang)), ece, True))
    if threshold is not None and pred is not None:
        labels = class_labels(record, pred.probs.shape[1])
        label, other = (labels[c] if c < len(labels) else str(c) for c in (threshold.positive, 1 - threshold.positive))
        rule = {
            "label": label,
            "other": other,
            "value": f"{threshold.value:.3f}",
            "criterion": criterion(threshold, lang),
            "chosen": threshold.chosen_samples,
            "val_balanced": f"{threshold.val_balanced_accuracy:.4f}",
        }
        rows += [
            (_html("view.report.threshold", lang, label=label), f"{threshold.value:.3f}", True),
            (_html("view.report.threshold_rule", lang), text("view.report.threshold_value", lang, **rule), False),
            (_html("view.report.threshold_scored", lang), scored_on(threshold, lang), False),
            (_html("view.report.accuracy_at_threshold", lang), f"{threshold.accuracy:.4f}", True),
            (_html("view.report.balanced_at_threshold", lang), f"{threshold.balanced_accuracy:.4f}", True),
            (_html("view.report.accuracy_at_half", lang), f"{threshold.accuracy_at_half:.4f}", True),
        ]
    cell = {True: '<td class="num">', False: "<td>"}
    body = "".join(f"<tr><th>{k}</th>{cell[number]}{_escape(v)}</td></tr>" for k, v, number in rows)
    return f"<table>{body}</table>"


def _findings(diagnosis: Diagnosis, lang: str) -> str:
    head = verdict(diagnosis, lang)
    lead = f"<p>{_escape(head)}</p>\n" if head else ""
    return lead + "\n".join(_finding(f, lang) for f in diagnosis.findings)


def _finding(finding: Finding, lang: str) -> str:
    severity = finding.severity.label
    shown, name = finding.severity.shown(lang), rule_name(finding.rule, lang)
    evidence_word, fixes_word = render("diagnosis.evidence", lang), render("diagnosis.fixes", lang)
    evidence = "".join(
        f"<tr><th>{_escape(str(k))}</th><td>{_escape(_value(v))}</td></tr>" for k, v in finding.evidence.items()
    )
    fixes = "".join(f"<li>{_fix(fix, lang)}</li>" for fix in finding.fixes)
    # English names a rule by its id (code); Japanese by its name, which is prose.
    name = f"<code>{_escape(name)}</code>" if lang == "en" else _escape(name)
    return (
        f'<div class="finding {severity}"><h3>[{_escape(shown)}] {name}: '
        f"{_escape(finding.title.get(lang))}</h3>"
        f"<p><b>{_escape(evidence_word)}:</b> {_escape(finding.summary.get(lang))}</p>"
        f"<details><summary>{_html('view.report.numbers', lang, evidence=evidence_word)}</summary>"
        f"<table>{evidence}</table></details>"
        f"<p>{_escape(finding.explanation.get(lang))}</p>"
        + (f"<p><b>{_escape(fixes_word)}:</b></p><ul>{fixes}</ul>" if fixes else "")
        + "</div>"
    )


def _fix(fix: Fix, lang: str) -> str:
    """`<code>--flags</code>: why`, or for a script's run `<code>train.py:42</code>: <code form>. why`."""
    why = _escape(fix.why.get(lang))
    if fix.code is None:
        return f"<code>{_escape(fix.flags)}</code>: {why}"
    line = render("code.with_why", lang, {"code": _escape(fix.code.get(lang)), "why": why})
    return render("code.at", lang, {"at": f"<code>{_escape(fix.at)}</code>", "code": line}) if fix.at else line


def _figure(image: Path, lang: str = "en") -> str:
    data = base64.b64encode(read_regular(image, MAX_OWNED_BYTES) or b"").decode("ascii")
    name = re.sub(r"-\d+(\.png)$", r"\1", image.name)  # loss-2.png, written beside a user's loss.png
    caption = _html(CAPTIONS[name], lang) if name in CAPTIONS else _escape(image.name)
    alt = _escape(image.stem)
    return f'<figure><img alt="{alt}" src="data:image/png;base64,{data}"><figcaption>{caption}</figcaption></figure>'


def _config_table(config: dict[str, Any]) -> str:
    body = "".join(f"<tr><th>{_escape(str(k))}</th><td>{_escape(_value(v))}</td></tr>" for k, v in config.items())
    return f"<table>{body}</table>"


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return str(type(value).__name__)
