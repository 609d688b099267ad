"""診断の表示: 複数の実行の一覧表、ターミナルの各ブロック、HTML レポートの見出し。"""

MESSAGES = {
    "table.diagnose.title": "kerasdiag 診断",
    "table.diagnose.run": "実行",
    "table.diagnose.epochs": "エポック数",
    "table.diagnose.best_val_acc": "検証正解率（最良）",
    "table.diagnose.worst": "最も重い問題",
    "table.diagnose.findings": "見つかった問題",
    "table.diagnose.healthy": "問題なし",
}
