"""Japanese messages, one module per area (the same module names as in `en/`).

Write as a Japanese teacher would explain it, with the terms of `kerasdiag/messages/glossary.py`.
"""
