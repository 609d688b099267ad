"""ビューが安全のために言うこと: report と compare の書き込み先をふさぐもの、図に描かなかったクラス。

書き込めない理由は名詞句・体言止めに近い短い文で「。」を付けない（rundir.cannot_write の {why} に入る）。
"""

MESSAGES = {
    "views.files.link_in_the_way": "シンボリックリンクがあります（kerasdiag はリンクを通して書き込みません）",
    "views.files.folder_in_the_way": "ファイルが必要な場所にフォルダがあります",
    "views.files.special_in_the_way": "ファイルが必要な場所にパイプ、ソケットまたはデバイスがあります",
    "views.files.names_taken": "{first} から {last} まで、すべて kerasdiag が書いたのではないファイルです",
    "views.files.beside": (
        "{folder} の {name} は kerasdiag が書いたファイルではないので、そのまま残し、隣に {new} を書き出しました。"
    ),
    "figure.probabilities.classes_drawn": (
        "サンプル数の多い {drawn} クラスだけを表示（全 {total} クラスのうち {rest} クラスは省略）"
    ),
}
