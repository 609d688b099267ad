"""Reading runs: what a damaged run directory or log file holds (`record.problems`), and the errors of
finding, reading and writing runs (rundir/, diagnosis/runs.py)."""

MESSAGES = {
    # Errors: what kerasdiag needed to read or write a run
    "rundir.accepted": (
        "a kerasdiag run (run.json, history.jsonl), Keras TensorBoard logs (train/, validation/), "
        "a folder of TensorBoard scalars (loss, val_loss, Loss/train, ...), a CSVLogger .csv or a History .json"
    ),
    "rundir.path_detail": "{path} ({detail})",
    "rundir.log_files": "{count} log files: pass one",
    "rundir.none_of_these": "none of these",
    "rundir.existing": "an existing run directory or folder of runs",
    "rundir.not_found": "{path} (not found)",
    "rundir.dir_or_log": "a directory, a CSVLogger .csv or .log, or a History .json",
    "rundir.a_file": "{path} (a file)",
    "rundir.runs_under": (
        "kerasdiag runs (run.json), Keras TensorBoard logs (train/, validation/) or other logs "
        "(TensorBoard scalars, CSVLogger .csv, History .json) under {path}"
    ),
    "rundir.none": "none",
    "rundir.suffix_file": "a {suffix} file",
    "rundir.suffixless_file": "a suffix-less file",
    "rundir.readable_run": "a readable {run_json} or {history}",
    "rundir.neither": "{path} (neither could be read)",
    "rundir.free_name": "a free name under {root}",
    "rundir.names_taken": "{stem} and 9,999 variants taken",
    "rundir.writable": "a folder kerasdiag can write to",
    "rundir.cannot_write": "cannot write {path}: {why}",
    "rundir.permission_denied": "permission denied",
    "rundir.file_in_the_way": "a file is in the way (a folder is needed there)",
    "rundir.empty": "{path} (empty)",
    # Problems of a kerasdiag run directory (run.json, history.jsonl, predictions.npz, diagnosis.json)
    "rundir.missing": "{file} is missing",
    "rundir.unreadable": "{file} is unreadable ({reason})",
    "rundir.findings_malformed": "{file} findings are malformed ({kind}: {reason})",
    "rundir.not_object": "{file} is not a JSON object",
    "rundir.schema_not_number": "{file} has schema {schema}, not a version number",
    "rundir.schema_newer": "{file} has schema {schema}, newer than {version}",
    "rundir.unknown_status": "{file} has an unknown status {status}",
    "rundir.config_not_object": "{file} config is {value}, not an object; it was ignored",
    "rundir.summary_malformed": "{file} {key} summary is malformed ({kind}: {reason})",
    "rundir.config_type": "{file} config.{key} is {value}, not of type {kind}; it was ignored",
    "rundir.line_damaged": "{file} line {line} is damaged ({reason}); it was skipped",
    "rundir.last_line_damaged": "{file} last line is damaged ({reason}); it was skipped",
    "rundir.more_damaged": "{file} has {count} more damaged lines; they were skipped",
    "rundir.not_json": "not JSON: {error}",
    "rundir.too_deep": "JSON nested too deeply",
    "rundir.value.number": "{field} is {value}, not a number",
    "rundir.value.epoch": "epoch is {value}, not a whole number 1..{last}",
    "rundir.value.numbers": "{field} is {value}, not an object of numbers",
    "rundir.value.per_layer": "{field} is {value}, not an object per layer",
    "rundir.value.line": "the line is {value}, not a JSON object",
    # CSVLogger files and History JSON files
    "rundir.csv.header": "a CSVLogger header with loss or val_loss columns",
    "rundir.csv.empty_header": "an empty header",
    "rundir.csv.cells": "{file} line {line}: {cells} cells, header has {header}",
    "rundir.csv.line": "{file} line {line}",
    "rundir.csv.no_rows": "{file}: a header and no epoch rows",
    "rundir.csv.size": "a CSVLogger file under {limit} bytes",
    "rundir.csv.readable": "a readable CSVLogger file",
    "rundir.csv.header_row": "a CSVLogger file with a header row (epoch,loss,...)",
    "rundir.cell": "{where} {name}",
    "rundir.not_a_number": "{where}: {value} is not a number; skipped",
    "rundir.history.short": "{file}: {key} has {count} values, others {length}",
    "rundir.history.size": "a History JSON file under {limit} bytes",
    "rundir.history.file": "a History JSON file",
    "rundir.history.not_json": "{path} (not JSON: {error})",
    "rundir.history.dict": "a History.history dict of lists ({example})",
    "rundir.history.json_kind": "{path} (a JSON {kind})",
    "rundir.history.empty": "an empty dict",
    # TensorBoard event files
    "rundir.tb.expected": "a TensorBoard log dir with train/ or validation/ event files ({glob})",
    "rundir.tb.path": "path={path} ({detail})",
    "rundir.tb.no_records": "no readable event records: {problems}",
    "rundir.tb.epochs_expected": (
        "Keras TensorBoard logs with epoch values (keras.callbacks.TensorBoard with update_freq='epoch', the default)"
    ),
    "rundir.tb.only_batches": (
        "only per-batch points, every {every} batches: with update_freq={every} Keras writes an epoch's values only "
        "when its last batch number is a multiple of {every}, and no epoch's was"
    ),
    "rundir.tb.no_epoch_scalars": "no epoch scalars (epoch_loss, epoch_accuracy, ...) in the logs",
    "rundir.tb.does_not_exist": "does not exist",
    "rundir.tb.not_a_directory": "not a directory",
    "rundir.tb.events_directly": "event files directly in it; pass the folder above train/ and validation/",
    "rundir.tb.no_event_files": "no event files",
    "rundir.tb.skipped": "{file}: skipped {skipped} of {total} records (not events)",
    "rundir.tb.file_problem": "{file}: {problem}",
    "rundir.tb.cannot_read": "cannot be read ({error})",
    "rundir.tb.truncated": "truncated at byte {offset} of {size} ({records} complete records before it)",
    "rundir.tb.corrupt": (
        "corrupt or not an event file at byte {offset} of {size} ({records} complete records before it)"
    ),
    "rundir.tb.no_scalar_tags": "no scalar tags",
    "rundir.tb.scalars": "TensorBoard scalars naming epoch metrics (loss, val_loss, Loss/train, Accuracy/val, ...)",
    "rundir.tb.no_event_records": "no event records",
    "rundir.tb.readable": "readable TensorBoard event files",
    "rundir.tb.model_config": "{tag}: unreadable model config ({error})",
    "rundir.tb.series_folders": (
        "{count} sub-folders hold event files (add_scalars series); the first {limit} by name were read"
    ),
    # diagnosis/runs.py: a folder of runs
    "runs.earlier": "{name} (run {index} of {count})",
    "runs.readable_under": "a readable run under {path}",
    "runs.none_readable": "{count} runs, none readable: {error}",
}
