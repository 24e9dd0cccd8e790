"""The reference problem of ``/work/shared/BENCHMARK.md`` built with xplens.

``problem(variant, case, use_jax)`` returns the masked, over-sampled dataset, the
21-parameter model (more for the multi-source cases), the vector of true parameters in
``model.paths`` order and the ``AnalysisImaging``. Run this file to print the log
likelihood at the truth of every variant (ss1 must be ~5773, as PyAutoLens gives).

Cases (see ``common.CASES``): ``ref`` the reference data; ``big`` a 200 x 200 image at
the same 0.1"/px with a 6" mask and the same 11 x 11 PSF, simulated here from the true
model (exposure 300 s, sky 0.1 e-/s, Poisson noise, fixed seed) so that only the number
of pixels changes; ``src2``/``src4`` the reference data fitted with 2 / 4 Sersic sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from common import TRUTH, VARIANTS, data_dir, n_sources, source_truths

import xplens as al

__all__ = ["Problem", "problem", "truth_vector", "REFERENCE_LOG_LIKELIHOOD_SS1"]

PIXEL_SCALE = 0.1  # arcsec / pixel, both cases
MASK_RADIUS = {"ref": 3.0, "big": 6.0, "src2": 3.0, "src4": 3.0}  # arcsec
BIG_SHAPE = (200, 200)
#: log L at the truth, ss1, as PyAutoLens 2026.10 computes it (BENCHMARK.md).
REFERENCE_LOG_LIKELIHOOD_SS1 = 5773.0


@dataclass
class Problem:
    dataset: al.Imaging
    model: al.Collection
    vector: np.ndarray
    analysis: al.AnalysisImaging


def source_name(i: int) -> str:
    return "source" if i == 0 else f"source_{i}"


def build_model(case: str = "ref") -> al.Collection:
    """Lens (Sersic + Isothermal + ExternalShear, z=0.5) and 1, 2 or 4 Sersic sources (z=1)."""
    lens = al.Model(
        al.Galaxy,
        redshift=0.5,
        light=al.lp.Sersic,
        mass=al.mp.Isothermal,
        shear=al.mp.ExternalShear,
    )
    sources = {
        source_name(i): al.Model(al.Galaxy, redshift=1.0, light=al.lp.Sersic)
        for i in range(n_sources(case))
    }
    return al.Collection(galaxies=al.Collection(lens=lens, **sources))


def _truth_table(case: str) -> dict[tuple[str, str], dict[str, float]]:
    """(galaxy, component) -> {model parameter name: true value}, tuples split _0/_1."""

    def flat(params: dict) -> dict[str, float]:
        out = {}
        for name, value in params.items():
            if isinstance(value, tuple):
                out.update({f"{name}_{i}": float(v) for i, v in enumerate(value)})
            else:
                out[name] = float(value)
        return out

    table = {
        ("lens", "light"): flat(TRUTH["lens_light"]),
        ("lens", "mass"): flat(TRUTH["lens_mass"]),
        ("lens", "shear"): flat(TRUTH["shear"]),
    }
    for i, params in enumerate(source_truths(case)):
        table[(source_name(i), "light")] = flat(params)
    return table


def truth_vector(model: al.Collection, case: str = "ref") -> np.ndarray:
    """True parameters in ``model.paths`` order (paths end galaxy, component, parameter)."""
    table = _truth_table(case)
    vector = [table[(path[-3], path[-2])][path[-1]] for path in model.paths]
    return np.asarray(vector, dtype=float)


def true_galaxies(case: str = "ref") -> list:
    model = build_model(case)
    instance = model.instance_from_vector(truth_vector(model, case))
    return [galaxy for _, galaxy in instance.galaxies.items()]


@cache
def _imaging(case: str) -> al.Imaging:
    """Unmasked imaging of ``case`` (loaded, or simulated for ``big``)."""
    path = data_dir()
    ref = al.Imaging.from_fits(
        path / "data.fits", PIXEL_SCALE, path / "noise_map.fits", path / "psf.fits"
    )
    if case != "big":
        return ref
    simulator = al.SimulatorImaging(
        exposure_time=300.0, background_sky_level=0.1, psf=ref.psf, noise_seed=1
    )
    grid = al.Grid2D.uniform(BIG_SHAPE, PIXEL_SCALE, over_sample_size=4)
    return simulator.via_galaxies_from(true_galaxies("ref"), grid)


def masked_dataset(variant: str, case: str = "ref") -> al.Imaging:
    imaging = _imaging(case)
    mask = al.Mask2D.circular(imaging.shape_native, MASK_RADIUS[case], PIXEL_SCALE)
    return imaging.apply_mask(mask).apply_over_sampling(VARIANTS[variant])


def problem(variant: str = "ss1", case: str = "ref", use_jax: bool = False) -> Problem:
    """The dataset, model, true vector and analysis of ``variant``/``case``."""
    dataset = masked_dataset(variant, case)
    model = build_model(case)
    vector = truth_vector(model, case)
    analysis = al.AnalysisImaging(dataset, use_jax=use_jax)
    return Problem(dataset, model, vector, analysis)


def log_likelihood_numpy(p: Problem, vector: np.ndarray | None = None) -> float:
    instance = p.model.instance_from_vector(p.vector if vector is None else vector)
    return float(p.analysis.log_likelihood_function(instance))


if __name__ == "__main__":
    for case in ("ref", "big", "src2", "src4"):
        for variant in VARIANTS:
            p = problem(variant, case)
            n_pix = p.dataset.mask.pixels_in_mask
            print(
                f"{case:5} {variant}: {p.model.prior_count} parameters, {n_pix} pixels, "
                f"log L(truth) = {log_likelihood_numpy(p):.6f}"
            )
