"""Searches: wrappers of maintained samplers/optimisers that write a resumable result folder.

``search.fit(model, analysis) -> Result``. Every search writes ``model.json``,
``search.json``, ``samples.csv`` and ``summary.json`` atomically into
``output_path / path_prefix / name``; a killed run resumes from ``checkpoint.pkl`` and a
finished one is reloaded without evaluating the likelihood. See ``base.py`` for the
checklist of adding a search.
"""

from xparray.inference.search.base import AbstractSearch, Objective, RunOutput
from xparray.inference.search.emcee import Emcee
from xparray.inference.search.nautilus import Nautilus
from xparray.inference.search.nuts import NUTS
from xparray.inference.search.optimize import LBFGS, Adam, Optimize
from xparray.inference.search.progress import Progress
from xparray.inference.search.result import Result
from xparray.inference.search.samples import Samples, weighted_quantile
from xparray.inference.search.staged import Stage, StagedImportance

__all__ = [
    "AbstractSearch",
    "Adam",
    "Emcee",
    "LBFGS",
    "NUTS",
    "Nautilus",
    "Objective",
    "Optimize",
    "Progress",
    "Result",
    "RunOutput",
    "Samples",
    "Stage",
    "StagedImportance",
    "weighted_quantile",
]
