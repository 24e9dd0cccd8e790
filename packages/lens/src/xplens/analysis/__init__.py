"""Analyses: the objective a search maximises."""

from xplens.analysis.analysis_imaging import AnalysisImaging

__all__ = ["AnalysisImaging"]
