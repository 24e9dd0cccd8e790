"""Physical constants for the cosmology module, as plain Python floats (SI unless named).

The values are the ones astropy 8 uses by default (CODATA 2022 and IAU 2015 Resolution
B3), so distances and densities agree with ``astropy.cosmology`` to rounding.
"""

from __future__ import annotations

import math

__all__ = [
    "SPEED_OF_LIGHT_M_S",
    "SPEED_OF_LIGHT_KM_S",
    "GRAVITATIONAL_CONSTANT_SI",
    "STEFAN_BOLTZMANN_SI",
    "BOLTZMANN_EV_PER_K",
    "SOLAR_MASS_KG",
    "KPC_M",
    "MPC_M",
    "ARCSEC_PER_RADIAN",
    "RADIATION_CONSTANT_OVER_C2_SI",
    "SIGMA_CRIT_PREFACTOR_MSUN_PER_KPC",
    "RHO_CRIT_PREFACTOR_MSUN_PER_KPC3",
]

SPEED_OF_LIGHT_M_S = 299792458.0  # exact (SI definition)
SPEED_OF_LIGHT_KM_S = SPEED_OF_LIGHT_M_S / 1.0e3
GRAVITATIONAL_CONSTANT_SI = 6.6743e-11  # m^3 kg^-1 s^-2, CODATA 2022
STEFAN_BOLTZMANN_SI = 5.6703744191844314e-08  # W m^-2 K^-4 (exact since SI 2019)
BOLTZMANN_EV_PER_K = 8.617333262145179e-05  # k_B / e (exact since SI 2019)
# IAU 2015 Resolution B3 nominal GM_sun divided by CODATA 2022 G (astropy's M_sun).
SOLAR_MASS_KG = 1.3271244e20 / GRAVITATIONAL_CONSTANT_SI
# IAU 2012 Resolution B2 astronomical unit; parsec = au / tan(1 arcsec) ~ au * 648000 / pi.
_PARSEC_M = 149597870700.0 * 648000.0 / math.pi
KPC_M = 1.0e3 * _PARSEC_M
MPC_M = 1.0e6 * _PARSEC_M
ARCSEC_PER_RADIAN = 648000.0 / math.pi  # 206264.806...

# Radiation constant over c^2, a_B / c^2 = 4 sigma_SB / c^3 [kg m^-3 K^-4]: the photon mass
# density is a_B T^4 / c^2 (astropy's ``a_B_c2``).
RADIATION_CONSTANT_OVER_C2_SI = 4.0 * STEFAN_BOLTZMANN_SI / SPEED_OF_LIGHT_M_S**3

# c^2 / (4 pi G) in solar masses per kpc: Sigma_crit = this * D_s / (D_l D_ls), D in kpc
# (e.g. Bartelmann & Schneider 2001, Phys. Rep. 340, 291, eq. 3.6 / Narayan & Bartelmann 1996).
SIGMA_CRIT_PREFACTOR_MSUN_PER_KPC = (
    SPEED_OF_LIGHT_M_S**2 / (4.0 * math.pi * GRAVITATIONAL_CONSTANT_SI) * KPC_M / SOLAR_MASS_KG
)

# 3 / (8 pi G) converting H^2 [s^-2] to a mass density in solar masses per kpc^3.
RHO_CRIT_PREFACTOR_MSUN_PER_KPC3 = (
    3.0 / (8.0 * math.pi * GRAVITATIONAL_CONSTANT_SI) * KPC_M**3 / SOLAR_MASS_KG
)
