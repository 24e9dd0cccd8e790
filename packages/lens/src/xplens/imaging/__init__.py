"""Imaging fits and simulation."""

from xplens.imaging.fit_imaging import FitImaging
from xplens.imaging.simulator import SimulatorImaging

__all__ = ["FitImaging", "SimulatorImaging"]
