"""Importance sampling from a Student-t proposal: draws, weights, evidence and diagnostics.

* Laplace approximation: at a mode of the log posterior, ``cov = (-H)^-1`` (Laplace 1774;
  MacKay 2003, Information Theory, Inference and Learning Algorithms, eq. 27.8).
* Proposal: multivariate Student-t with ``df`` degrees of freedom (heavier tails than the
  Gaussian, so the weights stay bounded when the posterior is wider than the Laplace
  guess; Geweke 1989, Econometrica 57, 1317).
* Adaptation: the proposal's mean and covariance are moved to the weighted moments of
  the previous batch (population Monte Carlo, Cappe et al. 2004, J. Comput. Graph. Stat.
  13, 907).
* Evidence: ``Z = mean(w)`` with ``w = L p / q``; its relative error ``sd(w) / (mean(w)
  sqrt(N))``.
* Effective sample size ``(sum w)^2 / sum w^2`` (Kish 1965) and Pareto smoothing of the
  largest weights with its shape k-hat (PSIS, Vehtari et al. 2024, JMLR 25, 72, sec. 3:
  the estimate is reliable for k-hat < 0.7, and its tail size ``M = min(N/5, 3 sqrt(N))``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.linalg import solve_triangular
from scipy.special import gammaln, logsumexp

__all__ = [
    "StudentT",
    "effective_sample_size",
    "laplace_covariance",
    "log_evidence_from",
    "pareto_khat",
    "pareto_smoothed",
    "positive_definite",
    "weighted_moments",
]


def laplace_covariance(hessian, floor: float = 1.0e-10, saddle_free: bool = False) -> np.ndarray:
    """``(-H)^-1`` of a log-posterior Hessian; eigenvalues of ``-H`` below ``floor`` times
    the largest (flat or saddle directions) are raised to it so the result is positive
    definite. ``saddle_free``: use ``|eigenvalue|`` first (Dauphin et al. 2014,
    arXiv:1406.2572), so a direction of positive curvature keeps its scale."""
    hessian = 0.5 * (np.asarray(hessian, float) + np.asarray(hessian, float).T)
    values, vectors = np.linalg.eigh(-hessian)
    top = max(float(np.max(np.abs(values))), 1.0e-300)
    values = np.maximum(np.abs(values) if saddle_free else values, floor * top)
    return (vectors / values) @ vectors.T


def positive_definite(cov) -> np.ndarray:
    """Symmetrised ``cov`` with eigenvalues floored at 1e-9 of the largest."""
    cov = 0.5 * (np.asarray(cov, float) + np.asarray(cov, float).T)
    values, vectors = np.linalg.eigh(cov)
    values = np.maximum(values, 1.0e-9 * max(float(values.max()), 1.0e-300))
    return (vectors * values) @ vectors.T


class StudentT:
    """Multivariate Student-t proposal ``t_df(mean, cov)`` in ``z`` space."""

    def __init__(self, mean, cov, df: float = 5.0) -> None:
        self.mean = np.asarray(mean, dtype=float)
        self.cov = positive_definite(cov)
        self.df = float(df)
        self.chol = np.linalg.cholesky(self.cov)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        gauss = rng.standard_normal((int(n), self.mean.size)) @ self.chol.T
        scale = np.sqrt(rng.chisquare(self.df, int(n)) / self.df)
        return self.mean + gauss / scale[:, None]

    def log_pdf(self, z) -> np.ndarray:
        """``log t_df(z; mean, cov)`` (e.g. Kotz & Nadarajah 2004, Multivariate t
        Distributions, eq. 1.1), with the Mahalanobis term from the Cholesky factor."""
        d = np.atleast_2d(np.asarray(z, dtype=float)) - self.mean
        p, nu = self.mean.size, self.df
        m = np.sum(solve_triangular(self.chol, d.T, lower=True) ** 2, axis=0)
        log_det = 2.0 * np.sum(np.log(np.diag(self.chol)))
        norm = gammaln(0.5 * (nu + p)) - gammaln(0.5 * nu) - 0.5 * p * np.log(nu * np.pi)
        return norm - 0.5 * log_det - 0.5 * (nu + p) * np.log1p(m / nu)


def effective_sample_size(log_weights) -> float:
    """Kish's ``(sum w)^2 / sum w^2``."""
    lw = np.asarray(log_weights, dtype=float)
    return float(np.exp(2.0 * logsumexp(lw) - logsumexp(2.0 * lw)))


def log_evidence_from(log_weights) -> tuple[float, float]:
    """``(log mean w, its standard error)`` (delta method: ``sd(w) / (mean(w) sqrt(N))``)."""
    lw = np.asarray(log_weights, dtype=float)
    n = lw.size
    log_z = float(logsumexp(lw) - math.log(n))
    w = np.exp(lw - lw.max())
    error = float(np.std(w) / (np.mean(w) * math.sqrt(n)))
    return log_z, error


def pareto_smoothed(log_weights) -> tuple[np.ndarray, float]:
    """Pareto-smoothed log weights and the Pareto shape k-hat (PSIS; Vehtari et al. 2024,
    JMLR 25, 72, sec. 3).

    A generalised Pareto is fitted (scipy maximum likelihood, location 0) to the
    exceedances of the ``M = min(N/5, 3 sqrt(N))`` largest weights over the largest weight
    below them; those ``M`` weights are replaced by the fit's quantiles at ``(i - 1/2)/M``
    (capped at the largest raw weight), which keeps one lucky draw from dominating the
    estimates. k-hat < 0.7 says the smoothed estimates are reliable. Too few draws give
    ``(raw, inf)``; flat weights ``(raw, -inf)``.
    """
    lw = np.asarray(log_weights, dtype=float)
    n = lw.size
    m = int(min(n / 5.0, 3.0 * math.sqrt(n)))
    if m < 5:
        return lw.copy(), math.inf
    order = np.argsort(lw)
    tail, top = order[-m:], lw[order[-1]]
    # everything relative to the largest weight: scale-free and no overflow
    threshold = np.exp(lw[order[-m - 1]] - top)
    exceedances = np.exp(lw[tail] - top) - threshold
    if not np.any(exceedances > 0.0):
        return lw.copy(), -math.inf
    shape, _, sigma = stats.genpareto.fit(exceedances, floc=0.0)
    quantiles = stats.genpareto.ppf((np.arange(1, m + 1) - 0.5) / m, shape, scale=sigma)
    smoothed = lw.copy()
    smoothed[tail] = np.minimum(np.log(threshold + quantiles) + top, top)
    return smoothed, float(shape)


def pareto_khat(log_weights) -> float:
    """The Pareto shape k-hat of :func:`pareto_smoothed` (< 0.7: reliable)."""
    return pareto_smoothed(log_weights)[1]


def weighted_moments(z, log_weights) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and covariance of the rows of ``z`` (the next proposal's moments)."""
    lw = np.asarray(log_weights, dtype=float)
    w = np.exp(lw - lw.max())
    w /= w.sum()
    mean = w @ z
    d = z - mean
    return mean, (w[:, None] * d).T @ d
