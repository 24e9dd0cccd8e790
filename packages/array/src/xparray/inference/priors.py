"""Priors: maps from the unit hypercube to physical parameter values, and log densities.

Every transform is a plain module-level function of raw arrays and ``xp`` so it traces
under ``jax.jit`` / ``jax.vmap`` / ``jax.grad``; the prior classes only hold the numbers.
Normal quantiles use the inverse of the standard normal CDF, ``ndtri`` (Abramowitz &
Stegun 1964, eq. 26.2.23 defines the normal CDF; scipy.special.ndtri and
jax.scipy.special.ndtri implement its inverse).

Outside its support a prior's log density is NOT ``-inf``: ``log_prior_from_value``
returns the finite :data:`LOG_PRIOR_OUTSIDE_SUPPORT` (on NumPy and JAX alike) so the sum
with a log likelihood stays finite, a jitted objective never produces ``inf``/``nan``
from a prior, and samplers (emcee) still reject the point.
"""

from __future__ import annotations

import itertools
import math
from types import ModuleType

import numpy as np

from xparray.backend import is_jax
from xparray.errors import InputError

__all__ = [
    "LOG_PRIOR_OUTSIDE_SUPPORT",
    "Prior",
    "UniformPrior",
    "GaussianPrior",
    "LogUniformPrior",
    "TruncatedGaussianPrior",
    "prior_from_dict",
]

#: Log prior returned outside a prior's support (documented stand-in for ``-inf``).
LOG_PRIOR_OUTSIDE_SUPPORT = -1.0e100

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_ID_COUNTER = itertools.count(1)


def _special(xp: ModuleType):
    """``scipy.special`` on NumPy, ``jax.scipy.special`` on JAX (both give ndtr/ndtri)."""
    if is_jax(xp):
        import jax.scipy.special as special

        return special
    import scipy.special as special

    return special


# ---------------------------------------------------------------- formulas (raw arrays)


def uniform_value_from_unit(unit, lower: float, upper: float, xp: ModuleType = np):
    """Uniform quantile: ``lower + unit (upper - lower)``."""
    return lower + unit * (upper - lower)


def uniform_log_pdf(value, lower: float, upper: float, xp: ModuleType = np):
    """``-log(upper - lower)`` on ``[lower, upper]``, LOG_PRIOR_OUTSIDE_SUPPORT elsewhere."""
    inside = xp.logical_and(value >= lower, value <= upper)
    return xp.where(inside, -math.log(upper - lower), LOG_PRIOR_OUTSIDE_SUPPORT)


def gaussian_value_from_unit(unit, mean: float, sigma: float, xp: ModuleType = np):
    """Normal quantile: ``mean + sigma * ndtri(unit)`` (ndtri = inverse normal CDF)."""
    return mean + sigma * _special(xp).ndtri(unit)


def gaussian_log_pdf(value, mean: float, sigma: float, xp: ModuleType = np):
    """Normal log density ``-z^2/2 - log(sigma) - log(2 pi)/2`` with ``z = (x-mean)/sigma``."""
    z = (value - mean) / sigma
    return -0.5 * z * z - math.log(sigma) - _LOG_SQRT_2PI


def log_uniform_value_from_unit(unit, lower: float, upper: float, xp: ModuleType = np):
    """Log-uniform quantile: ``exp(log lower + unit log(upper/lower))``."""
    return xp.exp(math.log(lower) + unit * math.log(upper / lower))


def log_uniform_log_pdf(value, lower: float, upper: float, xp: ModuleType = np):
    """``-log(x) - log(log(upper/lower))`` on ``[lower, upper]``.

    Double-where: ``log`` only ever sees an in-support value, so values and gradients stay
    finite for ``x <= 0``.
    """
    inside = xp.logical_and(value >= lower, value <= upper)
    safe = xp.where(inside, value, lower)
    log_pdf = -xp.log(safe) - math.log(math.log(upper / lower))
    return xp.where(inside, log_pdf, LOG_PRIOR_OUTSIDE_SUPPORT)


def truncated_gaussian_value_from_unit(
    unit,
    mean: float,
    sigma: float,
    cdf_lower: float,
    cdf_upper: float,
    reflected: bool,
    xp: ModuleType = np,
):
    """Truncated-normal quantile via the CDF bounds: ``mean + sigma ndtri(a + u (b - a))``.

    ``a, b`` are the normal CDF at the standardised limits. When the interval lies above
    the mean (``reflected``) the survival function is used instead (``a, b`` are then
    ``Phi(-alpha), Phi(-beta)`` and the sign flips) so precision is kept in the upper tail.
    ``reflected`` is a Python bool fixed at construction, never a traced value.
    """
    p = cdf_lower + unit * (cdf_upper - cdf_lower)
    z = _special(xp).ndtri(p)
    return mean - sigma * z if reflected else mean + sigma * z


