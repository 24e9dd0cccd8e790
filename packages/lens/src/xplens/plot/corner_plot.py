"""Corner plot of a posterior (the ``corner`` library; Foreman-Mackey 2016, JOSS 1, 24)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from xparray.inference.search.samples import weighted_quantile
from xplens.plot._mpl import Figure, save_figure

__all__ = ["corner_label", "plot_corner"]

_MAX_POINTS = 20000  # weighted resample size: keeps the histograms fast for big samples

#: PyAutoLens's LaTeX symbols of the common parameters (its ``notation.yaml``).
_SYMBOLS = {
    "centre_0": "$y$",
    "centre_1": "$x$",
    "ell_comps_0": r"$\epsilon_1$",
    "ell_comps_1": r"$\epsilon_2$",
    "einstein_radius": r"$\theta_{\rm E}$",
    "slope": r"$\gamma$",
    "gamma_1": r"$\gamma_1^{\rm ext}$",
    "gamma_2": r"$\gamma_2^{\rm ext}$",
    "intensity": "$I$",
    "effective_radius": r"$R_{\rm eff}$",
    "sersic_index": "$n$",
}


def corner_label(path: str) -> str:
    """Short axis label of a parameter path: ``galaxies.lens.mass.einstein_radius`` ->
    ``theta_E (mass)``; lens light is "light", other galaxies keep their name."""
    parts = path.split(".")
    if parts[0] == "galaxies":
        parts = parts[1:]
    name = parts[-1]
    symbol = _SYMBOLS.get(name, name.replace("_", " "))
    if len(parts) >= 3:
        galaxy, profile = parts[0], parts[-2]
        if galaxy == "lens":
            component = "light" if profile == "bulge" else profile
        else:
            component = galaxy
        return f"{symbol} ({component})"
    return symbol


def plot_corner(samples, path: Path, labels=None, truths=None, seed: int = 0) -> Path | None:
    """Write a corner plot of ``samples`` (an xparray Samples) to ``path``.

    Returns None when the samples carry no posterior (fewer than 2 samples of positive
    weight, as from an optimiser). A posterior of fewer than 50 effective samples (a run
    stopped early) is drawn with a warning in the title. ``truths``: optional values
    marked on every panel.
    """
    params = np.asarray(samples.parameters, dtype=float)
    weights = np.asarray(samples.weight_list, dtype=float)
    keep = weights > 0
    if np.count_nonzero(keep) < 2:
        return None
    import corner

    params, weights = params[keep], weights[keep]
    if len(params) > _MAX_POINTS:
        rng = np.random.default_rng(seed)
        index = rng.choice(len(params), size=_MAX_POINTS, p=weights / weights.sum())
        params, weights = params[index], np.ones(_MAX_POINTS)
    k = params.shape[1]
    # Each parameter's plotted range: its weighted 0.1-99.9 per cent span (so samples of
    # negligible weight, e.g. nautilus's early shells, do not stretch the axes), widened
    # a little, and padded if the marginal is flat.
    ranges, scales = [], []
    for column in params.T:
        # log axes for positive parameters spanning > 2 decades (log-uniform intensities)
        wide = np.all(column > 0) and np.ptp(np.log10(column)) > 2.0
        scales.append("log" if wide else "linear")
        low, high = (float(weighted_quantile(column, weights, q)) for q in (0.001, 0.999))
        if wide:
            low, high = low / 1.5, high * 1.5
        else:
            low, high = low - 0.1 * (high - low), high + 0.1 * (high - low)
        if not high > low:
            pad = max(abs(low) * 1e-3, 1e-6)
            low, high = low - pad, high + pad
        ranges.append((low, high))
    size = 2.0 * k + 1.4  # corner's own layout: 2 inches per panel plus margins
    fig = Figure(figsize=(size, size))
    with warnings.catch_warnings():
        # a nearly flat marginal (a short run) makes matplotlib widen singular limits
        warnings.filterwarnings("ignore", message=".*singular.*", category=UserWarning)
        corner.corner(
            params,
            weights=weights,
            labels=list(labels) if labels is not None else None,
            range=ranges,
            axes_scale=scales,
            truths=None if truths is None else list(truths),
            truth_color="#d62728",
            quantiles=[0.16, 0.5, 0.84],
            show_titles=True,
            title_fmt=".3g",
            title_kwargs={"fontsize": 10},
            label_kwargs={"fontsize": 14},
            plot_datapoints=False,
            fill_contours=True,
            levels=(0.393, 0.865),  # 1 and 2 sigma of a 2D Gaussian
            bins=30,
            smooth=1.0,
            max_n_ticks=3,
            fig=fig,
        )
    ess = float(samples.effective_sample_size)
    note = f"posterior from {ess:.0f} effective samples"
    if ess < 50:
        note += ": too few for reliable contours (run longer)"
    fig.suptitle(note, fontsize=16, color="#b22222" if ess < 50 else "black")
    # Aim at ~2500 pixels across whatever the number of parameters.
    dpi = int(np.clip(2500 / size, 40, 110))
    return save_figure(fig, Path(path), dpi=dpi)
