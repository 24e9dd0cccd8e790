"""FitImaging: a tracer's PSF-blurred image fitted to a masked Imaging dataset.

PyAutoLens's ``al.FitImaging(dataset, tracer, dataset_model=None)``. The model image is
the tracer's image on the dataset's light-profile grid plus the light the PSF blurs in
from outside the mask, convolved with the PSF, plus the dataset model's background sky.
Under JAX the fit is a pytree: the dataset is static, the tracer and dataset model are
leaves, so ``jax.jit(analysis.fit_from)(instance)`` returns a real FitImaging.
"""

from __future__ import annotations

import numpy as np

import xparray as aa
from xpgalaxy.imaging.fit_imaging import check_masked, model_image_from

__all__ = ["FitImaging"]


class FitImaging(aa.FitImaging):
    """Fit of a tracer (and optional dataset model) to a masked imaging dataset."""

    __pytree_no_flatten__ = ("dataset",)

    def __init__(self, dataset, tracer, dataset_model=None, xp=np):
        check_masked(dataset)
        self.tracer = tracer
        self.dataset_model = dataset_model
        super().__init__(
            dataset, model_data=model_image_from(dataset, tracer, dataset_model, xp=xp)
        )

    @property
    def galaxies(self) -> list:
        return self.tracer.galaxies

    @property
    def model_images_of_planes_list(self) -> list:
        """Each plane's PSF-blurred image on the mask (NumPy; for plots and inspection)."""
        images = []
        traced = self.tracer.traced_grid_2d_list_from(self.dataset.grids.lp)
        blurring = self.dataset.grids.blurring
        traced_blur = None if blurring is None else self.tracer.traced_grid_2d_list_from(blurring)
        for i, plane in enumerate(self.tracer.planes):
            image = plane.image_2d_from(traced[i]).array
            if self.dataset.psf is not None:
                blur = None if traced_blur is None else plane.image_2d_from(traced_blur[i]).array
                image = self.dataset.convolver.convolve_slim(image, blur)
            images.append(aa.Array2D(image, self.mask))
        return images
