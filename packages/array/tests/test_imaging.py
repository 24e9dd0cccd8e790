"""Imaging: construction, masking, grids, input checks and FITS I/O (NumPy path).

Expected values are hand-worked on the 7x7 fixture (ones, noise 2, 3x3 centre mask) or
come from arrays written with astropy directly.
"""

import numpy as np
import pytest
from astropy.io import fits

import xparray as aa
from xparray.dataset import Imaging, noise_flag_mask_from
from xparray.dataset.fixtures import (
    make_blurring_mask_2d_7x7,
    make_image_7x7,
    make_imaging_7x7,
    make_mask_2d_7x7,
    make_masked_imaging_7x7,
    make_noise_map_7x7,
    make_psf_3x3,
)
from xparray.errors import InputError
from xparray.operators import Convolver, Kernel2D


def _arrays(shape=(7, 7), seed=0):
    rng = np.random.default_rng(seed)
    data = rng.normal(1.0, 0.1, size=shape)
    noise = rng.uniform(0.5, 1.5, size=shape)
    return data, noise


def test_fixture_properties():
    ds = make_masked_imaging_7x7()
    assert ds.shape_native == (7, 7) and ds.shape_slim == 9
    assert ds.pixel_scales == (1.0, 1.0)
    assert ds.mask == make_mask_2d_7x7()
    np.testing.assert_array_equal(ds.data.array, np.ones(9))
    np.testing.assert_array_equal(ds.noise_map.array, np.full(9, 2.0))
    np.testing.assert_array_equal(ds.signal_to_noise_map.array, np.full(9, 0.5))
    assert ds.signal_to_noise_max == 0.5
    assert isinstance(ds.convolver, Convolver) and ds.convolver is ds.convolver
    assert ds.convolver.mask == ds.mask


def test_signal_to_noise_sets_negative_values_to_zero():
    data = aa.Array2D.no_mask(np.array([[-2.0, 4.0], [1.0, 0.0]]), pixel_scales=1.0)
    noise = aa.Array2D.full(2.0, (2, 2), pixel_scales=1.0)
    ds = Imaging(data, noise)
    np.testing.assert_array_equal(ds.signal_to_noise_map.native, [[0.0, 2.0], [0.5, 0.0]])
    assert ds.psf is None and ds.convolver is None and ds.grids.blurring is None


def test_grids_lp_and_blurring():
    ds = (
        make_imaging_7x7().apply_over_sampling(over_sample_size_lp=2).apply_mask(make_mask_2d_7x7())
    )
    lp = ds.grids.lp
    np.testing.assert_array_equal(lp.array, ds.mask.grid_slim)
    assert lp.over_sample_size == 2
    # (y, x) of slim pixel 0 = native (2, 2): y = -(2 - 3) * 1 = 1, x = 2 - 3 = -1
    np.testing.assert_array_equal(lp.array[0], [1.0, -1.0])
    blurring = ds.grids.blurring
    assert blurring.mask == make_blurring_mask_2d_7x7()
    # default: blurring pixels at their centres (PyAutoLens's blurring grid)
    assert blurring.shape == (16, 2) and blurring.over_sample_size == 1
    # the 5x5 ring: first pixel native (1, 1) at (y, x) = (2, -2)
    np.testing.assert_array_equal(blurring.array[0], [2.0, -2.0])


def test_blurring_adaptive_over_sampling_takes_nearest_unmasked_pixel_size():
    ds = make_masked_imaging_7x7()
    sizes = np.arange(1, 10)  # slim order: rows 2..4, cols 2..4
    ds = ds.apply_over_sampling(over_sample_size_lp=sizes, over_sample_size_blurring=None)
    b = ds.grids.blurring
    bmask = b.mask
    # native (1, 1) -> nearest unmasked (2, 2) = slim 0 -> size 1;
    # native (5, 5) -> (4, 4) = slim 8 -> size 9; native (3, 1) -> (3, 2) = slim 3 -> 4
    sub = np.asarray(b.over_sample_size)
    assert sub[bmask.slim_index_for_native[1, 1]] == 1
    assert sub[bmask.slim_index_for_native[5, 5]] == 9
    assert sub[bmask.slim_index_for_native[3, 1]] == 4
    assert sub[bmask.slim_index_for_native[1, 3]] == 2  # -> (2, 3) = slim 1


