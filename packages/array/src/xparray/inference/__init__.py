"""Generic model composition and objective functions (PyAutoFit-like, no lensing).

Priors map the unit hypercube to parameters; ``Model``/``Collection`` compose classes
into a parameter vector <-> instance map that traces under JAX; ``Fitness`` turns a model
and an analysis into the objective searches call; the searches (``Nautilus``, ``Emcee``,
``LBFGS``/``Adam``/``Optimize``, ``NUTS``) fit a model and return a ``Result``.
"""

from xparray.inference.abstract import AbstractPriorModel, TuplePrior
from xparray.inference.collection import Collection
from xparray.inference.defaults import register_default_priors, register_parameter_labels
from xparray.inference.fitness import FitException, Fitness
from xparray.inference.instance import ModelInstance, register_model_pytrees
from xparray.inference.model import Model
from xparray.inference.priors import (
    LOG_PRIOR_OUTSIDE_SUPPORT,
    GaussianPrior,
    LogUniformPrior,
    Prior,
    TruncatedGaussianPrior,
    UniformPrior,
)
from xparray.inference.search import (
    LBFGS,
    NUTS,
    AbstractSearch,
    Adam,
    Emcee,
    Nautilus,
    Optimize,
    Result,
    Samples,
    Stage,
    StagedImportance,
)
from xparray.inference.serialise import model_from_dict, model_to_dict

__all__ = [
    "AbstractPriorModel",
    "AbstractSearch",
    "Adam",
    "Collection",
    "Emcee",
    "FitException",
    "Fitness",
    "GaussianPrior",
    "LBFGS",
    "LOG_PRIOR_OUTSIDE_SUPPORT",
    "LogUniformPrior",
    "Model",
    "ModelInstance",
    "NUTS",
    "Nautilus",
    "Stage",
    "StagedImportance",
    "Optimize",
    "Prior",
    "Result",
    "Samples",
    "TruncatedGaussianPrior",
    "TuplePrior",
    "UniformPrior",
    "model_from_dict",
    "model_to_dict",
    "register_default_priors",
    "register_model_pytrees",
    "register_parameter_labels",
]
