"""run-incomplete: the run stopped early, or its logs are partial or damaged."""

from __future__ import annotations

from kerasdiag.diagnosis.findings import Finding, Severity, Text
from kerasdiag.diagnosis.rules.base import About, config_value, finding, fix, text
from kerasdiag.diagnosis.thresholds import Thresholds
from kerasdiag.rundir.record import RunRecord

# status -> (severity, what it means)
STATUS_MEANING: dict[str, tuple[Severity, Text]] = {
    "failed": (Severity.ERROR, text("training failed with an error", "学習がエラーで失敗した")),
    "interrupted": (Severity.WARNING, text("training was interrupted", "学習が中断された")),
    "running": (
        Severity.WARNING,
        text(
            "the status is still 'running': training is going on, or its process was killed",
            "状態がまだ「実行中」: 学習が続いているか、プロセスが強制終了された",
        ),
    ),
    "diverged": (
        Severity.INFO,
        text(
            "training stopped because the loss diverged (see divergence)",
            "損失が発散したため学習が止まった（divergence を参照）",
        ),
    ),
}


def incompleteness(record: RunRecord) -> list[tuple[Severity, Text]]:
    """Every reason the run is incomplete, each with its severity."""
    reasons = []
    if record.status in STATUS_MEANING:
        severity, meaning = STATUS_MEANING[record.status]
        if record.error:
            meaning = text(f"{meaning.en}: {record.error}", f"{meaning.ja}: {record.error}")
        reasons.append((severity, meaning))
    if record.problems:
        listed = "; ".join(record.problems)
        reasons.append(
            (Severity.WARNING, text(f"damaged or partial files: {listed}", f"壊れた・不完全なファイル: {listed}"))
        )
    done, planned = len(record.epochs), config_value(record, "epochs")
    if done == 0:
        reasons.append((Severity.ERROR, text("no epoch finished", "終了したエポックがない")))
    elif planned and done < int(planned) and record.status == "completed":
        reasons.append(
            (
                Severity.INFO,
                text(
                    f"{done} of {planned} planned epochs ran",
                    f"予定の {planned} エポックのうち {done} エポックだけ実行された",
                ),
            )
        )
    reasons += _several_runs(record)
    if done == 1:
        reasons.append(
            (
                Severity.INFO,
                text(
                    "only one epoch: the curve rules need several",
                    "エポックが 1 つだけ: 曲線のルールには複数のエポックが必要",
                ),
            )
        )
    return reasons


def _several_runs(record: RunRecord) -> list[tuple[Severity, Text]]:
    """An info when a plain Keras log folder holds several runs (a script ran again into it)."""
    if not record.earlier_runs:
        return []
    count = len(record.earlier_runs) + 1
    return [
        (
            Severity.INFO,
            text(
                f"this log folder holds {count} runs (a script ran again into it); the curves are the latest "
                "run's, as TensorBoard shows them",
                f"このログフォルダには {count} 回分の実行がある（スクリプトを再実行した）。曲線は TensorBoard と同じく"
                "最新の実行のもの",
            ),
        )
    ]


def check_run_incomplete(record: RunRecord, th: Thresholds) -> list[Finding]:
    reasons = incompleteness(record)
    if not reasons:
        return []
    severity = max(s for s, _ in reasons)
    planned = config_value(record, "epochs")
    evidence = {
        "status": record.status,
        "error": record.error,
        "problems": list(record.problems),
        "epochs_done": len(record.epochs),
        "epochs_planned": planned,
        "reasons": [r.en for _, r in reasons],
        "runs_in_folder": len(record.earlier_runs) + 1,
    }
    summary = text(
        "Run incomplete: " + "; ".join(r.en for _, r in reasons) + ".",
        "不完全な実行: " + "、".join(r.ja for _, r in reasons) + "。",
    )
    rerun = fix(f"--epochs {planned or 20}", "Run the training again to the end.", "学習を最後までやり直す。")
    fixes = [rerun] if severity >= Severity.WARNING else []
    return [finding("run-incomplete", severity, summary, evidence, fixes, ABOUT)]


def unreadable(error: Exception) -> Finding:
    """The run-incomplete error for a run that could not be read at all (it is listed, never dropped)."""
    evidence = {"status": None, "error": str(error), "problems": [str(error)], "epochs_done": 0, "reasons": []}
    summary = text(f"Run unreadable: {error}.", f"実行を読めない: {error}。")
    rerun = fix("--epochs 20", "Run the training again.", "学習をやり直す。")
    return finding("run-incomplete", Severity.ERROR, summary, evidence, [rerun], ABOUT)


TITLE = text("The run is incomplete", "実行が不完全")
EXPLANATION = text(
    "The diagnosis can only judge the epochs that were recorded. A run that stopped early, or whose files "
    "are "
    "partial, may hide what would have happened next; findings about trends are less certain.",
    "診断は記録されたエポックしか判断できません。途中で止まった実行やファイルが欠けている実行では、その先に"
    "起きたはずのことが見えず、傾向についての判定は不確かになります。",
)
ABOUT = About(TITLE, EXPLANATION)
