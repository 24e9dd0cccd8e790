"""Galaxy and Galaxies."""

from xpgalaxy.galaxy.galaxies import Galaxies
from xpgalaxy.galaxy.galaxy import Galaxy

__all__ = ["Galaxies", "Galaxy"]
