"""First guesses of the lens mass from the lensed arcs: source-plane compactness.

For the right mass model every pixel of the lensed source traces back to the same small
region of the source plane; for a wrong one the arcs map to a ring or a smear. So the
flux-weighted scatter of the arc pixels' source-plane positions,

    S^2 = sum_i w_i |beta_i - beta_bar|^2 / sum_i w_i,   beta_i = theta_i - alpha(theta_i),

is smallest near the true mass (the principle behind source-plane position fitting of
point images, e.g. Keeton 2001, arXiv:astro-ph/0102340 sec. 3.3, and the source-plane
chi-squared of Kochanek 1991, ApJ 373, 354), and it is cheap: deflections of a few hundred
pixels, no PSF, no source light. The minimum gives the mass start, and the weighted
centroid and scatter give the source's position and size.

Arc pixels are those whose residual (data minus the current model, which at this point
holds only the lens light) exceeds ``snr_threshold`` times the noise.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

import xplens as al

__all__ = ["ArcGuess", "arc_pixels_from", "mass_guesses_from"]


def arc_pixels_from(
    fit, snr_threshold: float = 3.0, max_pixels: int = 800
) -> tuple[np.ndarray, np.ndarray]:
    """``(positions (n, 2) arcsec [y, x], weights (n,))`` of the significant residual pixels.

    ``fit``: a NumPy :class:`~xplens.FitImaging` of the model without source light; the
    weights are the residual fluxes. At most ``max_pixels`` (the highest S/N ones).
    """
    residual = np.asarray(fit.residual_map.array, dtype=float)
    snr = residual / np.asarray(fit.noise_map.array, dtype=float)
    grid = np.asarray(fit.dataset.grids.lp.array, dtype=float)
    keep = np.flatnonzero(snr > snr_threshold)
    if keep.size > max_pixels:
        keep = keep[np.argsort(snr[keep])[-max_pixels:]]
    return grid[keep], residual[keep]


class ArcGuess:
    """Source-plane scatter of arc pixels as a function of the mass parameters.

    ``model``: the search's model; ``vector``: the current physical vector (lens light
    fitted); ``mass_indices``: positions in the vector of the mass parameters to vary.
    """

    def __init__(self, model, vector, mass_indices, positions, weights) -> None:
        self.model = model
        self.vector = np.asarray(vector, dtype=float)
        self.mass_indices = np.asarray(mass_indices, dtype=int)
        self.grid = al.Grid2DIrregular(np.asarray(positions, dtype=float))
        self.weights = np.asarray(weights, dtype=float) / np.sum(weights)

    def traced(self, mass_values) -> np.ndarray:
        vector = self.vector.copy()
        vector[self.mass_indices] = mass_values
        tracer = al.Tracer(self.model.instance_from_vector(vector).galaxies)
        return np.asarray(tracer.traced_grid_2d_list_from(self.grid)[-1].array, dtype=float)

    def scatter_and_centre(self, mass_values) -> tuple[float, np.ndarray]:
        """``(S, beta_bar)``: weighted rms distance from the weighted centroid (arcsec)."""
        beta = self.traced(mass_values)
        centre = self.weights @ beta
        s2 = self.weights @ np.sum((beta - centre) ** 2, axis=1)
        return float(np.sqrt(s2)), centre


def mass_guesses_from(guess: ArcGuess, space, starts: list[np.ndarray], max_evaluations=600):
    """Minimise ``log S`` from each start (mass values in ``z`` of ``space``) by Nelder-Mead
    (Nelder & Mead 1965, Comput. J. 7, 308); returns ``[(S, mass_values, centre)]`` best
    first. Invalid mass values (non-finite traced positions) score +inf."""
    idx = guess.mass_indices
    z_base = space.z_from(guess.vector)  # once: only the mass coordinates change below

    def to_values(z_mass):
        z = z_base.copy()
        z[idx] = z_mass
        return space.vectors_from(z)[idx]

    def objective(z_mass):
        with np.errstate(all="ignore"):
            s, _ = guess.scatter_and_centre(to_values(z_mass))
        return np.log(s) if np.isfinite(s) and s > 0 else np.inf

    found = []
    for z0 in starts:
        result = minimize(
            objective,
            z0,
            method="Nelder-Mead",
            options={"maxfev": max_evaluations, "xatol": 1.0e-4, "fatol": 1.0e-6},
        )
        values = to_values(result.x)
        with np.errstate(all="ignore"):
            s, centre = guess.scatter_and_centre(values)
        if np.isfinite(s):
            found.append((s, values, centre))
    return sorted(found, key=lambda f: f[0])
