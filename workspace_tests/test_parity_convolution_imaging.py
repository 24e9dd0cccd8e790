"""NumPy <-> JAX parity: PSF convolution (direct, FFT, separable), FitImaging and fit_util.

Every JAX result (eager, jax.jit, jax.vmap over a batch) must match NumPy in float64 to
1e-12 relative (relative to the largest magnitude, since FFT rounding is absolute).
"""

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import xparray as aa  # noqa: E402
from xparray.dataset import Imaging  # noqa: E402
from xparray.dataset.fixtures import make_masked_imaging_7x7  # noqa: E402
from xparray.fit import FitImaging  # noqa: E402
from xparray.fit import fit_util as fu  # noqa: E402
from xparray.operators import Convolver, Kernel2D  # noqa: E402

RTOL = 1e-12


def assert_close(actual, expected, rtol=RTOL):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


def _reference_convolver(kernel_size: int, method: str) -> Convolver:
    mask = aa.Mask2D.circular((100, 100), 3.0, pixel_scales=0.1)
    psf = Kernel2D.from_gaussian(
        (kernel_size, kernel_size), sigma=0.12, pixel_scales=0.1, axis_ratio=0.7, angle=35.0
    )
    return Convolver(mask, psf, method=method)


GEOMETRIES = [
    pytest.param(
        lambda m: make_masked_imaging_7x7().psf.convolver_from(
            make_masked_imaging_7x7().mask, method=m
        ),
        id="7x7-psf3",
    ),
    pytest.param(lambda m: _reference_convolver(11, m), id="ref-psf11"),
    pytest.param(lambda m: _reference_convolver(21, m), id="ref-psf21"),
    pytest.param(
        lambda m: Convolver(
            aa.Mask2D.circular((100, 100), 3.0, pixel_scales=0.1),
            Kernel2D.from_gaussian((11, 11), sigma=0.1, pixel_scales=0.1),
            method=m,
        ),
        id="ref-psf11-rank1",
    ),
]


@pytest.mark.parametrize("method", ["direct", "fft", "separable"])
@pytest.mark.parametrize("make", GEOMETRIES)
def test_convolution_numpy_vs_jax_eager_jit_vmap(make, method):
    conv = make(method)
    rng = np.random.default_rng(11)
    n, m = conv.pixels_in_mask, conv.pixels_in_blurring
    images, blurring = rng.uniform(size=(4, n)), rng.uniform(size=(4, m))
    expected = conv.convolve_slim(images, blurring)  # NumPy, batched on the leading axis

    assert_close(
        conv.convolve_slim(jnp.asarray(images[0]), jnp.asarray(blurring[0]), xp=jnp), expected[0]
    )
    jitted = jax.jit(lambda a, b: conv.convolve_slim(a, b, xp=jnp))
    assert_close(jitted(images[1], blurring[1]), expected[1])
    batched = jax.jit(jax.vmap(lambda a, b: conv.convolve_slim(a, b, xp=jnp)))
    out = batched(jnp.asarray(images), jnp.asarray(blurring))
    assert isinstance(out, jax.Array)
    assert_close(out, expected)
    # blurring None under jit
    assert_close(
        jax.jit(lambda a: conv.convolve_slim(a, None, xp=jnp))(images[2]),
        conv.convolve_slim(images[2], None),
    )


def test_direct_fft_and_separable_agree_under_jit_and_grad():
    convs = [_reference_convolver(11, m) for m in ("direct", "fft", "separable")]
    rng = np.random.default_rng(3)
    image = rng.uniform(size=convs[0].pixels_in_mask)
    blur = rng.uniform(size=convs[0].pixels_in_blurring)
    weights = jnp.asarray(rng.normal(size=convs[0].pixels_in_mask))
    outs = [jax.jit(lambda x, b, c=c: c.convolve_slim(x, b, xp=jnp))(image, blur) for c in convs]
    grads = [
        jax.jit(jax.grad(lambda x, b, c=c: jnp.sum(weights * c.convolve_slim(x, b, xp=jnp))))(
            image, blur
        )
        for c in convs
    ]
    for out, grad in zip(outs[1:], grads[1:]):
        assert_close(out, outs[0])
        assert_close(grad, grads[0])


