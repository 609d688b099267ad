"""Helpers shared by the tests: record factories, labelled rule cases, run-directory builders, figure checks."""
