"""Diagnosis: pure functions from a RunRecord to findings; no Keras, no I/O.

`engine` holds the rule registry and `diagnose_run`; `rules/` one module per rule family;
`thresholds` every threshold in one dataclass; `findings` the result types; `runs`
diagnoses a path (one run, plain Keras logs, or a folder of runs).
"""
