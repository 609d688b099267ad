"""`kerasdiag sweep`: `run` expands flag values into settings and trains them into one sweep directory;
`summary` turns the runs into one row per setting.
"""
