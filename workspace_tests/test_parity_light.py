"""Light profiles on the JAX path: NumPy vs jax.jit vs jax.vmap, and finite gradients.

Driven by ``LIGHT_EXAMPLES``: every example and every singular parameter set (centre on a
grid point so r = 0 is sampled, ``ell_comps = (0, 0)``) must give the NumPy image under
``jax.jit``, under ``jax.vmap`` over a batch of parameter sets, and a finite Jacobian with
respect to every parameter.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import xparray as aa
import xpgalaxy.profiles.light as lp
from xpgalaxy.profiles.light.registry import LIGHT_EXAMPLES

POINTS = np.array(
    [[0.0, 0.0], [0.1, -0.2], [0.1, 0.2], [-0.35, 0.6], [1.3, -0.7], [0.05, 0.01], [-2.0, 1.5]]
)


def _flatten(params):
    """Parameter names (name, index-or-None) and their values as one float vector."""
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


@pytest.mark.parametrize("example", LIGHT_EXAMPLES, ids=[e.cls.__name__ for e in LIGHT_EXAMPLES])
def test_jit_vmap_and_gradients_match_numpy(example):
    # One batch per example: the regular parameters, every singular set and two scaled
    # copies; jit(vmap(...)) is one compilation that traces every parameter.
    names, vector = _flatten(example.params)
    batch = np.stack(
        [vector, *[_flatten(p)[1] for p in example.singular], vector * 1.02, vector * 0.97]
    )
    expected = np.stack(
        [np.asarray(_build(example.cls, names, b).image_2d_from(POINTS)) for b in batch]
    )

    def image(v):
        return _build(example.cls, names, v).image_2d_from(jnp.asarray(POINTS), xp=jnp)

    def image_and_jacobian(v):
        return image(v), jax.jacrev(image)(v)

    batched, jacobians = jax.jit(jax.vmap(image_and_jacobian))(jnp.asarray(batch))
    np.testing.assert_allclose(np.asarray(batched), expected, rtol=example.rtol, atol=0.0)
    jacobians = np.asarray(jacobians)
    assert jacobians.shape == (len(batch), len(POINTS), len(vector))
    assert np.all(np.isfinite(jacobians))


# Exponential / DevVaucouleurs share Sersic's code path; the Sph variants have no ell_comps.
SMOOTH_IN_ELL = [e for e in LIGHT_EXAMPLES if e.cls in (lp.Sersic, lp.SersicCore)]


@pytest.mark.parametrize("example", SMOOTH_IN_ELL, ids=[e.cls.__name__ for e in SMOOTH_IN_ELL])
def test_sersic_family_gradient_is_the_true_derivative_at_zero_ellipticity(example):
    # The eccentric radius is polynomial in ell_comps, so at ell_comps = (0, 0) the JAX
    # gradient must equal central finite differences (a (q, phi) route would give 0).
    params = {**example.params, "ell_comps": (0.0, 0.0)}
    names, vector = _flatten(params)
    points = POINTS[2:5]

    def image(v):
        return _build(example.cls, names, v).image_2d_from(jnp.asarray(points), xp=jnp)

    jacobian = np.asarray(jax.jit(jax.jacrev(image))(jnp.asarray(vector)))
    h = 1e-6
    finite = np.stack(
        [
            (
                np.asarray(_build(example.cls, names, vector + h * e).image_2d_from(points))
                - np.asarray(_build(example.cls, names, vector - h * e).image_2d_from(points))
            )
            / (2 * h)
            for e in np.eye(len(vector))
        ],
        axis=1,
    )
    np.testing.assert_allclose(jacobian, finite, rtol=1e-5, atol=1e-7)


def test_over_sampled_grid_under_jit_and_vmap_returns_array_2d():
    grid = aa.Grid2D.uniform(shape_native=(7, 7), pixel_scales=0.1, over_sample_size=3)
    names, vector = _flatten(
        {
            "centre": (0.0, 0.0),
            "ell_comps": (0.1, 0.05),
            "intensity": 1.0,
            "effective_radius": 0.5,
            "sersic_index": 2.5,
        }
    )
    reference = np.asarray(_build(lp.Sersic, names, vector).image_2d_from(grid).array)

    def image(v):
        return _build(lp.Sersic, names, v).image_2d_from(grid, xp=jnp)

    batched = jax.jit(jax.vmap(image))(jnp.asarray(np.stack([vector, vector * 1.1])))
    assert isinstance(batched, aa.Array2D)
    assert np.asarray(batched.array).shape == (2, grid.shape_native[0] * grid.shape_native[1])
    np.testing.assert_allclose(np.asarray(batched.array)[0], reference, rtol=1e-12)
    grad = jax.jit(jax.grad(lambda v: jnp.sum(image(v).array)))(jnp.asarray(vector))
    assert np.all(np.isfinite(np.asarray(grad)))


def test_profile_instance_is_a_pytree_under_jit():
    profile = lp.Moffat(
        centre=(0.0, 0.1), ell_comps=(0.1, -0.05), intensity=1.0, alpha=0.4, beta=2.5
    )
    out = jax.jit(lambda p: p.image_2d_from(jnp.asarray(POINTS), xp=jnp))(profile)
    np.testing.assert_allclose(np.asarray(out), profile.image_2d_from(POINTS), rtol=1e-12)
