"""TensorBoard event files without TensorFlow: `compat` (tensorboard's no-TF marker),
`reader` (any Keras log folder as a RunRecord), `writer` (scalars, histograms, text).
"""
