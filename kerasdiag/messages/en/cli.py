"""The command line's own lines: headers, summaries, progress, footers and its errors (kerasdiag/cli)."""

MESSAGES = {
    "cli.interrupted": "Interrupted.",
    "cli.unexpected": "unexpected {kind}: {error} (run with --debug for the traceback)",
    "cli.run_directory": "  run directory: [path]{path}[/path]",
    "cli.tensorboard": "  TensorBoard:   tensorboard --logdir {logdir}",
    "cli.wrote": "Wrote [path]{path}[/path]",
    "cli.plot": "Plot of {metric}: [path]{path}[/path]",
    "cli.status_in": "{status} in {seconds} s",
    # run.json `status`, as a line of progress shows it
    "run.status.running": "running",
    "run.status.completed": "completed",
    "run.status.interrupted": "interrupted",
    "run.status.diverged": "diverged",
    "run.status.failed": "failed",
    # train
    "train.before": "[bold]Before training[/bold] (from the model and data alone):",
    "train.summary": "[bold]{name}[/bold]: {status}, {epochs} epochs in {seconds} s",
    "train.final": (
        "  final val_accuracy [metric]{val_acc}[/metric], val_loss {val_loss}; "
        "best val_loss {best_loss} at epoch {best_epoch} (val_accuracy {best_acc})"
    ),
    "train.gradients": "  gradient norm per layer (epoch {epoch}): {cells}  (first/last {ratio})",
    # run, report, compare
    "run.runs": "kerasdiag: {count} runs: {paths}",
    "report.page": "Report: [path]{path}[/path]",
    "compare.too_few": "Expected two or more runs to compare. Received: {count}",
    # sweep
    "sweep.header": "Sweep [path]{path}[/path]: {settings} settings x {repeats} seed(s) = {total} runs",
    "sweep.already_done": "already done",
    "sweep.setting_error": "{error} (setting {setting})",
    "sweep.too_many": "a sweep of at most {limit} runs (MAX_SWEEP_RUNS)",
    "sweep.too_many.received": "{settings} settings x --repeats {repeats}",
    "sweep.figure_title": "Sweep {name}: {argv}",
    "sweep.table_title": "Sweep {name}: mean±std over repeats",
    "sweep.interrupted": "[severity.warning]Interrupted[/]: {finished} runs finished. Resume with:\n  {hint}",
    # fix
    "fix.flags_such_as": "train flags such as --lr 0.001",
    "fix.flags": "train flags",
    "fix.note": "[dim]Note: {note}[/dim]",
    "fix.header": (
        "Fix [path]{run}[/path]: {fixes} fix(es) + baseline x {seeds} seeds = {total} runs, "
        "{epochs} epochs, backend {backend}{how}"
    ),
    "fix.header.script": ", script {script} fit #{fit}, one run at a time",
    "fix.interrupted": "[severity.warning]Interrupted[/]: {done} of {total} runs finished or stopped.",
    "fix.not_applied": "Not applied {flags} ({rules}): {reason}",
    "fix.nothing.none_applicable": "Nothing to retrain: no fix can be applied automatically.",
    "fix.nothing.no_finding": "Nothing to retrain: the run has no warning or error finding.",
}
