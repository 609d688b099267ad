"""Reading event files: `events` (files, records, split folders), `reader` (Keras log folders), `split_tags` (what a
tag in a split folder means), `update_freq` (Keras's per-iteration points placed on epochs), `scalars` (one folder
of any writer's scalars, torch's add_scalars sub-folders), `kept` (what is kept of the values read), `sessions`
(several runs in one folder), `model_text` (the `keras` text tag).
"""
