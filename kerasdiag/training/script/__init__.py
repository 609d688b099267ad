"""A learner's own script: `instrument` patches `Model.fit` (`kerasdiag run`, `kd.fit`), `fit_data` reads the
data from fit's arguments; `change` and `rerun` re-run the script with one fix applied (`kerasdiag fix`).
"""
