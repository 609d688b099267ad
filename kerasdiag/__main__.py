from kerasdiag.cli import main

main()
