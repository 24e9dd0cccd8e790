"""AnalysisImaging: the imaging log likelihood of a model instance.

``fit_from(instance)`` builds a Tracer from ``instance.galaxies`` (and uses
``instance.dataset_model`` when present) and returns a FitImaging;
``log_likelihood_function(instance)`` returns its figure of merit. With ``use_jax=True``
everything runs with ``xp=jax.numpy`` and is exception-free, so a search can jit, vmap and
differentiate it; invalid parameter values give NaN, which ``Fitness`` turns into a finite
rejection value.
"""

from __future__ import annotations

import numpy as np

import xparray as aa
from xpgalaxy.imaging.analysis_imaging import galaxies_from_instance, register_fit_pytrees
from xpgalaxy.imaging.fit_imaging import check_masked
from xplens.imaging.fit_imaging import FitImaging
from xplens.tracer.tracer import Tracer

__all__ = ["AnalysisImaging", "galaxies_from_instance"]


def _register_fit_imaging_pytrees() -> None:
    """Register the fit and everything inside it with jax (dataset/cosmology static)."""
    register_fit_pytrees(FitImaging, Tracer)


class AnalysisImaging:
    """Log likelihood of lens models for one masked imaging dataset."""

    def __init__(self, dataset, cosmology=None, use_jax: bool = False):
        check_masked(dataset)
        self.dataset = dataset
        self.cosmology = cosmology
        self.use_jax = bool(use_jax)
        if self.use_jax:
            aa.backend.enable_x64()
            _register_fit_imaging_pytrees()
        # touch the static precomputations once, outside any trace
        _ = dataset.grids.lp, dataset.grids.blurring
        if dataset.psf is not None:
            _ = dataset.convolver

    @property
    def _xp(self):
        return aa.backend.jax_numpy() if self.use_jax else np

    def tracer_from(self, instance) -> Tracer:
        galaxies = galaxies_from_instance(instance)
        tracer = Tracer(galaxies, cosmology=self.cosmology)
        # the last plane's galaxies, without building the planes (once per likelihood call)
        last = max(g.redshift for g in tracer.galaxies)
        source_plane = [g for g in tracer.galaxies if g.redshift == last]
        lensed = len(source_plane) < len(tracer.galaxies)
        if lensed and not any(g.light_profile_list for g in source_plane):
            raise aa.InputError(
                f"the source plane (z={last}) has no light profile: "
                "give the source galaxy one, e.g. light=al.lp.SersicCore"
            )
        return tracer

    def fit_from(self, instance) -> FitImaging:
        if self.use_jax:
            aa.pytrees.register_tree(instance)
        return FitImaging(
            self.dataset,
            self.tracer_from(instance),
            dataset_model=getattr(instance, "dataset_model", None),
            xp=self._xp,
        )

    def log_likelihood_function(self, instance):
        return self.fit_from(instance).figure_of_merit
