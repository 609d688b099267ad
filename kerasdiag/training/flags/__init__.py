"""`kerasdiag train`: one run from flags. `run.train(config)` loads the data (`datasets`, checked by
`data_checks`), builds the model (`training.models`) and trains it with `fit` or the compiled fast path.
"""
