"""Tests of xpgalaxy.cosmology (NumPy path).

References: astropy.cosmology (an independent implementation using adaptive quadrature,
scipy's QUADPACK, with its default relative tolerance ~1.5e-8), analytic distances of the
Einstein-de Sitter and de Sitter universes, and the distance identities of Hogg 1999
(astro-ph/9905116).
"""

import math

import astropy.constants as const
import astropy.units as u
import numpy as np
import pytest
from astropy import cosmology as astropy_cosmology
from scipy.integrate import quad

from xpgalaxy.cosmology import FlatLambdaCDM, LensingCosmology, Planck15
from xpgalaxy.cosmology import constants as xconst

# astropy integrates with QUADPACK at epsrel ~1.5e-8; 1e-7 leaves margin for that and is
# stricter than the 1e-6 the lensing code needs.
RTOL_ASTROPY = 1e-7
Z = np.concatenate([[1e-3, 0.01, 0.1], np.linspace(0.2, 10.0, 50)])


def _astropy_pairs():
    return [
        (Planck15(), astropy_cosmology.Planck15),
        # No radiation at all.
        (
            FlatLambdaCDM(H0=70.0, Om0=0.3, Tcmb0=0.0, Ob0=0.05),
            astropy_cosmology.FlatLambdaCDM(H0=70.0, Om0=0.3, Tcmb0=0.0, Neff=3.046, Ob0=0.05),
        ),
        # Photons and massless neutrinos only.
        (
            FlatLambdaCDM(H0=70.0, Om0=0.25, Tcmb0=2.725, Neff=3.04, m_nu=0.0, Ob0=0.04),
            astropy_cosmology.FlatLambdaCDM(
                H0=70.0, Om0=0.25, Tcmb0=2.725, Neff=3.04, m_nu=0.0 * u.eV, Ob0=0.04
            ),
        ),
        # Three massive species, non-integer Neff, heavy enough to matter at z ~ 10.
        (
            FlatLambdaCDM(H0=65.0, Om0=0.35, Tcmb0=2.7255, Neff=3.5, m_nu=(0.05, 0.1, 0.3)),
            astropy_cosmology.FlatLambdaCDM(
                H0=65.0, Om0=0.35, Tcmb0=2.7255, Neff=3.5, m_nu=[0.05, 0.1, 0.3] * u.eV
            ),
        ),
        # One mass shared by every species (astropy's scalar convention).
        (
            FlatLambdaCDM(H0=72.0, Om0=0.28, m_nu=0.1),
            astropy_cosmology.FlatLambdaCDM(
                H0=72.0, Om0=0.28, Tcmb0=2.7255, Neff=3.046, m_nu=0.1 * u.eV
            ),
        ),
    ]


@pytest.mark.parametrize(("ours", "theirs"), _astropy_pairs())
def test_background_and_distances_match_astropy(ours, theirs):
    np.testing.assert_allclose(ours.Ogamma0, theirs.Ogamma0, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.Onu0, theirs.Onu0, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.Ode0, theirs.Ode0, rtol=1e-12)
    np.testing.assert_allclose(ours.E(Z), theirs.efunc(Z), rtol=1e-12)
    np.testing.assert_allclose(ours.Om(Z), theirs.Om(Z), rtol=1e-12)
    np.testing.assert_allclose(
        ours.nu_relative_density(Z), theirs.nu_relative_density(Z), rtol=1e-12
    )
    np.testing.assert_allclose(
        ours.comoving_distance_to_earth_in_kpc_from(Z),
        theirs.comoving_distance(Z).to_value(u.kpc),
        rtol=RTOL_ASTROPY,
    )
    np.testing.assert_allclose(
        ours.angular_diameter_distance_to_earth_in_kpc_from(Z),
        theirs.angular_diameter_distance(Z).to_value(u.kpc),
        rtol=RTOL_ASTROPY,
    )
    np.testing.assert_allclose(
        ours.luminosity_distance(Z),
        theirs.luminosity_distance(Z).to_value(u.Mpc),
        rtol=RTOL_ASTROPY,
    )
    np.testing.assert_allclose(
        ours.critical_density(Z),
        theirs.critical_density(Z).to_value(u.Msun / u.kpc**3),
        rtol=1e-12,
    )


