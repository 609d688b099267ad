"""The one-line errors: "Expected X. Received: Y", the flag checks of config.py and limits.py."""

MESSAGES = {
    "error.expected_received": "Expected {expected}. Received: {received}",
    # The same after a phrase that ends in a Latin letter, digit or symbol ("--lr"): Japanese keeps a space there.
    "error.expected_received.latin_end": "Expected {expected}. Received: {received}",
    # config.py: combinations of flags that cannot be trained
    "config.one_of": "{flag} to be one of {choices}",
    "config.at_least": "{flag} >= {low}",
    "config.in_range": "{flag} in [{low}, {high}]",
    "config.dropout": "--dropout in [0, 1)",
    "config.validation_split": "--validation-split in (0, 1)",
    "config.name": "--name to be {rule}",
    "config.finite": "{flag} as a finite number",
    "config.positive": "{flag} > 0",
    "config.units": "--units as one positive number or {layers} of them (one per layer)",
    "config.classes_distinct": "distinct --classes",
    "config.classes_two": "at least two --classes",
    "config.residual": "--layers >= 2 with --residual",
    "config.cnn_images": "an image data set (mnist, digits) with --model cnn",
    "config.weight_decay": "--optimizer sgd or adamw with --weight-decay (decoupled decay)",
    "config.flags": "flags that RunConfig knows",
    # limits.py: run names that stay one folder, models that fit one machine
    "limits.run_name_rule": ("one folder name of 1 to {max} characters, without '/', '\\', '..' or control characters"),
    "limits.name.empty": "name={name} (empty)",
    "limits.name.too_long": "name={name} ({length} characters)",
    "limits.name.path": "name={name} (a path, not one folder name)",
    "limits.name.dots": "name={name} ('..' could leave --logdir)",
    "limits.name.control": "name={name} (a control character)",
    "limits.at_most": "{flag} <= {limit} ({name})",
    "limits.each_at_most": "{flag} <= {limit} each ({name})",
    "limits.kernel_size": "--kernel-size <= {side} (the {dataset} image side)",
    "limits.params": "a model of at most {limit} parameters (MAX_PARAMS)",
    "limits.params.received": "about {count} from --layers {layers} --units {units}",
    "limits.activations": "at most {limit} GiB of activations per batch (MAX_ACTIVATION_BYTES)",
    "limits.activations.received": "about {size} GiB with --batch-size {batch_size}",
}
