"""The run directory contract: every read and write of it.

`schema` names the files, history keys and TensorBoard tags (used by writer and
readers); `record` holds the RunRecord that rules see, built from `epochs` (the
columnar epoch table), `model_summary` and `summaries` (data summary, predictions);
`writer`/`reader` write and read a kerasdiag run (`values` checks history values);
`find` finds runs and other writers' logs under a path; `tensorboard/` reads (`read/`) and
writes (`write/`) event files without TensorFlow; `formats` reads CSVLogger and History JSON
files, and `metric_names` maps other writers' tag, column and key names to
kerasdiag's metrics. Never imports keras or tensorflow.
"""