def test_blurring_over_sample_size_option_evaluates_blurring_pixels_once():
    assert make_masked_imaging_7x7().over_sample_size_blurring == 1  # the default
    ds = make_masked_imaging_7x7().apply_over_sampling(4, over_sample_size_blurring=1)
    assert ds.grids.lp.over_sample_size == 4
    blurring = ds.grids.blurring
    assert blurring.over_sample_size == 1
    # size 1: one sub-pixel per blurring pixel, at the pixel centre itself
    np.testing.assert_array_equal(blurring.over_sampler.sub_grid, blurring.mask.grid_slim)
    # the setting travels with apply_mask and a new lp over-sampling ("keep")
    again = ds.apply_mask(aa.Mask2D.circular((7, 7), 1.5, pixel_scales=1.0))
    assert again.over_sample_size_blurring == 1
    assert again.apply_over_sampling(2).grids.blurring.over_sample_size == 1
    # None: back to the lp rule
    assert ds.apply_over_sampling(2, None).grids.blurring.over_sample_size == 2
    for bad in (0, 1.5, True, [1, 2]):
        with pytest.raises(InputError, match="over_sample_size_blurring"):
            ds.apply_over_sampling(4, over_sample_size_blurring=bad)


def test_apply_mask_uses_the_unmasked_data_and_chains():
    data, noise = _arrays()
    full = Imaging(
        aa.Array2D.no_mask(data, 1.0), aa.Array2D.no_mask(noise, 1.0), psf=make_psf_3x3()
    )
    small = full.apply_mask(make_mask_2d_7x7())
    np.testing.assert_array_equal(small.data.array, data[2:5, 2:5].ravel())
    np.testing.assert_array_equal(small.noise_map.array, noise[2:5, 2:5].ravel())
    big = small.apply_mask(aa.Mask2D.circular((7, 7), 2.5, pixel_scales=1.0))
    assert big.unmasked is full
    np.testing.assert_array_equal(big.data.native[~big.mask.mask], data[~big.mask.mask])


def test_apply_mask_refuses_pixels_without_data():
    data, noise = _arrays()
    mask = make_mask_2d_7x7()
    ds = Imaging(aa.Array2D(data, mask), aa.Array2D(noise, mask))
    with pytest.raises(InputError, match="holds no data"):
        ds.apply_mask(aa.Mask2D.all_false((7, 7), 1.0))
    with pytest.raises(InputError, match="native shape"):
        ds.apply_mask(aa.Mask2D.all_false((5, 5), 1.0))
    with pytest.raises(InputError, match="mask must be a Mask2D"):
        ds.apply_mask(np.zeros((7, 7), bool))


def test_nan_outside_the_mask_is_allowed_inside_is_not():
    data, noise = _arrays()
    data[0, 0] = np.nan
    noise[6, 6] = np.inf
    mask = make_mask_2d_7x7()
    ds = Imaging(aa.Array2D(data, mask), aa.Array2D(noise, mask))
    assert np.all(np.isfinite(ds.data.array))
    with pytest.raises(InputError, match="data has 1 NaN/inf"):
        Imaging(aa.Array2D.no_mask(data, 1.0), aa.Array2D.no_mask(np.ones((7, 7)), 1.0))
    with pytest.raises(InputError, match="noise_map has 1 NaN/inf"):
        Imaging(aa.Array2D.no_mask(np.ones((7, 7)), 1.0), aa.Array2D.no_mask(noise, 1.0))


@pytest.mark.parametrize("value", [0.0, -1.0])
def test_non_positive_noise_inside_the_mask_raises(value):
    data, noise = _arrays()
    noise[3, 3] = value
    with pytest.raises(InputError, match=r"noise_map has 1 value\(s\) <= 0"):
        Imaging(aa.Array2D.no_mask(data, 1.0), aa.Array2D.no_mask(noise, 1.0))
    ds = Imaging(
        aa.Array2D.no_mask(data, 1.0), aa.Array2D.no_mask(noise, 1.0), check_noise_map=False
    )
    assert ds.noise_map.native[3, 3] == value


