"""The end-of-run summary: derived Einstein radius, terminal table, ``summary.json`` extras.

Einstein radius (derived): ``sqrt(A / pi)`` with ``A`` the area inside the tangential
critical curve of the lens galaxy's mass without the external shear (the shear adds no
convergence, so it is left out of a mass measure), as in
``LensCalc.einstein_radius_from``. This is the quantity SLACS quotes as b_SIE: an SIE's
tangential critical curve is its convergence-1/2 ellipse and encloses pi b^2 for the
intermediate-axis normalisation b (Kormann, Schneider & Bartelmann 1994, A&A 284, 285).
With PyAutoGalaxy's SIE convergence ``kappa = theta_E / (1 + q) / sqrt(x^2 + y^2 / q^2)``
that ellipse has semi-axes 2 theta_E / (1 + q) and q times that, so the derived radius is
``theta_E * 2 sqrt(q) / (1 + q)`` (0.984 theta_E at q = 0.7). Its error is the 16-84 per
cent range over posterior draws.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

import xplens as al
from xparray.inference.search.output import atomic_write_json
from xparray.inference.search.samples import weighted_quantile

__all__ = [
    "einstein_radius_of",
    "einstein_radius_posterior",
    "short_name",
    "summary_lines",
    "write_summary_extras",
]

_ERROR_DRAWS = 40  # posterior draws for the derived-radius error (NumPy, ~50 ms each)


def short_name(path: str) -> str:
    """``galaxies.lens.mass.einstein_radius`` -> ``lens.mass.einstein_radius``."""
    return path[len("galaxies.") :] if path.startswith("galaxies.") else path


def _lens_mass_galaxy(instance):
    """The first galaxy with a non-shear mass profile, keeping only those profiles."""
    galaxies = instance.galaxies
    items = galaxies.items() if hasattr(galaxies, "items") else enumerate(galaxies)
    for _, galaxy in items:
        masses = {
            name: p
            for name, p in galaxy.profile_dict.items()
            if hasattr(p, "deflections_yx_2d_from") and not isinstance(p, al.mp.ExternalShear)
        }
        if masses:
            return al.Galaxy(redshift=galaxy.redshift, **masses)
    return None


def einstein_radius_of(instance, half_width: float, n_pixels: int = 101) -> float:
    """Derived Einstein radius (arcsec) of ``instance``'s lens mass, NaN if none is found.

    The tangential critical curve is traced on an ``n_pixels`` square grid of half-width
    ``half_width`` arcsec centred on the mass centre; a curve cut by the grid edge (very
    elliptical or large lenses) is retried on a grid twice as wide, up to twice.
    """
    from xpgalaxy.lens_calc.contours import polygon_area

    galaxy = _lens_mass_galaxy(instance)
    if galaxy is None:
        return math.nan
    centre = getattr(galaxy.mass_profile_list[0], "centre", (0.0, 0.0))
    centre = tuple(float(c) for c in centre)
    calc = al.LensCalc.from_mass_obj(galaxy)
    for _ in range(3):
        grid = al.Grid2D.uniform(
            shape_native=(n_pixels, n_pixels),
            pixel_scales=2.0 * half_width / n_pixels,
            origin=centre,
            over_sample_size=1,
        )
        try:
            with np.errstate(all="ignore"):
                curves = [c.array for c in calc.tangential_critical_curve_list_from(grid)]
        except (al.InputError, ValueError, FloatingPointError):
            return math.nan
        if curves and all(np.allclose(c[0], c[-1]) for c in curves):
            return float(np.sqrt(sum(polygon_area(c) for c in curves) / np.pi))
        half_width *= 2.0
    return math.nan


def einstein_radius_posterior(result, half_width: float, seed: int = 0) -> dict:
    """Derived Einstein radius at the max-likelihood model and its posterior median/errors."""
    samples = result.samples
    best = einstein_radius_of(result.max_log_likelihood_instance, half_width)
    weights = samples.weight_list
    out = {"max_log_likelihood": best, "median": best, "lower_1_sigma": best, "upper_1_sigma": best}
    if samples.effective_sample_size < 2.0:
        out["n_draws"] = 0
        return out
    rng = np.random.default_rng(seed)
    index = rng.choice(len(weights), size=_ERROR_DRAWS, p=weights)
    values = np.array(
        [
            einstein_radius_of(result.instance_from_vector(samples.parameters[i]), half_width)
            for i in index
        ]
    )
    values = values[np.isfinite(values)]
    if values.size:
        unit = np.ones(values.size)
        out.update(
            median=float(weighted_quantile(values, unit, 0.5)),
            lower_1_sigma=float(weighted_quantile(values, unit, 0.15865525393145707)),
            upper_1_sigma=float(weighted_quantile(values, unit, 0.8413447460685429)),
        )
    out["n_draws"] = int(values.size)
    return out


def _fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.4e}"


def summary_lines(result, extras: dict) -> list[str]:
    """The table printed at the end of ``xplens fit``."""
    samples, summary = result.samples, result.summary
    names = [short_name(n) for n in samples.parameter_names]
    median = samples.median_pdf_vector
    errors = samples.errors_at_sigma(1.0)
    best = samples.max_log_likelihood_vector
    width = max(len(n) for n in names + ["parameter"]) + 2
    has_errors = samples.effective_sample_size >= 2.0
    lines = [
        f"{'parameter':<{width}}{'median':>11}{'-1 sigma':>11}{'+1 sigma':>11}{'max like.':>12}"
    ]
    for i, name in enumerate(names):
        low, high = errors[i] if has_errors else (math.nan, math.nan)
        lines.append(
            f"{name:<{width}}{_fmt(median[i]):>11}{_fmt(low):>11}{_fmt(high):>11}{_fmt(best[i]):>12}"
        )
    lines.append("")
    theta = extras.get("einstein_radius", {})
    if theta:
        est = theta["median"]
        if has_errors and theta.get("n_draws", 0):
            err = f" -{est - theta['lower_1_sigma']:.3g} +{theta['upper_1_sigma'] - est:.3g}"
        else:
            err = " (no error: fewer than 2 effective posterior samples)"
        lines.append(f'Einstein radius (critical-curve area): {est:.4g}"{err}')
        ref = extras.get("einstein_radius_reference")
        if ref:
            diff = 100.0 * (est / ref["value"] - 1.0)
            lines.append(
                f'  reference value: {ref["value"]:.4g}" ({ref["source"]}); difference {diff:+.1f}%'
            )
    evidence = summary.get("log_evidence")
    lines.append(f"max log likelihood: {result.log_likelihood:.6g}")
    info = summary.get("info", {})
    error = info.get("log_evidence_error")
    lines.append(
        f"log evidence: {evidence:.6g}" + (f" +- {error:.2g}" if error is not None else "")
        if evidence is not None
        else "log evidence: - (this search gives none)"
    )
    if "converged" in info:
        checks = []
        if "n_eff" in info:
            checks.append(f"effective samples {float(info['n_eff']):.0f}")
        if "pareto_khat" in info:
            checks.append(f"Pareto k-hat {float(info['pareto_khat']):.2f} (< 0.7 is reliable)")
        state = "converged" if info["converged"] else "NOT converged (treat errors with care)"
        lines.append(f"sampler: {state}" + (f"; {', '.join(checks)}" if checks else ""))
    timing = summary.get("timing", {})
    wall = float(timing.get("wall_time", summary.get("wall_time", math.nan)))
    n_eval = int(summary.get("n_evaluations", 0))
    rate = n_eval / wall if wall > 0 else math.nan
    lines.append(
        f"wall time: {wall:.1f} s over {timing.get('sessions', 1)} session(s); {n_eval} evaluations "
        f"({rate:.0f} per second; JAX compile {float(timing.get('compile_time', 0.0)):.1f} s)"
    )
    return lines


def _finite_or_none(value):
    """JSON-safe copy: NaN / inf become null (strict JSON has no NaN)."""
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_or_none(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_summary_extras(folder: Path, extras: dict) -> None:
    """Add the command's results under ``"xplens"`` in the search's ``summary.json``."""
    path = Path(folder) / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary["xplens"] = _finite_or_none(extras)
    atomic_write_json(path, summary)
