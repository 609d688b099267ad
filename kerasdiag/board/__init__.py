"""`kerasdiag board`: TensorBoard over a log directory in a child process (`server`), started without
TensorFlow (`notf`).
"""
