"""実行の読み込み: 壊れた実行ディレクトリやログファイルの問題点（`record.problems`）と、実行を探す・読む・
書くときのエラー（rundir/、diagnosis/runs.py）。"""

MESSAGES = {
    "rundir.accepted": (
        "kerasdiag の実行（run.json、history.jsonl）、Keras の TensorBoard ログ（train/、validation/）、"
        "TensorBoard のスカラーのフォルダ（loss、val_loss、Loss/train など）、CSVLogger の .csv、"
        "History の .json のどれか"
    ),
    "rundir.path_detail": "{path}（{detail}）",
    "rundir.log_files": "ログファイルが {count} 個あります。1 つを指定してください",
    "rundir.none_of_these": "どれでもありません",
    "rundir.existing": "既存の実行ディレクトリ、または実行をまとめたフォルダ",
    "rundir.not_found": "{path}（見つかりません）",
    "rundir.dir_or_log": "フォルダ、CSVLogger の .csv か .log、または History の .json",
    "rundir.a_file": "{path}（ファイル）",
    "rundir.runs_under": (
        "{path} の下に kerasdiag の実行（run.json）、Keras の TensorBoard ログ（train/、validation/）、"
        "その他のログ（TensorBoard のスカラー、CSVLogger の .csv、History の .json）"
    ),
    "rundir.none": "どれもありません",
    "rundir.suffix_file": "拡張子 {suffix} のファイル",
    "rundir.suffixless_file": "拡張子のないファイル",
    "rundir.readable_run": "読み込める {run_json} か {history}",
    "rundir.neither": "{path}（どちらも読み込めません）",
    "rundir.free_name": "{root} の下で使われていない名前",
    "rundir.names_taken": "{stem} とその番号付きの 9,999 個がすべて使用済み",
    "rundir.writable": "kerasdiag が書き込めるフォルダ",
    "rundir.cannot_write": "{path} に書き込めません: {why}",
    "rundir.permission_denied": "アクセス権がありません",
    "rundir.file_in_the_way": "フォルダが必要な場所にファイルがあります",
    "rundir.empty": "{path}（空）",
    "rundir.missing": "{file} がない",
    "rundir.unreadable": "{file} を読み込めない（{reason}）",
    "rundir.findings_malformed": "{file} の指摘の形式が正しくない（{kind}: {reason}）",
    "rundir.not_object": "{file} が JSON のオブジェクトではない",
    "rundir.schema_not_number": "{file} の schema が {schema} で、バージョン番号ではない",
    "rundir.schema_newer": "{file} の schema {schema} は、この kerasdiag が読める {version} より新しい",
    "rundir.unknown_status": "{file} の status {status} は知らない状態",
    "rundir.config_not_object": "{file} の config が {value} でオブジェクトではないので、無視した",
    "rundir.summary_malformed": "{file} の {key} の要約の形式が正しくない（{kind}: {reason}）",
    "rundir.config_type": "{file} の config.{key} が {value} で、型 {kind} ではないので無視した",
    "rundir.line_damaged": "{file} の {line} 行目が壊れているので読み飛ばした（{reason}）",
    "rundir.last_line_damaged": "{file} の最後の行が壊れているので読み飛ばした（{reason}）",
    "rundir.more_damaged": "{file} にはほかにも壊れた行が {count} 行あり、読み飛ばした",
    "rundir.not_json": "JSON ではない: {error}",
    "rundir.too_deep": "JSON の入れ子が深すぎる",
    "rundir.value.number": "{field} が {value} で、数値ではない",
    "rundir.value.epoch": "epoch が {value} で、1〜{last} の整数ではない",
    "rundir.value.numbers": "{field} が {value} で、数値のオブジェクトではない",
    "rundir.value.per_layer": "{field} が {value} で、層ごとのオブジェクトではない",
    "rundir.value.line": "行の中身が {value} で、JSON のオブジェクトではない",
    "rundir.csv.header": "loss か val_loss の列がある CSVLogger のヘッダー",
    "rundir.csv.empty_header": "空のヘッダー",
    "rundir.csv.cells": "{file} の {line} 行目: セルが {cells} 個あるが、ヘッダーは {header} 個",
    "rundir.csv.line": "{file} の {line} 行目",
    "rundir.csv.no_rows": "{file}: ヘッダーだけで、エポックの行がない",
    "rundir.csv.size": "{limit} バイト未満の CSVLogger のファイル",
    "rundir.csv.readable": "読み込める CSVLogger のファイル",
    "rundir.csv.header_row": "ヘッダー行（epoch,loss,...）のある CSVLogger のファイル",
    "rundir.cell": "{where} {name}",
    "rundir.not_a_number": "{where}: {value} は数値ではないので読み飛ばした",
    "rundir.history.short": "{file}: {key} の値は {count} 個で、ほかは {length} 個",
    "rundir.history.size": "{limit} バイト未満の History の JSON ファイル",
    "rundir.history.file": "History の JSON ファイル",
    "rundir.history.not_json": "{path}（JSON ではありません: {error}）",
    "rundir.history.dict": "リストを値に持つ History.history の辞書（{example}）",
    "rundir.history.json_kind": "{path}（JSON の {kind}）",
    "rundir.history.empty": "空の辞書",
    "rundir.tb.expected": "train/ か validation/ にイベントファイル（{glob}）がある TensorBoard のログフォルダ",
    "rundir.tb.path": "path={path}（{detail}）",
    "rundir.tb.no_records": "読み込めるイベントの記録がありません: {problems}",
    "rundir.tb.no_epoch_scalars": "ログにエポックごとのスカラー（epoch_loss、epoch_accuracy など）がない",
    "rundir.tb.does_not_exist": "存在しません",
    "rundir.tb.not_a_directory": "フォルダではありません",
    "rundir.tb.events_directly": (
        "イベントファイルが直下にあります。train/ と validation/ の 1 つ上のフォルダを指定してください"
    ),
    "rundir.tb.no_event_files": "イベントファイルがありません",
    "rundir.tb.skipped": "{file}: {total} 件の記録のうち {skipped} 件はイベントではないので読み飛ばした",
    "rundir.tb.file_problem": "{file}: {problem}",
    "rundir.tb.cannot_read": "読み込めない（{error}）",
    "rundir.tb.truncated": "{size} バイトのうち {offset} バイト目で途切れている（その前に完全な記録が {records} 件）",
    "rundir.tb.corrupt": (
        "{size} バイトのうち {offset} バイト目が壊れているか、イベントファイルではない"
        "（その前に完全な記録が {records} 件）"
    ),
    "rundir.tb.no_scalar_tags": "スカラーのタグがありません",
    "rundir.tb.scalars": (
        "エポックの指標を名前に持つ TensorBoard のスカラー（loss、val_loss、Loss/train、Accuracy/val など）"
    ),
    "rundir.tb.no_event_records": "イベントの記録がありません",
    "rundir.tb.readable": "読み込める TensorBoard のイベントファイル",
    "rundir.tb.model_config": "{tag}: モデルの構成を読み込めない（{error}）",
    "runs.earlier": "{name}（{count} 回のうち {index} 回目の実行）",
    "runs.readable_under": "{path} の下に読み込める実行",
    "runs.none_readable": "{count} 個の実行があるが、どれも読み込めません: {error}",
}
