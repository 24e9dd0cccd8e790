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

__all__ = ["FitImaging", "model_image_from", "offset_grid_from"]


def offset_grid_from(grid, offset, xp=np):
    """``grid`` shifted by ``-offset`` (y, x arcsec), sub-pixels included."""
    if grid is None:
        return None
    off = xp.stack([xp.asarray(offset[0]), xp.asarray(offset[1])])
    return grid.with_new_array(grid.array - off, over_sampled=grid.over_sampled.array - off)


def model_image_from(dataset, tracer, dataset_model=None, xp=np):
    """Raw slim model image (e-/s) of ``tracer`` on ``dataset`` (masked Imaging)."""
    grid, blurring = dataset.grids.lp, dataset.grids.blurring
    if dataset_model is not None and not _is_zero_offset(dataset_model.grid_offset):
        grid = offset_grid_from(grid, dataset_model.grid_offset, xp=xp)
        blurring = offset_grid_from(blurring, dataset_model.grid_offset, xp=xp)
    image = aa.structures.unwrap(tracer.image_2d_from(grid, xp=xp))
    if dataset.psf is not None:
        blurring_image = (
            None
            if blurring is None
            else aa.structures.unwrap(tracer.image_2d_from(blurring, xp=xp))
        )
        image = dataset.convolver.convolve_slim(image, blurring_image, xp=xp)
    if dataset_model is not None:
        image = image + dataset_model.background_sky_level
    return image


def _is_zero_offset(offset) -> bool:
    """True only for a literal (0, 0) of Python numbers (a traced offset is never skipped)."""
    return all(isinstance(o, int | float) and o == 0 for o in offset)


def check_masked(dataset) -> None:
    if not isinstance(dataset, aa.Imaging):
        raise aa.InputError(f"dataset must be an al.Imaging, got {type(dataset).__name__}")
    if dataset.unmasked is dataset:
        raise aa.InputError(
            "the dataset has not been masked: call dataset = dataset.apply_mask(mask) first, "
            "e.g. with al.Mask2D.circular(dataset.shape_native, radius=3.0, "
            "pixel_scales=dataset.pixel_scales)"
        )


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
