"""NFW family on the JAX path: NumPy vs jax.jit(jax.vmap(...)), and finite gradients.

Driven by ``NUMERICAL_MASS_EXAMPLES``: for every example, its singular parameter sets
(centre on the grid point (0, 0), ``ell_comps = (0, 0)``, X = r / r_s = 1 at (0.6, 0.8) /
(0, 1) / (1, 0)) and two scaled copies, each method must give the NumPy values under
``jax.jit(jax.vmap(...))`` and finite gradients with respect to every parameter and every
grid coordinate. NumPy and JAX run the same fixed quadrature nodes and tables, so they
agree to ``example.rtol`` (1e-10).
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from xpgalaxy.profiles.mass.registry_numerical import NUMERICAL_MASS_EXAMPLES

jax.config.update("jax_enable_x64", True)

POINTS = np.array(
    [[0.0, 0.0], [0.6, 0.8], [0.0, 1.0], [1.0, 0.0], [0.1, -0.2], [-0.35, 0.6], [1.3, -2.7]]
)

METHODS = ["convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"]


def _flatten(params):
    names, values = [], []
    for key, value in params.items():
        if isinstance(value, tuple):
            for i, v in enumerate(value):
                names.append((key, i))
                values.append(float(v))
        else:
            names.append((key, None))
            values.append(float(value))
    return names, np.array(values)


def _build(cls, names, vector):
    params = {}
    for (key, i), v in zip(names, vector):
        if i is None:
            params[key] = v
        else:
            params.setdefault(key, [None, None])[i] = v
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in params.items()})


def _methods(cls):
    return METHODS + (["shear_yx_2d_from"] if hasattr(cls, "shear_yx_2d_from") else [])


@pytest.mark.parametrize("example", NUMERICAL_MASS_EXAMPLES, ids=lambda e: e.cls.__name__)
def test_jit_vmap_and_gradients_match_numpy(example):
    # One compilation per example: every method, the regular parameters, every singular set
    # and two scaled copies, with Jacobians w.r.t. the parameters and the grid.
    names, vector = _flatten(example.params)
    batch = np.stack(
        [vector, *[_flatten(p)[1] for p in example.singular], vector * 1.02, vector * 0.97]
    )
    methods = _methods(example.cls)

    def values(v, points):
        profile = _build(example.cls, names, v)
        return [getattr(profile, m)(points, xp=jnp) for m in methods]

    def gradients(v, points):
        # One reverse pass per method: a nan / inf anywhere in a Jacobian reaches the
        # gradient of the sum (0 * nan is nan), so finiteness of these is the check.
        return [
            jax.grad(lambda v, p, i=i: jnp.sum(values(v, p)[i]), argnums=(0, 1))(v, points)
            for i in range(len(methods))
        ]

    def values_and_gradients(v):
        points = jnp.asarray(POINTS)
        return values(v, points), gradients(v, points)

    batched, grads = jax.jit(jax.vmap(values_and_gradients))(jnp.asarray(batch))
    for i, method in enumerate(methods):
        expected = np.stack(
            [np.asarray(getattr(_build(example.cls, names, b), method)(POINTS)) for b in batch]
        )
        np.testing.assert_allclose(
            np.asarray(batched[i]), expected, rtol=example.rtol, atol=1e-300, err_msg=method
        )
        assert np.all(np.isfinite(np.asarray(grads[i][0]))), method  # w.r.t. parameters
        assert np.all(np.isfinite(np.asarray(grads[i][1]))), method  # w.r.t. the grid


@pytest.mark.parametrize("example", NUMERICAL_MASS_EXAMPLES, ids=lambda e: e.cls.__name__)
def test_gradient_matches_finite_differences(example):
    # jax.grad of the summed deflections and potential w.r.t. the parameters equals central
    # differences of the NumPy path (the fixed quadrature is smooth in the parameters).
    names, vector = _flatten(example.params)
    points = POINTS[4:]

    def total(v, xp):
        profile = _build(example.cls, names, v)
        deflections = profile.deflections_yx_2d_from(points, xp=xp)
        return xp.sum(deflections) + xp.sum(profile.potential_2d_from(points, xp=xp))

    grad = np.asarray(jax.jit(jax.grad(lambda v: total(v, jnp)))(jnp.asarray(vector)))
    h = 1e-6
    fd = np.array(
        [
            (total(vector + h * e, np) - total(vector - h * e, np)) / (2 * h)
            for e in np.eye(len(vector))
        ]
    )
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)
