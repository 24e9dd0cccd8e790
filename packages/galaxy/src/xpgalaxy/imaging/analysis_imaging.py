"""AnalysisImaging (galaxy layer): fit galaxies' light to imaging, with no lensing."""

from __future__ import annotations

import numpy as np

import xparray as aa
from xpgalaxy.galaxy import Galaxies, Galaxy
from xpgalaxy.imaging.fit_imaging import FitImaging, check_masked

__all__ = ["AnalysisImaging", "galaxies_from_instance", "register_fit_pytrees"]


def galaxies_from_instance(instance) -> list[Galaxy]:
    """The list of galaxies in ``instance.galaxies`` (a collection, list or dict)."""
    galaxies = getattr(instance, "galaxies", None)
    if galaxies is None:
        raise aa.InputError(
            "the model instance has no 'galaxies': build the model as "
            "Collection(galaxies=Collection(lens=..., source=...))"
        )
    if isinstance(galaxies, dict):
        return list(galaxies.values())
    if hasattr(galaxies, "items") and callable(galaxies.items):
        return [v for _, v in galaxies.items()]
    return list(galaxies)


def register_fit_pytrees(*classes) -> None:
    """Register fit classes and what they hold with jax (dataset/cosmology static)."""
    from xparray.pytrees import register_instance_pytree

    for cls in (*classes, Galaxy, Galaxies, aa.DatasetModel):
        register_instance_pytree(cls, no_flatten=getattr(cls, "__pytree_no_flatten__", ()))


class AnalysisImaging:
    """Log likelihood of galaxy light models for one masked imaging dataset."""

    def __init__(self, dataset, use_jax: bool = False):
        check_masked(dataset)
        self.dataset = dataset
        self.use_jax = bool(use_jax)
        if self.use_jax:
            aa.backend.enable_x64()
            register_fit_pytrees(FitImaging)
        _ = dataset.grids.lp, dataset.grids.blurring  # static precomputation, outside traces
        if dataset.psf is not None:
            _ = dataset.convolver

    @property
    def _xp(self):
        return aa.backend.jax_numpy() if self.use_jax else np

    def fit_from(self, instance) -> FitImaging:
        if self.use_jax:
            aa.pytrees.register_tree(instance)
        return FitImaging(
            self.dataset,
            Galaxies(galaxies_from_instance(instance)),
            dataset_model=getattr(instance, "dataset_model", None),
            xp=self._xp,
        )

    def log_likelihood_function(self, instance):
        return self.fit_from(instance).figure_of_merit
