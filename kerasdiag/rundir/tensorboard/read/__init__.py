"""Reading event files: `events` (files and records), `reader` (Keras log folders), `scalars` (one folder
of any writer's scalars), `sessions` (several runs in one folder), `model_text` (the `keras` text tag).
"""
