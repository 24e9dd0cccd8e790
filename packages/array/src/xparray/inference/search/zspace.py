"""The unbounded parametrisation ``z = logit(u)`` that optimisers and proposals move in.

A model maps the unit hypercube to physical values (``x = prior.value_for(u)``). With
``u = sigmoid(z)`` every ``z`` in R^p is a valid point, so no optimiser step or proposal
draw can leave the prior box. Under the uniform prior on ``u`` the prior density of ``z`` is
the logistic density ``prod_i u_i (1 - u_i)``, so

    log posterior(z) = log L(x(z)) + sum_i log(u_i (1 - u_i))      (+ const)

and the evidence is ``Z = integral L(x(z)) p(z) dz`` with ``p`` normalised: importance
weights against a proposal ``q(z)`` are ``L p / q``. Gradients use the chain rule with the
diagonal Jacobian ``dx_i/dz_i = u_i (1 - u_i) / prior_i.pdf(x_i)`` (each parameter depends
on its own ``u`` only; the inverse-CDF transform has ``dx/du = 1 / pdf``).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit

__all__ = ["UnboundedSpace", "log_logistic_density"]

#: Unit coordinates are kept this far inside (0, 1) so that ``x(z)`` stays finite for
#: priors with infinite support (Gaussian) and ``log u`` does not overflow.
_U_EDGE = 1.0e-15


def log_logistic_density(z) -> np.ndarray:
    """``sum_i log(u_i (1 - u_i))`` with ``u = sigmoid(z)``, computed without overflow.

    ``log u = -log(1 + e^-z)`` and ``log(1 - u) = -log(1 + e^z)``. Shape ``(..., p) -> (...)``.
    """
    z = np.asarray(z, dtype=float)
    return -np.sum(np.logaddexp(0.0, z) + np.logaddexp(0.0, -z), axis=-1)


class UnboundedSpace:
    """Objective of a search in ``z`` space: ``log L(x(z)) + log p(z)``.

    ``objective`` is the search's :class:`~xparray.inference.search.base.Objective` built
    with ``use_log_prior=False`` (the prior enters through ``log p(z)``), so every call is
    counted and timed there (None: only the transforms are available). ``fd_step``: step in ``z`` of central finite differences on
    the NumPy path (the JAX path differentiates the likelihood exactly).
    """

    def __init__(self, model, objective=None, fd_step: float = 1.0e-5) -> None:
        if objective is not None and objective.fitness.use_log_prior:
            raise ValueError("UnboundedSpace needs an objective without the log prior.")
        self.model = model
        self.objective = objective
        self.priors = list(model.priors_ordered_by_id)
        self.n = len(self.priors)
        self.fd_step = float(fd_step)

    # ------------------------------------------------------------- transforms
    def unit_from(self, z) -> np.ndarray:
        return np.clip(expit(np.asarray(z, dtype=float)), _U_EDGE, 1.0 - _U_EDGE)

    def vectors_from(self, z) -> np.ndarray:
        """Physical vectors of ``z`` rows (``(p,)`` or ``(n, p)``)."""
        z = np.asarray(z, dtype=float)
        rows = np.atleast_2d(z)
        vectors = np.asarray(self.model.vector_from_unit_vector(self.unit_from(rows).T)).T
        return vectors.reshape(z.shape)

    def z_from(self, vector) -> np.ndarray:
        """``z`` of a physical vector (values outside a prior's support are clipped in)."""
        vector = np.asarray(vector, dtype=float)
        unit = np.array([p.unit_from_value(v) for p, v in zip(self.priors, vector)], float)
        return logit(np.clip(unit, 1.0e-12, 1.0 - 1.0e-12))

    def z_of(self, index: int, value: float) -> float:
        """``z`` of one parameter's physical value."""
        unit = float(self.priors[index].unit_from_value(value))
        return float(logit(np.clip(unit, 1.0e-12, 1.0 - 1.0e-12)))

    def _dx_dz(self, vector, unit) -> np.ndarray:
        log_pdf = np.array(
            [float(p.log_prior_from_value(v)) for p, v in zip(self.priors, vector)], float
        )
        return np.exp(-log_pdf) * unit * (1.0 - unit)

    # ------------------------------------------------------------- evaluations
    def values(self, z) -> tuple[np.ndarray, np.ndarray]:
        """``(log posterior in z, log likelihood)`` of each row of ``z`` (n, p), batched."""
        z = np.atleast_2d(np.asarray(z, dtype=float))
        log_like = self.objective.batch(self.vectors_from(z))
        return log_like + log_logistic_density(z), log_like

    def value_and_grad(self, z, indices=None) -> tuple[float, np.ndarray]:
        """Log posterior in ``z`` and its gradient (JAX: exact; NumPy: central differences).

        ``indices``: the parameters whose derivatives are needed (NumPy differences only
        those, one batch of ``2 len(indices) + 1`` points); the others are returned as 0.
        """
        z = np.asarray(z, dtype=float)
        if not self.objective.use_jax:
            idx = np.arange(self.n) if indices is None else np.asarray(indices, dtype=int)
            h = self.fd_step
            eye = np.zeros((idx.size, self.n))
            eye[np.arange(idx.size), idx] = h
            values, _ = self.values(np.vstack([z, z + eye, z - eye]))
            grad = np.zeros(self.n)
            grad[idx] = (values[1 : idx.size + 1] - values[idx.size + 1 :]) / (2.0 * h)
            return float(values[0]), grad
        unit = self.unit_from(z)
        vector = self.vectors_from(z)
        value, grad_x = self.objective.value_and_grad(vector)
        grad = grad_x * self._dx_dz(vector, unit) + (1.0 - 2.0 * unit)
        return value + float(log_logistic_density(z)), grad

    def hessian(self, z, step: float = 1.0e-3, basis=None) -> np.ndarray:
        """Hessian of the log posterior by central differences of values, batched.

        In the coordinates ``y`` of ``z = z0 + basis @ y`` (default: the identity, i.e. the
        Hessian in ``z``); the result is ``basis^T H basis``. Two passes: the diagonal with
        ``step`` gives each direction's scale ``s_i = 1/sqrt(-H_ii)`` (then refined once
        with steps of half of it); then every entry with steps ``h_i = s_i / 2`` (clipped
        to [1e-6, 0.3]), so each difference spans the peak's width rather than a fixed size
        (Nocedal & Wright 2006, Numerical Optimization, eq. 8.21). Differences of values,
        not of exact JAX gradients, on both paths: a cuspy light profile makes the
        gradient jump between nearby points (a sample point close to its centre), which
        the peak-wide steps average out.
        """
        z = np.asarray(z, dtype=float)
        n = self.n
        b = np.eye(n) if basis is None else np.asarray(basis, dtype=float)
        h = np.full(n, float(step))
        for _ in range(2):  # step -> scale; refine the scale once with steps of half of it
            d = (b * h).T
            v, _ = self.values(np.vstack([z, z + d, z - d]))
            diag = (v[1 : n + 1] + v[n + 1 :] - 2.0 * v[0]) / h**2
            scale = np.where(diag < 0.0, 1.0 / np.sqrt(np.abs(diag) + 1e-300), 1.0)
            h = np.clip(0.5 * scale, 1.0e-6, 0.3)
        d = (b * h).T  # row i: the step h_i along direction i
        rows = [z]
        for i in range(n):
            rows += [z + d[i], z - d[i]]
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
        for i, j in pairs:
            rows += [z + d[i] + d[j], z - d[i] - d[j], z + d[i] - d[j], z - d[i] + d[j]]
        v, _ = self.values(np.array(rows))
        hess = np.empty((n, n))
        for i in range(n):
            hess[i, i] = (v[1 + 2 * i] + v[2 + 2 * i] - 2.0 * v[0]) / h[i] ** 2
        base = 1 + 2 * n
        for k, (i, j) in enumerate(pairs):
            pp, mm, pm, mp = v[base + 4 * k : base + 4 * k + 4]
            hess[i, j] = hess[j, i] = (pp + mm - pm - mp) / (4.0 * h[i] * h[j])
        return hess
