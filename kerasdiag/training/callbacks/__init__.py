"""Keras callbacks, one job each: `ProbeCallback` measures, `RunLogger` writes the run
directory, `BestWeights` keeps the best epoch's weights, `ProgressCallback` draws the bar.
"""
