"""Numbers measured from a run, one definition each: final/best metrics and best epoch
(`metrics`), calibration and ECE (`calibration`), a two-class threshold (`threshold`).
"""
