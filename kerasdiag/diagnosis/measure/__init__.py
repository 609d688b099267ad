"""Pure measurements the rules judge: `series` on per-epoch arrays, `record` on what a run's logs show.

Nothing here decides or words anything: rules in `diagnosis/rules/` compare these numbers with
`Thresholds` and name the messages that explain them.
"""
