"""Light profiles (``ag.lp``): PyAutoGalaxy's names, parameters and conventions."""

from xpgalaxy.profiles.light.base import LightProfile
from xpgalaxy.profiles.light.chameleon import Chameleon, ChameleonSph
from xpgalaxy.profiles.light.dev_vaucouleurs import DevVaucouleurs, DevVaucouleursSph
from xpgalaxy.profiles.light.exponential import Exponential, ExponentialSph
from xpgalaxy.profiles.light.gaussian import Gaussian, GaussianSph
from xpgalaxy.profiles.light.moffat import Moffat, MoffatSph
from xpgalaxy.profiles.light.sersic import Sersic, SersicSph
from xpgalaxy.profiles.light.sersic_core import SersicCore, SersicCoreSph

__all__ = [
    "Chameleon",
    "ChameleonSph",
    "DevVaucouleurs",
    "DevVaucouleursSph",
    "Exponential",
    "ExponentialSph",
    "Gaussian",
    "GaussianSph",
    "LightProfile",
    "Moffat",
    "MoffatSph",
    "Sersic",
    "SersicCore",
    "SersicCoreSph",
    "SersicSph",
]