def test_planck15_lensing_quantities_match_astropy():
    cosmo, ref = Planck15(), astropy_cosmology.Planck15
    arcsec_per_kpc = ref.arcsec_per_kpc_proper(Z).to_value(u.arcsec / u.kpc)
    np.testing.assert_allclose(cosmo.arcsec_per_kpc_from(Z), arcsec_per_kpc, rtol=RTOL_ASTROPY)
    np.testing.assert_allclose(
        cosmo.kpc_per_arcsec_from(Z), 1.0 / arcsec_per_kpc, rtol=RTOL_ASTROPY
    )
    np.testing.assert_allclose(cosmo.arcsec_per_kpc_proper(Z), arcsec_per_kpc, rtol=RTOL_ASTROPY)
    np.testing.assert_allclose(
        cosmo.kpc_proper_per_arcsec(Z), 1.0 / arcsec_per_kpc, rtol=RTOL_ASTROPY
    )

    z_lens = np.array([0.05, 0.2, 0.5, 0.9, 2.0, 4.0])
    z_source = np.array([0.3, 1.0, 2.0, 1.5, 6.0, 10.0])
    d_ls = ref.angular_diameter_distance(z_lens, z_source)
    np.testing.assert_allclose(
        cosmo.angular_diameter_distance_kpc_z1z2(z_lens, z_source),
        d_ls.to_value(u.kpc),
        rtol=RTOL_ASTROPY,
    )
    np.testing.assert_allclose(
        cosmo.angular_diameter_distance_between_redshifts_in_kpc_from(z_lens, z_source),
        d_ls.to_value(u.kpc),
        rtol=RTOL_ASTROPY,
    )
    # Sigma_crit = c^2 D_s / (4 pi G D_l D_ls), evaluated with astropy units and constants.
    d_l = ref.angular_diameter_distance(z_lens)
    d_s = ref.angular_diameter_distance(z_source)
    sigma = (const.c**2 * d_s / (4.0 * np.pi * const.G * d_l * d_ls)).to_value(u.Msun / u.kpc**2)
    np.testing.assert_allclose(
        cosmo.critical_surface_density_between_redshifts_solar_mass_per_kpc2_from(z_lens, z_source),
        sigma,
        rtol=RTOL_ASTROPY,
    )
    np.testing.assert_allclose(
        cosmo.critical_surface_density_between_redshifts_from(z_lens, z_source, unit_length="kpc"),
        sigma,
        rtol=RTOL_ASTROPY,
    )
    kpc_per_arcsec = 1.0 / ref.arcsec_per_kpc_proper(z_lens).to_value(u.arcsec / u.kpc)
    np.testing.assert_allclose(
        cosmo.critical_surface_density_between_redshifts_from(z_lens, z_source),
        sigma * kpc_per_arcsec**2,
        rtol=RTOL_ASTROPY,
    )
    # PyAutoGalaxy's cosmic_average_density_from: rho_crit(z) in Msun / arcsec^3.
    rho = ref.critical_density(z_lens).to_value(u.Msun / u.kpc**3)
    np.testing.assert_allclose(
        cosmo.cosmic_average_density_from(z_lens), rho * kpc_per_arcsec**3, rtol=RTOL_ASTROPY
    )
    np.testing.assert_allclose(
        cosmo.cosmic_average_density_solar_mass_per_kpc3_from(z_lens), rho, rtol=1e-12
    )


def test_constants_match_astropy():
    np.testing.assert_allclose(xconst.KPC_M, const.kpc.value, rtol=1e-15)
    np.testing.assert_allclose(xconst.SOLAR_MASS_KG, const.M_sun.value, rtol=1e-15)
    np.testing.assert_allclose(
        xconst.SIGMA_CRIT_PREFACTOR_MSUN_PER_KPC,
        (const.c**2 / (4.0 * np.pi * const.G)).to_value(u.Msun / u.kpc),
        rtol=1e-14,
    )
    np.testing.assert_allclose(
        xconst.ARCSEC_PER_RADIAN, (1.0 * u.rad).to_value(u.arcsec), rtol=1e-15
    )


