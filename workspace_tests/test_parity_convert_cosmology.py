"""NumPy <-> JAX parity of xpgalaxy.convert and xpgalaxy.cosmology.

Every function is evaluated with NumPy (one input at a time), under ``jax.jit`` with
``xp=jnp`` and under ``jax.vmap`` over a batch (so the inputs are traced scalars); all three
agree to 1e-10 relative in float64. Gradients are finite at the singular points
(``ell_comps = (0, 0)``, zero shear, zero multipole) and match analytic derivatives for the
distances (``dD_C/dz = D_H / E(z)``, Hogg 1999 eq. 15).
"""

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from xpgalaxy import convert  # noqa: E402
from xpgalaxy.cosmology import FlatLambdaCDM, Planck15  # noqa: E402

RTOL = 1e-10
ATOL = 1e-12


def _check_parity(fn, batch):
    """``fn(*args, xp)`` -> scalar or tuple of scalars; ``batch`` a tuple of 1-D arrays."""
    n = len(batch[0])
    numpy_rows = [fn(*(float(column[i]) for column in batch), np) for i in range(n)]
    numpy_out = np.asarray(numpy_rows, dtype=float).reshape(n, -1)

    def jax_fn(*args):
        out = fn(*args, jnp)
        return jnp.stack([jnp.asarray(o) for o in out]) if isinstance(out, tuple) else out

    jitted = jax.jit(jax_fn)
    jit_out = np.asarray([np.asarray(jitted(*(column[i] for column in batch))) for i in range(n)])
    vmap_out = np.asarray(jax.jit(jax.vmap(jax_fn))(*(jnp.asarray(c) for c in batch)))

    np.testing.assert_allclose(jit_out.reshape(n, -1), numpy_out, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(vmap_out.reshape(n, -1), numpy_out, rtol=RTOL, atol=ATOL)


# ------------------------------------------------------------------ convert
_RNG = np.random.default_rng(7)
_E = np.concatenate([[0.0, 0.0, 0.3, -0.3], _RNG.uniform(-0.6, 0.6, 12)])
_F = np.concatenate([[0.0, 0.2, 0.0, -0.1], _RNG.uniform(-0.6, 0.6, 12)])
_Q = np.concatenate([[1.0, 0.5, 0.05], _RNG.uniform(0.1, 1.0, 13)])
_ANGLE = np.concatenate([[0.0, 45.0, -45.0], _RNG.uniform(-180.0, 360.0, 13)])

CONVERT_CASES = {
    "ell_comps_from": (lambda q, a, xp: convert.ell_comps_from(q, a, xp=xp), (_Q, _ANGLE)),
    "axis_ratio_and_angle_from": (
        lambda e, f, xp: convert.axis_ratio_and_angle_from((e, f), xp=xp),
        (_E, _F),
    ),
    "axis_ratio_from": (lambda e, f, xp: convert.axis_ratio_from((e, f), xp=xp), (_E, _F)),
    "angle_from": (lambda e, f, xp: convert.angle_from((e, f), xp=xp), (_E, _F)),
    "shear_gamma_1_2_from": (
        lambda g, a, xp: convert.shear_gamma_1_2_from(g, a, xp=xp),
        (_Q * 0.2, _ANGLE),
    ),
    "shear_magnitude_and_angle_from": (
        lambda g1, g2, xp: convert.shear_magnitude_and_angle_from(g1, g2, xp=xp),
        (_E * 0.2, _F * 0.2),
    ),
    "shear_magnitude_from": (
        lambda g1, g2, xp: convert.shear_magnitude_from(g1, g2, xp=xp),
        (_E * 0.2, _F * 0.2),
    ),
    "shear_angle_from": (
        lambda g1, g2, xp: convert.shear_angle_from(g1, g2, xp=xp),
        (_E * 0.2, _F * 0.2),
    ),
}
for _m in (1, 3, 4):
    CONVERT_CASES[f"multipole_comps_from_m{_m}"] = (
        lambda k, p, xp, m=_m: convert.multipole_comps_from(k, p, m, xp=xp),
        (_Q * 0.1, _ANGLE),
    )
    CONVERT_CASES[f"multipole_k_m_and_phi_m_from_m{_m}"] = (
        lambda c0, c1, xp, m=_m: convert.multipole_k_m_and_phi_m_from((c0, c1), m, xp=xp),
        (_E * 0.1, _F * 0.1),
    )


@pytest.mark.parametrize("name", sorted(CONVERT_CASES))
def test_convert_numpy_jit_vmap_parity(name):
    fn, batch = CONVERT_CASES[name]
    _check_parity(fn, batch)


def _grad_both(fn, a, b):
    g = jax.jit(jax.grad(fn, argnums=(0, 1)))(a, b)
    return np.asarray(g, dtype=float)


def test_convert_gradients_finite_at_singular_points():
    zero = 0.0
    cases = [
        lambda e, f: convert.axis_ratio_from((e, f), xp=jnp),
        lambda e, f: convert.angle_from((e, f), xp=jnp),
        lambda e, f: sum(convert.axis_ratio_and_angle_from((e, f), xp=jnp)),
        lambda g1, g2: convert.shear_magnitude_from(g1, g2, xp=jnp),
        lambda g1, g2: convert.shear_angle_from(g1, g2, xp=jnp),
        lambda c0, c1: sum(convert.multipole_k_m_and_phi_m_from((c0, c1), 4, xp=jnp)),
        # Forward maps at q = 1 / zero magnitude (no singularity, checked anyway).
        lambda q, a: sum(convert.ell_comps_from(1.0 + q, a, xp=jnp)),
        lambda g, a: sum(convert.shear_gamma_1_2_from(g, a, xp=jnp)),
        lambda k, p: sum(convert.multipole_comps_from(k, p, 4, xp=jnp)),
    ]
    for fn in cases:
        assert np.all(np.isfinite(_grad_both(fn, zero, zero)))
    # Under vmap, with the origin inside the batch.
    e = jnp.asarray([0.0, 0.1, -0.2])
    grads = jax.jit(
        jax.vmap(jax.grad(lambda a, b: convert.axis_ratio_from((a, b), xp=jnp), (0, 1)))
    )(e, e)
    assert np.all(np.isfinite(np.asarray(grads)))


def test_convert_gradients_match_analytic_away_from_origin():
    # q = (1 - f) / (1 + f), f = |e|: dq/de_x = -2 e_x / (f (1 + f)^2).
    e_y, e_x = 0.1, 0.2
    f = np.hypot(e_y, e_x)
    grad = jax.grad(lambda b: convert.axis_ratio_from((e_y, b), xp=jnp))(e_x)
    np.testing.assert_allclose(grad, -2.0 * e_x / (f * (1.0 + f) ** 2), rtol=1e-12)
    # shear magnitude: dg/dgamma_1 = gamma_1 / g.
    grad = jax.grad(lambda a: convert.shear_magnitude_from(a, 0.04, xp=jnp))(0.03)
    np.testing.assert_allclose(grad, 0.03 / 0.05, rtol=1e-12)


# ------------------------------------------------------------------ cosmology
COSMOLOGIES = {
    "planck15": Planck15(),
    "no_radiation": FlatLambdaCDM(H0=70.0, Om0=0.3, Tcmb0=0.0, Ob0=0.05),
    "massless_nu": FlatLambdaCDM(H0=70.0, Om0=0.25, m_nu=0.0, Ob0=0.04),
    "three_massive_nu": FlatLambdaCDM(H0=65.0, Om0=0.35, Neff=3.5, m_nu=(0.05, 0.1, 0.3)),
}
_Z0 = np.array([0.1, 0.3, 0.5, 0.5, 1.0, 2.0, 0.05, 3.0])
_Z1 = np.array([0.5, 1.0, 1.5, 0.5, 2.5, 4.0, 10.0, 3.5])
_ZF = np.array([1.0, 2.0, 2.0, 3.0, 2.5, 6.0, 10.0, 8.0])


def _cosmology_cases(cosmo):
    return {
        "E": (lambda z, xp: cosmo.E(z, xp=xp), (_Z1,)),
        "efunc": (lambda z, xp: cosmo.efunc(z, xp=xp), (_Z1,)),
        "Om": (lambda z, xp: cosmo.Om(z, xp=xp), (_Z1,)),
        "nu_relative_density": (lambda z, xp: cosmo.nu_relative_density(z, xp=xp), (_Z1,)),
        "comoving_distance_kpc_z1z2": (
            lambda a, b, xp: cosmo.comoving_distance_kpc_z1z2(a, b, xp=xp),
            (_Z0, _Z1),
        ),
        "comoving_distance_to_earth_in_kpc_from": (
            lambda z, xp: cosmo.comoving_distance_to_earth_in_kpc_from(z, xp=xp),
            (_Z1,),
        ),
        "angular_diameter_distance_kpc_z1z2": (
            lambda a, b, xp: cosmo.angular_diameter_distance_kpc_z1z2(a, b, xp=xp),
            (_Z0, _Z1),
        ),
        "angular_diameter_distance_to_earth_in_kpc_from": (
            lambda z, xp: cosmo.angular_diameter_distance_to_earth_in_kpc_from(z, xp=xp),
            (_Z1,),
        ),
        "angular_diameter_distance_between_redshifts_in_kpc_from": (
            lambda a, b, xp: cosmo.angular_diameter_distance_between_redshifts_in_kpc_from(
                a, b, xp=xp
            ),
            (_Z0, _Z1),
        ),
        "luminosity_distance": (lambda z, xp: cosmo.luminosity_distance(z, xp=xp), (_Z1,)),
        "kpc_per_arcsec_from": (lambda z, xp: cosmo.kpc_per_arcsec_from(z, xp=xp), (_Z1,)),
        "arcsec_per_kpc_from": (lambda z, xp: cosmo.arcsec_per_kpc_from(z, xp=xp), (_Z1,)),
        "kpc_proper_per_arcsec": (lambda z, xp: cosmo.kpc_proper_per_arcsec(z, xp=xp), (_Z1,)),
        "arcsec_per_kpc_proper": (lambda z, xp: cosmo.arcsec_per_kpc_proper(z, xp=xp), (_Z1,)),
        "critical_density": (lambda z, xp: cosmo.critical_density(z, xp=xp), (_Z1,)),
        "cosmic_average_density_from": (
            lambda z, xp: cosmo.cosmic_average_density_from(z, xp=xp),
            (_Z1,),
        ),
        "cosmic_average_density_solar_mass_per_kpc3_from": (
            lambda z, xp: cosmo.cosmic_average_density_solar_mass_per_kpc3_from(z, xp=xp),
            (_Z1,),
        ),
        # _Z0 < _Z1 except one equal pair, where the value is +inf in every backend.
        "critical_surface_density_between_redshifts_solar_mass_per_kpc2_from": (
            lambda a, b, xp: (
                cosmo.critical_surface_density_between_redshifts_solar_mass_per_kpc2_from(
                    a, b, xp=xp
                )
            ),
            (_Z0, _Z1),
        ),
        "critical_surface_density_between_redshifts_from_arcsec": (
            lambda a, b, xp: cosmo.critical_surface_density_between_redshifts_from(a, b, xp=xp),
            (_Z0, _Z1),
        ),
        "critical_surface_density_between_redshifts_from_kpc": (
            lambda a, b, xp: cosmo.critical_surface_density_between_redshifts_from(
                a, b, unit_length="kpc", xp=xp
            ),
            (_Z0, _Z1),
        ),
        "scaling_factor_between_redshifts_from": (
            lambda a, b, c, xp: cosmo.scaling_factor_between_redshifts_from(a, b, c, xp=xp),
            (_Z0, _Z1, _ZF),
        ),
    }


# Every method for the default cosmology; the background-dependent core for the others
# (the remaining methods are the same arithmetic on top of these).
_CORE_METHODS = (
    "E",
    "nu_relative_density",
    "comoving_distance_kpc_z1z2",
    "angular_diameter_distance_kpc_z1z2",
    "critical_surface_density_between_redshifts_from_arcsec",
    "scaling_factor_between_redshifts_from",
)
_COSMOLOGY_PARAMS = [("planck15", method) for method in _cosmology_cases(Planck15())] + [
    (cosmo_name, method)
    for cosmo_name in COSMOLOGIES
    if cosmo_name != "planck15"
    for method in _CORE_METHODS
]


@pytest.mark.parametrize(("cosmo_name", "method"), _COSMOLOGY_PARAMS)
def test_cosmology_numpy_jit_vmap_parity(cosmo_name, method):
    fn, batch = _cosmology_cases(COSMOLOGIES[cosmo_name])[method]
    _check_parity(fn, batch)


@pytest.mark.parametrize("cosmo_name", sorted(COSMOLOGIES))
def test_comoving_distance_gradient_is_hubble_distance_over_e(cosmo_name):
    # d/dz int_0^z dz'/E(z') = 1 / E(z)  (Hogg 1999, eq. 15).
    cosmo = COSMOLOGIES[cosmo_name]
    z = jnp.asarray([0.01, 0.5, 1.0, 3.0, 9.0])
    grad = jax.jit(
        jax.vmap(jax.grad(lambda s: cosmo.comoving_distance_to_earth_in_kpc_from(s, xp=jnp)))
    )(z)
    expected = cosmo.hubble_distance_kpc / cosmo.E(np.asarray(z))
    np.testing.assert_allclose(np.asarray(grad), expected, rtol=1e-10)


def test_cosmology_gradients_finite_at_coincident_redshifts():
    cosmo = Planck15()
    grad = jax.jit(
        jax.grad(lambda a, b: cosmo.angular_diameter_distance_kpc_z1z2(a, b, xp=jnp), (0, 1))
    )(0.7, 0.7)
    assert np.all(np.isfinite(np.asarray(grad)))
    # D_A(z, z) = 0 and its derivative in z2 at z2 = z1 is D_H / (E(z) (1 + z)).
    expected = cosmo.hubble_distance_kpc / (float(cosmo.E(0.7)) * 1.7)
    np.testing.assert_allclose(grad[1], expected, rtol=1e-10)
    # Sigma_crit is +inf at a coincident lens and source; its gradient stays finite (zero).
    for unit_length in ("arcsec", "kpc"):
        value, grad = jax.jit(
            jax.value_and_grad(
                lambda a, b, u=unit_length: cosmo.critical_surface_density_between_redshifts_from(
                    a, b, unit_length=u, xp=jnp
                ),
                (0, 1),
            )
        )(0.5, 0.5)
        assert value == np.inf
        np.testing.assert_array_equal(np.asarray(grad), 0.0)
    # Scaling factor: finite gradients in every redshift for a regular configuration.
    grad = jax.jit(
        jax.grad(
            lambda a, b, c: cosmo.scaling_factor_between_redshifts_from(a, b, c, xp=jnp),
            (0, 1, 2),
        )
    )(0.5, 1.0, 2.0)
    assert np.all(np.isfinite(np.asarray(grad)))


def test_cosmology_is_static_by_value_under_jit():
    traces = []

    def kpc_per_arcsec(cosmo, z):
        traces.append(1)
        return cosmo.kpc_per_arcsec_from(z, xp=jnp)

    jitted = jax.jit(kpc_per_arcsec, static_argnums=0)
    first = jitted(Planck15(), 0.5)
    # A distinct but equal cosmology hits the compiled trace (jit also requires the same
    # type of a static argument); a different one retraces.
    second = jitted(Planck15(), 0.5)
    assert len(traces) == 1
    np.testing.assert_allclose(first, second, rtol=0)
    jitted(FlatLambdaCDM(H0=70.0), 0.5)
    jitted(FlatLambdaCDM(H0=70.0), 0.7)
    assert len(traces) == 2
