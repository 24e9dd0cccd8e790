"""xp-aware cosmologies for lensing: distances, arcsec <-> kpc, critical densities.

``Planck15`` is the default cosmology and reproduces ``astropy.cosmology.Planck15``.
"""

from xpgalaxy.cosmology.base import LensingCosmology
from xpgalaxy.cosmology.flat_lcdm import FlatLambdaCDM, Planck15

__all__ = ["LensingCosmology", "FlatLambdaCDM", "Planck15"]
