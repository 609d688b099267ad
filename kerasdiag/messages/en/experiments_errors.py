"""Refusals of sweep and fix: what a sweep's values or a fix's run must be."""

MESSAGES = {
    "sweep.error.one_value": "at least one value",
    "sweep.error.range_syntax": "an integer range like 2..10",
    "sweep.error.range_order": "a range whose end is not below its start",
    "sweep.error.range_size": "a range of at most {limit} values (MAX_SWEEP_RUNS)",
    "sweep.error.sweep_size": "a sweep of at most {limit} settings (MAX_SWEEP_RUNS)",
    "sweep.error.resume_same": (
        "the same settings and --repeats as the sweep being resumed ({path}: {settings} settings x {repeats})"
    ),
    "sweep.error.resume_given": "{settings} settings x {repeats}",
    "sweep.error.readable": "a readable sweep ({file}) in {path}",
    "fix.error.train_run": "a kerasdiag train run (its run.json holds the RunConfig that fix retrains)",
    "fix.error.no_train_config": "{path} ({source} logs without a train config)",
    "fix.error.only": "a warning or error finding of this run for --only (its findings: {present})",
    "fix.error.only_none": "none",
    "fix.error.script_missing": "the run's script where run.json says it is (fix re-runs it)",
    "fix.error.not_found": "{path} (not found)",
}
