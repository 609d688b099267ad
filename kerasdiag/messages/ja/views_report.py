"""1 つの実行の HTML レポート。テンプレートは HTML: ページは埋め込む値をエスケープし、テンプレートはそのまま使う。"""

MESSAGES = {
    "view.report.title": "kerasdiag レポート: {name}",
    "view.report.status": "状態: <b>{status}</b>（{epochs} エポック）",
    "view.report.status.running": "実行中",
    "view.report.status.completed": "完了",
    "view.report.status.interrupted": "中断",
    "view.report.status.diverged": "発散して停止",
    "view.report.status.failed": "失敗",
    "view.report.findings": "見つかった問題",
    "view.report.figures": "図",
    "view.report.config": "設定",
    "view.report.numbers": "{evidence}（数値）",
    "view.report.ece": "ECE: 確信度と正解率のずれの平均（{split}）",
    "view.report.threshold": "P({label}) の判定しきい値の提案",
    "view.report.threshold_rule": "しきい値の使い方と選び方",
    "view.report.threshold_value": (
        "P({label}) >= {value} なら {label}、そうでなければ {other} と判定します。これは、{criterion}。"
        "検証データの {chosen} サンプルで選び、そこでのバランス正解率は {val_balanced} です。"
    ),
    "view.report.threshold_scored": "しきい値の評価に使ったデータ",
    "view.report.accuracy_at_threshold": "そのしきい値での正解率（評価に使ったデータ）",
    "view.report.balanced_at_threshold": "そのしきい値でのバランス正解率（評価に使ったデータ）",
    "view.report.accuracy_at_half": "しきい値 0.5 での正解率（評価に使ったデータ）",
    "view.report.caption.loss": "訓練データと検証データの損失です。丸印は検証損失が最小のエポックです。",
    "view.report.caption.accuracy": "訓練データと検証データの正解率です。",
    "view.report.caption.gradients": "各層の勾配ノルムのエポックごとの変化です（対数目盛）。",
    "view.report.caption.probabilities": (
        "評価用に取り分けたデータでの予測確率を、正解クラスごとのヒストグラムで表しています。"
        "2 クラスでは、最初のクラスの予測確率と、その判定しきい値の提案を示します。"
    ),
    "view.report.caption.reliability": (
        "キャリブレーション（予測確率が実際に当たる割合と合っているか）: 確信度ごとの正解率です。"
        "対角線より下の点は、自信過剰（予測確率が実際の正解率より高すぎる）を表します。"
        "凡例の ECE は、確信度と正解率のずれの平均です。点の面積と n= は、そのビンのサンプル数を表します。"
    ),
}
