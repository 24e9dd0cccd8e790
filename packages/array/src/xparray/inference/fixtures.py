"""Toy models and a Gaussian analysis that the search tests share (NumPy), as
:mod:`xparray.dataset.fixtures` does for imaging. Plain classes, no pytest dependency.

``GaussianAnalysis`` counts its calls and can stop a run the way a killed process would,
so every search's resume test uses the same double.
"""

from __future__ import annotations

import math
import operator

import numpy as np

__all__ = ["GaussianAnalysis", "Point", "Triple"]


class Point:
    """Two parameters ``x``, ``y``."""

    def __init__(self, x=0.0, y=0.0):
        self.x = x
        self.y = y


class Triple:
    """Three parameters ``a``, ``b``, ``c``."""

    def __init__(self, a=0.0, b=0.0, c=0.0):
        self.a = a
        self.b = b
        self.c = c


class GaussianAnalysis:
    """log L of a multivariate Gaussian in the instance attributes ``names``.

    ``names``: attribute paths such as ``"x"`` or ``"lens.x"``; ``mean``: their means;
    ``covariance``: a matrix, or standard deviations for independent parameters.
    The value is ``log N(x; mean, covariance)`` (normalised) or, with ``log_l_max``, the
    unnormalised ``log_l_max - (x - mean)^T C^-1 (x - mean) / 2``.

    ``calls`` counts evaluations; after ``kill_after`` of them a call raises
    ``KeyboardInterrupt`` (a killed run). ``record=True`` keeps every evaluated vector in
    ``seen``.
    """

    def __init__(
        self,
        names,
        mean,
        covariance,
        log_l_max: float | None = None,
        kill_after: int | None = None,
        record: bool = False,
    ):
        self.mean = np.asarray(mean, dtype=float)
        covariance = np.asarray(covariance, dtype=float)
        if covariance.ndim == 1:
            covariance = np.diag(covariance**2)
        self.precision = np.linalg.inv(covariance)
        if log_l_max is None:
            _, log_det = np.linalg.slogdet(covariance)
            log_l_max = -0.5 * (self.mean.size * math.log(2.0 * math.pi) + log_det)
        self.log_l_max = float(log_l_max)
        self._values = operator.attrgetter(*names)
        self.kill_after = kill_after
        self.calls = 0
        self.seen = [] if record else None

    def log_likelihood_function(self, instance) -> float:
        self.calls += 1
        if self.kill_after is not None and self.calls > self.kill_after:
            raise KeyboardInterrupt  # simulates the process being killed
        vector = np.atleast_1d(np.array(self._values(instance), dtype=float))
        if self.seen is not None:
            self.seen.append(vector)
        d = vector - self.mean
        return float(self.log_l_max - 0.5 * d @ self.precision @ d)
