"""The run directory contract: every read and write of it.

`schema` names the files, history keys and TensorBoard tags (used by writer and
readers), `record` holds the RunRecord that rules see, `writer`/`reader` write and read
a kerasdiag run, `find` finds runs and plain Keras logs under a path, `tensorboard/`
reads and writes event files without TensorFlow. Never imports keras or tensorflow.
"""
