"""Writing event files: `records` (TFRecord framing), `writer` (`SummaryWriter`), `histograms` (many weight
histograms in one NumPy pass).
"""
