"""Many runs: `sweep/` (one run per flag combination: `run`, `summary`), `fix/` (retrain a run with each
finding's fix: `run` for train runs, `script` for a script's runs, `summary`), `batched` (`train_many`, the
one dispatcher both use), `compare` (data only, no rendering).
"""
