"""Example cases of the galaxy layer: convert, cosmology, Galaxy / Galaxies, LensCalc and
the profile-module helpers that no class reaches."""

from __future__ import annotations

import functools

import numpy as np

import xparray as aa
import xpgalaxy as ag
from audit.core import Case
from audit.inputs import LIGHT_PARAMS, MASS_PARAMS, PLUMBING, POINTS, lens_galaxy, pair, q
from xparray.dataset import fixtures
from xpgalaxy import convert
from xpgalaxy.cosmology import base as cosmo_base
from xpgalaxy.cosmology import flat_lcdm, quadrature

__all__ = ["galaxy_cases"]

# ---------------------------------------------------------------- convert


def _convert_case() -> Case:
    params = {
        "ell_comps_0": 0.12,
        "ell_comps_1": -0.08,
        "axis_ratio": 0.7,
        "angle": 33.0,
        "gamma_1": 0.05,
        "gamma_2": -0.03,
        "magnitude": 0.06,
        "shear_angle": 110.0,
        "k_m": 0.04,
        "phi_m": 20.0,
        "multipole_comps_0": 0.03,
        "multipole_comps_1": -0.02,
    }
    singular = {
        **params,
        "ell_comps_0": 0.0,
        "ell_comps_1": 0.0,
        "axis_ratio": 1.0,
        "gamma_1": 0.0,
        "gamma_2": 0.0,
        "magnitude": 0.0,
        "k_m": 0.0,
        "multipole_comps_0": 0.0,
        "multipole_comps_1": 0.0,
    }
    c = convert
    entries = {
        q(c.ell_comps_from): lambda p, xp: c.ell_comps_from(p["axis_ratio"], p["angle"], xp=xp),
        q(c.axis_ratio_and_angle_from): lambda p, xp: c.axis_ratio_and_angle_from(
            pair(p, "ell_comps"), xp=xp
        ),
        q(c.axis_ratio_from): lambda p, xp: c.axis_ratio_from(pair(p, "ell_comps"), xp=xp),
        q(c.angle_from): lambda p, xp: c.angle_from(pair(p, "ell_comps"), xp=xp),
        q(c.shear_gamma_1_2_from): lambda p, xp: c.shear_gamma_1_2_from(
            p["magnitude"], p["shear_angle"], xp=xp
        ),
        q(c.shear_magnitude_and_angle_from): lambda p, xp: c.shear_magnitude_and_angle_from(
            p["gamma_1"], p["gamma_2"], xp=xp
        ),
        q(c.shear_magnitude_from): lambda p, xp: c.shear_magnitude_from(
            p["gamma_1"], p["gamma_2"], xp=xp
        ),
        q(c.shear_angle_from): lambda p, xp: c.shear_angle_from(p["gamma_1"], p["gamma_2"], xp=xp),
        q(c.multipole_comps_from): lambda p, xp: c.multipole_comps_from(
            p["k_m"], p["phi_m"], 4, xp=xp
        ),
        q(c.multipole_k_m_and_phi_m_from): lambda p, xp: c.multipole_k_m_and_phi_m_from(
            pair(p, "multipole_comps"), 3, xp=xp
        ),
    }
    scaled = {k: 0.97 * v for k, v in params.items()}
    return Case("convert", params, entries, [params, singular, scaled], [params, singular])


# ---------------------------------------------------------------- cosmology


@functools.cache
def _cosmologies():
    # Planck15 (every method) has one massive neutrino (Komatsu et al. 2011 branch); the
    # second, massless, cosmology is added where the branches differ.
    return ag.Planck15(), ag.FlatLambdaCDM(H0=70.0, Om0=0.3, m_nu=0.0)


