"""Training: the only package that imports keras.

`run.train(config)` drives a run: `datasets` loads the data, `models` builds the
keras.Model from flags, `callbacks/` measure and log each epoch, `fastfit/` is the
compiled whole-epoch loop, `backends/` holds the few lines that differ per backend.
"""
