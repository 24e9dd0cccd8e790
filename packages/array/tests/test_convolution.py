"""Convolver: masked image + blurring region, direct, FFT and separable methods (NumPy path).

Reference: scipy.signal.convolve2d / fftconvolve (mode="same") on the full native image
holding the image and blurring values and zero elsewhere, restricted to the mask; plus
hand-worked point-source cases on the 7x7 fixture.
"""

import numpy as np
import pytest
from scipy.signal import convolve2d, fftconvolve

import xparray as aa
from xparray.dataset.fixtures import make_mask_2d_7x7, make_psf_3x3
from xparray.errors import InputError
from xparray.operators import Convolver, Kernel2D, method_for_kernel, separable_factors_from

METHODS = ["direct", "fft", "separable"]


def _native_from(conv, image, blurring):
    native = np.zeros(conv.mask.shape_native)
    native[~conv.mask.mask] = image
    if blurring is not None:
        native[~conv.blurring_mask.mask] = blurring
    return native


def _reference(conv, image, blurring, use_fft=False):
    native = _native_from(conv, image, blurring)
    f = fftconvolve if use_fft else convolve2d
    return f(native, conv.kernel_native, mode="same")[~conv.mask.mask]


@pytest.mark.parametrize("method", METHODS)
def test_point_source_gives_the_kernel_unflipped(method):
    # delta at the centre pixel (3, 3): a true convolution returns K itself around it,
    # out[3 + u, 3 + v] = K[1 + u, 1 + v] (hand-worked from out = sum K[a,b] x[i+1-a, j+1-b]).
    kernel = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    conv = Convolver(make_mask_2d_7x7(), kernel, method=method)
    image = np.zeros(9)
    image[4] = 1.0  # slim index 4 = native (3, 3)
    out = conv.convolve_slim(image, np.zeros(16))
    np.testing.assert_allclose(out.reshape(3, 3), kernel, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("method", METHODS)
def test_blurring_pixel_light_enters_the_mask(method):
    # Light 1 at native (1, 3), the blurring pixel just above the mask's top row. With
    # out[i, j] = sum K[a, b] x[i + 1 - a, j + 1 - b], the top row of the mask gets
    # (2, 2) <- K[2, 0] = 7, (2, 3) <- K[2, 1] = 8, (2, 4) <- K[2, 2] = 9; nothing else.
    kernel = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    conv = Convolver(make_mask_2d_7x7(), kernel, method=method)
    bidx = conv.blurring_mask.slim_index_for_native[1, 3]
    blurring = np.zeros(conv.pixels_in_blurring)
    blurring[bidx] = 1.0
    out = conv.convolve_slim(np.zeros(9), blurring)
    np.testing.assert_allclose(out, [7, 8, 9, 0, 0, 0, 0, 0, 0], atol=1e-13)


def test_fixture_cross_psf_on_uniform_light_hand_value():
    # Uniform light 1 on mask + blurring ring: every footprint of the cross [0,1,0;1,2,1;0,1,0]
    # lies inside, so each output is the kernel sum 6.
    conv = Convolver(make_mask_2d_7x7(), make_psf_3x3())
    out = conv.convolve_slim(np.ones(9), np.ones(16))
    np.testing.assert_allclose(out, np.full(9, 6.0), rtol=1e-14)
    # without the blurring light the corner pixel (2, 2) misses its up and left neighbours
    out = conv.convolve_slim(np.ones(9), None)
    assert out[0] == pytest.approx(4.0, rel=1e-14)
    assert out[4] == pytest.approx(6.0, rel=1e-14)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kshape", [(3, 3), (5, 5), (3, 7), (11, 11)])
def test_matches_scipy_convolve2d_on_a_circular_mask(method, kshape):
    rng = np.random.default_rng(sum(kshape))
    mask = aa.Mask2D.circular((30, 34), 1.0, pixel_scales=0.1, centre=(0.2, -0.1))
    conv = Convolver(mask, rng.uniform(0.1, 1.0, size=kshape), method=method)
    image = rng.normal(size=conv.pixels_in_mask)
    blurring = rng.normal(size=conv.pixels_in_blurring)
    expected = _reference(conv, image, blurring)
    np.testing.assert_allclose(
        conv.convolve_slim(image, blurring),
        expected,
        rtol=1e-12,
        atol=1e-12 * np.abs(expected).max(),
    )


@pytest.mark.parametrize("method", METHODS)
def test_annular_mask_and_image_edges(method):
    # An annulus (light inside the hole is blurring light) and a mask touching the image
    # border, where scipy's zero fill beyond the edge is the reference.
    rng = np.random.default_rng(3)
    annulus = aa.Mask2D.circular_annular((25, 25), 0.4, 1.0, pixel_scales=0.1)
    edge = aa.Mask2D.all_false((6, 8), pixel_scales=0.1)
    for mask in (annulus, edge):
        conv = Convolver(mask, rng.uniform(size=(5, 5)), method=method)
        image = rng.normal(size=conv.pixels_in_mask)
        blurring = rng.normal(size=conv.pixels_in_blurring)
        np.testing.assert_allclose(
            conv.convolve_slim(image, blurring),
            _reference(conv, image, blurring),
            rtol=1e-11,
            atol=1e-12,
        )
    assert conv.pixels_in_blurring == 0  # an all-false mask has no blurring region


def test_reference_geometry_direct_equals_fft_and_scipy_fft():
    mask = aa.Mask2D.circular((100, 100), 3.0, pixel_scales=0.1)
    assert mask.pixels_in_mask == 2828
    psf = Kernel2D.from_gaussian((21, 21), sigma=0.15, pixel_scales=0.1, axis_ratio=0.8, angle=40.0)
    conv = Convolver(mask, psf)
    rng = np.random.default_rng(7)
    image, blurring = rng.uniform(size=2828), rng.uniform(size=conv.pixels_in_blurring)
    direct = conv.convolve_slim(image, blurring, method="direct")
    fft = conv.convolve_slim(image, blurring, method="fft")
    np.testing.assert_allclose(fft, direct, rtol=1e-12)
    np.testing.assert_allclose(direct, _reference(conv, image, blurring, use_fft=True), rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_leading_batch_axes(method):
    rng = np.random.default_rng(5)
    mask = aa.Mask2D.circular((20, 20), 0.6, pixel_scales=0.1)
    conv = Convolver(mask, rng.uniform(size=(5, 5)), method=method)
    images = rng.normal(size=(2, 3, conv.pixels_in_mask))
    blurring = rng.normal(size=(2, 3, conv.pixels_in_blurring))
    out = conv.convolve_slim(images, blurring)
    assert out.shape == (2, 3, conv.pixels_in_mask)
    np.testing.assert_allclose(
        out[1, 2], conv.convolve_slim(images[1, 2], blurring[1, 2]), rtol=1e-13, atol=1e-14
    )


def test_none_blurring_equals_zero_blurring():
    conv = Convolver(make_mask_2d_7x7(), make_psf_3x3())
    image = np.arange(9.0)
    for method in METHODS:
        np.testing.assert_array_equal(
            conv.convolve_slim(image, None, method=method),
            conv.convolve_slim(image, np.zeros(16), method=method),
        )


def test_structure_path_returns_array2d_on_the_mask():
    mask = make_mask_2d_7x7()
    psf = make_psf_3x3()
    conv = psf.convolver_from(mask)
    image = aa.Array2D(np.arange(9.0), mask)
    blurring = aa.Array2D(np.ones(16), conv.blurring_mask)
    out = psf.convolved_image_from(image, blurring)
    assert isinstance(out, aa.Array2D) and out.mask is mask
    np.testing.assert_allclose(out.array, _reference(conv, image.array, blurring.array), rtol=1e-13)
    wrong = aa.Array2D(np.ones(16), conv.blurring_mask)
    with pytest.raises(InputError, match="different mask"):
        conv.convolved_image_from(wrong, None)
    with pytest.raises(InputError, match="blurring_mask"):
        conv.convolved_image_from(image, aa.Array2D(np.ones(9), mask))


def test_bad_inputs_raise():
    mask = make_mask_2d_7x7()
    with pytest.raises(InputError, match="odd-sized"):
        Convolver(mask, np.ones((2, 3)))
    with pytest.raises(InputError, match="method"):
        Convolver(mask, make_psf_3x3(), method="sparse")
    with pytest.raises(InputError, match="no unmasked pixel"):
        Convolver(aa.Mask2D(np.ones((5, 5), bool), 1.0), make_psf_3x3())
    conv = Convolver(mask, make_psf_3x3())
    with pytest.raises(InputError, match="9 slim values"):
        conv.convolve_slim(np.ones(8))
    with pytest.raises(InputError, match="16 slim values"):
        conv.convolve_slim(np.ones(9), np.ones(15))


def test_auto_method_choice_and_identity_hash():
    assert method_for_kernel((3, 3)) == "direct"
    assert method_for_kernel((11, 11)) == "fft"
    assert method_for_kernel((41, 41)) == "fft"
    mask = make_mask_2d_7x7()
    a, b = Convolver(mask, make_psf_3x3()), Convolver(mask, make_psf_3x3())
    # static pytree aux data: identity semantics, so hashing never touches the arrays
    assert a == a and a != b
    assert hash(a) == hash(a) and len({a, b}) == 2
    assert a.method_for() == "direct"


def test_fft_plan_target_index_places_each_value_in_its_native_pixel():
    # The JAX path fills the FFT box by scattering values to ``target_index``; here the same
    # placement is checked with NumPy against the native image built pixel by pixel (an
    # annulus, so blurring pixels also sit inside the hole), and against the gather.
    mask = aa.Mask2D.circular_annular((25, 25), 0.4, 1.0, pixel_scales=0.1)
    conv = Convolver(mask, np.ones((5, 5)), method="fft")
    plan = conv.fft_plan
    n, m = conv.pixels_in_mask, conv.pixels_in_blurring
    assert plan.target_index.shape == (n + m,)
    assert np.unique(plan.target_index).size == n + m
    rng = np.random.default_rng(11)
    image, blurring = rng.normal(size=n), rng.normal(size=m)
    box = np.zeros(plan.shape[0] * plan.shape[1])
    box[plan.target_index] = np.concatenate([image, blurring])
    gathered = np.concatenate([image, blurring, [0.0]])[plan.source_index]
    np.testing.assert_array_equal(box, gathered)
    native = _native_from(conv, image, blurring)
    rows, cols = np.nonzero(native)
    r0 = min(np.nonzero(~mask.mask | ~conv.blurring_mask.mask)[0])
    c0 = min(np.nonzero(~mask.mask | ~conv.blurring_mask.mask)[1])
    box2 = box.reshape(plan.shape)
    np.testing.assert_array_equal(box2[rows - r0, cols - c0], native[rows, cols])
    assert np.count_nonzero(box2) == np.count_nonzero(native)


def test_separable_factors_find_the_lowest_exact_rank():
    rng = np.random.default_rng(2)
    outer = np.outer(rng.uniform(size=7), rng.uniform(size=5))
    # a sampled circular Gaussian is exp(-y^2/2s^2) exp(-x^2/2s^2): rank 1 exactly
    circular = Kernel2D.from_gaussian((11, 11), sigma=0.15, pixel_scales=0.1).native
    # rotated elliptical: the cross term x y in the exponent couples the axes (full rank)
    rotated = Kernel2D.from_gaussian(
        (11, 11), sigma=0.15, pixel_scales=0.1, axis_ratio=0.7, angle=35.0
    ).native
    random = rng.uniform(size=(5, 7))
    for kernel, rank in ((outer, 1), (circular, 1), (random, 5)):
        u, v = separable_factors_from(kernel)
        assert u.shape == (rank, kernel.shape[0]) and v.shape == (rank, kernel.shape[1])
        np.testing.assert_allclose(u.T @ v, kernel, rtol=0, atol=1e-15 * np.abs(kernel).max())
    assert separable_factors_from(rotated)[0].shape[0] > 1


def test_auto_takes_separable_for_a_rank_one_kernel_on_a_small_box_only():
    circular = Kernel2D.from_gaussian((11, 11), sigma=0.1, pixel_scales=0.1)
    rotated = Kernel2D.from_gaussian(
        (11, 11), sigma=0.15, pixel_scales=0.1, axis_ratio=0.7, angle=35.0
    )
    reference = aa.Mask2D.circular((100, 100), 3.0, pixel_scales=0.1)  # box 70 x 70
    large = aa.Mask2D.circular((200, 200), 9.0, pixel_scales=0.1)  # box 190 x 190
    assert Convolver(reference, circular).method_for() == "separable"
    assert Convolver(reference, rotated).method_for() == "fft"
    assert Convolver(large, circular).method_for() == "fft"
    assert Convolver(reference, circular, method="fft").method_for() == "fft"
    assert Convolver(reference, np.ones((3, 3))).method_for() == "direct"


def test_separable_plan_is_a_band_of_the_kernel_taps_on_the_region_box():
    # Point light at the reference geometry: separable, FFT and direct give the kernel back
    # around it, and the plan's bands are (Oy, By) = (60, 70) and (Bx, Ox) = (70, 60): the
    # 61 - 1 mask rows / columns and the mask plus a 5-pixel blurring ring on each side.
    mask = aa.Mask2D.circular((100, 100), 3.0, pixel_scales=0.1)
    psf = Kernel2D.from_gaussian((11, 11), sigma=0.1, pixel_scales=0.1)
    conv = Convolver(mask, psf)
    plan = conv.separable_plan
    assert plan.shape == (70, 70)
    assert plan.rows.shape == (1, 60, 70) and plan.cols.shape == (1, 70, 60)
    image = np.zeros(conv.pixels_in_mask)
    centre = conv.mask.slim_index_for_native[50, 50]
    image[centre] = 1.0
    out = {m: conv.convolve_slim(image, None, method=m) for m in METHODS}
    native = np.zeros((100, 100))
    native[~mask.mask] = out["separable"]
    np.testing.assert_allclose(native[45:56, 45:56], psf.native, rtol=0, atol=1e-16)
    for m in ("direct", "fft"):
        np.testing.assert_allclose(out["separable"], out[m], rtol=0, atol=1e-16)
