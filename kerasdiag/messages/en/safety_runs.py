"""What training, sweeps, fix and board say to keep runs whole and run only what the user asked for."""

MESSAGES = {
    # A run that failed once its directory existed (training/session.py, rundir/writer.py)
    "safety.runs.disk_full": "no space left on the device",
    "safety.runs.to_the_end": "training that runs to its end",
    "safety.runs.failed": "{error} ({path} is kept, marked failed, with its diagnosis)",
    # Sweeps (cli/sweep_cmd.py)
    "safety.sweep.started": "No sweep named {name} yet: starting it.",
    "safety.sweep.run_failed": "  [severity.error]failed[/]: {run}: {error}",
    "safety.sweep.failed": (
        "{count} run(s) failed (sweep.json lists each with the reason); train them again with:\n  {hint}"
    ),
    "safety.sweep.board": "TensorBoard on this sweep's runs: {command}",
    # --train-size beyond the data set (config.py, training/flags/datasets.py)
    "safety.train_size.at_most": "--train-size at most {samples}, the samples of {dataset}",
    # fix on a script's run (cli/fix_cmd.py)
    "safety.fix.script_expected": (
        "--script {command} to let fix run the script run.json names ({runs} times, in this process)"
    ),
    "safety.fix.no_terminal": "no --script, and no terminal to ask on",
    "safety.fix.will_run": (
        "This run was made by a script. fix will run it {runs} times, in this process, as:\n  {command}"
    ),
    "safety.fix.confirm": "Run it?",
    "safety.fix.declined": "Nothing was run.",
}
