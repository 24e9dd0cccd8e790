"""Flat Lambda-CDM with photons and massless + massive neutrinos, xp-aware.

The background model is astropy's ``FlatLambdaCDM`` (so ``Planck15`` here reproduces
``astropy.cosmology.Planck15``):

* photons: ``Omega_gamma0 = (a_B / c^2) T_cmb0^4 / rho_crit0``, ``rho_crit0 = 3 H0^2 / (8 pi G)``;
* neutrinos: ``floor(Neff)`` species sharing ``Neff`` equally, at ``T_nu0 = (4/11)^(1/3) T_cmb0``.
  Their density relative to photons is ``0.22710731766 (Neff / n_nu) sum_i f(m_i a / k T_nu0)``,
  ``0.2271... = (7/8) (4/11)^(4/3)``, with the Komatsu et al. 2011 (ApJS 192, 18) eq. 26
  fitting function ``f(y) = [1 + (A y)^p]^(1/p)``, ``A = 180 zeta(3) / (7 pi^4) = 0.3173``,
  ``p = 1.83`` (``f = 1`` for a massless species);
* ``E(z)^2 = (1+z)^3 [Omega_m0 + (1+z) Omega_r(z)] + Omega_de0`` with
  ``Omega_r(z) = Omega_gamma0 [1 + nu_rel(z)]`` (Hogg 1999, astro-ph/9905116, eq. 14 with
  Omega_k = 0 plus radiation), and flatness fixing
  ``Omega_de0 = 1 - Omega_m0 - Omega_gamma0 - Omega_nu0``. ``Om0`` excludes neutrinos.

Distances (Hogg 1999): ``D_H = c / H0`` (eq. 4), ``D_C = D_H int dz / E`` (eq. 15),
``D_M = D_C`` for a flat universe (eq. 16), ``D_A(z1, z2) = [D_M(z2) - D_M(z1)] / (1 + z2)``
(eq. 19). The integral is a fixed-order Gauss-Legendre rule (``quadrature.py``), so every
method traces under ``jax.jit`` / ``jax.vmap`` and differentiates with respect to redshifts.

Parameters are plain Python floats, fixed at construction (not traced).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

from xpgalaxy.cosmology.base import LensingCosmology
from xpgalaxy.cosmology.constants import (
    BOLTZMANN_EV_PER_K,
    GRAVITATIONAL_CONSTANT_SI,
    MPC_M,
    RADIATION_CONSTANT_OVER_C2_SI,
    SPEED_OF_LIGHT_KM_S,
)
from xpgalaxy.cosmology.quadrature import integrate_in_log1p

__all__ = [
    "FlatLambdaCDM",
    "Planck15",
    "photon_density_parameter_from",
    "neutrino_mass_ratios_from",
    "nu_relative_density_from",
    "efunc_from",
]

# (7/8) (4/11)^(4/3): energy density of one massless neutrino species relative to photons
# (Fermi-Dirac vs Bose-Einstein factor 7/8 times the temperature ratio^4). Same digits as
# astropy, so the two agree to rounding.
NEUTRINO_FERMI_DIRAC_CORRECTION = 0.22710731766
# Komatsu et al. 2011, eq. 26 fitting constants (astropy's truncated 1/p kept for parity).
KOMATSU_P = 1.83
KOMATSU_INVP = 0.54644808743
KOMATSU_K = 0.3173
# T_nu0 / T_cmb0 = (4/11)^(1/3) after e+e- annihilation.
NEUTRINO_TEMPERATURE_RATIO = (4.0 / 11.0) ** (1.0 / 3.0)


def photon_density_parameter_from(H0: float, Tcmb0: float) -> float:
    """``Omega_gamma0 = (a_B / c^2) T_cmb0^4 / (3 H0^2 / 8 pi G)`` (H0 in km/s/Mpc, T in K)."""
    h0_per_s = H0 * 1.0e3 / MPC_M
    critical_density0_kg_m3 = 3.0 * h0_per_s**2 / (8.0 * math.pi * GRAVITATIONAL_CONSTANT_SI)
    return RADIATION_CONSTANT_OVER_C2_SI * Tcmb0**4 / critical_density0_kg_m3


def neutrino_mass_ratios_from(m_nu: Sequence[float], Tcmb0: float) -> tuple[float, ...]:
    """``y_i = m_i c^2 / (k_B T_nu0)`` for the massive species (``m_i > 0``, in eV)."""
    k_t_nu0_ev = BOLTZMANN_EV_PER_K * NEUTRINO_TEMPERATURE_RATIO * Tcmb0
    return tuple(m / k_t_nu0_ev for m in m_nu if m > 0.0)


def nu_relative_density_from(
    zp1: Any,
    Neff: float,
    n_nu: int,
    nu_y: tuple[float, ...],
    xp: ModuleType = np,
) -> Any:
    """Neutrino energy density over photon energy density at ``1 + z``.

    ``0.2271 Neff`` with no massive species, else
    ``0.2271 (Neff / n_nu) [sum_massive f(y_i / (1+z)) + n_massless]``, ``f`` from Komatsu
    et al. 2011, eq. 26. ``nu_y`` and the counts are static Python values.
    """
    if not nu_y:
        return NEUTRINO_FERMI_DIRAC_CORRECTION * Neff + 0.0 * zp1
    rel_mass = float(n_nu - len(nu_y))
    for y in nu_y:
        rel_mass = rel_mass + (1.0 + (KOMATSU_K * y / zp1) ** KOMATSU_P) ** KOMATSU_INVP
    return NEUTRINO_FERMI_DIRAC_CORRECTION * (Neff / n_nu) * rel_mass


def efunc_from(
    zp1: Any, Om0: float, Ode0: float, Ogamma0: float, nu_rel: Any, xp: ModuleType = np
) -> Any:
    """``E(z) = sqrt((1+z)^3 [Om0 + (1+z) Ogamma0 (1 + nu_rel)] + Ode0)`` (Hogg 1999, eq. 14,
    flat, with radiation)."""
    radiation = Ogamma0 * (1.0 + nu_rel)
    return xp.sqrt(zp1**3 * (Om0 + zp1 * radiation) + Ode0)


def _as_float(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None


class FlatLambdaCDM(LensingCosmology):
    """Flat Lambda-CDM cosmology (astropy's model and parameter names), xp-aware.

    Parameters
    ----------
    H0
        Hubble constant at z = 0 in km / s / Mpc.
    Om0
        Non-relativistic matter density (dark matter + baryons, no neutrinos) over the
        critical density at z = 0.
    Tcmb0
        CMB temperature at z = 0 in K (0 switches off photons and neutrinos).
    Neff
        Effective number of neutrino species.
    m_nu
        Neutrino masses in eV: one value per species (``floor(Neff)`` of them) or a single
        value shared by all species.
    Ob0
        Baryon density over the critical density at z = 0 (bookkeeping only: it does not
        enter the background expansion).
    """

    _model_name = "FlatLambdaCDM"

    def __init__(
        self,
        H0: float = 67.74,
        Om0: float = 0.3075,
        Tcmb0: float = 2.7255,
        Neff: float = 3.046,
        m_nu: float | Sequence[float] = (0.0, 0.0, 0.06),
        Ob0: float = 0.0486,
    ):
        H0, Om0 = _as_float(H0, "H0"), _as_float(Om0, "Om0")
        Tcmb0, Neff, Ob0 = _as_float(Tcmb0, "Tcmb0"), _as_float(Neff, "Neff"), _as_float(Ob0, "Ob0")
        if not H0 > 0.0:
            raise ValueError(f"H0 must be positive, got {H0}")
        if Om0 < 0.0 or Tcmb0 < 0.0 or Neff < 0.0:
            raise ValueError("Om0, Tcmb0 and Neff must be non-negative")
        if not 0.0 <= Ob0 <= Om0:
            raise ValueError(f"Ob0 must lie in [0, Om0], got Ob0={Ob0}, Om0={Om0}")
        n_nu = int(math.floor(Neff))
        masses = np.atleast_1d(np.asarray(m_nu, dtype=float))
        if masses.size == 1:
            masses = np.full(n_nu, masses[0])
        if masses.ndim != 1 or masses.size != n_nu:
            raise ValueError(f"m_nu needs one mass per neutrino species ({n_nu}), got {m_nu!r}")
        if np.any(masses < 0.0):
            raise ValueError(f"neutrino masses must be non-negative, got {m_nu!r}")

        self.H0 = H0
        self.Om0 = Om0
        self.Tcmb0 = Tcmb0
        self.Neff = Neff
        self.m_nu = tuple(float(m) for m in masses)
        self.Ob0 = Ob0

        # Derived constants (Python floats, computed once).
        self.h = H0 / 100.0
        self.Tnu0 = NEUTRINO_TEMPERATURE_RATIO * Tcmb0
        self.hubble_distance_kpc = SPEED_OF_LIGHT_KM_S / H0 * 1.0e3  # Hogg 1999, eq. 4
        self.n_nu = n_nu
        if Tcmb0 > 0.0:
            self.Ogamma0 = photon_density_parameter_from(H0, Tcmb0)
            self.nu_y = neutrino_mass_ratios_from(self.m_nu, Tcmb0)
        else:
            self.Ogamma0 = 0.0
            self.nu_y = ()
        self.Onu0 = self.Ogamma0 * float(
            nu_relative_density_from(1.0, Neff, n_nu, self.nu_y, xp=np)
        )
        self.Ode0 = 1.0 - Om0 - self.Ogamma0 - self.Onu0
        self._freeze()

    def _parameters(self) -> tuple:
        return (self.H0, self.Om0, self.Tcmb0, self.Neff, self.m_nu, self.Ob0)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(H0={self.H0}, Om0={self.Om0}, Tcmb0={self.Tcmb0}, "
            f"Neff={self.Neff}, m_nu={self.m_nu}, Ob0={self.Ob0})"
        )

    # ------------------------------------------------------------------ background
    def nu_relative_density(self, z: Any, xp: ModuleType = np) -> Any:
        """Neutrino over photon energy density at redshift ``z`` (Komatsu et al. 2011, eq. 26)."""
        zp1 = 1.0 + xp.asarray(z, dtype=float)
        return nu_relative_density_from(zp1, self.Neff, self.n_nu, self.nu_y, xp=xp)

    def _efunc_of_zp1(self, zp1: Any, xp: ModuleType = np) -> Any:
        nu_rel = nu_relative_density_from(zp1, self.Neff, self.n_nu, self.nu_y, xp=xp)
        return efunc_from(zp1, self.Om0, self.Ode0, self.Ogamma0, nu_rel, xp=xp)

    def E(self, redshift: Any, xp: ModuleType = np) -> Any:
        """Dimensionless Hubble parameter ``E(z) = H(z) / H0`` (astropy's ``efunc``)."""
        return self._efunc_of_zp1(1.0 + xp.asarray(redshift, dtype=float), xp=xp)

    def efunc(self, z: Any, xp: ModuleType = np) -> Any:
        """Alias of ``E`` (astropy name)."""
        return self.E(z, xp=xp)

    def Om(self, z: Any, xp: ModuleType = np) -> Any:
        """Matter density parameter ``Om0 (1+z)^3 / E(z)^2`` (no neutrinos, as astropy)."""
        zp1 = 1.0 + xp.asarray(z, dtype=float)
        return self.Om0 * zp1**3 / self._efunc_of_zp1(zp1, xp=xp) ** 2

    # ------------------------------------------------------------------ distances
    def comoving_distance_kpc_z1z2(self, z1: Any, z2: Any, xp: ModuleType = np) -> Any:
        """Comoving distance ``D_H int_{z1}^{z2} dz / E(z)`` in kpc (Hogg 1999, eq. 15)."""

        def inverse_efunc(zp1):
            return 1.0 / self._efunc_of_zp1(zp1, xp=xp)

        integral = integrate_in_log1p(inverse_efunc, z1, z2, xp=xp)
        return self.hubble_distance_kpc * integral

    def angular_diameter_distance_kpc_z1z2(self, z1: Any, z2: Any, xp: ModuleType = np) -> Any:
        """Angular diameter distance of ``z2`` seen from ``z1`` in kpc:
        ``[D_M(z2) - D_M(z1)] / (1 + z2)`` (Hogg 1999, eq. 19, flat). 0 when ``z1 == z2``."""
        d_c = self.comoving_distance_kpc_z1z2(z1, z2, xp=xp)
        return d_c / (1.0 + xp.asarray(z2, dtype=float))


class Planck15(FlatLambdaCDM):
    """Planck 2015 flat Lambda-CDM, the default cosmology (as ``astropy.cosmology.Planck15``).

    Planck Collaboration XIII 2016, A&A 594, A13, Table 4 (TT,TE,EE+lowP+lensing+ext):
    H0 = 67.74 km/s/Mpc, Om0 = 0.3075, Tcmb0 = 2.7255 K, Neff = 3.046,
    m_nu = (0, 0, 0.06) eV, Ob0 = 0.0486.
    """

    def __init__(self):
        super().__init__(
            H0=67.74, Om0=0.3075, Tcmb0=2.7255, Neff=3.046, m_nu=(0.0, 0.0, 0.06), Ob0=0.0486
        )

    def __repr__(self) -> str:
        return "Planck15()"