def test_shape_and_pixel_scale_disagreements_raise():
    with pytest.raises(InputError, match=r"noise_map has native shape \(5, 5\)"):
        Imaging(make_image_7x7(), aa.Array2D.ones((5, 5), 1.0))
    with pytest.raises(InputError, match="noise_map has pixel_scales"):
        Imaging(make_image_7x7(), aa.Array2D.ones((7, 7), 0.5))
    mask = make_mask_2d_7x7()
    noise = aa.Array2D(np.ones(9), mask)  # masked where unmasked data has values
    with pytest.raises(InputError, match="noise_map is masked at pixels"):
        Imaging(make_image_7x7(), noise)


def test_type_and_psf_errors():
    with pytest.raises(InputError, match="data must be an Array2D"):
        Imaging(np.ones((7, 7)), make_noise_map_7x7())
    with pytest.raises(InputError, match="noise_map must be an Array2D"):
        Imaging(make_image_7x7(), np.ones((7, 7)))
    with pytest.raises(InputError, match="psf must be a Kernel2D"):
        Imaging(make_image_7x7(), make_noise_map_7x7(), psf=np.ones((3, 3)))
    with pytest.raises(InputError, match="odd-sized"):
        Imaging(make_image_7x7(), make_noise_map_7x7(), psf=Kernel2D(np.ones((4, 4)), 1.0))
    with pytest.raises(InputError, match="all zeros"):
        Imaging(make_image_7x7(), make_noise_map_7x7(), psf=Kernel2D(np.zeros((3, 3)), 1.0))


def test_mask_without_unmasked_pixels_and_bad_pixel_scales_raise():
    full = aa.Mask2D(np.ones((7, 7), bool), 1.0)
    with pytest.raises(InputError, match="no unmasked pixel"):
        Imaging(aa.Array2D(np.ones(0), full), aa.Array2D(np.ones(0), full))
    with pytest.raises(InputError, match="no unmasked pixel"):
        make_imaging_7x7().apply_mask(full)
    with pytest.raises(InputError, match="pixel_scales"):
        Imaging(aa.Array2D.no_mask(np.ones((3, 3)), 0.0), aa.Array2D.no_mask(np.ones((3, 3)), 0.0))


def test_over_sample_size_checks():
    ds = make_masked_imaging_7x7()
    with pytest.raises(InputError, match="over_sample_size_lp must be a whole number"):
        ds.apply_over_sampling(0)
    with pytest.raises(InputError, match="one size per unmasked pixel"):
        ds.apply_over_sampling(np.ones(10, int))
    adaptive = ds.apply_over_sampling(np.arange(1, 10))
    with pytest.raises(InputError, match="apply_over_sampling"):
        adaptive.apply_mask(aa.Mask2D.circular((7, 7), 2.5, 1.0))


def test_noise_flag_mask_masks_huge_noise():
    data, noise = _arrays()
    noise[0, 0] = 1e8  # PyAutoLens's "masked pixel" flag
    noise[3, 3] = 2e7
    ds = Imaging(aa.Array2D.no_mask(data, 1.0), aa.Array2D.no_mask(noise, 1.0))
    flagged = ds.apply_noise_flag_mask()
    assert flagged.shape_slim == 47
    assert flagged.mask.mask[0, 0] and flagged.mask.mask[3, 3]
    assert flagged.noise_map.max() < 1e7
    circ = aa.Mask2D.circular((7, 7), 2.0, 1.0)
    both = ds.apply_noise_flag_mask(mask=circ)
    assert both.shape_slim == circ.pixels_in_mask - 1  # (3, 3) is inside the circle
    direct = noise_flag_mask_from(ds.noise_map, threshold=1e7)
    assert direct == flagged.mask


def _write(path, array):
    fits.PrimaryHDU(array).writeto(path)


