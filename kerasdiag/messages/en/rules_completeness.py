"""The completeness rule: run-incomplete, a run that stopped early or whose logs are partial, damaged or unreadable."""

MESSAGES = {
    "run-incomplete.title": "The run is incomplete",
    "run-incomplete.explanation": (
        "The diagnosis can only judge the epochs that were recorded. A run that stopped early, or whose files are "
        "partial, may hide what would have happened next; findings about trends are less certain."
    ),
    "run-incomplete.summary": "Run incomplete: {reasons}.",
    "run-incomplete.reason_separator": "; ",
    "run-incomplete.status.failed": "training failed with an error",
    "run-incomplete.status.interrupted": "training was interrupted",
    "run-incomplete.status.running": "the status is still 'running': training is going on, or its process was killed",
    "run-incomplete.status.diverged": "training stopped because the loss diverged (see divergence)",
    "run-incomplete.with_error": "{meaning}: {error}",
    "run-incomplete.damaged": "damaged or partial files: {files}",
    "run-incomplete.no_epochs": "no epoch finished",
    "run-incomplete.fewer_epochs": "{done} of {planned} planned epochs ran",
    "run-incomplete.several_runs.file": (
        "this CSV log holds {count} runs (CSVLogger(append=True) added each run to it); the curves are the latest "
        "run's, the earlier ones are listed apart"
    ),
    "run-incomplete.several_runs": (
        "this log folder holds {count} runs (a script ran again into it); the curves are the latest run's, as "
        "TensorBoard shows them"
    ),
    "run-incomplete.fix.rerun": "Run the training again to the end.",
    "run-incomplete.fix.failed": "Mend the error the summary names, then run the training again.",
    "run-incomplete.unreadable": "Run unreadable: {error}.",
    "run-incomplete.fix.rerun_unreadable": "Run the training again.",
}