def test_convolver_is_static_and_does_not_retrace():
    ds = make_masked_imaging_7x7()
    traces = []

    def blur(conv, image):
        traces.append(1)
        return conv.convolve_slim(image, None, xp=jnp)

    f = jax.jit(blur, static_argnums=0)
    conv = ds.convolver
    f(conv, jnp.ones(9))
    f(conv, jnp.arange(9.0))
    assert len(traces) == 1


def test_structure_path_and_gradient():
    ds = make_masked_imaging_7x7()
    conv = ds.convolver
    image = aa.Array2D(jnp.linspace(0.0, 1.0, 9), ds.mask, xp=jnp)
    out = ds.psf.convolved_image_from(image, None, xp=jnp)
    assert isinstance(out, aa.Array2D) and isinstance(out.array, jax.Array)
    assert_close(out.array, conv.convolve_slim(np.linspace(0.0, 1.0, 9), None))
    # d(sum of blurred image)/d(pixel) = sum of the kernel taps that land in the mask
    grad = jax.grad(lambda x: jnp.sum(conv.convolve_slim(x, None, xp=jnp)))(jnp.ones(9))
    expected = conv.convolve_slim(np.ones(9), None)  # symmetric kernel: same numbers
    assert_close(grad, expected)


def _model_batch(ds, size):
    rng = np.random.default_rng(5)
    return rng.normal(1.0, 0.3, size=(size, ds.shape_slim))


def _reference_dataset():
    rng = np.random.default_rng(8)
    shape = (100, 100)
    data = aa.Array2D.no_mask(rng.normal(0.1, 0.02, shape), 0.1)
    noise = aa.Array2D.no_mask(rng.uniform(0.01, 0.03, shape), 0.1)
    psf = Kernel2D.from_gaussian((11, 11), sigma=0.1, pixel_scales=0.1)
    ds = Imaging(data, noise, psf=psf)
    return ds.apply_mask(aa.Mask2D.circular(shape, 3.0, pixel_scales=0.1))


@pytest.mark.parametrize("make_ds", [make_masked_imaging_7x7, _reference_dataset])
def test_fit_imaging_jit_vmap_and_pytree(make_ds):
    ds = make_ds()
    models = _model_batch(ds, 3)
    expected = [FitImaging(ds, m).log_likelihood for m in models]

    logl = jax.jit(lambda m: FitImaging(ds, m).log_likelihood)
    assert_close(logl(models[0]), expected[0])
    assert_close(jax.jit(jax.vmap(lambda m: FitImaging(ds, m).log_likelihood))(models), expected)

    # a FitImaging returned from jit is a pytree: model leaves, dataset static
    fit = jax.jit(lambda m: FitImaging(ds, m))(models[1])
    assert isinstance(fit, FitImaging) and fit.dataset is ds
    assert isinstance(fit.model_data.array, jax.Array)
    assert_close(fit.log_likelihood, expected[1])
    np_fit = FitImaging(ds, models[1])
    for name in ("residual_map", "normalized_residual_map", "chi_squared_map"):
        assert_close(getattr(fit, name).array, getattr(np_fit, name).array)
    assert_close(fit.chi_squared, np_fit.chi_squared)
    assert_close(fit.reduced_chi_squared, np_fit.reduced_chi_squared)

    # d lnL / d model = (data - model) / sigma^2
    grad = jax.grad(lambda m: FitImaging(ds, m).log_likelihood)(models[2])
    analytic = (ds.data.array - models[2]) / ds.noise_map.array**2
    assert_close(grad, analytic)


def test_fit_with_convolved_model_end_to_end():
    ds = _reference_dataset()
    conv = ds.convolver
    n_blur = conv.pixels_in_blurring
    rng = np.random.default_rng(9)
    light = rng.uniform(0.05, 0.15, size=(3, ds.shape_slim))
    blur = rng.uniform(0.05, 0.15, size=(3, n_blur))

    def log_l(image, blurring, xp=np):
        model = conv.convolve_slim(image, blurring, xp=xp)
        return FitImaging(ds, model).log_likelihood

    expected = [log_l(a, b) for a, b in zip(light, blur)]
    got = jax.jit(jax.vmap(lambda a, b: log_l(a, b, xp=jnp)))(light, blur)
    assert_close(got, expected)


