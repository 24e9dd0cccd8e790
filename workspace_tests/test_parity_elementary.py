"""``xpgalaxy.profiles.elementary.arctan`` on JAX against NumPy's libm ``arctan``.

The JAX path is a range-reduced Taylor series (see its docstring), so unlike the other
parity checks it is not the same formula as NumPy: it must match ``np.arctan`` to a few
ulp over the whole real line, under ``jax.jit`` and ``jax.vmap``, and its gradient must be
the analytic ``1 / (1 + x^2)``.
"""

import jax
import jax.numpy as jnp
import numpy as np

from xpgalaxy.profiles.elementary import arctan

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
