"""Dataset-level fits: Gaussian goodness-of-fit utilities and FitImaging."""

from xparray.fit import fit_util
from xparray.fit.fit_imaging import FitImaging

__all__ = ["FitImaging", "fit_util"]
