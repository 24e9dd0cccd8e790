"""xparray: the array layer of xplens (import xparray as aa).

Structures, masks, grids, decorators, pytree registration, convolution, imaging and model
fitting. NumPy by default; JAX opt-in through ``xp`` (see DESIGN.md). Importing this
package never imports jax.
"""

from xparray import allocator, backend, decorators, pytrees, threads
from xparray.dataset import NOISE_FLAG_THRESHOLD, GridsDataset, Imaging, noise_flag_mask_from
from xparray.dataset_model import DatasetModel
from xparray.errors import BackendError, InputError
from xparray.fit import FitImaging, fit_util
from xparray.inference import (
    LBFGS,
    LOG_PRIOR_OUTSIDE_SUPPORT,
    NUTS,
    AbstractPriorModel,
    Adam,
    Collection,
    Emcee,
    FitException,
    Fitness,
    GaussianPrior,
    LogUniformPrior,
    Model,
    ModelInstance,
    Nautilus,
    Optimize,
    Prior,
    Result,
    Samples,
    Stage,
    StagedImportance,
    TruncatedGaussianPrior,
    TuplePrior,
    UniformPrior,
    model_from_dict,
    model_to_dict,
    register_default_priors,
    register_model_pytrees,
    register_parameter_labels,
)
from xparray.mask.mask_2d import Mask2D
from xparray.operators import Convolver, Kernel2D
from xparray.pytrees import register_instance_pytree
from xparray.structures import (
    AbstractNDArray,
    Array2D,
    ArrayIrregular,
    Grid2D,
    Grid2DIrregular,
    OverSampler,
    VectorYX2D,
    VectorYX2DIrregular,
    over_sample_size_via_radial_bins_from,
)

__version__ = "0.1.0"

__all__ = [
    "LBFGS",
    "LOG_PRIOR_OUTSIDE_SUPPORT",
    "NUTS",
    "Adam",
    "Emcee",
    "Nautilus",
    "Stage",
    "StagedImportance",
    "Optimize",
    "Result",
    "Samples",
    "NOISE_FLAG_THRESHOLD",
    "AbstractPriorModel",
    "Collection",
    "Convolver",
    "DatasetModel",
    "FitException",
    "FitImaging",
    "Fitness",
    "GaussianPrior",
    "GridsDataset",
    "Imaging",
    "Kernel2D",
    "LogUniformPrior",
    "Model",
    "ModelInstance",
    "Prior",
    "TruncatedGaussianPrior",
    "TuplePrior",
    "UniformPrior",
    "fit_util",
    "model_from_dict",
    "model_to_dict",
    "noise_flag_mask_from",
    "register_default_priors",
    "register_model_pytrees",
    "register_parameter_labels",
    "AbstractNDArray",
    "Array2D",
    "ArrayIrregular",
    "BackendError",
    "Grid2D",
    "Grid2DIrregular",
    "InputError",
    "Mask2D",
    "OverSampler",
    "VectorYX2D",
    "VectorYX2DIrregular",
    "allocator",
    "backend",
    "decorators",
    "over_sample_size_via_radial_bins_from",
    "pytrees",
    "threads",
    "register_instance_pytree",
]


def __getattr__(name):
    if name == "grid_dec":
        import warnings

        warnings.warn(
            "xparray.grid_dec is deprecated; use xparray.decorators",
            DeprecationWarning,
            stacklevel=2,
        )
        return decorators
    raise AttributeError(f"module 'xparray' has no attribute {name!r}")
