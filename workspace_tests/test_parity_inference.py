"""NumPy <-> JAX parity of the model-composition layer (xparray.inference), float64."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import xparray
from xparray.inference import (
    Collection,
    Fitness,
    GaussianPrior,
    LogUniformPrior,
    Model,
    ModelInstance,
    TruncatedGaussianPrior,
    UniformPrior,
    register_model_pytrees,
)

jax.config.update("jax_enable_x64", True)

X = np.linspace(-2.0, 2.0, 41)


class Blob:
    default_priors = {
        "centre": lambda: GaussianPrior(0.0, 0.3),
        "width": lambda: LogUniformPrior(0.2, 2.0),
        "amplitude": lambda: UniformPrior(0.5, 3.0),
    }

    def __init__(self, centre=(0.0, 0.0), width=1.0, amplitude=1.0, name="blob"):
        self.centre = centre
        self.width = width
        self.amplitude = amplitude
        self.name = name

    def profile(self, x, xp=np):
        return self.amplitude * xp.exp(-0.5 * ((x - self.centre[1]) / self.width) ** 2)


class Group:
    def __init__(self, offset, **blobs):
        self.offset = offset
        self.blobs = blobs


def make_model():
    first = Model(Blob)
    second = Model(Blob, width=TruncatedGaussianPrior(0.8, 0.3, 0.3, 1.5))
    second.centre_0 = first.centre_0  # tie
    group = Model(Group, offset=UniformPrior(-0.5, 0.5), first=first, second=second)
    return Collection(groups=Collection(main=group), extra=GaussianPrior(1.0, 0.2))


def model_values(instance, xp):
    """Every parameter read back from a built instance, as one array."""
    g = instance.groups.main
    parts = [g.offset, instance.extra]
    for blob in g.blobs.values():
        parts += [blob.centre[0], blob.centre[1], blob.width, blob.amplitude]
    return xp.stack([xp.asarray(p) for p in parts])


class ToyAnalysis:
    """Two blobs + offset against fixed data, Gaussian noise: an ordinary chi-squared."""

    def __init__(self, use_jax):
        self.use_jax = use_jax
        self.n_traces = 0
        truth = Blob((0.0, 0.3), 0.7, 1.5).profile(X) + Blob((0.0, -0.8), 0.5, 1.0).profile(X)
        self.data = truth + 0.1
        self.noise = 0.05

    def log_likelihood_function(self, instance):
        xp = jnp if self.use_jax else np
        self.n_traces += 1  # Python side effect: counts traces on JAX, calls on NumPy
        g = instance.groups.main
        model = g.offset + sum(b.profile(X, xp=xp) for b in g.blobs.values()) * instance.extra
        return -0.5 * xp.sum(((self.data - model) / self.noise) ** 2)


@pytest.fixture(scope="module")
def unit_batch():
    return np.random.default_rng(11).uniform(0.02, 0.98, size=(64, make_model().prior_count))


def test_parity_inference_instance_from_vector_jit_and_vmap(unit_batch):
    model = make_model()
    vectors = np.stack([model.vector_from_unit_vector(u) for u in unit_batch])
    expected = np.stack([model_values(model.instance_from_vector(v), np) for v in vectors])

    def values(vector):
        return model_values(model.instance_from_vector(vector, xp=jnp), jnp)

    np.testing.assert_allclose(jax.jit(values)(vectors[0]), expected[0], rtol=1e-12)
    np.testing.assert_allclose(jax.jit(jax.vmap(values))(vectors), expected, rtol=1e-12)


def test_parity_inference_unit_vector_and_log_priors_under_vmap(unit_batch):
    model = make_model()
    expected = np.stack([model.vector_from_unit_vector(u) for u in unit_batch])
    traced = jax.jit(jax.vmap(lambda u: model.vector_from_unit_vector(u, xp=jnp)))(unit_batch)
    np.testing.assert_allclose(traced, expected, rtol=1e-10)
    # include out-of-support rows: the log prior stays finite on both paths
    vectors = np.concatenate([expected, expected[:4] + 10.0])
    want = np.array([model.log_prior_list_from_vector(v) for v in vectors])
    got = jax.jit(jax.vmap(lambda v: jnp.stack(model.log_prior_list_from_vector(v, xp=jnp))))(
        vectors
    )
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_parity_inference_model_instance_is_a_pytree_and_does_not_retrace():
    model = make_model()
    register_model_pytrees(model)
    traces = []

    def total(instance):
        traces.append(1)
        return jnp.sum(model_values(instance, jnp))

    jitted = jax.jit(total)
    vector_a = model.vector_from_unit_vector(np.full(model.prior_count, 0.3))
    vector_b = model.vector_from_unit_vector(np.full(model.prior_count, 0.7))
    a, b = model.instance_from_vector(vector_a), model.instance_from_vector(vector_b)
    assert jitted(a) == pytest.approx(np.sum(model_values(a, np)), rel=1e-12)
    assert jitted(b) == pytest.approx(np.sum(model_values(b, np)), rel=1e-12)
    assert len(traces) == 1
    # identity round trip keeps the types, key order and static fixed values
    out = jax.jit(lambda inst: inst)(a)
    assert isinstance(out, ModelInstance) and out.keys() == ("groups", "extra")
    assert isinstance(out.groups.main.blobs["first"], Blob)
    assert out.groups.main.blobs["first"].name == "blob"


def test_parity_inference_fitness_vmap_matches_numpy_call(unit_batch):
    model = make_model()
    numpy_fit = Fitness(model, ToyAnalysis(use_jax=False))
    jax_fit = Fitness(model, ToyAnalysis(use_jax=True), batch_size=64)
    vectors = np.stack([model.vector_from_unit_vector(u) for u in unit_batch])
    expected = np.array([numpy_fit.call(v) for v in vectors])
    np.testing.assert_allclose(jax_fit._vmap(vectors), expected, rtol=1e-10)
    np.testing.assert_allclose(jax_fit._jit(vectors[3]), expected[3], rtol=1e-10)
    np.testing.assert_allclose(jax_fit.call(vectors[5]), expected[5], rtol=1e-10)
    unit_expected = np.array([numpy_fit.call_unit(u) for u in unit_batch])
    np.testing.assert_allclose(jax_fit._vmap_unit(unit_batch), unit_expected, rtol=1e-10)
    np.testing.assert_allclose(jax_fit._jit_unit(unit_batch[2]), unit_expected[2], rtol=1e-10)
    assert jax_fit.n_evaluations == 64 + 1 + 1 + 64 + 1


def test_parity_inference_chunks_agree_and_do_not_recompile(unit_batch):
    model = make_model()
    analysis = ToyAnalysis(use_jax=True)
    chunked = Fitness(model, analysis, batch_size=16)
    vectors = np.stack([model.vector_from_unit_vector(u) for u in unit_batch])
    first = chunked._vmap(vectors)
    assert analysis.n_traces == 1
    longer = np.concatenate([vectors, vectors[:37]])  # 101 rows: 6 full chunks + 5 padded
    second = chunked._vmap(longer)
    short = chunked._vmap(vectors[:5])
    assert analysis.n_traces == 1  # padded last chunks reuse the one compiled function
    whole = Fitness(model, ToyAnalysis(use_jax=True), batch_size=None)._vmap(vectors)
    np.testing.assert_allclose(first, whole, rtol=1e-12)
    np.testing.assert_allclose(second, np.concatenate([whole, whole[:37]]), rtol=1e-12)
    np.testing.assert_allclose(short, whole[:5], rtol=1e-12)


def test_parity_inference_batches_spread_over_every_cpu_device(unit_batch):
    # configure_cpu (conftest) made one JAX CPU device per usable core; a batch whose
    # length is not a multiple of the device count is padded and cut back
    assert jax.local_device_count() == xparray.backend._cpu_device_count()
    model = make_model()
    vectors = np.stack([model.vector_from_unit_vector(u) for u in unit_batch])
    fit = Fitness(model, ToyAnalysis(use_jax=True), batch_size=None)
    single = np.array([fit.call(v) for v in vectors[:7]])
    for n in (1, 5, 7):
        np.testing.assert_allclose(fit._vmap(vectors[:n]), single[:n], rtol=1e-14)


def test_parity_inference_grad_matches_finite_differences():
    model = make_model()
    jax_fit = Fitness(model, ToyAnalysis(use_jax=True))
    numpy_fit = Fitness(model, ToyAnalysis(use_jax=False), fd_step=1e-6)
    vector = model.vector_from_unit_vector(np.linspace(0.3, 0.7, model.prior_count))
    value, grad = jax_fit._grad(vector)
    grad = np.asarray(grad)
    assert np.all(np.isfinite(grad)) and np.all(grad != 0.0)
    fd_value, fd_grad = numpy_fit._grad(vector)
    assert float(value) == pytest.approx(fd_value, rel=1e-10)
    np.testing.assert_allclose(grad, fd_grad, rtol=1e-5)


def test_parity_inference_nan_likelihood_is_rejected_under_vmap():
    class NanAnalysis:
        use_jax = True

        def log_likelihood_function(self, instance):
            return jnp.log(instance.groups.main.offset)  # NaN for offset < 0

    model = make_model()
    fitness = Fitness(
        model, NanAnalysis(), use_log_prior=False, rejection_value=-1e100, batch_size=8
    )
    vectors = np.stack(
        [model.vector_from_unit_vector(np.full(model.prior_count, u)) for u in (0.2, 0.5, 0.9)]
    )
    out = fitness._vmap(vectors)
    offsets = vectors[:, model.paths.index(("groups", "main", "offset"))]
    np.testing.assert_allclose(offsets, [-0.3, 0.0, 0.4], atol=1e-12)  # uniform(-0.5, 0.5)
    # log(-0.3) = NaN and log(0) = -inf are both rejected; log(0.4) passes through
    np.testing.assert_allclose(out, [-1e100, -1e100, np.log(0.4)], rtol=1e-12)
