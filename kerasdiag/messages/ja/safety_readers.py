"""実行のファイルが信用できないときに読み込み側が伝えること（rundir/）: 通常のファイルではないもの、
`kerasdiag/limits.py` のサイズ上限を超えるファイル、重複や順序の乱れたエポック、壊れた TensorBoard の記録、
型の違う項目、確率になっていない値。

問題点は「／」で区切って並ぶので、です/ます 体で「。」を付けない。種類（readers.kind.*）は名詞句。
"""

MESSAGES = {
    "readers.kind.folder": "フォルダ",
    "readers.kind.fifo": "FIFO（名前付きパイプ）",
    "readers.kind.socket": "ソケット",
    "readers.kind.device": "デバイス",
    "readers.kind.other": "通常のファイル以外のもの",
    "readers.kind.loop": "循環しているシンボリックリンク",
    "readers.kind.broken_link": "リンク先のないシンボリックリンク",
    "readers.kind.missing": "存在しないもの",
    "readers.not_regular": "通常のファイルではなく{kind}です",
    "readers.too_large": "{size} バイトあり、上限 {name} = {limit} を超えています",
    "readers.rest_not_read": "{file} は上限まで読み込み、残りは読み込んでいません（{reason}）",
    "readers.line_too_long": "{name} より長い行です",
    "readers.epochs_past_cap": "{file} のエポック数が {name} を超えているため、{line} 行目から先は読み込んでいません",
    "readers.json_epochs_past_cap": (
        "{file} には {count} エポックありますが、最初の {limit} エポックだけを読み込みました"
    ),
    "readers.order.repeated": (
        "{file} の {line} 行目は {first} 行目と同じ {epoch} エポック目です。最初の行を使い、この行は読み飛ばしました"
    ),
    "readers.order.backwards": (
        "{file} の {line} 行目は {previous} エポック目のあとに {epoch} エポック目に戻っています。"
        "この行は読み飛ばし、それより前の行を使いました"
    ),
    "readers.order.gap": (
        "{file} の {line} 行目で {previous} エポック目から {epoch} エポック目に飛んでいます"
        "（{missing} エポック分が欠けています）"
    ),
    "readers.order.more": "{file} には、重複・順序の乱れ・欠けのある行がほかに {count} 行あります",
    "readers.csv.no_epochs": "{file}: epoch の列に整数がないため、行の順番でエポックを数えました",
    "readers.csv.bad_epoch": (
        "{file} の {line} 行目: epoch の {value} が 0〜10^9 の整数ではないので、この行は読み飛ばしました"
    ),
    "readers.field_type": "{file} の {field} が {value} で、型 {kind} ではないため無視しました",
    "readers.field_unknown": "{file} の {field} は kerasdiag の知らない項目なので無視しました",
    "readers.fields_more": "{file} には、型の違う項目や知らない項目がほかに {count} 個あり、無視しました",
    "readers.model.layers": "model.layers が {value} で、層のリストではありません",
    "readers.model.layer": "model.layers[{index}] が {value} で、オブジェクトではありません",
    "readers.model.required": "{field} が {value} で、文字列ではありません",
    "readers.data.field": "{field} が {value} で、型 {kind} ではありません",
    "readers.data.classes": "data.num_classes が {value} で、0〜{limit}（MAX_CLASSES。回帰では 0）の整数ではありません",
    "readers.predictions.not_probabilities": (
        "{file} に確率になっていない値があるため（{details}）、予測は使っていません"
    ),
    "readers.predictions.range": "{name} の値が {low} 〜 {high}",
    "readers.predictions.classes": "{name} の列が {count} 個あり、MAX_CLASSES = {limit} を超えています",
    "readers.tb.unlisted": "{folder} の中身を一覧できないため（{reason}）、そのイベントファイルは読み込んでいません",
    "readers.tb.not_read": "{file} は通常のファイルではなく{kind}なので、読み込んでいません",
    "readers.tb.too_many": (
        "{folder} のイベントファイルが MAX_EVENT_FILES = {limit} より {skipped} 個多いため、"
        "古いものは読み込んでいません"
    ),
    "readers.tb.bad_payloads": (
        "{file}: {total} 件の記録のうち {count} 件はチェックサムが合わないので、読み飛ばしました"
    ),
    "readers.tb.file_cap": (
        "{size} バイトのうち、上限 MAX_EVENT_FILE_BYTES = {limit} の {offset} バイト目まで読み込み、"
        "残りは読み込んでいません（読み込んだ記録は {records} 件）"
    ),
    "readers.tb.record_cap": (
        "{size} バイトのうち {offset} バイト目の記録が {length} バイトあると書かれていて、"
        "MAX_EVENT_RECORD_BYTES = {limit} を超えるため、そこから先は読み込んでいません"
        "（その前に完全な記録が {records} 件）"
    ),
    "readers.tb.steps": (
        "{file}: ステップが 0〜{last} の範囲外の値が {count} 個あり（最初はステップ {step}）、無視しました"
    ),
    "readers.tb.values_cap": "{file}: MAX_EVENT_VALUES = {limit} を超える {count} 個の値は読み込んでいません",
    "readers.tb.empty": (
        "{file} に記録が 1 件もありません（イベントファイルには、作られたときに最初の記録が書き込まれます）"
    ),
    "readers.tb.not_numbers": (
        "{file}: エポックのタグの値のうち {count} 個が数値ではないので、無視しました（最初は {tag} のステップ {step}）"
    ),
    "readers.more_like_these": "{file} には、同じような問題がほかに {count} 個あります（一覧には載せていません）",
    "readers.not_utf8": "UTF-8 のテキストではありません（位置 {position} のバイト {byte}）",
}
