"""Lensing quantities shared by every cosmology, built on its distances.

Checklist for adding a new cosmology (e.g. ``FlatwCDM``) in ``cosmology/<name>.py``:

1. Subclass ``LensingCosmology``. Store only Python floats / tuples of floats, validated in
   ``__init__``; derived constants (density parameters, neutrino terms) are computed there
   with plain Python/NumPy, never from traced values.
2. Implement ``_parameters()`` returning every parameter, in order, as a tuple of hashable
   Python values, and ``_model_name`` (a class attribute shared by its aliases such as
   ``Planck15``): equality, hashing and ``repr`` use them, and JAX treats the object as
   static aux data by value (``_static_by_value = True``), so equal cosmologies share one
   compiled trace.
3. Implement ``E(redshift, xp)`` (H(z)/H0), ``comoving_distance_kpc_z1z2(z1, z2, xp)`` and
   ``angular_diameter_distance_kpc_z1z2(z1, z2, xp)`` with module-level formula functions
   of raw arrays and ``xp`` (cite paper + equation); integrals through
   ``quadrature.integrate_in_log1p`` (fixed order, traceable, differentiable), no
   ``scipy.integrate``. Non-flat models need the sinh/sin transverse distance (Hogg 1999,
   eq. 16) and the curvature term in eq. 19 for ``D_A(z1, z2)``.
4. Everything else (arcsec <-> kpc, critical densities, multi-plane scaling factors) comes
   from this base class. Methods use ``xp.where``, never ``if``, on redshift values.
5. Export it from ``cosmology/__init__.py``; add NumPy tests against astropy's equivalent
   class (1e-6 relative over 0 <= z <= 10) and a parity test (NumPy vs ``jax.jit`` vs
   ``jax.vmap``) in ``workspace_tests/``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from xpgalaxy.cosmology.constants import (
    ARCSEC_PER_RADIAN,
    MPC_M,
    RHO_CRIT_PREFACTOR_MSUN_PER_KPC3,
    SIGMA_CRIT_PREFACTOR_MSUN_PER_KPC,
)

__all__ = ["LensingCosmology", "critical_surface_density_from", "scaling_factor_from"]

_KM_PER_MPC = MPC_M / 1.0e3
_UNIT_LENGTHS = ("arcsec", "kpc")


def critical_surface_density_from(d_l: Any, d_s: Any, d_ls: Any, xp: ModuleType = np) -> Any:
    """Critical surface density ``c^2 D_s / (4 pi G D_l D_ls)`` in solar masses per kpc^2.

    Bartelmann & Schneider 2001, Phys. Rep. 340, 291, Sect. 3.1 (angular diameter distances
    in kpc). Infinite where ``D_l D_ls = 0`` (lens at the observer or at the source), with a
    double ``where`` so gradients stay finite.
    """
    sigma, degenerate = _critical_surface_density_and_mask(d_l, d_s, d_ls, xp=xp)
    return xp.where(degenerate, xp.inf, sigma)


def _critical_surface_density_and_mask(d_l: Any, d_s: Any, d_ls: Any, xp: ModuleType = np):
    """Finite ``Sigma_crit`` (with a placeholder denominator where ``D_l D_ls = 0``) and the
    mask of those degenerate points, so callers can rescale before masking to +inf."""
    denominator = d_l * d_ls
    degenerate = denominator == 0.0
    safe_denominator = xp.where(degenerate, 1.0, denominator)
    return SIGMA_CRIT_PREFACTOR_MSUN_PER_KPC * d_s / safe_denominator, degenerate


def scaling_factor_from(d_01: Any, d_f: Any, d_1: Any, d_0f: Any) -> Any:
    """Multi-plane deflection scaling ``beta = D_01 D_f / (D_1 D_0f)``.

    Ratio of the deflection-to-source distance factors of plane 0 as seen from plane 1 and
    from the final plane (multi-plane lens equation: Schneider, Ehlers & Falco 1992,
    Sect. 9.1; PyAutoGalaxy's ``scaling_factor_between_redshifts_from``).
    """
    return (d_01 * d_f) / (d_1 * d_0f)


class LensingCosmology:
    """Lensing helpers on top of a cosmology's distances (PyAutoGalaxy's method names).

    Subclasses provide ``E``, ``comoving_distance_kpc_z1z2`` and
    ``angular_diameter_distance_kpc_z1z2``; see the module docstring. Instances are
    immutable, compare and hash by value, and hold only Python floats.
    """

    _static_by_value = True
    _model_name = "LensingCosmology"
    H0: float

    # ------------------------------------------------------------------ value semantics
    def _parameters(self) -> tuple:
        raise NotImplementedError

    def _key(self) -> tuple:
        return (self._model_name, self._parameters())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LensingCosmology):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: Any) -> None:
        # Hash-by-value objects must not change after construction (JAX caches traces on it).
        if self.__dict__.get("_frozen", False):
            raise AttributeError(f"{type(self).__name__} is immutable; build a new one instead")
        object.__setattr__(self, name, value)

    def _freeze(self) -> None:
        object.__setattr__(self, "_frozen", True)

    # ------------------------------------------------------------------ to implement
    def E(self, redshift: Any, xp: ModuleType = np) -> Any:
        """Dimensionless Hubble parameter ``E(z) = H(z) / H0``."""
        raise NotImplementedError

    def comoving_distance_kpc_z1z2(self, z1: Any, z2: Any, xp: ModuleType = np) -> Any:
        """Line-of-sight comoving distance from ``z1`` to ``z2`` in kpc."""
        raise NotImplementedError

    def angular_diameter_distance_kpc_z1z2(self, z1: Any, z2: Any, xp: ModuleType = np) -> Any:
        """Angular diameter distance of ``z2`` seen from ``z1`` in kpc."""
        raise NotImplementedError

    # ------------------------------------------------------------------ distances
    def comoving_distance_to_earth_in_kpc_from(self, redshift: Any, xp: ModuleType = np) -> Any:
        """Comoving distance from the observer to ``redshift`` in kpc."""
        return self.comoving_distance_kpc_z1z2(0.0, redshift, xp=xp)

    def angular_diameter_distance_to_earth_in_kpc_from(
        self, redshift: Any, xp: ModuleType = np
    ) -> Any:
        """Angular diameter distance from the observer to ``redshift`` in kpc."""
        return self.angular_diameter_distance_kpc_z1z2(0.0, redshift, xp=xp)

    def angular_diameter_distance_between_redshifts_in_kpc_from(
        self, redshift_0: Any, redshift_1: Any, xp: ModuleType = np
    ) -> Any:
        """Angular diameter distance of ``redshift_1`` seen from ``redshift_0`` in kpc."""
        return self.angular_diameter_distance_kpc_z1z2(redshift_0, redshift_1, xp=xp)

    def luminosity_distance(self, z: Any, xp: ModuleType = np) -> Any:
        """Luminosity distance ``(1 + z)^2 D_A(z)`` in Mpc (Hogg 1999, eq. 21 with eq. 18)."""
        d_a_kpc = self.angular_diameter_distance_to_earth_in_kpc_from(z, xp=xp)
        return (1.0 + xp.asarray(z, dtype=float)) ** 2 * d_a_kpc / 1.0e3

    # ------------------------------------------------------------------ arcsec <-> kpc
    def kpc_per_arcsec_from(self, redshift: Any, xp: ModuleType = np) -> Any:
        """Proper transverse kpc subtended by one arcsec at ``redshift``: ``D_A / 206264.8``."""
        return self.angular_diameter_distance_to_earth_in_kpc_from(redshift, xp=xp) / (
            ARCSEC_PER_RADIAN
        )

    def arcsec_per_kpc_from(self, redshift: Any, xp: ModuleType = np) -> Any:
        """Arcsec subtended by one proper kpc at ``redshift`` (infinite at z = 0)."""
        return ARCSEC_PER_RADIAN / self.angular_diameter_distance_to_earth_in_kpc_from(
            redshift, xp=xp
        )

    def kpc_proper_per_arcsec(self, z: Any, xp: ModuleType = np) -> Any:
        """Alias of ``kpc_per_arcsec_from`` (PyAutoGalaxy / astropy name)."""
        return self.kpc_per_arcsec_from(z, xp=xp)

    def arcsec_per_kpc_proper(self, z: Any, xp: ModuleType = np) -> Any:
        """Alias of ``arcsec_per_kpc_from`` (PyAutoGalaxy / astropy name)."""
        return self.arcsec_per_kpc_from(z, xp=xp)

    # ------------------------------------------------------------------ densities
    def critical_density(self, z: Any, xp: ModuleType = np) -> Any:
        """Critical density ``3 H(z)^2 / (8 pi G)`` in solar masses per kpc^3."""
        h0_per_s = self.H0 / _KM_PER_MPC
        return RHO_CRIT_PREFACTOR_MSUN_PER_KPC3 * (h0_per_s * self.E(z, xp=xp)) ** 2

    def cosmic_average_density_solar_mass_per_kpc3_from(
        self, redshift: Any, xp: ModuleType = np
    ) -> Any:
        """PyAutoGalaxy's name for the critical density at ``redshift`` (Msun / kpc^3)."""
        return self.critical_density(redshift, xp=xp)

    def cosmic_average_density_from(self, redshift: Any, xp: ModuleType = np) -> Any:
        """Critical density at ``redshift`` in solar masses per arcsec^3 (PyAutoGalaxy)."""
        kpc_per_arcsec = self.kpc_per_arcsec_from(redshift, xp=xp)
        return self.critical_density(redshift, xp=xp) * kpc_per_arcsec**3

    def _critical_surface_density_kpc2_and_mask(
        self, redshift_0: Any, redshift_1: Any, xp: ModuleType = np
    ):
        d_l = self.angular_diameter_distance_to_earth_in_kpc_from(redshift_0, xp=xp)
        d_s = self.angular_diameter_distance_to_earth_in_kpc_from(redshift_1, xp=xp)
        d_ls = self.angular_diameter_distance_between_redshifts_in_kpc_from(
            redshift_0, redshift_1, xp=xp
        )
        return _critical_surface_density_and_mask(d_l, d_s, d_ls, xp=xp)

    def critical_surface_density_between_redshifts_solar_mass_per_kpc2_from(
        self, redshift_0: Any, redshift_1: Any, xp: ModuleType = np
    ) -> Any:
        """Critical surface density for a lens at ``redshift_0`` and a source at
        ``redshift_1``, in solar masses per kpc^2 (see ``critical_surface_density_from``;
        +inf when the redshifts coincide or the lens is at z = 0)."""
        sigma, degenerate = self._critical_surface_density_kpc2_and_mask(
            redshift_0, redshift_1, xp=xp
        )
        return xp.where(degenerate, xp.inf, sigma)

    def critical_surface_density_between_redshifts_from(
        self,
        redshift_0: Any,
        redshift_1: Any,
        unit_length: str = "arcsec",
        xp: ModuleType = np,
    ) -> Any:
        """Critical surface density in solar masses per ``unit_length``^2.

        ``unit_length="arcsec"`` (default, PyAutoGalaxy's lensing units) scales the kpc^2
        value by ``kpc_per_arcsec(redshift_0)^2``; ``"kpc"`` returns it unchanged.
        """
        if unit_length not in _UNIT_LENGTHS:
            raise ValueError(f"unit_length must be one of {_UNIT_LENGTHS}, got {unit_length!r}")
        sigma, degenerate = self._critical_surface_density_kpc2_and_mask(
            redshift_0, redshift_1, xp=xp
        )
        if unit_length == "arcsec":
            # Rescale the finite value before masking, so +inf never meets the product rule.
            sigma = sigma * self.kpc_per_arcsec_from(redshift_0, xp=xp) ** 2
        return xp.where(degenerate, xp.inf, sigma)

    # ------------------------------------------------------------------ multi-plane
    def scaling_factor_between_redshifts_from(
        self, redshift_0: Any, redshift_1: Any, redshift_final: Any, xp: ModuleType = np
    ) -> Any:
        """Scale factor from deflections of plane ``redshift_0`` toward ``redshift_final`` to
        those toward ``redshift_1``: ``D_01 D_f / (D_1 D_0f)``.

        1 when ``redshift_1 == redshift_final`` and 0 when ``redshift_0 == redshift_1``;
        requires ``redshift_0 < redshift_final`` and ``redshift_1 > 0``.
        """
        d_01 = self.angular_diameter_distance_between_redshifts_in_kpc_from(
            redshift_0, redshift_1, xp=xp
        )
        d_f = self.angular_diameter_distance_to_earth_in_kpc_from(redshift_final, xp=xp)
        d_1 = self.angular_diameter_distance_to_earth_in_kpc_from(redshift_1, xp=xp)
        d_0f = self.angular_diameter_distance_between_redshifts_in_kpc_from(
            redshift_0, redshift_final, xp=xp
        )
        return scaling_factor_from(d_01, d_f, d_1, d_0f)
