"""Galaxies: a list of galaxies treated together (one plane, or a set of planes' members)."""

from __future__ import annotations

import numpy as np

import xparray as aa
from xpgalaxy.galaxy.galaxy import Galaxy, _sum, _sum_pairs, _sum_raw

__all__ = ["Galaxies"]


class Galaxies:
    """An ordered collection of ``Galaxy`` objects with summed light and lensing."""

    __pytree_no_flatten__ = ()

    def __init__(self, galaxies):
        galaxies = list(galaxies)
        for i, g in enumerate(galaxies):
            if not isinstance(g, Galaxy):
                raise aa.InputError(f"galaxies[{i}] is a {type(g).__name__}, not a Galaxy")
        self.galaxies = galaxies
        aa.pytrees.register_if_jax_loaded(type(self))

    def __iter__(self):
        return iter(self.galaxies)

    def __len__(self) -> int:
        return len(self.galaxies)

    def __getitem__(self, index):
        return self.galaxies[index]

    @property
    def redshift(self) -> float | None:
        return self.galaxies[0].redshift if self.galaxies else None

    def image_2d_list_from(self, grid, xp=np, **kwargs) -> list:
        return [g.image_2d_from(grid, xp=xp, **kwargs) for g in self.galaxies]

    @aa.decorators.to_array
    def image_2d_from(self, grid, xp=np, **kwargs):
        return _sum(self.image_2d_list_from(grid, xp=xp, **kwargs), grid, (), xp)

    def image_2d_yx_from(self, y, x, xp=np):
        """Summed image (e-/s) as a raw array at raw ``y``, ``x`` points (see Galaxy)."""
        return _sum_raw([g.image_2d_yx_from(y, x, xp=xp) for g in self.galaxies], y)

    @aa.decorators.to_array
    def convergence_2d_from(self, grid, xp=np, **kwargs):
        return _sum([g.convergence_2d_from(grid, xp=xp) for g in self.galaxies], grid, (), xp)

    @aa.decorators.to_array
    def potential_2d_from(self, grid, xp=np, **kwargs):
        return _sum([g.potential_2d_from(grid, xp=xp) for g in self.galaxies], grid, (), xp)

    @aa.decorators.to_vector_yx
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        return _sum([g.deflections_yx_2d_from(grid, xp=xp) for g in self.galaxies], grid, (2,), xp)

    def deflections_yx_pair_from(self, y, x, xp=np):
        """Summed deflections (alpha_y, alpha_x), arcsec, as two raw arrays (see Galaxy)."""
        return _sum_pairs([g.deflections_yx_pair_from(y, x, xp=xp) for g in self.galaxies], y)
