"""xplens: strong gravitational lens modelling (import xplens as al).

Tracer, FitImaging, SimulatorImaging, AnalysisImaging and everything a user needs from
the galaxy and array layers (``al.Grid2D``, ``al.Mask2D``, ``al.Imaging``, ``al.lp``,
``al.mp``, ``al.Galaxy``, ``al.Model``, ...). NumPy by default, JAX with ``xp=jax.numpy``
or ``AnalysisImaging(..., use_jax=True)``. Importing this package never imports jax.
"""

from xparray import (
    Array2D,
    ArrayIrregular,
    Collection,
    Convolver,
    DatasetModel,
    FitException,
    Fitness,
    GaussianPrior,
    Grid2D,
    Grid2DIrregular,
    Imaging,
    InputError,
    Kernel2D,
    LogUniformPrior,
    Mask2D,
    Model,
    ModelInstance,
    TruncatedGaussianPrior,
    UniformPrior,
    VectorYX2D,
    VectorYX2DIrregular,
    decorators,
    fit_util,
    over_sample_size_via_radial_bins_from,
)
from xpgalaxy import (
    FlatLambdaCDM,
    Galaxies,
    Galaxy,
    LensCalc,
    Planck15,
    convert,
    cosmo,
    cosmology,
    lp,
    mp,
)
from xplens.analysis import AnalysisImaging
from xplens.imaging import FitImaging, SimulatorImaging
from xplens.tracer import Tracer

__version__ = "0.1.0"

__all__ = [
    "AnalysisImaging",
    "Array2D",
    "ArrayIrregular",
    "Collection",
    "Convolver",
    "DatasetModel",
    "FitException",
    "FitImaging",
    "Fitness",
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
    "ModelInstance",
    "Planck15",
    "SimulatorImaging",
    "Tracer",
    "TruncatedGaussianPrior",
    "UniformPrior",
    "VectorYX2D",
    "VectorYX2DIrregular",
    "convert",
    "cosmo",
    "cosmology",
    "decorators",
    "fit_util",
    "lp",
    "mp",
    "over_sample_size_via_radial_bins_from",
]
