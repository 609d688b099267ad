"""Many runs: `sweep` (one run per flag combination), `sweep_summary` and `compare` (data
only, no rendering), `board` (TensorBoard as a child process).
"""
