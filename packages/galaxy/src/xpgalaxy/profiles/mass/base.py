"""MassProfile: the base of every mass profile.

Checklist for adding a mass profile (one profile family per module in this folder):

1. Write the maths as module-level functions of raw arrays and ``xp`` (convergence,
   potential, deflections in the profile frame), each with its paper and equation.
2. Subclass ``MassProfile`` (elliptical) or use ``ell_comps=(0, 0)`` for the spherical
   variant, with PyAutoGalaxy's parameter names; hold parameters only.
3. Decorate ``convergence_2d_from`` / ``potential_2d_from`` with ``@aa.decorators.to_array``
   then ``@aa.decorators.transform``; ``deflections_yx_2d_from`` with
   ``@aa.decorators.to_vector_yx`` then ``@aa.decorators.transform(rotate_back=True)``.
   Pass ``xp=xp`` to every nested call.
4. Add a ``default_priors`` dict for model fitting.
5. Add one line to this family's registry (``registry_*.py``): valid parameters, the
   singular points, and a tolerance with its reason if looser than 1e-10.
6. Unit tests against an analytic reference (paper + equation cited); the generic
   registry tests then check deflection = grad potential, convergence = half trace of the
   hessian, finite values at the singular points, NumPy vs JAX parity and gradients.
"""

from __future__ import annotations

import numpy as np

from xpgalaxy.profiles.geometry import EllProfile

__all__ = ["MassProfile"]


class MassProfile(EllProfile):
    """Convergence (dimensionless), potential (arcsec^2) and deflections (arcsec)."""

    def convergence_2d_from(self, grid, xp=np, **kwargs):
        raise NotImplementedError

    def potential_2d_from(self, grid, xp=np, **kwargs):
        raise NotImplementedError

    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        raise NotImplementedError
