"""The compiled whole-epoch loop: `loop.fast_fit` drives `base.EpochTrainer`
subclasses in `jax.py` and `tensorflow.py` through the Keras callback protocol.
"""
