"""実行の読み込み: 壊れた実行ディレクトリやログファイルの問題点（`record.problems`）と、実行を探す・読む・
書くときのエラー（rundir/、diagnosis/runs.py）。

問題点は「／」で区切って並ぶので、です/ます 体で「。」を付けない。エラーの「必要なもの」は名詞句。
"""

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
        "{path} の下にある kerasdiag の実行（run.json）、Keras の TensorBoard ログ（train/、validation/）、"
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
    "rundir.missing": "{file} がありません",
    "rundir.unreadable": "{file} を読み込めません（{reason}）",
    "rundir.findings_malformed": "{file} の診断結果の形式が正しくありません（{kind}: {reason}）",
    "rundir.not_object": "{file} が JSON のオブジェクトではありません",
    "rundir.schema_not_number": "{file} の schema が {schema} で、バージョン番号ではありません",
    "rundir.schema_newer": "{file} の schema {schema} は、この kerasdiag が読める {version} より新しいものです",
    "rundir.unknown_status": "{file} の status {status} は、kerasdiag が知らない状態です",
    "rundir.config_not_object": "{file} の config が {value} で、オブジェクトではないため無視しました",
    "rundir.summary_malformed": "{file} の {key} の要約の形式が正しくありません（{kind}: {reason}）",
    "rundir.config_type": "{file} の config.{key} が {value} で、型 {kind} ではないため無視しました",
    "rundir.line_damaged": "{file} の {line} 行目が壊れているので、読み飛ばしました（{reason}）",
    "rundir.last_line_damaged": "{file} の最後の行が壊れているので、読み飛ばしました（{reason}）",
    "rundir.more_damaged": "{file} にはほかにも壊れた行が {count} 行あり、読み飛ばしました",
    "rundir.not_json": "JSON ではありません: {error}",
    "rundir.too_deep": "JSON の入れ子が深すぎます",
    "rundir.value.number": "{field} が {value} で、数値ではありません",
    "rundir.value.epoch": "epoch が {value} で、1〜{last} の整数ではありません",
    "rundir.value.numbers": "{field} が {value} で、数値のオブジェクトではありません",
    "rundir.value.per_layer": "{field} が {value} で、層ごとのオブジェクトではありません",
    "rundir.value.line": "行の中身が {value} で、JSON のオブジェクトではありません",
    "rundir.csv.header": "loss か val_loss の列がある CSVLogger のヘッダー",
    "rundir.csv.empty_header": "空のヘッダー",
    "rundir.csv.cells": "{file} の {line} 行目: セルが {cells} 個ありますが、ヘッダーは {header} 個です",
    "rundir.csv.line": "{file} の {line} 行目",
    "rundir.csv.no_rows": "{file}: ヘッダーだけで、エポックの行がありません",
    "rundir.csv.size": "{limit} バイト未満の CSVLogger のファイル",
    "rundir.csv.readable": "読み込める CSVLogger のファイル",
    "rundir.csv.header_row": "ヘッダー行（epoch,loss,...）のある CSVLogger のファイル",
    "rundir.cell": "{where} {name}",
    "rundir.not_a_number": "{where}: {value} は数値ではないので、読み飛ばしました",
    "rundir.history.short": "{file}: {key} の値は {count} 個ですが、ほかの指標は {length} 個です",
    "rundir.history.size": "{limit} バイト未満の History の JSON ファイル",
    "rundir.history.file": "History の JSON ファイル",
    "rundir.history.not_json": "{path}（JSON ではありません: {error}）",
    "rundir.history.dict": "リストを値に持つ History.history の辞書（{example}）",
    "rundir.history.json_kind": "{path}（JSON の {kind}）",
    "rundir.history.empty": "空の辞書",
    "rundir.tb.expected": "train/ か validation/ にイベントファイル（{glob}）がある TensorBoard のログフォルダ",
    "rundir.tb.path": "path={path}（{detail}）",
    "rundir.tb.no_records": "読み込めるイベントの記録がありません: {problems}",
    "rundir.tb.epochs_expected": (
        "エポックごとの値が入った Keras の TensorBoard ログ"
        "（keras.callbacks.TensorBoard を既定の update_freq='epoch' で使ったもの）"
    ),
    "rundir.tb.only_batches": (
        "{every} バッチおきに記録されたバッチ単位の値しかありません。update_freq={every} だと、Keras がエポックの値を"
        "書き込むのは最後のバッチ番号が {every} の倍数になったエポックだけですが、そうなったエポックは 1 つも"
        "ありませんでした"
    ),
    "rundir.tb.no_epoch_scalars": "ログに、エポックごとのスカラー（epoch_loss、epoch_accuracy など）がありません",
    "rundir.tb.does_not_exist": "存在しません",
    "rundir.tb.not_a_directory": "フォルダではありません",
    "rundir.tb.events_directly": (
        "イベントファイルが直下にあります。train/ と validation/ の 1 つ上のフォルダを指定してください"
    ),
    "rundir.tb.no_event_files": "イベントファイルがありません",
    "rundir.tb.skipped": "{file}: {total} 件の記録のうち {skipped} 件はイベントではないので、読み飛ばしました",
    "rundir.tb.file_problem": "{file}: {problem}",
    "rundir.tb.cannot_read": "読み込めません（{error}）",
    "rundir.tb.truncated": "{size} バイトのうち {offset} バイト目で途切れています（その前に完全な記録が {records} 件）",
    "rundir.tb.corrupt": (
        "{size} バイトのうち {offset} バイト目から壊れているか、イベントファイルではありません"
        "（その前に完全な記録が {records} 件）"
    ),
    "rundir.tb.no_scalar_tags": "スカラーのタグがありません",
    "rundir.tb.scalars": (
        "エポックの指標を名前に持つ TensorBoard のスカラー（loss、val_loss、Loss/train、Accuracy/val など）"
    ),
    "rundir.tb.no_event_records": "イベントの記録がありません",
    "rundir.tb.readable": "読み込める TensorBoard のイベントファイル",
    "rundir.tb.model_config": "{tag}: モデルの構成を読み込めません（{error}）",
    "rundir.tb.series_folders": (
        "イベントファイルのあるサブフォルダ（add_scalars の系列）が {count} 個あります。"
        "名前順で最初の {limit} 個だけを読み込みました"
    ),
    "runs.earlier": "{name}（{count} 回のうち {index} 回目の実行）",
    "runs.readable_under": "{path} の下にある、読み込める実行",
    "runs.none_readable": "{count} 個の実行がありますが、どれも読み込めません: {error}",
}
