"""Tracer and multi-plane ray tracing."""

from xplens.tracer.tracer import Tracer

__all__ = ["Tracer"]
