"""Exceptions raised for bad input: they name the argument and say how to fix it."""

__all__ = ["InputError", "BackendError"]


class InputError(ValueError):
    """Bad user input (shapes, values, files), raised before any computation."""


class BackendError(TypeError):
    """NumPy and JAX mixed in a way that would silently copy to host or break tracing."""
