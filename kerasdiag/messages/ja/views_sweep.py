"""sweep の表示: 表の見出し。"""

MESSAGES = {
    "view.sweep.setting": "設定",
    "view.sweep.runs": "実行数",
    "view.sweep.main_finding": "主な問題",
}