def truncated_gaussian_log_pdf(
    value,
    mean: float,
    sigma: float,
    lower: float,
    upper: float,
    log_mass: float,
    xp: ModuleType = np,
):
    """Normal log density minus ``log Z`` (``Z`` = probability mass inside the limits)."""
    inside = xp.logical_and(value >= lower, value <= upper)
    log_pdf = gaussian_log_pdf(value, mean, sigma, xp=xp) - log_mass
    return xp.where(inside, log_pdf, LOG_PRIOR_OUTSIDE_SUPPORT)


# ---------------------------------------------------------------- validation


def _number(name: str, value, cls: str, allow_inf: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{cls}: {name}={value!r} is not a number; pass a finite float.") from None
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise InputError(f"{cls}: {name}={value!r} is not finite; pass a finite float.")
    return number


def _check_order(cls: str, lower: float, upper: float) -> None:
    if not lower < upper:
        raise InputError(
            f"{cls}: lower_limit={lower} must be smaller than upper_limit={upper}; "
            "swap them or widen the range."
        )


def _check_sigma(cls: str, sigma: float) -> None:
    if not sigma > 0.0:
        raise InputError(f"{cls}: sigma={sigma} must be > 0; pass a positive width.")


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _json_float(value: float):
    """JSON has no infinities: encode them as the strings 'inf' / '-inf'."""
    return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")


# ---------------------------------------------------------------- classes


class Prior:
    """Base class. ``id`` is a creation-order counter: it orders a model's parameter vector
    and identifies tied parameters (two slots holding the same prior object).

    Every prior has ``median`` (used by ``instance_from_prior_medians``) and
    ``expectation`` (the distribution mean). ``mean`` is the location argument of the
    Gaussian priors and the distribution mean of the uniform ones.
    """

    _fields: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.id = next(_ID_COUNTER)

    # subclasses implement value_for / log_prior_from_value / unit_from_value / median / mean
    lower_limit: float = -math.inf
    upper_limit: float = math.inf

    @property
    def width(self) -> float:
        """``upper_limit - lower_limit`` (``inf`` for unbounded priors)."""
        return self.upper_limit - self.lower_limit

    def parameters(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self._fields}

    def new(self) -> Prior:
        """An equal prior with a fresh ``id`` (an independent, untied parameter)."""
        return type(self)(**self.parameters())

    def to_dict(self) -> dict:
        out = {"type": type(self).__name__, "id": self.id}
        out.update({k: _json_float(v) for k, v in self.parameters().items()})
        return out

    def info(self) -> str:
        """``UniformPrior [3], lower_limit = 0, upper_limit = 1``."""
        args = ", ".join(f"{k} = {_fmt(v)}" for k, v in self.parameters().items())
        return f"{type(self).__name__} [{self.id}], {args}"

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.parameters().items())
        return f"{type(self).__name__}({args})"


class UniformPrior(Prior):
    """Uniform on ``[lower_limit, upper_limit]``."""

    _fields = ("lower_limit", "upper_limit")

    def __init__(self, lower_limit: float = 0.0, upper_limit: float = 1.0) -> None:
        name = type(self).__name__
        self.lower_limit = _number("lower_limit", lower_limit, name)
        self.upper_limit = _number("upper_limit", upper_limit, name)
        _check_order(name, self.lower_limit, self.upper_limit)
        super().__init__()

    def value_for(self, unit, xp: ModuleType = np):
        return uniform_value_from_unit(unit, self.lower_limit, self.upper_limit, xp=xp)

    def log_prior_from_value(self, value, xp: ModuleType = np):
        return uniform_log_pdf(value, self.lower_limit, self.upper_limit, xp=xp)

    def unit_from_value(self, value):
        return (np.asarray(value) - self.lower_limit) / self.width

    @property
    def median(self) -> float:
        return 0.5 * (self.lower_limit + self.upper_limit)

    @property
    def mean(self) -> float:
        return self.median

    @property
    def expectation(self) -> float:
        return self.median


class GaussianPrior(Prior):
    """Normal with ``mean`` and standard deviation ``sigma`` (unbounded)."""

    _fields = ("mean", "sigma")

    def __init__(self, mean: float = 0.0, sigma: float = 1.0) -> None:
        name = type(self).__name__
        self.mean = _number("mean", mean, name)
        self.sigma = _number("sigma", sigma, name)
        _check_sigma(name, self.sigma)
        super().__init__()

    def value_for(self, unit, xp: ModuleType = np):
        return gaussian_value_from_unit(unit, self.mean, self.sigma, xp=xp)

    def log_prior_from_value(self, value, xp: ModuleType = np):
        return gaussian_log_pdf(value, self.mean, self.sigma, xp=xp)

    def unit_from_value(self, value):
        return _special(np).ndtr((np.asarray(value) - self.mean) / self.sigma)

    @property
    def median(self) -> float:
        return self.mean

    @property
    def expectation(self) -> float:
        return self.mean


