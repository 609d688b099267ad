"""`kerasdiag board`: 実行のフォルダを TensorBoard で表示する（断る場合、表示する行、エラー）。"""

MESSAGES = {
    "board.host_refused": (
        "'--host' の値が使えません: ループバックアドレス（127.0.0.1、::1、localhost）を指定するか、--expose を"
        "付けてください。指定された値: {host}"
    ),
    "board.exposed": (
        "[severity.warning]警告[/]: {host} の TensorBoard にはパスワードがありません。"
        "そのアドレスでこのマシンに届く人なら誰でも、これらの実行を見られます。"
    ),
    "board.at": "TensorBoard: {url}（Ctrl-C で停止）",
    "board.showing": "  表示するフォルダ: [path]{logdir}[/path]",
    "board.ready": "  準備ができました。",
    "board.stopping": "TensorBoard を停止します。",
    "board.free_port": "{host} の空いているポート（--port で別のポートを選んでください）",
    "board.port_in_use": "ポート {port} は別のプログラムが使っています",
    "board.port_other": "ポート {port} は使えません（{why}）",
    "board.logdir": "表示するログのフォルダ",
    "board.not_a_directory": "logdir={logdir}（フォルダではありません）",
    "board.start": "ポート {port} での TensorBoard の起動",
    "board.answer": "{timeout} 秒以内の、{url} からの TensorBoard の応答",
    "board.no_answer": "応答がありません",
    "board.no_output": "出力がありません",
}
