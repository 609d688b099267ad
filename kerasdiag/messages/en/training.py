"""Training: the data checks, the backend, the fit path, a learner's script (kd.Diagnose, kerasdiag run, fix)."""

MESSAGES = {
    "training.progress": "epochs",
    "training.keras_fit": "[dim]Training with model.fit: {reason}[/dim]",
    "training.no_predictions": "no predictions after the interrupt ({kind})",
    # Why the compiled fast path does not apply (printed, and kept in run.json's fit.reason)
    "training.fast.required": "a model and data the fast path supports with --fit-mode fast",
    "training.fast.fit_mode_keras": "--fit-mode keras",
    "training.fast.backend": "the fast path needs --backend jax or tensorflow (received: {backend})",
    "training.fast.layers": "unsupported layers: {layers}",
    "training.fast.loss": "unsupported loss {loss} (expected {expected})",
    "training.fast.cnn_on_cpu": "a CNN on the CPU: model.fit runs its convolutions faster than the compiled loop there",
    "training.fast.short_tensorflow": (
        "a short TensorFlow run ({steps} steps < {minimum}): compiling would not pay off"
    ),
    "training.fast.memory": "the data ({needed} MiB) exceed {limit} MiB of device memory",
    # Why runs cannot train together as one program
    "training.vector.backend": "vectorised runs need --backend jax (received: {backend})",
    "training.vector.build": "the model could not be built ({kind})",
    "training.vector.differ": "the runs differ in more than seed, --lr, --l1 and --l2",
    "training.vector.data_shapes": "the runs' data differ in shape",
    "training.vector.memory": "{runs} runs' data ({needed} MiB) exceed the device memory share",
    "training.vector.model_shapes": "the runs' models differ in shape",
    # The data sets (training/flags/datasets.py, data_checks.py)
    "data.split": "a validation split that leaves samples on both sides",
    "data.split.received": "validation_split={split} of {samples} samples",
    "data.classes": "--classes among the labels {labels}",
    "data.mnist.hint": (
        "pass --data-dir DIR holding mnist.npz or the IDX .gz files (or set {env}), "
        "or connect to the internet once so Keras caches mnist.npz in ~/.keras/datasets/"
    ),
    "data.mnist.cache": "MNIST in the Keras cache or --data-dir",
    "data.mnist.offline": "neither ({env} is set); {hint}",
    "data.mnist.download": "to download MNIST",
    "data.mnist.failed": "{error}; {hint}",
    "data.dir": "--data-dir to be a folder or an mnist.npz file",
    "data.dir.not_folder": "{path} (not a folder or an .npz file)",
    "data.not_found": "{path} (not found)",
    "data.dir.files": "{names} in --data-dir",
    "data.dir.none": "{path} (none of them)",
    "data.npz": "a Keras-layout mnist.npz (x_train, y_train, x_test, y_test)",
    "data.idx.gzip": "a gzip-compressed IDX file",
    "data.idx.magic": "an IDX file of unsigned bytes (magic 0x0000 08 ..)",
    "data.idx.header": "an IDX header of {ndim} dimensions",
    "data.idx.truncated": "{path} ({size} bytes, truncated)",
    "data.idx.size": "{size} bytes of data for shape {dims}",
    "data.idx.size_received": "{size} in {path}",
    "data.images.numbers": "{name} of numbers (images)",
    "data.images.dtype": "{path}: {name} of dtype {dtype}",
    "data.images.shape": "{name} of shape (n, {side}, {side}) or (n, {flat})",
    "data.shape": "{path}: {name} of shape {shape}",
    "data.images.finite": "finite pixel values in {name}",
    "data.images.not_finite": "{path}: {count} NaN or infinite values",
    "data.labels.shape": "{name} of shape ({samples},): one whole-number label per image",
    "data.labels.received": "{path}: {name} of shape {shape} and dtype {dtype}",
    "data.labels.values": "{name} that are whole numbers 0..{last}",
    "data.labels.bad": "{path}: {count} bad labels, the first {first} at index {index}",
    # Backends
    "backend.one_per_process": "one backend per process: Keras is already running on {current}",
    "backend.package": "the {name} package for --backend {name}",
    "backend.not_installed": "it is not installed (pip install 'kerasdiag[{name}]')",
    # A learner's script: kd.Diagnose's data, `kerasdiag fix` re-running the script with a change
    "fit_data.no_arrays": "the callback saw no arrays (pass Diagnose(x=x, y=y), or use kd.fit or kerasdiag run)",
    "fit_data.not_classes": (
        "a {task} run: its targets are no class labels, so class counts and held-out predictions are left out"
    ),
    "fit_data.not_arrays": "the data passed to fit is a {kind}, not arrays kerasdiag can read",
    "fit_data.no_labels": "y of shape {shape} holds no class labels for the {inputs} inputs",
    "change.compiled": "a compiled model (model.compile before fit) to change its optimizer",
    "change.no_optimizer": "no optimizer",
    "change.optimizer_key": "an optimizer that has {key} for {flag}",
    "change.rebuildable": (
        "a Sequential or functional model (rebuilt from its config for --dropout, --l1, --l2, --activation)"
    ),
    "change.subclassed": "{kind} {name}, whose config lists no layers (a subclassed model)",
    "change.dropout": "a Dropout layer in the model for --dropout (add one in the script)",
    "change.none": "none",
    "change.hidden": "hidden layers with weights (Dense, Conv) for {flag}",
    "change.output_only": "only an output layer",
    "change.shuffle": "x and y as arrays for --shuffle (shuffled before validation_split)",
    "rerun.fit_calls": "the script made {fits} fit call(s), not fit #{wanted}",
    "rerun.raised": "the script raised {kind}: {error}",
    "rerun.change_failed": "the change does not apply to this model: {error}",
    # kd.Diagnose / kd.fit (kerasdiag/keras.py)
    "keras.before": "[bold]kerasdiag, before training[/bold] (from the model and data alone):",
    "keras.internal_error": (
        "kerasdiag: its {part} step failed inside fit ({error}) and was switched off; "
        "training goes on as without kerasdiag. Set KERASDIAG_DEBUG=1 (or kerasdiag --debug) for the traceback."
    ),
    "keras.live": "kerasdiag: epoch {epoch}: {severity} {rule}: {title}",
    "keras.no_data": (
        "  [muted]kerasdiag could not read the data: {problem}; "
        "class counts, probes and predictions need the data as NumPy arrays: fit(x, y, ...), or the arrays a "
        "dataset holds given to the callback, kd.Diagnose(x=x, y=y).[/muted]"
    ),
    "keras.run_directory": "  run directory: [path]{path}[/path]   (tensorboard --logdir {logdir})",
    # Why a learner's model gets no per-layer probes (run.json's probes_off; shown where a probe rule is skipped)
    "probes_off.compute_loss": "{model} overrides compute_loss: kerasdiag cannot apply the run's own loss",
    "probes_off.subclassed": "{model} is a subclassed model: no symbolic inputs and outputs to probe",
    "probes_off.io": "a model with {inputs} input(s) and {outputs} output(s): the probe takes one of each",
    "probes_off.losses": "the compiled loss is a {kind} of {count} losses: no single loss of the run to probe with",
    "probes_off.no_loss": "the model was compiled without a loss: no loss of the run to probe with",
    "probes_off.loss_fails": "the loss {loss} fails on the probe batch: {error}",
    "probes_off.loss_values": "the loss {loss} gives {count} values on the probe batch, not one",
}
