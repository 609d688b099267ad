"""`kerasdiag fix`: `run` plans and trains the fixes of a `kerasdiag train` run, `script` those of a script's
run, `summary` turns the members into differences with intervals.
"""
