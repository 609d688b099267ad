"""RunConfig validation: every bad combination names what was expected and what was received."""

from __future__ import annotations

import pytest

from kerasdiag.config import RunConfig
from kerasdiag.errors import ConfigError


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"dropout": 1.0}, "Expected --dropout in [0, 1). Received: dropout=1.0"),
        ({"validation_split": 1.5}, "Received: validation_split=1.5"),
        ({"layers": -1}, "Expected --layers >= 0. Received: layers=-1"),
        ({"layers": 3, "units": [256, 128]}, "Received: units=256,128"),
        ({"classes": [3, 3]}, "Expected distinct --classes"),
        ({"classes": [3]}, "Expected at least two --classes"),
        ({"dataset": "cifar"}, "Expected --dataset to be one of mnist, iris, digits. Received: dataset=cifar"),
        ({"activation": "swish"}, "Received: activation=swish"),
        ({"residual": True, "layers": 1}, "Expected --layers >= 2 with --residual"),
        ({"model": "cnn", "dataset": "iris"}, "Expected an image data set"),
        ({"weight_decay": 0.1, "optimizer": "adam"}, "Expected --optimizer sgd or adamw with --weight-decay"),
        ({"lr": 0.0}, "Expected --lr > 0"),
        ({"l2": -1e-3}, "Expected --l2 >= 0"),
    ],
    ids=lambda v: str(v)[:40] if isinstance(v, dict) else None,
)
def test_invalid_config_is_refused_with_both_sides(fields, expected):
    with pytest.raises(ConfigError) as info:
        RunConfig(**fields).validate()
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_defaults_are_valid_and_round_trip():
    config = RunConfig().validate()
    assert RunConfig.from_dict(config.to_dict()) == config
    assert config.learning_rate == 0.01  # SGD's Keras default
    assert RunConfig(optimizer="adam").learning_rate == 0.001


def test_units_expand_per_layer():
    assert RunConfig(layers=3, units=[64]).layer_units == [64, 64, 64]
    assert RunConfig(layers=2, units=[256, 128]).layer_units == [256, 128]


def test_short_name_names_the_experiment():
    name = RunConfig(layers=5, activation="linear", dropout=0.2, l2=1e-4).short_name()
    assert name == "mnist-mlp-l5-linear-do0.2-l2-0.0001"
