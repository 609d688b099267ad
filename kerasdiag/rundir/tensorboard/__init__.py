"""TensorBoard event files without TensorFlow: `read/` (`events`: files and records; `reader`: any Keras log
folder as a RunRecord, `train/` + `test/` included; `scalars`: one folder of any writer's scalars, e.g. torch's
SummaryWriter and its add_scalars sub-folders; `split_tags`; `update_freq`; `kept`; `sessions`; `model_text`),
`write/` (`records`: TFRecord framing; `writer`: scalars, histograms, text; `histograms`: many at once), and `crc`
(the masked CRC-32C both use).
"""
