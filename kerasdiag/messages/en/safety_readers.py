"""What the readers say when a file of a run cannot be trusted (rundir/): entries that are no regular file, files
past the size caps of `kerasdiag/limits.py`, epochs repeated or out of order, damaged TensorBoard records,
fields of the wrong type, probabilities that are not probabilities."""

MESSAGES = {
    # What a path is, when it is not a regular file (a value of readers.not_regular and of errors)
    "readers.kind.folder": "a folder",
    "readers.kind.fifo": "a FIFO (named pipe)",
    "readers.kind.socket": "a socket",
    "readers.kind.device": "a device",
    "readers.kind.other": "not a regular file",
    "readers.kind.loop": "a symbolic link loop",
    "readers.kind.broken_link": "a broken symbolic link",
    "readers.kind.missing": "missing",
    "readers.not_regular": "{kind}, not a regular file",
    "readers.too_large": "{size} bytes, past {name} = {limit}",
    "readers.rest_not_read": "{file} was read up to a cap ({reason}); the rest was not read",
    # history.jsonl and CSVLogger files: lines, order of epochs, caps
    "readers.line_too_long": "longer than {name}",
    "readers.epochs_past_cap": "{file} holds more epochs than {name}; line {line} and the lines after it were not read",
    "readers.json_epochs_past_cap": "{file} holds {count} epochs; only the first {limit} were read",
    "readers.order.repeated": (
        "{file} line {line} repeats epoch {epoch} of line {first}; the first was kept, this one skipped"
    ),
    "readers.order.backwards": (
        "{file} line {line} goes back to epoch {epoch} after epoch {previous}; it was skipped, the lines before kept"
    ),
    "readers.order.gap": "{file} line {line} jumps from epoch {previous} to {epoch} ({missing} epochs missing)",
    "readers.order.more": "{file} has {count} more lines repeated, out of order or after a gap",
    "readers.csv.no_epochs": "{file}: the epoch column holds no whole numbers; rows were numbered in order",
    "readers.csv.bad_epoch": "{file} line {line}: epoch {value} is not a whole number 0..10^9; the row was skipped",
    # run.json fields
    "readers.field_type": "{file} {field} is {value}, not of type {kind}; it was ignored",
    "readers.field_unknown": "{file} {field} is not a field kerasdiag knows; it was ignored",
    "readers.fields_more": "{file} has {count} more fields of the wrong type or unknown; they were ignored",
    "readers.model.layers": "model.layers is {value}, not a list of layers",
    "readers.model.layer": "model.layers[{index}] is {value}, not an object",
    "readers.model.required": "{field} is {value}, not a string",
    "readers.data.field": "{field} is {value}, not of type {kind}",
    "readers.data.classes": (
        "data.num_classes is {value}, not a whole number 0..{limit} (MAX_CLASSES; 0 for a regression)"
    ),
    # predictions.npz
    "readers.predictions.not_probabilities": (
        "{file} holds values that are not probabilities ({details}); the predictions were not used"
    ),
    "readers.predictions.range": "{name} from {low} to {high}",
    "readers.predictions.classes": "{name} has {count} columns, more than MAX_CLASSES = {limit}",
    # TensorBoard event files
    "readers.tb.unlisted": "{folder} cannot be listed ({reason}); its event files were not read",
    "readers.tb.not_read": "{file} is {kind}, not a regular file; it was not read",
    "readers.tb.too_many": (
        "{folder} holds {skipped} event files more than MAX_EVENT_FILES = {limit}; the oldest were not read"
    ),
    "readers.tb.bad_payloads": "{file}: {count} of {total} records failed their checksum and were skipped",
    "readers.tb.file_cap": (
        "read up to byte {offset} of {size}, the cap MAX_EVENT_FILE_BYTES = {limit}; the rest was not read "
        "({records} records read)"
    ),
    "readers.tb.record_cap": (
        "a record at byte {offset} of {size} declares {length} bytes, past MAX_EVENT_RECORD_BYTES = {limit}; "
        "the rest was not read ({records} complete records before it)"
    ),
    "readers.tb.steps": ("{file}: {count} values at steps outside 0..{last} (the first at step {step}) were ignored"),
    "readers.tb.values_cap": "{file}: {count} values past MAX_EVENT_VALUES = {limit} were not read",
    "readers.tb.empty": "{file} holds no records (TensorFlow writes one as it creates the file)",
    "readers.tb.not_numbers": (
        "{file}: {count} values of epoch tags are not numbers (the first: {tag} at step {step}); they were ignored"
    ),
    "readers.more_like_these": "{file} has {count} more problems like these; they are not listed",
    "readers.not_utf8": "not UTF-8 text: byte {byte} at position {position}",
}
