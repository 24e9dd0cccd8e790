"""Kernel2D: construction checks, Gaussian PSFs, FITS I/O and full-image convolution.

References: the Gaussian formula of PyAutoArray's ``Kernel2D.from_gaussian`` (written out
in each test), scipy.signal.convolve2d, and arrays written with astropy directly.
"""

import numpy as np
import pytest
from astropy.io import fits
from scipy.signal import convolve2d

import xparray as aa
from xparray.dataset.fixtures import make_mask_2d_7x7, make_psf_3x3
from xparray.errors import InputError
from xparray.operators import Kernel2D


def test_values_and_native_shape():
    psf = make_psf_3x3()
    assert psf.shape_native == (3, 3)
    assert psf.pixel_scales == (1.0, 1.0)
    np.testing.assert_array_equal(psf.native, [[0, 1, 0], [1, 2, 1], [0, 1, 0]])


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 2)])
def test_even_kernel_raises_naming_values_and_fix(shape):
    with pytest.raises(InputError, match=r"values has shape .* odd-sized"):
        Kernel2D(np.ones(shape), pixel_scales=0.1)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_kernel_raises(bad):
    values = np.ones((3, 3))
    values[0, 1] = bad
    with pytest.raises(InputError, match="values holds NaN or inf"):
        Kernel2D(values, pixel_scales=0.1)


def test_all_zero_kernel_raises():
    with pytest.raises(InputError, match="values is all zeros"):
        Kernel2D(np.zeros((5, 5)), pixel_scales=0.1)


def test_non_2d_and_bad_pixel_scales_raise():
    with pytest.raises(InputError, match="2D"):
        Kernel2D(np.ones(9), pixel_scales=0.1)
    with pytest.raises(InputError, match="pixel_scales"):
        Kernel2D(np.ones((3, 3)), pixel_scales=0.0)


def test_normalize_and_normalized():
    psf = make_psf_3x3()  # sum 6
    assert psf.normalized.native[1, 1] == pytest.approx(2.0 / 6.0, rel=1e-15)
    assert psf.normalized.sum() == pytest.approx(1.0, rel=1e-15)
    raw = Kernel2D.no_mask(psf.native, 1.0, normalize=True)
    np.testing.assert_allclose(raw.native, psf.native / 6.0, rtol=1e-15)
    # no normalisation unless asked
    assert psf.sum() == 6.0


def test_from_gaussian_matches_formula_on_pixel_centres():
    sigma, ps = 0.3, 0.1
    psf = Kernel2D.from_gaussian((5, 5), sigma=sigma, pixel_scales=ps, normalize=False)
    peak = 1.0 / (sigma * np.sqrt(2.0 * np.pi))
    assert psf.native[2, 2] == pytest.approx(peak, rel=1e-14)
    # pixel (1, 3) sits at (y, x) = (0.1, 0.1) arcsec: r^2 = 0.02
    assert psf.native[1, 3] == pytest.approx(peak * np.exp(-0.5 * 0.02 / sigma**2), rel=1e-14)


def test_from_gaussian_normalized_second_moment_is_sigma_squared():
    # A well-sampled (sigma = 3 px) Gaussian's discrete variance equals sigma^2 to ~1e-8.
    sigma, ps = 0.3, 0.1
    psf = Kernel2D.from_gaussian((41, 41), sigma=sigma, pixel_scales=ps)
    assert psf.sum() == pytest.approx(1.0, rel=1e-14)
    x = (np.arange(41) - 20) * ps
    var_x = float(np.sum(psf.native * x[None, :] ** 2))
    var_y = float(np.sum(psf.native * x[:, None] ** 2))
    assert var_x == pytest.approx(sigma**2, rel=1e-6)
    assert var_y == pytest.approx(sigma**2, rel=1e-6)