def test_fit_util_jit_vmap():
    rng = np.random.default_rng(1)
    data = rng.normal(size=(4, 6, 5))
    model = rng.normal(size=(4, 6, 5))
    noise = rng.uniform(0.5, 2.0, size=(4, 6, 5))
    mask = rng.uniform(size=(6, 5)) < 0.3
    noise_masked = np.where(mask, 0.0, noise)  # zero noise where masked must stay harmless

    def unmasked_values(d, m, s, xp):
        r = fu.residual_map_from(d, m, xp=xp)
        return (
            fu.normalized_residual_map_from(r, s, xp=xp),
            fu.chi_squared_map_from(r, s, xp=xp),
            fu.noise_normalization_from(s, xp=xp),
            fu.log_likelihood_via_maps_from(d, m, s, xp=xp),
        )

    def masked_values(d, m, s, xp):
        r = fu.residual_map_with_mask_from(d, mask, m, xp=xp)
        chi2_map = fu.chi_squared_map_with_mask_from(r, s, mask, xp=xp)
        return (
            fu.normalized_residual_map_with_mask_from(r, s, mask, xp=xp),
            chi2_map,
            fu.chi_squared_with_mask_from(chi2_map, mask, xp=xp),
            fu.noise_normalization_with_mask_from(s, mask, xp=xp),
            fu.log_likelihood_via_maps_from(d, m, s, mask=mask, xp=xp),
        )

    cases = [(unmasked_values, noise), (masked_values, noise), (masked_values, noise_masked)]
    for values, noise_in in cases:
        expected = [values(d, m, s, np) for d, m, s in zip(data, model, noise_in)]
        got = jax.jit(jax.vmap(lambda d, m, s, f=values: f(d, m, s, jnp)))(data, model, noise_in)
        for k, g in enumerate(got):
            assert_close(g, np.stack([e[k] for e in expected]))

    # masked likelihood: finite value and gradient with zero noise at masked pixels
    def masked_logl(m):
        return fu.log_likelihood_via_maps_from(data[0], m, noise_masked[0], mask=mask, xp=jnp)

    g = jax.grad(masked_logl)(jnp.asarray(model[0]))
    assert np.all(np.isfinite(np.asarray(g)))
    assert np.all(np.asarray(g)[mask] == 0.0)


def test_separable_forward_mode_and_vmapped_gradient():
    # The separable method's JAX derivative is a custom_jvp (its tangent multiplies by the
    # stored transposes, so the backward pass uses plain products): forward mode, reverse
    # mode and vmap of the gradient must all give the derivative of the direct sum.
    direct, separable = (_reference_convolver(11, m) for m in ("direct", "separable"))
    rng = np.random.default_rng(5)
    n, m = direct.pixels_in_mask, direct.pixels_in_blurring
    image, blur = rng.uniform(size=n), rng.uniform(size=m)
    tangent = rng.normal(size=n)
    weights = jnp.asarray(rng.normal(size=n))

    def jvp(conv):
        return jax.jvp(lambda x: conv.convolve_slim(x, blur, xp=jnp), (image,), (tangent,))

    (value_d, dot_d), (value_s, dot_s) = jvp(direct), jvp(separable)
    assert_close(value_s, value_d)
    assert_close(dot_s, dot_d)
    # linear in the image: the tangent is the convolution of the tangent
    assert_close(dot_s, direct.convolve_slim(tangent, None))
    images = rng.uniform(size=(3, n))

    def batched_grad(conv):
        loss = lambda x: jnp.sum(weights * conv.convolve_slim(x, blur, xp=jnp)) ** 2  # noqa: E731
        return jax.jit(jax.vmap(jax.grad(loss)))(images)

    assert_close(batched_grad(separable), batched_grad(direct))
