"""Over-sampling: sub-pixel layout and binning, uniform and adaptive."""

import numpy as np
import pytest

import xparray as aa


def test_uniform_sub_grid_of_one_pixel():
    # One 1"x1" pixel at the origin with sub-size 2: centres at (+-0.25, +-0.25),
    # ordered row-major from the top-left.
    grid = aa.Grid2D.uniform((1, 1), pixel_scales=1.0, over_sample_size=2)
    np.testing.assert_allclose(
        grid.over_sampled.array, [[0.25, -0.25], [0.25, 0.25], [-0.25, -0.25], [-0.25, 0.25]]
    )


def test_binning_averages_sub_pixels_and_integrates_linear_functions_exactly():
    mask = aa.Mask2D.circular((9, 9), radius=3.0, pixel_scales=0.5)
    for size in (1, 2, 3, 5):
        grid = aa.Grid2D.from_mask(mask, over_sample_size=size)
        sub = grid.over_sampled.array
        # a linear function's pixel mean equals its value at the pixel centre
        values = 2.0 * sub[:, 0] - 3.0 * sub[:, 1] + 1.0
        binned = grid.over_sampler.binned_array_2d_from(values)
        expected = 2.0 * grid.array[:, 0] - 3.0 * grid.array[:, 1] + 1.0
        np.testing.assert_allclose(binned, expected, atol=1e-12)


def test_binning_converges_to_the_pixel_integral():
    # mean of x^2 over a pixel [c - h/2, c + h/2] is c^2 + h^2 / 12 exactly
    grid1 = aa.Grid2D.uniform((3, 3), pixel_scales=1.0, over_sample_size=64)
    sub = grid1.over_sampled.array
    binned = grid1.over_sampler.binned_array_2d_from(sub[:, 1] ** 2)
    np.testing.assert_allclose(binned, grid1.array[:, 1] ** 2 + 1.0 / 12.0, rtol=1e-3)


def test_adaptive_sizes_via_radial_bins():
    mask = aa.Mask2D.circular((21, 21), radius=5.0, pixel_scales=0.5)
    grid = aa.Grid2D.from_mask(mask, over_sample_size=1)
    sizes = aa.over_sample_size_via_radial_bins_from(grid, [8, 4, 1], [0.6, 2.0])
    r = np.hypot(grid.array[:, 0], grid.array[:, 1])
    assert np.all(sizes[r < 0.6] == 8)
    assert np.all(sizes[(r >= 0.6) & (r < 2.0)] == 4)
    assert np.all(sizes[r >= 2.0] == 1)
    adaptive = grid.with_over_sample_size(sizes)
    assert adaptive.over_sampled.shape == (int(np.sum(sizes**2)), 2)
    sub = adaptive.over_sampled.array
    binned = adaptive.over_sampler.binned_array_2d_from(sub[:, 0] + 2 * sub[:, 1])
    np.testing.assert_allclose(binned, grid.array[:, 0] + 2 * grid.array[:, 1], atol=1e-12)


def test_bad_sizes_refused():
    mask = aa.Mask2D.all_false((3, 3), 1.0)
    with pytest.raises(aa.InputError, match="one int per unmasked pixel"):
        aa.Grid2D.from_mask(mask, over_sample_size=np.ones(4, int))
    with pytest.raises(aa.InputError, match=">= 1"):
        aa.Grid2D.from_mask(mask, over_sample_size=0)


def test_adaptive_sub_grid_is_pixel_by_pixel_in_slim_order():
    # PyAutoArray's layout: pixel i's s_i * s_i sub-pixels are contiguous, in slim order,
    # each inside its own pixel and centred on it (mean offset zero).
    mask = aa.Mask2D.circular((11, 11), radius=2.6, pixel_scales=0.5)
    grid = aa.Grid2D.from_mask(mask, over_sample_size=1)
    sizes = aa.over_sample_size_via_radial_bins_from(grid, [5, 3, 2, 1], [0.6, 1.2, 1.8])
    sampler = grid.with_over_sample_size(sizes).over_sampler
    sub = sampler.sub_grid
    start = 0
    for i, s in enumerate(sizes):
        block = sub[start : start + s * s]
        start += s * s
        assert np.all(np.abs(block - grid.array[i]) < 0.25)
        np.testing.assert_allclose(block.mean(axis=0), grid.array[i], atol=1e-12)
    assert start == sub.shape[0]


def test_adaptive_binning_is_the_per_pixel_mean():
    # reference: the mean of each pixel's own contiguous block, computed pixel by pixel
    mask = aa.Mask2D.circular((11, 11), radius=2.6, pixel_scales=0.5)
    grid = aa.Grid2D.from_mask(mask, over_sample_size=1)
    sizes = aa.over_sample_size_via_radial_bins_from(grid, [4, 3, 1], [0.6, 1.5])
    sampler = grid.with_over_sample_size(sizes).over_sampler
    values = np.random.default_rng(3).normal(size=sampler.sub_grid.shape[0])
    starts = np.concatenate([[0], np.cumsum(sizes**2)[:-1]])
    expected = [values[a : a + s * s].mean() for a, s in zip(starts, sizes)]
    np.testing.assert_allclose(sampler.binned_array_2d_from(values), expected, rtol=1e-13)
