"""Galaxy: a redshift plus any number of light and mass profiles (PyAutoGalaxy's Galaxy).

Any keyword argument that is a profile becomes an attribute; images, convergence,
potential and deflections are sums over the galaxy's profiles. ``redshift`` is static under
JAX (plane grouping must not depend on traced values).
"""

from __future__ import annotations

import numbers

import numpy as np

import xparray as aa
from xpgalaxy.profiles.geometry import GeometryProfile

__all__ = ["Galaxy", "redshift_checked"]


def redshift_checked(redshift, what: str = "Galaxy") -> float:
    """``redshift`` as a Python float, or an InputError saying how to fix it."""
    if type(redshift) is float and 0.0 <= redshift < np.inf:
        return redshift  # the common case, checked in ~0.1 us (every likelihood call)
    if redshift is None:
        raise aa.InputError(f"{what} needs a redshift, e.g. Galaxy(redshift=0.5, ...)")
    if isinstance(redshift, bool) or not isinstance(redshift, numbers.Real | np.ndarray):
        raise aa.InputError(f"{what} redshift must be a number, got {redshift!r}")
    if np.ndim(redshift) != 0:
        raise aa.InputError(f"{what} redshift must be a single number, got {redshift!r}")
    z = float(redshift)
    if not np.isfinite(z) or z < 0:
        raise aa.InputError(f"{what} redshift must be finite and >= 0, got {redshift!r}")
    return z


class Galaxy:
    """A galaxy at ``redshift`` with profiles given as keywords (``light=``, ``mass=``...)."""

    __pytree_no_flatten__ = ("redshift",)

    def __init__(self, redshift: float, **kwargs):
        self.redshift = redshift_checked(redshift)
        for name, value in kwargs.items():
            setattr(self, name, value)
        aa.pytrees.register_if_jax_loaded(type(self))

    # ----------------------------------------------------------------- profiles
    @property
    def profile_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if isinstance(v, GeometryProfile)}

    def cls_list_from(self, cls) -> list:
        """The galaxy's profiles that are instances of ``cls``, in attribute order."""
        return [p for p in self.profile_dict.values() if isinstance(p, cls)]

    def has(self, cls) -> bool:
        return any(isinstance(p, cls) for p in self.profile_dict.values())

    @property
    def light_profile_list(self) -> list:
        return [p for p in self.profile_dict.values() if hasattr(p, "image_2d_from")]

    @property
    def mass_profile_list(self) -> list:
        return [p for p in self.profile_dict.values() if hasattr(p, "deflections_yx_2d_from")]

    # ------------------------------------------------------------------ sums
    @aa.decorators.to_array
    def image_2d_from(self, grid, xp=np, **kwargs):
        """Summed image of the light profiles (e-/s); zeros when there are none."""
        return _sum(
            [p.image_2d_from(grid, xp=xp, **kwargs) for p in self.light_profile_list],
            grid,
            (),
            xp,
        )

    def image_2d_yx_from(self, y, x, xp=np):
        """Summed image (e-/s) of the light profiles as a raw array, at points given as raw
        ``y``, ``x`` arrays (arcsec), not over-sampled (LightProfile.image_2d_yx_from)."""
        return _sum_raw([p.image_2d_yx_from(y, x, xp=xp) for p in self.light_profile_list], y)

    @aa.decorators.to_array
    def convergence_2d_from(self, grid, xp=np, **kwargs):
        return _sum(
            [p.convergence_2d_from(grid, xp=xp) for p in self.mass_profile_list], grid, (), xp
        )

    @aa.decorators.to_array
    def potential_2d_from(self, grid, xp=np, **kwargs):
        return _sum(
            [p.potential_2d_from(grid, xp=xp) for p in self.mass_profile_list], grid, (), xp
        )

    @aa.decorators.to_vector_yx
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        return _sum(
            [p.deflections_yx_2d_from(grid, xp=xp) for p in self.mass_profile_list],
            grid,
            (2,),
            xp,
        )

    def deflections_yx_pair_from(self, y, x, xp=np):
        """Summed deflections (alpha_y, alpha_x), arcsec, of the mass profiles as two raw
        arrays at points given as raw ``y``, ``x`` arrays (see MassProfile)."""
        return _sum_pairs(
            [p.deflections_yx_pair_from(y, x, xp=xp) for p in self.mass_profile_list], y
        )

    def __repr__(self) -> str:
        profiles = ", ".join(f"{k}={v!r}" for k, v in self.profile_dict.items())
        return f"Galaxy(redshift={self.redshift}, {profiles})"


def _sum(values, grid, trailing: tuple, xp):
    """Sum of raw per-profile results; zeros of the grid's length when there are none."""
    if not values:
        return xp.zeros((grid.shape[0],) + trailing)
    total = aa.structures.unwrap(values[0])
    for v in values[1:]:
        total = total + aa.structures.unwrap(v)
    return total


def _sum_raw(values, like):
    """Sum of raw arrays; zeros shaped like ``like`` if there are none."""
    return sum(values[1:], values[0]) if values else 0.0 * like


def _sum_pairs(pairs, like):
    """Component-wise sum of (alpha_y, alpha_x) pairs; zeros shaped like ``like`` if none."""
    if not pairs:
        return 0.0 * like, 0.0 * like
    total_y, total_x = pairs[0]
    for alpha_y, alpha_x in pairs[1:]:
        total_y, total_x = total_y + alpha_y, total_x + alpha_x
    return total_y, total_x
