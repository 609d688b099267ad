"""診断の表示: 複数の実行の一覧表、ターミナルの各ブロック、HTML レポートの見出し、診断結果の一行。"""

MESSAGES = {
    "table.diagnose.title": "kerasdiag 診断",
    "table.diagnose.run": "実行",
    "table.diagnose.epochs": "エポック数",
    "table.diagnose.best_val_acc": "検証正解率（最良）",
    "table.diagnose.worst": "最も重い問題",
    "table.diagnose.findings": "見つかった問題",
    "table.diagnose.healthy": "問題なし",
    "table.diagnose.too_short": "エポック不足",
    # 診断結果の一行: 見つかった項目があるときに「問題は見つかりませんでした」とは書かない。
    "diagnosis.verdict.healthy": "問題は見つかりませんでした。",
    "diagnosis.verdict.notes": "警告やエラーはありません。参考情報が {count} 件あります。",
    "diagnosis.verdict.notes.one": "警告やエラーはありません。参考情報が 1 件あります。",
    "diagnosis.verdict.too_short": (
        "記録が {count} エポック分しかないため、判定できません。学習曲線を使う診断には、少なくとも {needed} "
        "エポック必要です。"
    ),
    "diagnosis.verdict.too_short.one": (
        "記録が 1 エポック分しかないため、判定できません。学習曲線を使う診断には、少なくとも {needed} "
        "エポック必要です。"
    ),
    "diagnosis.verdict.with_notes": "{verdict}{notes}",
    "diagnosis.verdict.notes_below": "参考情報が {count} 件あります。",
    "diagnosis.verdict.notes_below.one": "参考情報が 1 件あります。",
}
