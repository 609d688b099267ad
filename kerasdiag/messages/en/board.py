"""`kerasdiag board`: TensorBoard on a folder of runs (its refusals, its lines, its errors)."""

MESSAGES = {
    "board.host_refused": (
        "Invalid value for '--host': Expected a loopback address (127.0.0.1, ::1, localhost), or --expose. "
        "Received: {host}"
    ),
    "board.exposed": (
        "[severity.warning]Warning[/]: TensorBoard on {host} has no password; "
        "anyone who can reach this machine on that address can read these runs."
    ),
    "board.at": "TensorBoard at {url}  (Ctrl-C to stop)",
    "board.showing": "  showing [path]{logdir}[/path]",
    "board.ready": "  ready",
    "board.stopping": "Stopping TensorBoard.",
    "board.free_port": "a free port on {host} (pick another with --port)",
    "board.port_in_use": "port {port} is in use by another program",
    "board.port_other": "port {port} is {why}",
    "board.logdir": "a log directory to show",
    "board.not_a_directory": "logdir={logdir} (not a directory)",
    "board.start": "TensorBoard to start on port {port}",
    "board.answer": "TensorBoard to answer on {url} within {timeout} s",
    "board.no_answer": "no answer",
    "board.no_output": "no output",
}
