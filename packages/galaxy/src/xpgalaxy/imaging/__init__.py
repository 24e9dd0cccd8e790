"""Imaging fits and analysis of galaxies without lensing."""

from xpgalaxy.imaging.analysis_imaging import AnalysisImaging
from xpgalaxy.imaging.fit_imaging import FitImaging

__all__ = ["AnalysisImaging", "FitImaging"]
