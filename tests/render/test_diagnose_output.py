"""The exact terminal output of `kerasdiag diagnose` at a pinned width, in English and Japanese: what a learner sees,
byte for byte (Japanese wrapped between characters, never between a number and its counter)."""

from __future__ import annotations

from click.testing import CliRunner

from kerasdiag.cli import main

# Scenario 4's trap (an unshuffled split of class-ordered Iris) plus a validation loss that rises after epoch 1:
# validation-mismatch explains the rise (validation holds one class), so overfitting is not reported beside it.
ROWS = [
    {
        "epoch": i,
        "loss": 1.0 / i,
        "accuracy": min(0.5 + 0.05 * i, 1.0),
        "val_loss": 1.0 if i < 5 else 1.0 + 0.1 * (i - 4),
        "val_accuracy": 0.7,
    }
    for i in range(1, 21)
]
DATA = {
    "dataset": "iris",
    "num_classes": 3,
    "train": {"samples": 120, "class_counts": {"0": 50, "1": 50, "2": 20}},
    "validation": {"samples": 30, "class_counts": {"0": 0, "1": 0, "2": 30}},
    "input_min": -2.4,
    "input_max": 3.1,
}
EXPECTED = """\
{path}
  First fix to try: --shuffle (validation-mismatch)
  ✗ error validation-mismatch: Validation classes differ from training classes
      Class counts differ: train {{0: 50, 1: 50, 2: 20}}, validation {{0: 0, 1: 0, 2: 30}} (distance
      0.833, threshold 0.25); validation holds a single class (2), so its accuracy says nothing
      about the others.
"""


def test_brief_output_at_100_columns(run_dir):
    run = run_dir("iris-unshuffled", epochs=20, rows=ROWS, data=DATA)
    result = CliRunner().invoke(
        main,
        ["diagnose", str(run), "--brief", "--lang", "en"],
        env={"COLUMNS": "100", "NO_COLOR": "1"},
        terminal_width=100,
    )
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED.format(path=run), result.output


EXPECTED_JA = """\
{path}
  最初に試すこと: --shuffle（クラス構成の不一致）
  ✗ エラー クラス構成の不一致: 検証データと訓練データで、含まれるクラスの割合が大きく違います
      クラスごとのサンプル数が違います: 訓練データ {{0: 50, 1: 50, 2: 20}}、検証データ {{0: 0, 1: 0, 2:
      30}}（分布の違いの大きさ 0.833、0 = 同じ・1 = 重なりなし、しきい値 0.25）。検証データにはクラス
      2 しかないため、その正解率からは他のクラスの性能が分かりません。
      Keras の validation_split は、配列をシャッフルせずに「最後の」部分を検証データにします。ファイ
      ルがクラス順に並んでいると、検証データには最後のほうのクラスしか入らず、その中には訓練で一度も
      見ないクラスが含まれることもあります。そうなると検証損失や検証正解率は、その課題でのモデルの実
      力とは別のものを測ってしまいます。分割の前に、データをシャッフルしておきましょう。
      → --shuffle  分割の前にシャッフルして、訓練データにも検証データにもすべてのクラスが入るように
      しましょう。
  確認できなかった項目:
    勾配消失: このログには、層ごとの勾配ノルムの記録がありません
    勾配爆発: このログには、層ごとの勾配ノルムの記録がありません
    活性化関数なし: この CNN の実行には、モデルの層構成の記録がありません
    死んだ ReLU: このログには、層ごとの dead_fraction の記録がありません
    活性化の飽和: このログには、層ごとの saturated_fraction の記録がありません
    自信過剰な予測: このログには、評価用に取り分けたデータでの予測がありません
"""


def test_full_output_in_japanese_at_100_columns(run_dir):
    run = run_dir("iris-unshuffled", epochs=20, rows=ROWS, data=DATA)
    result = CliRunner().invoke(
        main,
        ["diagnose", str(run), "--lang", "ja"],
        env={"COLUMNS": "100", "NO_COLOR": "1"},
        terminal_width=100,
    )
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED_JA.format(path=run), result.output
