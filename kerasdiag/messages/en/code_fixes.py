"""Fixes as Keras code, for runs of a learner's own script (`diagnosis.code_fixes`), and the diff `fix` shows.

A code form reads after `<file>:<line>: `, so it starts in lower case and has no final full stop; code stays
code (`fit(..., epochs=34)`).
"""

MESSAGES = {
    "code.at": "{at}: {code}",
    "code.with_why": "{code}. {why}",
    "code.compile": "compile(optimizer={optimizer})",
    "code.optimizer_args": "give the optimizer passed to compile {arguments}",
    "code.fit": "fit(..., {arguments})",
    "code.shuffle": (
        "shuffle the arrays before fit ({code}); fit(shuffle=True) does not change what validation_split takes"
    ),
    "code.normalize": (
        "standardise each feature before fit with the training data's mean and standard deviation: "
        "mean, std = {x}.mean(axis=0), {x}.std(axis=0) + 1e-7; {x} = ({x} - mean) / std (and the same mean and "
        "std for the validation and test inputs)"
    ),
    "code.normalize.pixels": "scale the inputs before fit: {x} = {x} / 255.0 (pixels 0..255)",
    "code.train_size": "before fit, keep {size} training samples in all, the same number from each class",
    "code.activation": '{layer}(..., activation="{activation}") in the hidden layers',
    "code.dropout.set": "set the rate: Dropout({rate})",
    "code.dropout.add": "add Dropout({rate}) after each hidden {layer}",
    "code.regularizer": "{layer}(..., kernel_regularizer={regularizer}) in the hidden layers",
    "code.regularizer.existing": "{layer}(..., kernel_regularizer={regularizer}) in every layer that has one",
    "code.batch_norm": "add BatchNormalization() after each hidden {layer}",
    "code.init": '{layer}(..., kernel_initializer="{init}") in every layer',
    "code.units": "{layer}({units}, ...) in the hidden layers",
    "code.layers.one": "keep one hidden {layer} layer and remove the others",
    "code.layers.fewer": "keep {count} hidden {layer} layers and remove the others",
    "code.layers.more": "add hidden {layer} layers until there are {count}",
    "code.residual": (
        "add skip connections between hidden layers of the same width (functional API): "
        "h = keras.layers.Add()([h, {layer}(units, ...)(h)])"
    ),
    # kerasdiag fix on a script's run: the winning change as a diff against the script
    "code.diff.heading": ("The winning change, {flags}, as a diff against {script} (the file itself is not changed):"),
    "code.diff.no_line": "No line of {script} to edit for {what}; write it yourself: {code}",
    "code.diff.unreadable": "{script} could not be read, so no diff: {code}",
    "code.diff.what.optimizer": "the optimizer",
    "code.diff.what.epochs": "the epochs",
    "code.diff.what.batch_size": "the batch size",
    "code.diff.what.shuffle": "the shuffle",
    "code.diff.what.dropout": "the dropout rate",
    "code.diff.what.activation": "the hidden activation",
    "code.diff.what.regularizer": "the kernel regularizer",
}
