"""``Samples``: weighted posterior samples of a search, with PyAutoFit's summary statistics.

Quantiles are weighted: samples are sorted per parameter and the weighted CDF is taken at
the midpoints of each sample's weight, ``F_i = (sum_{j<=i} w_j - w_i / 2) / sum w``, then
linearly interpolated (for equal weights this is Hazen's plotting position, Hyndman & Fan
1996, Am. Stat. 50, 361, definition 5). A ``sigma`` level means the central interval holding
the mass of a Gaussian within +-sigma: ``p = erf(sigma / sqrt 2)`` (0.6827 for 1 sigma,
0.9973 for 3 sigma), i.e. quantiles ``(1 - p)/2`` and ``(1 + p)/2``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from xparray.errors import InputError

__all__ = ["Samples", "weighted_quantile"]


def weighted_quantile(values, weights, quantiles) -> np.ndarray:
    """Weighted quantiles of 1-D ``values`` (zero-weight samples are ignored)."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = weights > 0.0
    values, weights = values[keep], weights[keep]
    if values.size == 0:
        raise InputError("weighted_quantile: no sample has a positive weight.")
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cdf = (np.cumsum(weights) - 0.5 * weights) / np.sum(weights)
    return np.interp(np.asarray(quantiles, dtype=float), cdf, values)


def _sigma_quantiles(sigma: float) -> tuple[float, float]:
    mass = math.erf(float(sigma) / math.sqrt(2.0))
    return 0.5 * (1.0 - mass), 0.5 * (1.0 + mass)


class Samples:
    """Samples of the physical parameter vector (rows in ``model.paths`` order).

    ``weight_list`` is normalised to sum to 1. ``log_likelihood_list`` holds the pure log
    likelihood, ``log_prior_list`` the summed log prior density of each sample.
    """

    def __init__(
        self,
        parameter_names: Sequence[str],
        parameters,
        weights=None,
        log_likelihood=None,
        log_prior=None,
        log_evidence: float | None = None,
    ) -> None:
        parameters = np.asarray(parameters, dtype=float)
        n_par = len(parameter_names)
        parameters = parameters.reshape(-1, n_par) if parameters.size else np.zeros((0, n_par))
        n = parameters.shape[0]
        if n == 0:
            raise InputError("Samples: a search produced no samples.")
        weights = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
        if weights.shape != (n,) or not np.all(weights >= 0.0) or not weights.sum() > 0.0:
            raise InputError("Samples: weights must be n non-negative numbers with a positive sum.")
        self.parameter_names = list(parameter_names)
        self.parameters = parameters
        self.weight_list = weights / weights.sum()
        nan = np.full(n, np.nan)
        self.log_likelihood_list = (
            nan if log_likelihood is None else np.asarray(log_likelihood, float)
        )
        self.log_prior_list = nan.copy() if log_prior is None else np.asarray(log_prior, float)
        self.log_evidence = log_evidence

    # ------------------------------------------------------------- views
    @property
    def parameter_lists(self) -> list[list[float]]:
        return self.parameters.tolist()

    @property
    def total_samples(self) -> int:
        return self.parameters.shape[0]

    @property
    def log_posterior_list(self) -> np.ndarray:
        return self.log_likelihood_list + self.log_prior_list

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective sample size ``1 / sum w_i^2`` of the normalised weights."""
        return float(1.0 / np.sum(self.weight_list**2))

    # ------------------------------------------------------------- statistics
    @property
    def max_log_likelihood_index(self) -> int:
        return int(np.nanargmax(self.log_likelihood_list))

    @property
    def max_log_likelihood_vector(self) -> np.ndarray:
        return self.parameters[self.max_log_likelihood_index].copy()

    @property
    def max_log_posterior_vector(self) -> np.ndarray:
        return self.parameters[int(np.nanargmax(self.log_posterior_list))].copy()

    def _quantile_vector(self, q: float) -> np.ndarray:
        return np.array(
            [weighted_quantile(col, self.weight_list, q) for col in self.parameters.T], dtype=float
        )

    @property
    def median_pdf_vector(self) -> np.ndarray:
        """Weighted median of each parameter's 1-D marginal."""
        return self._quantile_vector(0.5)

    @property
    def mean_vector(self) -> np.ndarray:
        return self.weight_list @ self.parameters

    @property
    def covariance_matrix(self) -> np.ndarray:
        centred = self.parameters - self.mean_vector
        return (centred * self.weight_list[:, None]).T @ centred

    def values_at_sigma(self, sigma: float) -> np.ndarray:
        """``(p, 2)``: lower and upper value of each parameter's central ``sigma`` interval."""
        low, high = _sigma_quantiles(sigma)
        return np.column_stack([self._quantile_vector(low), self._quantile_vector(high)])

    def values_at_lower_sigma(self, sigma: float) -> np.ndarray:
        return self.values_at_sigma(sigma)[:, 0]

    def values_at_upper_sigma(self, sigma: float) -> np.ndarray:
        return self.values_at_sigma(sigma)[:, 1]

    def errors_at_sigma(self, sigma: float) -> np.ndarray:
        """``(p, 2)``: distances ``median - lower`` and ``upper - median`` (both >= 0)."""
        values = self.values_at_sigma(sigma)
        median = self.median_pdf_vector
        return np.column_stack([median - values[:, 0], values[:, 1] - median])

    def errors_at_lower_sigma(self, sigma: float) -> np.ndarray:
        return self.errors_at_sigma(sigma)[:, 0]

    def errors_at_upper_sigma(self, sigma: float) -> np.ndarray:
        return self.errors_at_sigma(sigma)[:, 1]

    # ------------------------------------------------------------- I/O
    @classmethod
    def from_csv_dict(cls, table: dict, log_evidence: float | None = None) -> Samples:
        """From :func:`output.read_samples_csv` output."""
        return cls(
            table["names"],
            table["parameters"],
            table["weight"],
            table["log_likelihood"],
            table["log_prior"],
            log_evidence=log_evidence,
        )

    def __repr__(self) -> str:
        return f"<Samples: {self.total_samples} samples of {self.parameter_names}>"
