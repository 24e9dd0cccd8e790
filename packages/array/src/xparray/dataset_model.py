"""DatasetModel: components of a fit that belong to the data, not to the galaxies.

``background_sky_level`` (e-/s per pixel) is added to the model image; ``grid_offset``
(y, x arcsec) is subtracted from the coordinate grid (an astrometric offset: every
galaxy appears shifted by +offset). Either can be made free
in a model: ``Model(DatasetModel)``.
"""

from __future__ import annotations

from xparray.pytrees import register_if_jax_loaded

__all__ = ["DatasetModel"]


class DatasetModel:
    """Sky level and grid offset fitted alongside the galaxies (PyAutoArray names)."""

    __pytree_no_flatten__ = ()

    def __init__(self, background_sky_level: float = 0.0, grid_offset=(0.0, 0.0)):
        self.background_sky_level = background_sky_level
        self.grid_offset = tuple(grid_offset)
        register_if_jax_loaded(type(self))

    def __repr__(self) -> str:
        return (
            f"DatasetModel(background_sky_level={self.background_sky_level!r}, "
            f"grid_offset={self.grid_offset!r})"
        )
