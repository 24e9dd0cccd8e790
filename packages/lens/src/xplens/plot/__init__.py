"""Figures of a lens fit (matplotlib, Agg backend): ``plot_fit`` and ``plot_corner``.

Importing ``xplens`` never imports matplotlib; importing this package does.
"""

from xplens.plot.corner_plot import corner_label, plot_corner
from xplens.plot.fit_plots import Curves, FitFigures, curves_from, plot_fit

__all__ = ["Curves", "FitFigures", "corner_label", "curves_from", "plot_corner", "plot_fit"]
