"""Imaging fits of galaxies (no lensing): PyAutoGalaxy's ``ag.FitImaging``.

The model image is the light on the dataset's masked pixels plus the light the PSF blurs in
from outside the mask, convolved with the PSF, plus the dataset model's background sky.
Light is evaluated once, on one precomputed array of sub-pixels (``ImagePlan``); the lens
layer's FitImaging reuses the same machinery with a Tracer as the light object.
"""

from __future__ import annotations

import weakref

import numpy as np

import xparray as aa
from xpgalaxy.galaxy import Galaxies

__all__ = ["FitImaging", "ImagePlan", "check_masked", "image_plan_from", "model_image_from"]


class ImagePlan:
    """Everything the model image needs that depends only on the fixed dataset geometry.

    Light is evaluated once, on one raw (P, 2) array holding the over-sampled sub-pixels of
    the masked pixels followed by those of the blurring region, then binned per region and
    convolved. Built once per dataset with NumPy (setup, not the likelihood's hot path).
    """

    def __init__(self, dataset):
        # NumPy temporaries of over-sampled images stay in the heap (xparray.allocator)
        aa.allocator.tune_malloc()
        grid, blurring = dataset.grids.lp, dataset.grids.blurring
        self.lp_sampler = grid.over_sampler
        self.blurring_sampler = None if blurring is None else blurring.over_sampler
        parts = [grid.over_sampler.sub_grid]
        if blurring is not None:
            parts.append(blurring.over_sampler.sub_grid)
        # column-major: the y and x columns that ray tracing reads (``points[:, 0]``) are
        # contiguous arrays, so NumPy's first operations on them are not strided
        self.points = np.asfortranarray(np.concatenate(parts))
        self.points.setflags(write=False)
        self.n_lp = parts[0].shape[0]


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def image_plan_from(dataset) -> ImagePlan:
    plan = _PLANS.get(dataset)
    if plan is None:
        plan = _PLANS[dataset] = ImagePlan(dataset)
    return plan


def model_image_from(dataset, light_obj, dataset_model=None, xp=np):
    """Raw slim model image (e-/s) on ``dataset`` (masked Imaging) of ``light_obj``: any
    object with ``image_2d_from(points, xp)`` (Galaxies, or the lens layer's Tracer)."""
    plan = image_plan_from(dataset)
    points = plan.points
    if dataset_model is not None and not _is_zero_offset(dataset_model.grid_offset):
        offset = dataset_model.grid_offset
        points = points - xp.stack([xp.asarray(offset[0]), xp.asarray(offset[1])])

    def light_of(rows):
        return aa.structures.unwrap(light_obj.image_2d_from(rows, xp=xp))

    # on NumPy, many points (e.g. 4 x 4 over-sampling) are split over the cores' threads
    values = light_of(points) if xp is not np else aa.threads.map_rows_in_threads(light_of, points)
    image = plan.lp_sampler.binned_array_2d_from(values[: plan.n_lp], xp=xp)
    if dataset.psf is not None:
        blurring_image = None
        if plan.blurring_sampler is not None:
            blurring_image = plan.blurring_sampler.binned_array_2d_from(values[plan.n_lp :], xp=xp)
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
    """Fit of galaxies (one plane, no lensing) to a masked imaging dataset."""

    __pytree_no_flatten__ = ("dataset",)

    def __init__(self, dataset, galaxies, dataset_model=None, xp=np):
        check_masked(dataset)
        self.galaxies = galaxies if isinstance(galaxies, Galaxies) else Galaxies(galaxies)
        self.dataset_model = dataset_model
        super().__init__(
            dataset, model_data=model_image_from(dataset, self.galaxies, dataset_model, xp=xp)
        )
