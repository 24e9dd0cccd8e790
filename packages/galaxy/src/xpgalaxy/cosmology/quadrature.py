"""Fixed-order Gauss-Legendre quadrature for line-of-sight distance integrals.

A fixed rule has no data-dependent control flow, so it traces under ``jax.jit``/``jax.vmap``
and differentiates (``jax.grad``) with respect to the limits and the integrand, which
``scipy.integrate.quad`` cannot. Nodes and weights are computed once, with NumPy, at import.

Distance integrals ``int_{z1}^{z2} g(z) dz`` are integrated in ``u = ln(1 + z)``:
``dz = (1 + z) du``. In ``u`` the integrand ``(1 + z) / E(z)`` of flat LCDM is smooth and
slowly varying from z = 0 to recombination, and its nearest complex singularity lies far from
the real interval, so the Gauss-Legendre error (which falls geometrically with the Bernstein
ellipse of analyticity; Trefethen 2008, SIAM Review 50, 67, Theorem 4.5) is at the float64
round-off level (<1e-14 relative for Planck15 up to z = 1100 with 48 nodes).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["GAUSS_LEGENDRE_ORDER", "integrate_in_log1p"]

GAUSS_LEGENDRE_ORDER = 48

# Nodes on [-1, 1] and their weights, as NumPy float64 constants (jax.numpy accepts them).
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(GAUSS_LEGENDRE_ORDER)


def integrate_in_log1p(
    integrand_of_zp1: Callable[[Any], Any], z1: Any, z2: Any, xp: ModuleType = np
) -> Any:
    """``int_{z1}^{z2} g(z) dz`` with ``g`` given as a function of ``1 + z``.

    Parameters
    ----------
    integrand_of_zp1
        ``g`` as a function of ``1 + z``, elementwise on an array of any shape.
    z1, z2
        Limits (scalars or broadcastable arrays, possibly traced). ``z2 < z1`` gives minus the
        integral; ``z1 == z2`` gives exactly 0. Both must exceed -1.

    Returns
    -------
    The integral, with the broadcast shape of ``z1`` and ``z2``.
    """
    u1 = xp.log1p(xp.asarray(z1, dtype=float))
    u2 = xp.log1p(xp.asarray(z2, dtype=float))
    half_width = 0.5 * (u2 - u1)
    centre = 0.5 * (u2 + u1)
    # Trailing axis of quadrature nodes, broadcast against the limits' shape.
    u = centre[..., None] + half_width[..., None] * xp.asarray(_NODES)
    zp1 = xp.exp(u)
    values = zp1 * integrand_of_zp1(zp1)
    return half_width * xp.sum(values * xp.asarray(_WEIGHTS), axis=-1)
