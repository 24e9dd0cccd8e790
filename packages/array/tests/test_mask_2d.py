"""Mask2D: geometry, index maps and constructors, checked by hand on small masks."""

import numpy as np
import pytest

import xparray as aa


def test_pixel_centres_follow_pyautoarray_convention():
    # 3x3 grid, 1"/pixel: row 0 is the top (y = +1), column 0 the left (x = -1).
    mask = aa.Mask2D.all_false((3, 3), pixel_scales=1.0)
    grid = mask.grid_slim
    assert grid.shape == (9, 2)
    np.testing.assert_allclose(grid[0], [1.0, -1.0])
    np.testing.assert_allclose(grid[4], [0.0, 0.0])
    np.testing.assert_allclose(grid[8], [-1.0, 1.0])


def test_origin_shifts_every_centre():
    mask = aa.Mask2D.all_false((2, 2), pixel_scales=(0.5, 0.25), origin=(1.0, 2.0))
    np.testing.assert_allclose(mask.grid_slim[0], [1.0 + 0.25, 2.0 - 0.125])


def test_circular_mask_of_reference_problem_has_2828_pixels():
    # ../shared/BENCHMARK.md: 100x100, 0.1"/px, r = 3.0" -> 2,828 unmasked pixels.
    mask = aa.Mask2D.circular((100, 100), radius=3.0, pixel_scales=0.1)
    assert mask.pixels_in_mask == 2828


def test_circular_7x7_hand_count():
    # Radius 1.0" on a 1"/px grid keeps the centre and its 4 neighbours (distance 1).
    mask = aa.Mask2D.circular((7, 7), radius=1.0, pixel_scales=1.0)
    assert mask.pixels_in_mask == 5
    assert not mask.mask[3, 3] and not mask.mask[2, 3] and mask.mask[2, 2]


def test_annular_and_elliptical():
    ann = aa.Mask2D.circular_annular((7, 7), 0.5, 1.0, pixel_scales=1.0)
    assert ann.pixels_in_mask == 4 and ann.mask[3, 3]
    # axis ratio 0.5 along x (angle 0): major radius 2 keeps x in [-2, 2], |y| <= 1.
    ell = aa.Mask2D.elliptical((7, 7), 2.0, 0.5, 0.0, pixel_scales=1.0)
    assert not ell.mask[3, 1] and not ell.mask[3, 5] and ell.mask[1, 3]
    rot = aa.Mask2D.elliptical((7, 7), 2.0, 0.5, 90.0, pixel_scales=1.0)
    np.testing.assert_array_equal(rot.mask, ell.mask.T)


def test_index_maps_round_trip():
    mask = aa.Mask2D.circular((9, 9), radius=2.5, pixel_scales=1.0)
    idx = mask.native_index_for_slim_index
    slim = mask.slim_index_for_native
    assert np.array_equal(slim[idx[:, 0], idx[:, 1]], np.arange(mask.pixels_in_mask))
    assert np.all(slim[mask.mask] == -1)


def test_blurring_mask_is_the_ring_a_psf_reaches():
    mask = aa.Mask2D(np.ones((7, 7), bool), pixel_scales=1.0)
    m = mask.mask.copy()
    m[3, 3] = False
    mask = aa.Mask2D(m, pixel_scales=1.0)
    blur = mask.blurring_mask_from((3, 3))
    # the 8 neighbours of the single unmasked pixel, not the pixel itself
    assert blur.pixels_in_mask == 8 and blur.mask[3, 3]
    with pytest.raises(aa.InputError, match="odd"):
        mask.blurring_mask_from((2, 3))


def test_value_equality_and_hash():
    a = aa.Mask2D.circular((7, 7), 2.0, 1.0)
    b = aa.Mask2D.circular((7, 7), 2.0, 1.0)
    c = aa.Mask2D.circular((7, 7), 1.0, 1.0)
    assert a == b and hash(a) == hash(b) and a != c


@pytest.mark.parametrize("scales", [0.0, -0.1, (0.1, 0.0), float("nan")])
def test_non_positive_pixel_scales_refused(scales):
    with pytest.raises(aa.InputError, match="pixel_scales"):
        aa.Mask2D.all_false((3, 3), pixel_scales=scales)


def test_from_fits_and_missing_file(tmp_path):
    from astropy.io import fits

    arr = np.zeros((5, 4))
    arr[0, 1] = 1.0
    fits.PrimaryHDU(arr).writeto(tmp_path / "mask.fits")
    mask = aa.Mask2D.from_fits(tmp_path / "mask.fits", pixel_scales=0.1)
    assert mask.shape_native == (5, 4) and mask.mask[0, 1] and mask.pixels_in_mask == 19
    with pytest.raises(aa.InputError, match="not found"):
        aa.Mask2D.from_fits(tmp_path / "nope.fits", pixel_scales=0.1)
    fits.PrimaryHDU().writeto(tmp_path / "empty.fits")
    with pytest.raises(aa.InputError, match="no 2D image"):
        aa.Mask2D.from_fits(tmp_path / "empty.fits", pixel_scales=0.1)
