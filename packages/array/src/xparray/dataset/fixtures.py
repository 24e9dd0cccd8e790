"""A small fixture world every layer's tests can build on (PyAutoArray's 7x7 fixtures).

A 7x7 image at 1"/pixel whose central 3x3 pixels are unmasked, a 3x3 cross-shaped PSF,
data of ones and a noise map of twos. Functions, not pytest fixtures, so any test module
can wrap them: ``@pytest.fixture def imaging_7x7(): return make_imaging_7x7()``.
"""

from __future__ import annotations

import numpy as np

from xparray.dataset.imaging import Imaging
from xparray.mask.mask_2d import Mask2D
from xparray.operators.convolution import Convolver
from xparray.operators.kernel_2d import Kernel2D
from xparray.structures.arrays import Array2D
from xparray.structures.grids import Grid2D

__all__ = [
    "make_blurring_grid_2d_7x7",
    "make_blurring_mask_2d_7x7",
    "make_convolver_7x7",
    "make_grid_2d_7x7",
    "make_image_7x7",
    "make_imaging_7x7",
    "make_mask_2d_7x7",
    "make_masked_imaging_7x7",
    "make_noise_map_7x7",
    "make_psf_3x3",
]


def make_mask_2d_7x7() -> Mask2D:
    """7x7, 1"/pixel, only the central 3x3 pixels unmasked (rows/cols 2-4)."""
    mask = np.full((7, 7), True)
    mask[2:5, 2:5] = False
    return Mask2D(mask, pixel_scales=(1.0, 1.0))


def make_blurring_mask_2d_7x7() -> Mask2D:
    """The 5x5 ring around the 3x3 centre (rows/cols 1-5 minus 2-4): blurring for 3x3."""
    return make_mask_2d_7x7().blurring_mask_from((3, 3))


def make_psf_3x3() -> Kernel2D:
    """Cross-shaped 3x3 kernel [[0, 1, 0], [1, 2, 1], [0, 1, 0]] (not normalised)."""
    return Kernel2D.no_mask([[0.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 0.0]], 1.0)


def make_image_7x7() -> Array2D:
    """Data of ones on the full 7x7 grid."""
    return Array2D.ones((7, 7), pixel_scales=1.0)


def make_noise_map_7x7() -> Array2D:
    """Noise of 2.0 on the full 7x7 grid."""
    return Array2D.full(2.0, (7, 7), pixel_scales=1.0)


def make_imaging_7x7() -> Imaging:
    """Unmasked 7x7 imaging (ones, noise 2, cross PSF), no over-sampling."""
    return Imaging(
        make_image_7x7(), make_noise_map_7x7(), psf=make_psf_3x3(), over_sample_size_lp=1
    )


def make_masked_imaging_7x7() -> Imaging:
    """The 7x7 imaging with the 3x3-centre mask applied (9 pixels)."""
    return make_imaging_7x7().apply_mask(make_mask_2d_7x7())


def make_grid_2d_7x7() -> Grid2D:
    """Pixel centres of the 9 unmasked pixels, no over-sampling."""
    return Grid2D.from_mask(make_mask_2d_7x7(), over_sample_size=1)


def make_blurring_grid_2d_7x7() -> Grid2D:
    """Pixel centres of the 16 blurring pixels, no over-sampling."""
    return Grid2D.from_mask(make_blurring_mask_2d_7x7(), over_sample_size=1)


def make_convolver_7x7() -> Convolver:
    """Convolver of the cross PSF on the 3x3-centre mask."""
    return Convolver(make_mask_2d_7x7(), make_psf_3x3())
