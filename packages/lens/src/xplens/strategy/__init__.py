"""How ``xplens fit`` finds a lens model: staged optimisation with data-driven starts.

``lens_stages_from(model, dataset)`` gives the stages :class:`~xparray.StagedImportance`
runs (lens light, then mass + source from the arcs' source-plane compactness, then all).
"""

from xplens.strategy.arcs import ArcGuess, arc_pixels_from, mass_guesses_from
from xplens.strategy.stages import lens_stages_from

__all__ = ["ArcGuess", "arc_pixels_from", "lens_stages_from", "mass_guesses_from"]
