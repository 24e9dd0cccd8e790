"""Example parameters of the closed-form / series mass profiles (see ``profiles/registry.py``).

``singular`` entries are full parameter sets at the profiles' singular points: centre on
(0, 0) (put a grid point there), axis ratio exactly 1 (``ell_comps = (0, 0)``), zero shear /
multipole strength, zero core radius.
"""

from __future__ import annotations

from xpgalaxy.profiles.mass.dpie import dPIEMass, dPIEMassB0, dPIEMassB0Sph, dPIEMassSph
from xpgalaxy.profiles.mass.external_shear import ExternalShear
from xpgalaxy.profiles.mass.isothermal import Isothermal, IsothermalSph
from xpgalaxy.profiles.mass.isothermal_core import IsothermalCore, IsothermalCoreSph
from xpgalaxy.profiles.mass.mass_sheet import MassSheet
from xpgalaxy.profiles.mass.point_mass import PointMass
from xpgalaxy.profiles.mass.power_law import PowerLaw, PowerLawSph
from xpgalaxy.profiles.mass.power_law_multipole import PowerLawMultipole
from xpgalaxy.profiles.registry import ProfileExample

__all__ = ["ANALYTIC_MASS_EXAMPLES"]

_O = (0.0, 0.0)
_C = (0.1, -0.05)
_E = (0.12, -0.08)

ANALYTIC_MASS_EXAMPLES = [
    ProfileExample(
        Isothermal,
        dict(centre=_C, ell_comps=_E, einstein_radius=1.2),
        singular=(
            dict(centre=_O, ell_comps=_O, einstein_radius=1.2),
            dict(centre=_O, ell_comps=_E, einstein_radius=1.2),
        ),
    ),
    ProfileExample(
        IsothermalSph,
        dict(centre=_C, einstein_radius=1.2),
        singular=(dict(centre=_O, einstein_radius=1.2),),
    ),
    ProfileExample(
        PowerLaw,
        dict(centre=_C, ell_comps=_E, einstein_radius=1.2, slope=2.2),
        singular=(
            dict(centre=_O, ell_comps=_O, einstein_radius=1.2, slope=2.2),
            dict(centre=_O, ell_comps=_E, einstein_radius=1.2, slope=1.7),
        ),
    ),
    ProfileExample(
        PowerLawSph,
        dict(centre=_C, einstein_radius=1.2, slope=1.8),
        singular=(dict(centre=_O, einstein_radius=1.2, slope=2.3),),
    ),
    ProfileExample(
        IsothermalCore,
        dict(centre=_C, ell_comps=_E, einstein_radius=1.2, core_radius=0.15),
        singular=(
            dict(centre=_O, ell_comps=_O, einstein_radius=1.2, core_radius=0.15),
            dict(centre=_O, ell_comps=_E, einstein_radius=1.2, core_radius=0.0),
        ),
    ),
    ProfileExample(
        IsothermalCoreSph,
        dict(centre=_C, einstein_radius=1.2, core_radius=0.15),
        singular=(dict(centre=_O, einstein_radius=1.2, core_radius=0.0),),
    ),
    ProfileExample(
        PowerLawMultipole,
        dict(m=4, centre=_C, einstein_radius=1.2, slope=2.2, multipole_comps=(0.04, -0.03)),
        singular=(
            dict(m=4, centre=_O, einstein_radius=1.2, slope=2.2, multipole_comps=_O),
            dict(m=3, centre=_O, einstein_radius=1.2, slope=1.8, multipole_comps=(0.02, 0.01)),
        ),
    ),
    ProfileExample(
        PowerLawMultipole,
        dict(m=1, centre=_C, einstein_radius=1.2, slope=1.9, multipole_comps=(0.02, 0.03)),
    ),
    ProfileExample(
        ExternalShear,
        dict(gamma_1=0.05, gamma_2=-0.03),
        singular=(dict(gamma_1=0.0, gamma_2=0.0),),
    ),
    ProfileExample(
        MassSheet,
        dict(centre=_C, kappa=0.3),
        singular=(dict(centre=_O, kappa=0.0),),
    ),
    ProfileExample(
        PointMass,
        dict(centre=_C, einstein_radius=0.8),
        singular=(dict(centre=_O, einstein_radius=0.8),),
    ),
    ProfileExample(
        dPIEMassB0,
        dict(centre=_C, ell_comps=_E, ra=0.15, rs=3.0, b0=1.2),
        singular=(
            dict(centre=_O, ell_comps=_O, ra=0.15, rs=3.0, b0=1.2),
            dict(centre=_O, ell_comps=_E, ra=0.0, rs=3.0, b0=1.2),
        ),
        rtol=1e-9,
        reason="ln|w| is a difference of nearly equal logs for eps near 0 (clipped at 1e-5): "
        "the (1 - eps^2) / (2 sqrt(eps)) prefactor amplifies rounding to ~1e-11 relative.",
    ),
    ProfileExample(
        dPIEMassB0Sph,
        dict(centre=_C, ra=0.15, rs=3.0, b0=1.2),
        singular=(dict(centre=_O, ra=0.0, rs=3.0, b0=1.2),),
    ),
    ProfileExample(
        dPIEMass,
        dict(
            centre=_C,
            ellipticity=0.3,
            angle_pos=30.0,
            sigma=250.0,
            r_core=0.15,
            r_cut=20.0,
            redshift_object=0.4,
            redshift_source=1.5,
        ),
        singular=(
            dict(centre=_O, ellipticity=0.0, angle_pos=0.0, sigma=250.0, r_core=0.15, r_cut=20.0),
        ),
        rtol=1e-9,
        reason="as dPIEMassB0: the eps -> 0 prefactor amplifies rounding.",
    ),
    ProfileExample(
        dPIEMassSph,
        dict(
            centre=_C,
            sigma=250.0,
            r_core=0.15,
            r_cut=20.0,
            redshift_object=0.4,
            redshift_source=1.5,
        ),
        singular=(dict(centre=_O, sigma=250.0, r_core=0.0, r_cut=20.0),),
    ),
]