class LogUniformPrior(Prior):
    """Uniform in ``log x`` on ``[lower_limit, upper_limit]`` with ``lower_limit > 0``."""

    _fields = ("lower_limit", "upper_limit")

    def __init__(self, lower_limit: float = 1.0e-6, upper_limit: float = 1.0) -> None:
        name = type(self).__name__
        self.lower_limit = _number("lower_limit", lower_limit, name)
        self.upper_limit = _number("upper_limit", upper_limit, name)
        if not self.lower_limit > 0.0:
            raise InputError(
                f"{name}: lower_limit={self.lower_limit} must be > 0 (log of the value); "
                "use a small positive lower_limit or a UniformPrior."
            )
        _check_order(name, self.lower_limit, self.upper_limit)
        super().__init__()

    def value_for(self, unit, xp: ModuleType = np):
        return log_uniform_value_from_unit(unit, self.lower_limit, self.upper_limit, xp=xp)

    def log_prior_from_value(self, value, xp: ModuleType = np):
        return log_uniform_log_pdf(value, self.lower_limit, self.upper_limit, xp=xp)

    def unit_from_value(self, value):
        return np.log(np.asarray(value) / self.lower_limit) / math.log(
            self.upper_limit / self.lower_limit
        )

    @property
    def median(self) -> float:
        return math.sqrt(self.lower_limit * self.upper_limit)

    @property
    def mean(self) -> float:
        """``(upper - lower) / log(upper / lower)``, the mean of the 1/x density."""
        return self.width / math.log(self.upper_limit / self.lower_limit)

    @property
    def expectation(self) -> float:
        return self.mean


class TruncatedGaussianPrior(Prior):
    """Normal(``mean``, ``sigma``) restricted to ``[lower_limit, upper_limit]``."""

    _fields = ("mean", "sigma", "lower_limit", "upper_limit")

    def __init__(
        self,
        mean: float = 0.0,
        sigma: float = 1.0,
        lower_limit: float = -math.inf,
        upper_limit: float = math.inf,
    ) -> None:
        name = type(self).__name__
        self.mean = _number("mean", mean, name)
        self.sigma = _number("sigma", sigma, name)
        _check_sigma(name, self.sigma)
        self.lower_limit = _number("lower_limit", lower_limit, name, allow_inf=True)
        self.upper_limit = _number("upper_limit", upper_limit, name, allow_inf=True)
        _check_order(name, self.lower_limit, self.upper_limit)
        ndtr = _special(np).ndtr
        alpha = (self.lower_limit - self.mean) / self.sigma
        beta = (self.upper_limit - self.mean) / self.sigma
        # Above the mean, work with the survival function Phi(-z) to keep precision.
        self._reflected = bool(alpha > 0.0)
        if self._reflected:
            self._cdf_lower, self._cdf_upper = float(ndtr(-alpha)), float(ndtr(-beta))
        else:
            self._cdf_lower, self._cdf_upper = float(ndtr(alpha)), float(ndtr(beta))
        mass = abs(self._cdf_upper - self._cdf_lower)
        if not mass > 0.0:
            raise InputError(
                f"{name}: the interval [{self.lower_limit}, {self.upper_limit}] holds no "
                f"probability of Normal({self.mean}, {self.sigma}) in float64; move "
                "lower_limit/upper_limit towards the mean or increase sigma."
            )
        self._log_mass = math.log(mass)
        super().__init__()

    def value_for(self, unit, xp: ModuleType = np):
        return truncated_gaussian_value_from_unit(
            unit,
            self.mean,
            self.sigma,
            self._cdf_lower,
            self._cdf_upper,
            self._reflected,
            xp=xp,
        )

    def log_prior_from_value(self, value, xp: ModuleType = np):
        return truncated_gaussian_log_pdf(
            value, self.mean, self.sigma, self.lower_limit, self.upper_limit, self._log_mass, xp=xp
        )

    def unit_from_value(self, value):
        z = (np.asarray(value) - self.mean) / self.sigma
        cdf = _special(np).ndtr(-z if self._reflected else z)
        return (cdf - self._cdf_lower) / (self._cdf_upper - self._cdf_lower)

    @property
    def median(self) -> float:
        return float(self.value_for(0.5))

    @property
    def expectation(self) -> float:
        """Mean of the truncated distribution, ``mean + sigma (phi(alpha) - phi(beta)) / Z`` (Johnson, Kotz & Balakrishnan 1994,
        Continuous Univariate Distributions vol. 1, eq. 13.134)."""
        alpha = (self.lower_limit - self.mean) / self.sigma
        beta = (self.upper_limit - self.mean) / self.sigma

        def phi(z: float) -> float:
            return 0.0 if math.isinf(z) else math.exp(-0.5 * z * z - _LOG_SQRT_2PI)

        return self.mean + self.sigma * (phi(alpha) - phi(beta)) / math.exp(self._log_mass)


_PRIOR_TYPES = {
    cls.__name__: cls
    for cls in (UniformPrior, GaussianPrior, LogUniformPrior, TruncatedGaussianPrior)
}


def prior_from_dict(data: dict) -> Prior:
    """Rebuild a prior from :meth:`Prior.to_dict` output (a fresh ``id`` is assigned)."""
    try:
        cls = _PRIOR_TYPES[data["type"]]
    except KeyError:
        raise InputError(
            f"prior type {data.get('type')!r} is unknown; expected one of {sorted(_PRIOR_TYPES)}."
        ) from None
    return cls(**{name: float(data[name]) for name in cls._fields})