def test_from_gaussian_ellipticity_and_angle_conventions():
    # r_ell = sqrt(x'^2 + (y'/q)^2): with angle=0 the major axis is along x, so the value
    # 2 pixels along x equals the value 1 pixel along y when q = 0.5.
    g = Kernel2D.from_gaussian(
        (7, 7), sigma=1.0, pixel_scales=1.0, axis_ratio=0.5, normalize=False
    ).native
    assert g[3, 5] == pytest.approx(g[2, 3], rel=1e-14)
    # angle = 90 deg (counter-clockwise from +x) turns the major axis onto y
    g90 = Kernel2D.from_gaussian(
        (7, 7), sigma=1.0, pixel_scales=1.0, axis_ratio=0.5, angle=90.0, normalize=False
    ).native
    np.testing.assert_allclose(g90, g.T, rtol=1e-12, atol=1e-15)
    # centre (y, x) = (1, 0) arcsec moves the peak one row up (row 0 is the top)
    gc = Kernel2D.from_gaussian((7, 7), sigma=1.0, pixel_scales=1.0, centre=(1.0, 0.0))
    assert np.unravel_index(np.argmax(gc.native), (7, 7)) == (2, 3)


def test_from_gaussian_rejects_bad_sigma():
    with pytest.raises(InputError, match="sigma"):
        Kernel2D.from_gaussian((5, 5), sigma=0.0, pixel_scales=0.1)


def test_fits_written_by_astropy_loads_pixel_for_pixel(tmp_path):
    values = np.arange(15.0).reshape(5, 3) + 1.0
    path = tmp_path / "psf.fits"
    fits.PrimaryHDU(values).writeto(path)
    psf = Kernel2D.from_fits(path, hdu=0, pixel_scales=0.05)
    np.testing.assert_array_equal(psf.native, values)  # row 0 stays row 0: no flip
    psf_n = Kernel2D.from_fits(path, hdu=0, pixel_scales=0.05, normalize=True)
    np.testing.assert_allclose(psf_n.native, values / values.sum(), rtol=1e-15)


def test_output_to_fits_round_trip(tmp_path):
    psf = Kernel2D.from_gaussian((5, 7), sigma=0.2, pixel_scales=0.1, axis_ratio=0.7, angle=30)
    path = tmp_path / "out" / "psf.fits"
    psf.output_to_fits(path)
    np.testing.assert_array_equal(fits.getdata(path), psf.native)
    back = Kernel2D.from_fits(path, hdu=0, pixel_scales=0.1)
    np.testing.assert_array_equal(back.native, psf.native)
    with pytest.raises(InputError, match="overwrite=True"):
        psf.output_to_fits(path)


def test_from_fits_missing_or_imageless_file_raises(tmp_path):
    with pytest.raises(InputError, match="not found"):
        Kernel2D.from_fits(tmp_path / "nope.fits", hdu=0, pixel_scales=0.1)
    empty = tmp_path / "empty.fits"
    fits.PrimaryHDU().writeto(empty)
    with pytest.raises(InputError, match="no 2D image"):
        Kernel2D.from_fits(empty, hdu=0, pixel_scales=0.1)


def test_no_blur_leaves_image_unchanged():
    mask = aa.Mask2D.circular((9, 9), 2.5, pixel_scales=1.0)
    image = aa.Array2D(np.arange(mask.pixels_in_mask, dtype=float), mask)
    out = Kernel2D.no_blur(1.0).convolved_image_from(image, None)
    np.testing.assert_allclose(out.array, image.array, rtol=1e-15)


def test_convolved_array_from_matches_scipy_convolve2d():
    rng = np.random.default_rng(1)
    kernel = Kernel2D(rng.uniform(size=(3, 5)), pixel_scales=1.0)
    mask = make_mask_2d_7x7()
    array = aa.Array2D(rng.normal(size=9), mask)
    expected = convolve2d(array.native, kernel.native, mode="same")[~mask.mask]
    np.testing.assert_allclose(kernel.convolved_array_from(array).array, expected, rtol=1e-12)


def test_arithmetic_gives_a_kernel_with_a_fresh_convolver():
    mask = make_mask_2d_7x7()
    psf = make_psf_3x3()
    conv = psf.convolver_from(mask)
    assert psf.convolver_from(mask) is conv  # cached per mask
    doubled = psf * 2.0
    assert isinstance(doubled, Kernel2D)
    image = aa.Array2D(np.ones(9), mask)
    np.testing.assert_allclose(
        doubled.convolved_image_from(image, None).array,
        2.0 * psf.convolved_image_from(image, None).array,
        rtol=1e-14,
    )
