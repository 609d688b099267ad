"""Training: the only package that imports keras. One room per pipeline, shared parts at the root.

`flags/` is `kerasdiag train`: `run.train(config)` drives a run from flags, `datasets` loads the data
(`data_checks` checks it). `script/` is a learner's own script under `kerasdiag run` / `kd.Diagnose`:
`instrument` patches `Model.fit`, `fit_data` reads the data from fit's arguments, `change` and `rerun`
re-run it with a fix. `vector/` trains many runs of one architecture as one JAX program (`run`,
`program`, `chunk`, `log`). Shared by all three: `session` (one run's directory, record and end),
`models` (builds flag models; which layers probes measure), `signals`, `callbacks/` (measure and log
each epoch), `fastfit/` (the compiled whole-epoch loop), `backends/` (the few lines that differ per backend).
"""
