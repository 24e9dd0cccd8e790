"""Tracer: galaxies grouped into redshift planes, ray-traced through a cosmology.

PyAutoLens's ``al.Tracer(galaxies=[...], cosmology=al.cosmo.Planck15())``. The cosmology
(and everything derived from redshifts) is static under JAX; galaxies are the leaves.
"""

from __future__ import annotations

import functools

import numpy as np

import xparray as aa
from xpgalaxy import Galaxies, Galaxy, LensCalc, Planck15
from xpgalaxy.galaxy.galaxy import redshift_checked
from xplens.tracer.planes import (
    planes_from,
    scaling_factors_from,
    traced_points_list_from,
    traced_yx_list_from,
)

__all__ = ["Tracer"]


class Tracer:
    """Multi-plane ray tracing of a list of galaxies (arcsec, e-/s)."""

    __pytree_no_flatten__ = ("cosmology",)

    def __init__(self, galaxies, cosmology=None):
        galaxies = list(galaxies)
        if not galaxies:
            raise aa.InputError("Tracer needs at least one Galaxy in galaxies")
        for i, g in enumerate(galaxies):
            if not isinstance(g, Galaxy):
                raise aa.InputError(f"galaxies[{i}] is a {type(g).__name__}, not a Galaxy")
            redshift_checked(getattr(g, "redshift", None), what=f"galaxies[{i}]")
        self.galaxies = galaxies
        self.cosmology = _default_cosmology() if cosmology is None else cosmology
        aa.pytrees.register_if_jax_loaded(type(self))

    # ---------------------------------------------------------- static layout
    @property
    def plane_redshifts(self) -> list[float]:
        return sorted({g.redshift for g in self.galaxies})

    @property
    def planes(self) -> list[Galaxies]:
        return planes_from(self.galaxies)[1]

    @property
    def total_planes(self) -> int:
        return len(self.plane_redshifts)

    @property
    def _scaling_factors(self) -> np.ndarray:
        return _cached_scaling_factors(tuple(self.plane_redshifts), self.cosmology)

    # ---------------------------------------------------------- ray tracing
    def traced_grid_2d_list_from(self, grid, xp=np, plane_index_limit: int | None = None) -> list:
        """The grid in every plane. A Grid2D keeps its mask and carries its traced
        over-sampled sub-pixels, so light is over-sampled in the source plane."""
        planes, beta = self.planes, self._scaling_factors
        if isinstance(grid, aa.Grid2D):
            centres = grid.array
            oversampled = not grid.over_sampler.is_trivial or grid._over_sampled is not None
            if oversampled:
                sub = grid.over_sampled.array
                n = centres.shape[0]
                both = xp.concatenate([xp.asarray(centres), xp.asarray(sub)])
                traced = traced_points_list_from(both, planes, beta, xp, plane_index_limit)
                return [grid.with_new_array(t[:n], over_sampled=t[n:]) for t in traced]
            traced = traced_points_list_from(centres, planes, beta, xp, plane_index_limit)
            return [grid.with_new_array(t) for t in traced]
        structure = aa.decorators.as_grid_structure(grid)
        traced = traced_points_list_from(structure.array, planes, beta, xp, plane_index_limit)
        if isinstance(grid, aa.Grid2DIrregular):
            return [aa.Grid2DIrregular(t, xp=xp) for t in traced]
        return traced

    # ----------------------------------------------------------------- light
    def image_2d_list_from(self, grid, xp=np, operated_only=None) -> list:
        """Image of each plane's galaxies, evaluated at that plane's traced grid."""
        if isinstance(grid, np.ndarray) or aa.backend.is_jax_array(grid):
            # raw (N, 2) points (the fit's path): trace and evaluate y and x as separate
            # arrays, with no (N, 2) stack for XLA to re-evaluate per element (planes.py)
            planes = self.planes
            pairs = traced_yx_list_from(grid[:, 0], grid[:, 1], planes, self._scaling_factors, xp)
            return [plane.image_2d_yx_from(*yx, xp=xp) for plane, yx in zip(planes, pairs)]
        traced = self.traced_grid_2d_list_from(grid, xp=xp)
        return [plane.image_2d_from(t, xp=xp) for plane, t in zip(self.planes, traced)]

    def image_2d_from(self, grid, xp=np, operated_only=None):
        images = self.image_2d_list_from(grid, xp=xp)
        total = images[0]
        for im in images[1:]:
            total = total + im
        return total

    def galaxy_image_2d_dict_from(self, grid, xp=np) -> dict:
        """{galaxy: image} for every galaxy, each at its plane's traced grid."""
        traced = self.traced_grid_2d_list_from(grid, xp=xp)
        out = {}
        for plane, t in zip(self.planes, traced):
            for g in plane:
                out[g] = g.image_2d_from(t, xp=xp)
        return out

    def blurred_image_2d_from(self, grid, psf, blurring_grid=None, xp=np):
        """Image convolved with ``psf`` (a Kernel2D), including light from the blurring
        region (``blurring_grid``: pixels outside the mask whose light the PSF spreads in)."""
        image = self.image_2d_from(grid, xp=xp)
        blurring = None if blurring_grid is None else self.image_2d_from(blurring_grid, xp=xp)
        return psf.convolved_image_from(image, blurring, xp=xp)

    # ----------------------------------------------------------------- mass
    def deflections_between_planes_from(self, grid, xp=np, plane_i: int = 0, plane_j: int = -1):
        """Total deflection from plane ``plane_i`` to ``plane_j``: theta_i - theta_j."""
        traced = self.traced_grid_2d_list_from(grid, xp=xp)
        return traced[plane_i] - traced[plane_j]

    def deflections_yx_2d_from(self, grid, xp=np):
        """Image-plane minus source-plane positions (arcsec): the total deflection."""
        structure = aa.decorators.as_grid_structure(grid)
        traced = traced_points_list_from(structure.array, self.planes, self._scaling_factors, xp)
        values = structure.array - traced[-1]
        return _wrap_like(values, grid, vector=True)

    def convergence_2d_from(self, grid, xp=np):
        """Sum of the galaxies' convergences in the image plane (single-plane meaning)."""
        return Galaxies(self.galaxies).convergence_2d_from(grid, xp=xp)

    def potential_2d_from(self, grid, xp=np):
        return Galaxies(self.galaxies).potential_2d_from(grid, xp=xp)

    @property
    def lens_calc(self) -> LensCalc:
        """LensCalc view of the tracer (hessian, magnification, critical curves)."""
        return LensCalc(self.deflections_yx_2d_from)

    def __repr__(self) -> str:
        return f"Tracer(planes={self.plane_redshifts}, galaxies={len(self.galaxies)})"


@functools.cache
def _default_cosmology() -> Planck15:
    """One shared Planck15 (its state is constants fixed at construction): building one per
    Tracer cost ~20 us of every NumPy likelihood call."""
    return Planck15()


@functools.lru_cache(maxsize=256)
def _cached_scaling_factors(redshifts: tuple, cosmology) -> np.ndarray:
    beta = scaling_factors_from(list(redshifts), cosmology)
    beta.setflags(write=False)
    return beta


def _wrap_like(values, grid, vector: bool):
    if isinstance(grid, aa.Grid2D):
        return aa.VectorYX2D(values, grid.mask) if vector else aa.Array2D(values, grid.mask)
    if isinstance(grid, aa.Grid2DIrregular):
        return aa.VectorYX2DIrregular(values) if vector else aa.ArrayIrregular(values)
    return values
