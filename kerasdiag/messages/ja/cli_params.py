"""フラグの値に求めるもの: パラメータ型が値を受け付けないときの「〜が必要です」の部分。"""

MESSAGES = {
    "param.finite": "有限の数",
    "param.finite.range": "{interval} の範囲の有限の数",
    "param.finite.above": "{low} より大きい有限の数",
    "param.finite.at_least": "{low} 以上の有限の数",
    "param.int.at_least": "{low} 以上の整数",
    "param.int.range": "[{low}, {high}] の範囲の整数",
    "param.dir.no_nul": "NUL 文字を含まないフォルダのパス",
    "param.dir.part_length": "各部分が 255 バイト以内のフォルダのパス（名前は {max} 文字以内が安全です）",
    "param.dir.long_part": "{length} 文字の部分があります",
    "param.dir.writable": "書き込み先のフォルダ",
    "param.dir.a_file": "{path}（ファイル）",
    "param.dir.existing": "既存の実行ディレクトリ、または実行をまとめたフォルダ",
    "param.dir.not_found": "{path}（見つかりません）",
    "param.dir.run": "実行ディレクトリ、または実行をまとめたフォルダ",
}
