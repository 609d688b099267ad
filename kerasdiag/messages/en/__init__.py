"""English messages, one module per area (the same module names as in `ja/`)."""