def test_einstein_de_sitter_and_de_sitter_analytic_distances():
    # Einstein-de Sitter (Om0 = 1, no radiation): E = (1+z)^(3/2), so
    # D_C = D_H int_0^z (1+z')^(-3/2) dz' = 2 D_H [1 - (1+z)^(-1/2)]  (Hogg 1999, eq. 15).
    eds = FlatLambdaCDM(H0=70.0, Om0=1.0, Tcmb0=0.0, Ob0=0.0)
    d_h_kpc = 299792.458 / 70.0 * 1e3
    z = np.array([0.1, 0.5, 1.0, 3.0, 10.0, 1000.0])
    np.testing.assert_allclose(eds.E(z), (1.0 + z) ** 1.5, rtol=1e-14)
    np.testing.assert_allclose(
        eds.comoving_distance_to_earth_in_kpc_from(z),
        2.0 * d_h_kpc * (1.0 - 1.0 / np.sqrt(1.0 + z)),
        rtol=1e-13,
    )
    # de Sitter (Om0 = 0, no radiation): E = 1, D_C = D_H z.
    de_sitter = FlatLambdaCDM(H0=70.0, Om0=0.0, Tcmb0=0.0, Ob0=0.0)
    np.testing.assert_allclose(
        de_sitter.comoving_distance_to_earth_in_kpc_from(z), d_h_kpc * z, rtol=1e-13
    )


def test_quadrature_matches_tight_adaptive_quadrature():
    # The fixed 48-node rule in ln(1+z) against QUADPACK at epsrel = 1e-13, same integrand.
    cosmo = Planck15()
    d_h_kpc = cosmo.hubble_distance_kpc
    for z1, z2 in [(0.0, 0.01), (0.0, 1.0), (0.3, 2.7), (0.0, 10.0), (1.0, 1.0001), (0.0, 1100.0)]:
        reference = (
            d_h_kpc
            * quad(lambda z: 1.0 / float(cosmo.E(z)), z1, z2, epsabs=0.0, epsrel=1e-13, limit=200)[
                0
            ]
        )
        np.testing.assert_allclose(cosmo.comoving_distance_kpc_z1z2(z1, z2), reference, rtol=1e-12)


def test_hogg_1999_distance_identities():
    cosmo = Planck15()
    z1 = np.array([0.0, 0.2, 0.5, 1.0, 3.0])
    z2 = np.array([0.5, 0.7, 2.0, 1.0, 8.0])
    d_m1 = cosmo.comoving_distance_to_earth_in_kpc_from(z1)
    d_m2 = cosmo.comoving_distance_to_earth_in_kpc_from(z2)
    # eq. 19 with Omega_k = 0: D_A12 = (D_M2 - D_M1) / (1 + z2).
    np.testing.assert_allclose(
        cosmo.angular_diameter_distance_kpc_z1z2(z1, z2),
        (d_m2 - d_m1) / (1.0 + z2),
        rtol=1e-12,
        atol=1e-9,
    )
    # eq. 18: D_A = D_M / (1 + z); eq. 21: D_L = (1 + z) D_M (in Mpc).
    np.testing.assert_allclose(
        cosmo.angular_diameter_distance_to_earth_in_kpc_from(z2), d_m2 / (1.0 + z2), rtol=1e-14
    )
    np.testing.assert_allclose(cosmo.luminosity_distance(z2), (1.0 + z2) * d_m2 / 1e3, rtol=1e-14)
    # Same redshift: zero distance, exactly.
    assert cosmo.angular_diameter_distance_kpc_z1z2(1.3, 1.3) == 0.0
    # Swapping the limits flips the sign of the comoving distance.
    np.testing.assert_allclose(
        cosmo.comoving_distance_kpc_z1z2(2.0, 0.5),
        -cosmo.comoving_distance_kpc_z1z2(0.5, 2.0),
        rtol=1e-14,
    )


def test_distances_broadcast():
    cosmo = Planck15()
    z2 = np.array([[0.5, 1.0], [2.0, 3.0]])
    d = cosmo.angular_diameter_distance_kpc_z1z2(0.2, z2)
    assert d.shape == (2, 2)
    for index in np.ndindex(z2.shape):
        assert d[index] == pytest.approx(
            cosmo.angular_diameter_distance_kpc_z1z2(0.2, z2[index]), rel=1e-14
        )