def test_from_fits_loads_astropy_files_pixel_for_pixel(tmp_path):
    data = np.arange(35.0).reshape(5, 7)
    noise = np.full((5, 7), 0.5) + np.arange(7) * 0.01
    psf = np.array([[0.0, 1.0, 0.0], [1.0, 4.0, 2.0], [0.0, 1.0, 0.0]])
    _write(tmp_path / "data.fits", data)
    _write(tmp_path / "noise.fits", noise)
    hdul = fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(psf)])
    hdul.writeto(tmp_path / "psf.fits")
    ds = Imaging.from_fits(
        tmp_path / "data.fits",
        0.05,
        tmp_path / "noise.fits",
        psf_path=tmp_path / "psf.fits",
        psf_hdu=1,
    )
    np.testing.assert_array_equal(ds.data.native, data)  # row 0 is row 0: no flip
    np.testing.assert_array_equal(ds.noise_map.native, noise)
    np.testing.assert_array_equal(ds.psf.native, psf)  # not normalised unless asked
    assert ds.pixel_scales == (0.05, 0.05)
    ds_n = Imaging.from_fits(
        tmp_path / "data.fits",
        0.05,
        tmp_path / "noise.fits",
        psf_path=tmp_path / "psf.fits",
        psf_hdu=1,
        normalize_psf=True,
    )
    np.testing.assert_allclose(ds_n.psf.native, psf / 9.0, rtol=1e-15)  # sum 9


def test_from_fits_errors(tmp_path):
    _write(tmp_path / "data.fits", np.ones((5, 5)))
    _write(tmp_path / "noise.fits", np.ones((5, 5)))
    _write(tmp_path / "small.fits", np.ones((3, 3)))
    fits.PrimaryHDU().writeto(tmp_path / "empty.fits")
    with pytest.raises(InputError, match="not found"):
        Imaging.from_fits(tmp_path / "missing.fits", 0.1, tmp_path / "noise.fits")
    with pytest.raises(InputError, match="no 2D image"):
        Imaging.from_fits(tmp_path / "data.fits", 0.1, tmp_path / "empty.fits")
    with pytest.raises(InputError, match="hdu=3 does not exist"):
        Imaging.from_fits(tmp_path / "data.fits", 0.1, tmp_path / "noise.fits", data_hdu=3)
    with pytest.raises(InputError, match="noise_map has native shape"):
        Imaging.from_fits(tmp_path / "data.fits", 0.1, tmp_path / "small.fits")
    with pytest.raises(InputError, match="pixel_scales"):
        Imaging.from_fits(tmp_path / "missing.fits", -0.1, tmp_path / "noise.fits")


def test_output_to_fits_round_trip_and_no_partial_writes(tmp_path):
    data, noise = _arrays(seed=4)
    psf = Kernel2D.from_gaussian((5, 5), sigma=1.0, pixel_scales=1.0, axis_ratio=0.6, angle=20)
    ds = Imaging(aa.Array2D.no_mask(data, 1.0), aa.Array2D.no_mask(noise, 1.0), psf=psf)
    paths = {k: tmp_path / f"{k}.fits" for k in ("data", "psf", "noise")}
    ds.output_to_fits(paths["data"], psf_path=paths["psf"], noise_map_path=paths["noise"])
    back = Imaging.from_fits(paths["data"], 1.0, paths["noise"], psf_path=paths["psf"])
    np.testing.assert_array_equal(back.data.native, data)
    np.testing.assert_array_equal(back.noise_map.native, noise)
    np.testing.assert_array_equal(back.psf.native, psf.native)
    np.testing.assert_array_equal(fits.getdata(paths["data"]), data)
    # refusing to overwrite leaves every file untouched and writes no new one
    new = tmp_path / "new_noise.fits"
    with pytest.raises(InputError, match="overwrite=True"):
        ds.output_to_fits(paths["data"], noise_map_path=new)
    assert not new.exists()
    ds.apply_mask(make_mask_2d_7x7()).output_to_fits(paths["data"], overwrite=True)
    written = fits.getdata(paths["data"])
    assert written[0, 0] == 0.0 and written[3, 3] == data[3, 3]  # zeros where masked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.fits", "noise.fits", "psf.fits"]
