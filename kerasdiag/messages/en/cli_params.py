"""What a flag's value must be: the "Expected X" halves of the parameter types' refusals."""

MESSAGES = {
    "param.finite": "a finite number",
    "param.finite.range": "a finite number in {interval}",
    "param.finite.above": "a finite number > {low}",
    "param.finite.at_least": "a finite number >= {low}",
    "param.int.at_least": "an integer >= {low}",
    "param.int.range": "an integer in [{low}, {high}]",
    "param.dir.no_nul": "a folder path without NUL characters",
    "param.dir.part_length": (
        "a folder path whose parts are at most 255 bytes (names up to {max} characters are safest)"
    ),
    "param.dir.long_part": "a part of {length} characters",
    "param.dir.writable": "a folder to write into",
    "param.dir.a_file": "{path} (a file)",
    "param.dir.existing": "an existing run directory or folder of runs",
    "param.dir.not_found": "{path} (not found)",
    "param.dir.run": "a run directory or folder of runs",
}
