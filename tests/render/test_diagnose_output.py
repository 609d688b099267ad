"""The exact terminal output of `kerasdiag diagnose` at a pinned width, in English and Japanese: what a learner sees,
byte for byte (Japanese wrapped between characters, never between a number and its counter)."""

from __future__ import annotations

from click.testing import CliRunner

from kerasdiag.cli import main

# Scenario 4's trap (an unshuffled split of class-ordered Iris) plus a validation loss that rises after epoch 1.
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
    ↳ ! warning overfitting: Overfitting: validation loss rises while training loss falls (symptom
      of validation-mismatch)
          val_loss lowest 1 at epoch 1, 2.5 over the last 3 epochs (+150% above its smoothed minimum
          1, threshold 10%); train loss fell 95% meanwhile (1 -> 0.0527).
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
    ↳ ! 警告 過学習: 訓練損失は下がっているのに、検証損失が上がっています（原因: クラス構成の不一
      致）
          val_loss は 1 エポック目に最小の 1 になり、最後の 3 エポックの平均は 2.5 です（移動平均で
          ならした曲線の最小値 1 より +150%、しきい値 10%）。その間に、訓練損失は 95% 下がりました
          （1 → 0.0527）。
          モデルは訓練データにはますますよく当てはまるようになっているのに、まだ見ていないデータでは
          悪くなっています。汎化するパターンを学ぶのではなく、訓練サンプルそのものを覚えてしまってい
          る状態です。学習の良し悪しは、訓練損失ではなく検証損失で判断しましょう。正解率だけを見てい
          ると、この状態に気づかないことがあります。正解率は予測が判定しきい値のどちら側にあるかしか
          数えませんが、損失は、外れた予測の確信度がどんどん高くなっていく様子まで捉えるからです。
          → --epochs 1  最良のエポック（1 エポック目）で学習を止めましょう。
          → --dropout 0.3  学習中にユニットをランダムに無効化しましょう（ドロップアウト）。
          → --l2 0.0001  大きな重みにペナルティを課しましょう（重み減衰）。
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
