"""xpgalaxy: the galaxy layer of xplens (import xpgalaxy as ag).

Light profiles (``ag.lp``), mass profiles (``ag.mp``), conversions (``ag.convert``),
Galaxy / Galaxies, LensCalc and cosmology, on NumPy by default and on JAX with
``xp=jax.numpy``. Re-exports the array layer's user-facing names so scripts need only
``import xpgalaxy as ag``. Importing this package never imports jax.
"""

from xparray import (
    Array2D,
    ArrayIrregular,
    Collection,
    DatasetModel,
    GaussianPrior,
    Grid2D,
    Grid2DIrregular,
    Imaging,
    InputError,
    Kernel2D,
    LogUniformPrior,
    Mask2D,
    Model,
    TruncatedGaussianPrior,
    UniformPrior,
    VectorYX2D,
    VectorYX2DIrregular,
    over_sample_size_via_radial_bins_from,
)
from xpgalaxy import convert, cosmology
from xpgalaxy.cosmology import FlatLambdaCDM, Planck15
from xpgalaxy.galaxy import Galaxies, Galaxy
from xpgalaxy.imaging import AnalysisImaging, FitImaging
from xpgalaxy.lens_calc import LensCalc
from xpgalaxy.profiles import light as lp
from xpgalaxy.profiles import mass as mp

cosmo = cosmology

__version__ = "0.1.0"

__all__ = [
    "AnalysisImaging",
    "Array2D",
    "ArrayIrregular",
    "Collection",
    "DatasetModel",
    "FitImaging",
    "FlatLambdaCDM",
    "Galaxies",
    "Galaxy",
    "GaussianPrior",
    "Grid2D",
    "Grid2DIrregular",
    "Imaging",
    "InputError",
    "Kernel2D",
    "LensCalc",
    "LogUniformPrior",
    "Mask2D",
    "Model",
    "Planck15",
    "TruncatedGaussianPrior",
    "UniformPrior",
    "VectorYX2D",
    "VectorYX2DIrregular",
    "convert",
    "cosmo",
    "cosmology",
    "lp",
    "mp",
    "over_sample_size_via_radial_bins_from",
]