def _cosmology_case() -> Case:
    lc, fl = cosmo_base.LensingCosmology, flat_lcdm.FlatLambdaCDM
    params = {"z": 0.5, "z1": 0.3, "z2": 1.2, "zf": 2.0, "d_l": 1.1e6, "d_s": 1.6e6, "d_ls": 0.9e6}
    # coincident redshifts (D_ls = 0: infinite critical density, zero scaling factor)
    singular = {**params, "z1": 0.6, "z2": 0.6, "d_ls": 0.0}

    def both(method, *keys, cosmologies=None, **kwargs):
        cosmologies = _cosmologies()[:1] if cosmologies is None else cosmologies

        def fn(p, xp):
            return [getattr(c, method)(*(p[k] for k in keys), xp=xp, **kwargs) for c in cosmologies]

        return fn

    entries = {
        q(lc.angular_diameter_distance_between_redshifts_in_kpc_from): both(
            "angular_diameter_distance_between_redshifts_in_kpc_from", "z1", "z2"
        ),
        q(lc.angular_diameter_distance_to_earth_in_kpc_from): both(
            "angular_diameter_distance_to_earth_in_kpc_from", "z"
        ),
        q(lc.arcsec_per_kpc_from): both("arcsec_per_kpc_from", "z"),
        q(lc.arcsec_per_kpc_proper): both("arcsec_per_kpc_proper", "z"),
        q(lc.comoving_distance_to_earth_in_kpc_from): both(
            "comoving_distance_to_earth_in_kpc_from", "z"
        ),
        q(lc.cosmic_average_density_from): both("cosmic_average_density_from", "z"),
        q(lc.cosmic_average_density_solar_mass_per_kpc3_from): both(
            "cosmic_average_density_solar_mass_per_kpc3_from", "z"
        ),
        q(lc.critical_density): both("critical_density", "z"),
        q(lc.critical_surface_density_between_redshifts_from): lambda p, xp: [
            both("critical_surface_density_between_redshifts_from", "z1", "z2", unit_length=u)(
                p, xp
            )
            for u in ("arcsec", "kpc")
        ],
        q(lc.critical_surface_density_between_redshifts_solar_mass_per_kpc2_from): both(
            "critical_surface_density_between_redshifts_solar_mass_per_kpc2_from", "z1", "z2"
        ),
        q(lc.kpc_per_arcsec_from): both("kpc_per_arcsec_from", "z"),
        q(lc.kpc_proper_per_arcsec): both("kpc_proper_per_arcsec", "z"),
        q(lc.luminosity_distance): both("luminosity_distance", "z"),
        q(lc.scaling_factor_between_redshifts_from): both(
            "scaling_factor_between_redshifts_from", "z1", "z2", "zf"
        ),
        # both cosmologies where the massive / massless neutrino branches differ
        q(fl.E): both("E", "z", cosmologies=_cosmologies()),
        q(fl.Om): both("Om", "z"),
        q(fl.efunc): both("efunc", "z"),
        q(fl.nu_relative_density): both("nu_relative_density", "z", cosmologies=_cosmologies()),
        q(fl.comoving_distance_kpc_z1z2): both(
            "comoving_distance_kpc_z1z2", "z1", "z2", cosmologies=_cosmologies()
        ),
        q(fl.angular_diameter_distance_kpc_z1z2): both(
            "angular_diameter_distance_kpc_z1z2", "z1", "z2"
        ),
        q(cosmo_base.critical_surface_density_from): lambda p, xp: (
            cosmo_base.critical_surface_density_from(p["d_l"], p["d_s"], p["d_ls"], xp=xp)
        ),
        q(flat_lcdm.efunc_from): lambda p, xp: flat_lcdm.efunc_from(
            1.0 + p["z"], 0.3, 0.69, 5e-5, 0.7, xp=xp
        ),
        q(flat_lcdm.nu_relative_density_from): lambda p, xp: [
            flat_lcdm.nu_relative_density_from(1.0 + p["z"], 3.046, 3, nu_y, xp=xp)
            for nu_y in ((), (350.0,))
        ],
        q(quadrature.integrate_in_log1p): lambda p, xp: quadrature.integrate_in_log1p(
            lambda zp1: 1.0 / zp1**2, p["z1"], p["z2"], xp=xp
        ),
    }
    scaled = {k: 0.97 * v for k, v in params.items()}
    return Case("cosmology", params, entries, [params, singular, scaled], [params, singular])