def test_scaling_factor_between_redshifts():
    cosmo = Planck15()
    # beta = D_01 D_f / (D_1 D_0f), here with astropy's distances.
    ref = astropy_cosmology.Planck15
    z0, z1, zf = 0.5, 1.0, 2.0
    expected = (
        ref.angular_diameter_distance(z0, z1)
        * ref.angular_diameter_distance(zf)
        / (ref.angular_diameter_distance(z1) * ref.angular_diameter_distance(z0, zf))
    ).to_value(u.one)
    beta = cosmo.scaling_factor_between_redshifts_from(z0, z1, zf)
    np.testing.assert_allclose(beta, expected, rtol=RTOL_ASTROPY)
    assert 0.0 < beta < 1.0
    # Unity when the intermediate plane is the final plane, zero when it is plane 0.
    np.testing.assert_allclose(
        cosmo.scaling_factor_between_redshifts_from(0.5, 2.0, 2.0), 1.0, rtol=1e-14
    )
    assert cosmo.scaling_factor_between_redshifts_from(0.5, 0.5, 2.0) == 0.0
    # Monotonic in the intermediate redshift.
    betas = cosmo.scaling_factor_between_redshifts_from(0.5, np.linspace(0.6, 2.0, 20), 2.0)
    assert np.all(np.diff(betas) > 0.0)


def test_critical_surface_density_edge_cases_and_units():
    cosmo = Planck15()
    assert (
        cosmo.critical_surface_density_between_redshifts_solar_mass_per_kpc2_from(0.5, 0.5)
        == np.inf
    )
    with pytest.raises(ValueError, match="unit_length"):
        cosmo.critical_surface_density_between_redshifts_from(0.5, 1.0, unit_length="Mpc")
    # Source in front of the lens: D_ls < 0, so no lensing (negative critical density).
    assert cosmo.critical_surface_density_between_redshifts_solar_mass_per_kpc2_from(1.0, 0.5) < 0.0
    # arcsec^2 and kpc^2 variants differ by (kpc per arcsec at the lens)^2.
    ratio = cosmo.critical_surface_density_between_redshifts_from(
        0.5, 1.0
    ) / cosmo.critical_surface_density_between_redshifts_from(0.5, 1.0, unit_length="kpc")
    np.testing.assert_allclose(ratio, cosmo.kpc_per_arcsec_from(0.5) ** 2, rtol=1e-14)


def test_value_semantics_and_validation():
    assert Planck15() == FlatLambdaCDM()
    assert hash(Planck15()) == hash(FlatLambdaCDM())
    assert FlatLambdaCDM(H0=70.0) != Planck15()
    assert FlatLambdaCDM(m_nu=0.0) == FlatLambdaCDM(m_nu=(0.0, 0.0, 0.0))
    assert len({Planck15(), Planck15(), FlatLambdaCDM(Om0=0.3)}) == 2
    assert Planck15._static_by_value is True
    assert isinstance(Planck15(), LensingCosmology)
    assert repr(Planck15()) == "Planck15()"
    assert "H0=70.0" in repr(FlatLambdaCDM(H0=70.0))
    assert Planck15().m_nu == (0.0, 0.0, 0.06)
    assert all(isinstance(v, float) for v in (Planck15().H0, Planck15().Ode0, Planck15().Onu0))
    with pytest.raises(AttributeError):
        Planck15().H0 = 70.0
    with pytest.raises(ValueError, match="m_nu"):
        FlatLambdaCDM(m_nu=(0.0, 0.06))
    with pytest.raises(ValueError, match="H0"):
        FlatLambdaCDM(H0=-1.0)
    with pytest.raises(ValueError, match="Ob0"):
        FlatLambdaCDM(Om0=0.04, Ob0=0.05)
    with pytest.raises(ValueError, match="non-negative"):
        FlatLambdaCDM(m_nu=(0.0, 0.0, -0.1))


def test_kpc_per_arcsec_small_angle_limit():
    # At low z, D_A ~ c z / H0 (Hubble law; Hogg 1999, eq. 15 to first order), so
    # kpc/arcsec ~ (c z / H0) [kpc] / 206264.8.
    cosmo = Planck15()
    z = 1e-4
    expected = 299792.458 * z / cosmo.H0 * 1e3 / (180.0 * 3600.0 / math.pi)
    np.testing.assert_allclose(cosmo.kpc_per_arcsec_from(z), expected, rtol=1e-3)
