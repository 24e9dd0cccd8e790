"""MassProfile: the base of every mass profile.

Checklist for adding a mass profile (one profile family per module in this folder):

1. Write the maths as module-level functions of raw arrays and ``xp`` (convergence,
   potential, deflections in the profile frame), each with its paper and equation.
2. Subclass ``MassProfile`` (elliptical) or use ``ell_comps=(0, 0)`` for the spherical
   variant, with PyAutoGalaxy's parameter names; hold parameters only.
3. Implement ``_convergence_in_frame(y, x, xp)``, ``_potential_in_frame(y, x, xp)`` and
   ``_deflections_in_frame(y, x, xp)`` (raw (y, x) in the profile frame -> raw arrays;
   deflections as ``(alpha_y, alpha_x)``): the base's decorated ``convergence_2d_from``,
   ``potential_2d_from`` and ``deflections_yx_2d_from`` do the rest (structure in/out,
   the frame transform by ``frame_yx_from``, rotating deflections back by
   ``vectors_to_image_frame_from``). A profile that needs more than that overrides the
   public methods the same way (``to_array``/``to_vector_yx`` decorators, frame helpers
   inside). Pass ``xp=xp`` to every nested call.
4. Add a ``default_priors`` dict for model fitting.
5. Add one line to this family's registry (``registry_*.py``): valid parameters, the
   singular points, and a tolerance with its reason if looser than 1e-10.
6. Unit tests against an analytic reference (paper + equation cited); the generic
   registry tests then check deflection = grad potential, convergence = half trace of the
   hessian, finite values at the singular points, NumPy vs JAX parity and gradients.
"""

from __future__ import annotations

import numpy as np

import xparray as aa
from xpgalaxy.profiles.geometry import EllProfile

__all__ = ["MassProfile"]


class MassProfile(EllProfile):
    """Convergence (dimensionless), potential (arcsec^2) and deflections (arcsec)."""

    @aa.decorators.to_array
    def convergence_2d_from(self, grid, xp=np, **kwargs):
        """Convergence (dimensionless)."""
        return self._convergence_in_frame(*self.frame_yx_from(grid, xp=xp), xp=xp)

    @aa.decorators.to_array
    def potential_2d_from(self, grid, xp=np, **kwargs):
        """Lensing potential (arcsec^2)."""
        return self._potential_in_frame(*self.frame_yx_from(grid, xp=xp), xp=xp)

    @aa.decorators.to_vector_yx
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        """Deflection angles (alpha_y, alpha_x) in arcsec."""
        alpha_y, alpha_x = self._deflections_in_frame(*self.frame_yx_from(grid, xp=xp), xp=xp)
        return self.vectors_to_image_frame_from(alpha_y, alpha_x, xp=xp)

    def deflections_yx_pair_from(self, y, x, xp=np):
        """Deflections ``(alpha_y, alpha_x)`` (arcsec) as two raw arrays, at image-plane
        points given as raw ``y`` and ``x`` arrays (arcsec).

        The same values as ``deflections_yx_2d_from``, without (N, 2) grids: ray tracing
        uses it (``xplens.tracer.planes``). Under XLA a stacked (N, 2) result is a
        concatenate, whose fusion is a scalar loop that evaluates the deflection maths once
        per *output* element; as separate arrays each is computed once, vectorised.
        Profiles whose deflections are frame formulas get this for free; any other
        profile falls back to ``deflections_yx_2d_from`` on the stacked points.
        """
        if not self._deflections_are_frame_formulas():
            stacked = xp.stack([y, x], axis=-1)
            alpha = aa.structures.unwrap(self.deflections_yx_2d_from(stacked, xp=xp))
            return alpha[:, 0], alpha[:, 1]
        cos_sin = self._cos_and_sin_to_x_axis(xp=xp)
        y_frame, x_frame = self.frame_of_yx_from(y, x, xp=xp, cos_sin=cos_sin)
        alpha_y, alpha_x = self._deflections_in_frame(y_frame, x_frame, xp=xp)
        return self.vectors_pair_to_image_frame_from(alpha_y, alpha_x, xp=xp, cos_sin=cos_sin)

    def _deflections_are_frame_formulas(self) -> bool:
        """True when ``deflections_yx_2d_from`` is this base's: ``_deflections_in_frame``
        plus the frame round trip (False for a class that computes them another way)."""
        return type(self).deflections_yx_2d_from is MassProfile.deflections_yx_2d_from

    def _convergence_in_frame(self, y, x, xp=np):
        raise NotImplementedError(f"{type(self).__name__} has no convergence")

    def _potential_in_frame(self, y, x, xp=np):
        raise NotImplementedError(f"{type(self).__name__} has no potential")

    def _deflections_in_frame(self, y, x, xp=np):
        raise NotImplementedError(f"{type(self).__name__} has no deflections")