def _galaxy_case() -> Case:
    grid = aa.Grid2D.from_mask(fixtures.make_mask_2d_7x7(), over_sample_size=2)
    params = {**LIGHT_PARAMS, **MASS_PARAMS}
    g, gs = ag.Galaxy, ag.Galaxies

    def galaxies(p):
        source = ag.Galaxy(redshift=1.0, light=ag.lp.GaussianSph(intensity=p["intensity"]))
        return ag.Galaxies([lens_galaxy(p), lens_galaxy(p, with_light=False), source])

    entries = {}
    for name in (
        "image_2d_from",
        "convergence_2d_from",
        "potential_2d_from",
        "deflections_yx_2d_from",
    ):
        entries[q(getattr(g, name))] = lambda p, xp, name=name: [
            getattr(gal, name)(grid, xp=xp) for gal in galaxies(p)
        ]
        entries[q(getattr(gs, name))] = lambda p, xp, name=name: getattr(galaxies(p), name)(
            POINTS, xp=xp
        )
    entries[q(gs.image_2d_list_from)] = lambda p, xp: galaxies(p).image_2d_list_from(grid, xp=xp)
    # the two-array paths of ray tracing (raw y and x arrays in, raw arrays out)
    y, x = POINTS[:, 0], POINTS[:, 1]
    for name in ("image_2d_yx_from", "deflections_yx_pair_from"):
        entries[q(getattr(g, name))] = lambda p, xp, name=name: [
            getattr(gal, name)(y, x, xp=xp) for gal in galaxies(p)
        ]
        entries[q(getattr(gs, name))] = lambda p, xp, name=name: getattr(galaxies(p), name)(
            y, x, xp=xp
        )
    return Case("galaxy", params, entries, grad=False, grad_reason=PLUMBING)


def _lens_calc_case() -> Case:
    lc = ag.LensCalc
    # the finite differences of the NumPy path need points away from the mass centre
    points = POINTS[np.hypot(POINTS[:, 0], POINTS[:, 1]) > 0.3]
    methods = (
        "convergence_2d_via_hessian_from",
        "shear_yx_2d_via_hessian_from",
        "magnification_2d_via_hessian_from",
        "magnification_2d_from",
        "tangential_eigen_value_from",
        "radial_eigen_value_from",
    )
    entries = {
        q(lc.deflections_yx_2d_from): lambda p, xp: ag.LensCalc.from_mass_obj(
            lens_galaxy(p, with_light=False)
        ).deflections_yx_2d_from(aa.Grid2DIrregular(points), xp=xp),
        q(lc.hessian_from): lambda p, xp: ag.LensCalc.from_mass_obj(
            lens_galaxy(p, with_light=False)
        ).hessian_from(points, buffer=1e-3, xp=xp),
    }
    for name in methods:
        entries[q(getattr(lc, name))] = lambda p, xp, name=name: getattr(
            ag.LensCalc.from_mass_obj(lens_galaxy(p, with_light=False)), name
        )(aa.Grid2DIrregular(points), buffer=1e-3, xp=xp)
    return Case(
        "lens_calc",
        dict(MASS_PARAMS),
        entries,
        rtol=1e-9,
        reason="the NumPy hessian is a Richardson-extrapolated central finite difference "
        "(truncation O(h^4), rounding O(eps / h) with h = 1e-3 arcsec: ~1e-11 relative at "
        "these points, measured); the JAX hessian is jax.jacfwd (exact)",
        grad=False,
        grad_reason=PLUMBING,
    )


# ---------------------------------------------------------------- profile helpers


def _nfw_helpers_case() -> Case:
    """NFW functions of X^2 (``nfw_f_from`` is used by no class, so it needs its own case)."""
    from xpgalaxy.profiles.mass import nfw

    # X^2 on both sides of 1, inside the |1 - X^2| <= 0.05 series window and exactly at 1
    x2 = np.array([1.0e-6, 0.3, 0.97, 1.0, 1.02, 1.3, 9.0])
    params = {"x2": x2}
    entries = {
        q(f): lambda p, xp, f=f: f(p["x2"], xp=xp)
        for f in (nfw.nfw_f_from, nfw.nfw_g_from, nfw.nfw_h_from, nfw.nfw_psi_hat_from)
    }
    batch = [params, {"x2": x2 * 0.98}, {"x2": x2 * 1.05}]
    return Case("nfw helpers", params, entries, batch, batch)


def galaxy_cases() -> list[Case]:
    return [
        _convert_case(),
        _cosmology_case(),
        _galaxy_case(),
        _lens_calc_case(),
        _nfw_helpers_case(),
    ]
