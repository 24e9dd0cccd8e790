"""Closed-form / series mass profiles on the JAX path (float64, CPU).

Driven by ``ANALYTIC_MASS_EXAMPLES``: for every example and singular parameter set (centre on
a grid point, ``ell_comps = (0, 0)``, zero shear / multipole strength, zero core radius),
convergence, potential, deflections and shear under ``jax.jit(jax.vmap(...))`` equal NumPy to
the example's rtol, and the Jacobian of the deflections with respect to every parameter is
finite. Where a profile is linear in its parameters (external shear, multipoles) the JAX
gradient at zero strength must be the true derivative, and the Tessore & Metcalf series
(a ``lax.scan``) must differentiate like finite differences.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from xpgalaxy.profiles.mass.external_shear import ExternalShear
from xpgalaxy.profiles.mass.power_law import PowerLaw
from xpgalaxy.profiles.mass.power_law_multipole import PowerLawMultipole
from xpgalaxy.profiles.mass.registry_analytic import ANALYTIC_MASS_EXAMPLES

jax.config.update("jax_enable_x64", True)

POINTS = np.array(
    [[0.0, 0.0], [0.1, -0.2], [0.0, 0.7], [-0.35, 0.6], [1.3, -0.7], [0.05, 0.01], [-2.0, 1.5]]
)
METHODS = ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from", "shear_yx_2d_from")
STATIC = ("m",)


def _flatten(params):
    names, values = [], []
    for key, value in params.items():
        if key in STATIC:
            continue
        for i, v in enumerate(value) if isinstance(value, tuple) else [(None, value)]:
            names.append((key, i))
            values.append(float(v))
    return names, np.array(values)


def _build(cls, static, names, vector):
    params = dict(static)
    for (key, i), v in zip(names, vector):
        if i is None:
            params[key] = v
        else:
            params.setdefault(key, [None, None])[i] = v
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in params.items()})


def _groups():
    """(example, static values, names, batch of parameter vectors) sharing one structure."""
    groups = []
    for example in ANALYTIC_MASS_EXAMPLES:
        by_structure = {}
        for params in (example.params, *example.singular):
            names, vector = _flatten(params)
            static = tuple((k, params[k]) for k in STATIC if k in params)
            by_structure.setdefault((tuple(names), static), []).append(vector)
        for (names, static), vectors in by_structure.items():
            batch = np.stack([*vectors, vectors[0] * 1.02, vectors[0] * 0.97])
            groups.append((example, dict(static), list(names), batch))
    return groups


GROUPS = _groups()


@pytest.mark.parametrize(
    ("example", "static", "names", "batch"),
    GROUPS,
    ids=[f"{g[0].cls.__name__}-{i}" for i, g in enumerate(GROUPS)],
)
def test_parity_mass_analytic_jit_vmap_and_gradients(example, static, names, batch):
    methods = [m for m in METHODS if hasattr(example.cls, m)]

    def values(v):
        profile = _build(example.cls, static, names, v)
        return [getattr(profile, m)(jnp.asarray(POINTS), xp=jnp) for m in methods]

    def deflections(v):
        return _build(example.cls, static, names, v).deflections_yx_2d_from(
            jnp.asarray(POINTS), xp=jnp
        )

    def values_and_jacobian(v):
        return values(v), jax.jacrev(deflections)(v)

    got, jacobians = jax.jit(jax.vmap(values_and_jacobian))(jnp.asarray(batch))
    for k, method in enumerate(methods):
        want = np.stack(
            [
                np.asarray(getattr(_build(example.cls, static, names, b), method)(POINTS))
                for b in batch
            ]
        )
        # Relative per value, with a floor of 1e-3 rtol times the largest value (components
        # that vanish by symmetry carry rounding only).
        atol = 1e-3 * example.rtol * np.max(np.abs(want))
        np.testing.assert_allclose(
            np.asarray(got[k]), want, rtol=example.rtol, atol=atol, err_msg=method
        )
    jacobians = np.asarray(jacobians)
    assert jacobians.shape == (len(batch), len(POINTS), 2, len(names))
    assert np.all(np.isfinite(jacobians))


def _fd_jacobian(func, vector, h=1e-6):
    columns = []
    for i in range(len(vector)):
        step = np.zeros_like(vector)
        step[i] = h
        columns.append(
            (np.asarray(func(vector + step)) - np.asarray(func(vector - step))) / (2 * h)
        )
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize(
    "make",
    [
        lambda v: ExternalShear(gamma_1=v[0], gamma_2=v[1]),
        lambda v: PowerLawMultipole(
            m=4, einstein_radius=1.1, slope=2.1, multipole_comps=(v[0], v[1])
        ),
    ],
    ids=["ExternalShear", "PowerLawMultipole"],
)
def test_parity_mass_analytic_gradient_at_zero_strength_is_true_derivative(make):
    # Both are linear in their two components, so the derivative at (0, 0) is the field of a
    # unit component; a polar (magnitude, angle) route would give 0 or NaN there.
    zero = np.zeros(2)

    def deflections(v, xp=np):
        return make(v).deflections_yx_2d_from(xp.asarray(POINTS), xp=xp)

    jacobian = np.asarray(jax.jit(jax.jacfwd(lambda v: deflections(v, xp=jnp)))(jnp.asarray(zero)))
    np.testing.assert_allclose(jacobian, _fd_jacobian(deflections, zero), rtol=1e-8, atol=1e-12)


def test_parity_mass_analytic_power_law_series_differentiates_like_finite_differences():
    # Gradient through the lax.scan of the Tessore & Metcalf recurrence, for every parameter.
    names = ["centre_0", "centre_1", "ell_0", "ell_1", "einstein_radius", "slope"]
    vector = np.array([0.1, -0.05, 0.3, -0.2, 1.2, 2.25])
    assert len(names) == len(vector)

    def deflections(v, xp=np):
        profile = PowerLaw(
            centre=(v[0], v[1]), ell_comps=(v[2], v[3]), einstein_radius=v[4], slope=v[5]
        )
        return profile.deflections_yx_2d_from(xp.asarray(POINTS[1:]), xp=xp)

    jacobian = np.asarray(
        jax.jit(jax.jacrev(lambda v: deflections(v, xp=jnp)))(jnp.asarray(vector))
    )
    np.testing.assert_allclose(jacobian, _fd_jacobian(deflections, vector), rtol=1e-6, atol=1e-8)
