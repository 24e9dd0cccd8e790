"""Over-sampled images: pixel means of sub-pixel values, converging with the sub-size."""

from __future__ import annotations

import numpy as np
import pytest

import xparray as aa
import xpgalaxy.profiles.light as lp

PIXEL = 0.2


def _sub_pixel_means(profile, grid, sub):
    """Independent reference: s x s sub-pixel centres per pixel, evaluated and averaged."""
    offsets = ((np.arange(sub) + 0.5) / sub - 0.5) * PIXEL
    dy, dx = np.meshgrid(offsets, offsets, indexing="ij")
    centres = np.asarray(grid.array)
    points = centres[:, None, :] + np.stack([dy.ravel(), dx.ravel()], axis=-1)[None, :, :]
    values = profile.image_2d_from(points.reshape(-1, 2))
    return values.reshape(len(centres), sub * sub).mean(axis=1)


PROFILES = [
    lp.Sersic(
        centre=(0.05, -0.1),
        ell_comps=(0.2, 0.1),
        intensity=1.0,
        effective_radius=0.4,
        sersic_index=2.5,
    ),
    lp.Gaussian(centre=(0.0, 0.0), ell_comps=(0.0, 0.3), intensity=1.0, sigma=0.15),
    lp.Chameleon(
        centre=(0.1, 0.1),
        ell_comps=(0.1, 0.0),
        intensity=1.0,
        core_radius_0=0.02,
        core_radius_1=0.3,
    ),
]


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: type(p).__name__)
@pytest.mark.parametrize("sub", [2, 3, 5])
def test_image_is_mean_of_sub_pixel_values(profile, sub):
    grid = aa.Grid2D.uniform(shape_native=(7, 6), pixel_scales=PIXEL, over_sample_size=sub)
    np.testing.assert_allclose(
        np.asarray(profile.image_2d_from(grid).array),
        _sub_pixel_means(profile, grid, sub),
        rtol=1e-13,
    )


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: type(p).__name__)
def test_over_sampled_image_converges_with_sub_size(profile):
    # Midpoint-rule errors fall as the sub-size grows; at 64 the mean is converged far
    # beyond the coarser levels (each halving of the sub-pixel size cuts the error).
    grid = aa.Grid2D.uniform(shape_native=(7, 7), pixel_scales=PIXEL, over_sample_size=1)
    reference = np.asarray(profile.image_2d_from(grid.with_over_sample_size(64)).array)
    errors = [
        np.max(
            np.abs(
                np.asarray(profile.image_2d_from(grid.with_over_sample_size(s)).array) - reference
            )
            / reference
        )
        for s in (1, 2, 4, 8, 16)
    ]
    assert all(b < a for a, b in zip(errors, errors[1:])), errors
    assert errors[-1] < 2e-2 * errors[0]


def test_adaptive_sub_sizes_equal_uniform_ones_pixel_by_pixel():
    profile = PROFILES[0]
    grid = aa.Grid2D.uniform(shape_native=(7, 7), pixel_scales=PIXEL, over_sample_size=1)
    sizes = aa.over_sample_size_via_radial_bins_from(
        grid, sub_size_list=[8, 4, 2], radial_list=[0.25, 0.5]
    )
    adaptive = np.asarray(profile.image_2d_from(grid.with_over_sample_size(sizes)).array)
    for s in (2, 4, 8):
        uniform = np.asarray(profile.image_2d_from(grid.with_over_sample_size(s)).array)
        np.testing.assert_allclose(adaptive[sizes == s], uniform[sizes == s], rtol=1e-13)
    assert set(np.unique(sizes)) == {2, 4, 8}
