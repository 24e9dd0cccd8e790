"""Mass profiles (``ag.mp``): PyAutoGalaxy's names, parameters and conventions."""

from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.dpie import dPIEMass, dPIEMassB0, dPIEMassB0Sph, dPIEMassSph
from xpgalaxy.profiles.mass.external_shear import ExternalShear
from xpgalaxy.profiles.mass.gnfw import gNFW, gNFWSph
from xpgalaxy.profiles.mass.isothermal import Isothermal, IsothermalSph
from xpgalaxy.profiles.mass.isothermal_core import IsothermalCore, IsothermalCoreSph
from xpgalaxy.profiles.mass.mass_sheet import MassSheet
from xpgalaxy.profiles.mass.nfw import NFW, NFWSph
from xpgalaxy.profiles.mass.point_mass import PointMass
from xpgalaxy.profiles.mass.power_law import PowerLaw, PowerLawSph
from xpgalaxy.profiles.mass.power_law_multipole import PowerLawMultipole

__all__ = [
    "NFW",
    "ExternalShear",
    "Isothermal",
    "IsothermalCore",
    "IsothermalCoreSph",
    "IsothermalSph",
    "MassProfile",
    "MassSheet",
    "NFWSph",
    "PointMass",
    "PowerLaw",
    "PowerLawMultipole",
    "PowerLawSph",
    "dPIEMass",
    "dPIEMassB0",
    "dPIEMassB0Sph",
    "dPIEMassSph",
    "gNFW",
    "gNFWSph",
]
