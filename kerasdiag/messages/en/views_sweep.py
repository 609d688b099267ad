"""The sweep view: the table's headings."""

MESSAGES = {
    "view.sweep.setting": "setting",
    "view.sweep.runs": "runs",
    "view.sweep.main_finding": "main finding",
}
