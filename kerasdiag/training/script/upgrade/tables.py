"""The Keras 2 -> Keras 3 tables: modules moved, names renamed, names gone, and what replaces them."""

from __future__ import annotations


def _words(text: str) -> set[str]:
    return set(text.split())


# Keras 2 modules that Keras 3 folded into their package (ModuleNotFoundError in Keras 3).
_LAYER_MODULES = _words(
    "core convolutional convolutional_recurrent pooling recurrent cudnn_recurrent normalization embeddings merge "
    "advanced_activations noise wrappers local"
)
MODULES = {f"keras.layers.{name}": "keras.layers" for name in sorted(_LAYER_MODULES)} | {
    f"keras.utils.{name}": "keras.utils" for name in ("np_utils", "vis_utils", "data_utils", "generic_utils")
}
# Keras 2 names that Keras 3 has under another name (AttributeError in Keras 3).
NAMES = {f"keras.optimizers.{cls.lower()}": cls for cls in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam")} | {
    "keras.optimizers.adamax": "Adamax",
    "keras.optimizers.nadam": "Nadam",
    "keras.layers.Deconvolution2D": "Conv2DTranspose",
    "keras.layers.Deconv2D": "Conv2DTranspose",
    "keras.layers.Deconvolution3D": "Conv3DTranspose",
    "keras.layers.Deconv3D": "Conv3DTranspose",
    "keras.layers.CuDNNLSTM": "LSTM",
    "keras.layers.CuDNNGRU": "GRU",
}
# Keras 2 modules and names that Keras 3 lacks, with a replacement that needs more than a rename.
GONE_MODULES = {
    "keras.wrappers.scikit_learn": "upgrade.gone.scikit_learn",
    "keras.preprocessing.text": "upgrade.gone.text",
    "keras.engine": "upgrade.gone.engine",
}
GONE = {
    "keras.layers.AtrousConvolution1D": "keras.layers.Conv1D(dilation_rate=...)",
    "keras.layers.AtrousConvolution2D": "keras.layers.Conv2D(dilation_rate=...)",
    "keras.layers.Merge": "keras.layers.Concatenate()",
    "keras.layers.merge": "keras.layers.concatenate(...)",
    "keras.layers.ThresholdedReLU": "keras.layers.ReLU(threshold=...)",
    "keras.utils.np_utils": "keras.utils.to_categorical",
    "keras.backend.set_value": "variable.assign(value)",
    "keras.backend.get_value": "keras.ops.convert_to_numpy(variable)",
    "keras.backend.int_shape": "x.shape",
    "keras.backend.pow": "keras.ops.power",
}
GONE_MESSAGES = {
    "keras.preprocessing.image.ImageDataGenerator": "upgrade.gone.image_generator",
    "keras.backend.image_dim_ordering": "upgrade.gone.image_dim_ordering",
    "keras.backend.set_image_dim_ordering": "upgrade.gone.set_image_dim_ordering",
}
KERAS3_BACKEND = _words(
    "backend clear_session epsilon floatx get_uid image_data_format is_float_dtype is_int_dtype is_keras_tensor "
    "result_type set_epsilon set_floatx set_image_data_format standardize_dtype"
)
# keras.backend functions of Keras 2 that keras.ops holds under the same name.
OPS = _words(
    "sum mean square sqrt abs clip log exp maximum minimum round cast reshape shape concatenate dot max min argmax "
    "argmin std var equal not_equal greater less ones zeros ones_like zeros_like stack expand_dims squeeze "
    "transpose softmax relu sigmoid tanh binary_crossentropy categorical_crossentropy any all prod cumsum repeat "
    "tile one_hot sign switch sparse_categorical_crossentropy"
)
OPTIMIZERS = {"SGD": "0.01", "RMSprop": "0.001", "Adagrad": "0.001", "Adadelta": "0.001", "Adam": "0.001"}
OPTIMIZERS |= {"Adamax": "0.001", "Nadam": "0.001", "AdamW": "0.001", "Ftrl": "0.001", "Lion": "0.001"}
# Layers whose Keras 1 `init=` is a Keras 3 `<keyword>=` (Keras 3: "Unrecognized keyword arguments").
_KERNEL_LAYERS = _words(
    "Dense Conv1D Conv2D Conv3D Convolution1D Convolution2D Convolution3D Conv2DTranspose Conv3DTranspose "
    "SeparableConv1D SeparableConv2D SimpleRNN LSTM GRU"
)
INIT_KEYWORDS = dict.fromkeys(_KERNEL_LAYERS, "kernel_initializer") | {"Embedding": "embeddings_initializer"}
# Keras 2's *_generator methods: Keras 3's name, and the Keras 2 positional parameters after the generator that
# Keras 2.2 and 2.3 share (Keras 3's fit/evaluate/predict take other arguments in those places).
GENERATORS = {
    "fit_generator": (
        "fit",
        ("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data", "validation_steps"),
    ),
    "evaluate_generator": ("evaluate", ("steps",)),
    "predict_generator": ("predict", ("steps",)),
}
NOT_IN_FIT = ("workers", "use_multiprocessing", "max_queue_size")  # Keras 3: a keras.utils.PyDataset takes them
HISTORY_KEYS = {"acc": "accuracy", "val_acc": "val_accuracy"}
CATEGORICAL = {"categorical_crossentropy", "sparse_categorical_crossentropy"}
KERAS_ROOTS = ("keras", "tensorflow")


def _moved(name: str) -> str:
    """`name` (a module, or a name in one) under its Keras 3 module: keras.layers.core.Dense -> keras.layers.Dense."""
    for old, new in MODULES.items():
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return name
