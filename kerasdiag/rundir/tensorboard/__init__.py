"""TensorBoard event files without TensorFlow: `compat` (tensorboard's no-TF marker),
`reader` (any Keras log folder as a RunRecord), `scalars` (one folder of any writer's scalars,
e.g. torch's SummaryWriter), `writer` (scalars, histograms, text).
"""
