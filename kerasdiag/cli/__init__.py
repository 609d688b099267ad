"""The `kerasdiag` command line: parse, validate, call one library function, render.

Heavy modules (keras, tensorflow, matplotlib) are imported inside commands,
never at module level, so `kerasdiag --help` and `kerasdiag diagnose` stay fast.
"""

from kerasdiag.cli.base import main
from kerasdiag.cli.board_cmd import board
from kerasdiag.cli.compare_cmd import compare
from kerasdiag.cli.diagnose_cmd import diagnose
from kerasdiag.cli.fix_cmd import fix
from kerasdiag.cli.report_cmd import report
from kerasdiag.cli.run_cmd import run
from kerasdiag.cli.sweep_cmd import sweep
from kerasdiag.cli.train_cmd import train
from kerasdiag.cli.upgrade_cmd import upgrade

main.add_command(train)
main.add_command(diagnose)
for command in (run, upgrade, sweep, fix, compare, report, board):
    main.add_command(command)

__all__ = ["main"]
