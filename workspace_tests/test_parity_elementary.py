"""``xpgalaxy.profiles.elementary.arctan`` and ``log`` on JAX against NumPy's libm.

The JAX paths are a range-reduced Taylor series (arctan) and fdlibm's minimax algorithm
(log; see the docstrings), so unlike the other parity checks they are not the same
formula as NumPy: each must match NumPy to a few ulp over the whole real line, under
``jax.jit`` and ``jax.vmap``, and its gradient must be the analytic derivative
(``1 / (1 + x^2)``, ``1 / x``).
"""

import jax
import jax.numpy as jnp
import numpy as np

from xpgalaxy.profiles.elementary import arctan, log

jax.config.update("jax_enable_x64", True)


def _arguments() -> np.ndarray:
    rng = np.random.default_rng(7)
    # every scale, dense sampling where the reduction switches branch, and the edge values
    edges = [0.0, 1.0, np.tan(np.pi / 16), np.tan(3 * np.pi / 16), np.inf, 1e-300, 1e300]
    positive = np.concatenate(
        [
            np.logspace(-300, 300, 20001),
            rng.uniform(0.0, 5.0, 20000),
            np.linspace(0.15, 1.05, 20001),
            np.nextafter(np.array(edges[1:4]), 2.0),
            np.nextafter(np.array(edges[1:4]), 0.0),
            edges,
        ]
    )
    return np.concatenate([positive, -positive])


def test_arctan_matches_numpy_to_a_few_ulp_under_jit_and_vmap():
    x = _arguments()
    expected = np.arctan(x)
    jitted = np.asarray(jax.jit(lambda v: arctan(v, xp=jnp))(jnp.asarray(x)))
    mapped = np.asarray(jax.jit(jax.vmap(lambda v: arctan(v, xp=jnp)))(jnp.asarray(x)))
    ulps = np.abs(jitted - expected) / np.spacing(np.abs(expected))
    assert ulps.max() <= 4.0
    np.testing.assert_array_equal(mapped, jitted)
    assert np.all(np.signbit(jitted[x < 0]))


def test_arctan_gradient_is_one_over_one_plus_x_squared():
    x = np.concatenate([np.logspace(-8, 8, 4001), -np.logspace(-8, 8, 4001), [0.0]])
    grad = np.asarray(jax.jit(jax.vmap(jax.grad(lambda v: arctan(v, xp=jnp))))(jnp.asarray(x)))
    np.testing.assert_allclose(grad, 1.0 / (1.0 + x * x), rtol=2e-15, atol=0.0)


def test_arctan_keeps_nan():
    assert np.isnan(float(jax.jit(lambda v: arctan(v, xp=jnp))(jnp.nan)))


def _log_arguments() -> np.ndarray:
    rng = np.random.default_rng(11)
    tiny = np.finfo(np.float64).tiny  # smallest normal: XLA flushes smaller values to 0
    edges = [tiny, 0.5, 1.0, 2.0, np.sqrt(0.5), np.sqrt(2.0), np.finfo(np.float64).max]
    return np.concatenate(
        [
            np.exp(rng.uniform(np.log(tiny), np.log(np.finfo(np.float64).max), 200000)),
            rng.uniform(0.5, 2.5, 100000),  # where f = m - 1 and the branch at sqrt(2) matter
            1.0 + rng.uniform(-1e-6, 1e-6, 10000),
            np.nextafter(np.array(edges[1:]), 0.0),
            np.nextafter(np.array(edges[:-1]), np.inf),
            edges,
        ]
    )


def test_log_matches_numpy_to_one_ulp_under_jit_and_vmap():
    x = _log_arguments()
    expected = np.log(x)
    jitted = np.asarray(jax.jit(lambda v: log(v, xp=jnp))(jnp.asarray(x)))
    mapped = np.asarray(jax.jit(jax.vmap(lambda v: log(v, xp=jnp)))(jnp.asarray(x)))
    exact = jitted == expected  # includes log(1) = 0, where one ulp is 5e-324
    ulps = np.abs(jitted - expected)[~exact] / np.spacing(np.abs(expected[~exact]))
    assert ulps.max() <= 1.0
    np.testing.assert_array_equal(mapped, jitted)


def test_log_special_values_match_numpy():
    # below zero NaN, at zero -inf, inf stays inf, NaN stays NaN
    x = np.array([0.0, -0.0, -1.0, -np.inf, np.inf, np.nan])
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.log(x)
    got = np.asarray(jax.jit(lambda v: log(v, xp=jnp))(jnp.asarray(x)))
    np.testing.assert_array_equal(got, expected)


def test_log_gradient_is_one_over_x():
    x = np.logspace(-300, 300, 6001)
    grad = np.asarray(jax.jit(jax.vmap(jax.grad(lambda v: log(v, xp=jnp))))(jnp.asarray(x)))
    np.testing.assert_allclose(grad, 1.0 / x, rtol=2e-16, atol=0.0)
