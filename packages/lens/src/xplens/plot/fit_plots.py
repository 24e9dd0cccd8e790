"""PNG figures of an imaging fit: data, model, residuals, lensed source, source plane.

All images are zoomed to the mask, drawn with ``imshow(origin="upper")`` (row 0 is the top
of the image, PyAutoLens order) and an extent in arcsec; masked pixels are blank. Critical
curves come from ``tracer.lens_calc`` (tangential: gold, radial: cyan) and caustics are
the critical curves mapped to the source plane, beta = theta - alpha(theta).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import xplens as al
from xplens.plot._mpl import (
    RADIAL_COLOUR,
    TANGENTIAL_COLOUR,
    Figure,
    extent_of,
    save_figure,
    zoom_slices,
)

__all__ = ["FitFigures", "Curves", "curves_from", "plot_fit"]

_UNITS = {
    "image": "e-/s",
    "residual": "e-/s",
    "normalized": "sigma",
    "chi2": "chi-squared (sigma^2)",
}


@dataclass
class Curves:
    """Critical curves (image plane) and caustics (source plane), (N, 2) y, x arcsec."""

    tangential: list
    radial: list
    tangential_caustics: list
    radial_caustics: list


def curves_from(tracer, extent, pixel_scale: float) -> Curves:
    """Critical curves of ``tracer`` on a grid covering ``extent`` at half the data pixel."""
    x0, x1, y0, y1 = extent
    half = 0.5 * max(x1 - x0, y1 - y0)
    n = int(np.clip(np.ceil(2 * half / (0.5 * pixel_scale)), 101, 401)) | 1
    grid = al.Grid2D.uniform(
        shape_native=(n, n),
        pixel_scales=2 * half / n,
        origin=(0.5 * (y0 + y1), 0.5 * (x0 + x1)),
        over_sample_size=1,
    )
    calc = tracer.lens_calc
    step = 2 * half / n
    with np.errstate(all="ignore"):
        tangential = _resolved(calc.tangential_critical_curve_list_from(grid), step)
        radial = _resolved(calc.radial_critical_curve_list_from(grid), step)

        def caustic(curve):
            return curve - np.asarray(calc.deflections_yx_2d_from(curve))

        return Curves(
            tangential,
            radial,
            [caustic(c) for c in tangential],
            [caustic(c) for c in radial],
        )


def _resolved(curves, step: float) -> list:
    """Curves wider than 3 grid steps. Smaller loops are finite-difference artefacts at a
    singular centre (e.g. an SIE, whose radial curve degenerates to a point)."""
    out = []
    for curve in curves:
        points = np.asarray(curve.array)
        if np.max(np.ptp(points, axis=0)) > 3.0 * step:
            out.append(points)
    return out


def _draw_curves(ax, tangential, radial, label: bool = True) -> None:
    for i, c in enumerate(tangential):
        ax.plot(
            c[:, 1],
            c[:, 0],
            color=TANGENTIAL_COLOUR,
            lw=1.2,
            label="tangential" if label and i == 0 else None,
        )
    for i, c in enumerate(radial):
        ax.plot(
            c[:, 1],
            c[:, 0],
            color=RADIAL_COLOUR,
            lw=1.2,
            label="radial" if label and i == 0 else None,
        )
    if label and (tangential or radial):
        ax.legend(loc="lower right", fontsize=7, framealpha=0.6)


def _asinh_norm(values, noise_level: float):
    from matplotlib.colors import AsinhNorm

    finite = values[np.isfinite(values)]
    vmax = float(np.max(finite)) if finite.size else 1.0
    vmin = float(np.percentile(finite, 0.5)) if finite.size else 0.0
    vmin = min(vmin, 0.0)
    width = max(3.0 * noise_level, 1e-3 * max(vmax, 1e-30))
    return AsinhNorm(linear_width=width, vmin=vmin, vmax=max(vmax, vmin + 1e-12))


def _nice_ticks(colorbar, norm, n: int = 6) -> None:
    """Evenly spaced ticks in the stretched colour scale, labelled with 2 significant
    figures (the default locator crowds an asinh bar near zero)."""
    values = np.asarray(norm.inverse(np.linspace(0.0, 1.0, n)), dtype=float)
    values = np.unique(np.array([float(f"{v:.2g}") for v in values]))
    values = values[(values >= norm.vmin) & (values <= norm.vmax)]
    colorbar.set_ticks(values, labels=[f"{v:.2g}" for v in values])


class FitFigures:
    """Draws the panels of one fit; ``write(folder)`` saves every PNG."""

    def __init__(self, fit, title: str = ""):
        self.fit = fit
        self.title = title
        self.mask = fit.mask
        self.rows, self.cols = zoom_slices(self.mask)
        self.extent = extent_of(self.mask, self.rows, self.cols)
        self.noise_level = float(np.median(np.asarray(fit.noise_map.array)))
        self.tracer = fit.tracer
        self.curves = curves_from(self.tracer, self.extent, self.mask.pixel_scale)

    # ---------------------------------------------------------------- arrays
    def _native(self, array) -> np.ndarray:
        """Zoomed native values with masked pixels set to NaN (drawn blank)."""
        values = np.asarray(array.native, dtype=float)
        values = np.where(self.mask.mask, np.nan, values)
        return values[self.rows, self.cols]

    def panels(self) -> dict:
        """name -> (zoomed native array, title, kind)."""
        fit = self.fit
        lensed = fit.model_images_of_planes_list[-1]
        return {
            "data": (self._native(fit.data), "Data", "image"),
            "model_image": (self._native(fit.model_data), "Model image", "image"),
            "residual_map": (self._native(fit.residual_map), "Residuals", "residual"),
            "normalized_residual_map": (
                self._native(fit.normalized_residual_map),
                "Normalised residuals",
                "normalized",
            ),
            "chi_squared_map": (self._native(fit.chi_squared_map), "Chi-squared", "chi2"),
            "lensed_source": (self._native(lensed), "Lensed source (image plane)", "image"),
        }

    # ---------------------------------------------------------------- drawing
    def _imshow(self, fig, ax, values, title: str, kind: str, norm=None):
        finite = values[np.isfinite(values)]
        kwargs = {"origin": "upper", "extent": self.extent, "interpolation": "nearest"}
        if kind == "image":
            cmap = "inferno"
            kwargs["norm"] = norm or _asinh_norm(values, self.noise_level)
        elif kind in ("residual", "normalized"):
            cmap = "RdBu_r"
            limit = float(np.percentile(np.abs(finite), 99.5)) if finite.size else 1.0
            if kind == "normalized":
                limit = max(limit, 3.0)
            kwargs.update(vmin=-limit, vmax=limit)
        else:
            cmap = "magma"
            top = float(np.percentile(finite, 99.5)) if finite.size else 1.0
            kwargs.update(vmin=0.0, vmax=max(top, 9.0))
        import matplotlib

        colormap = matplotlib.colormaps[cmap].copy()
        colormap.set_bad("#d9d9d9")
        image = ax.imshow(values, cmap=colormap, **kwargs)
        colorbar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03)
        if kind == "image":
            _nice_ticks(colorbar, kwargs["norm"])
        colorbar.set_label(_UNITS[kind])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x (arcsec)")
        ax.set_ylabel("y (arcsec)")
        return image

    def draw(self, fig, ax, name: str) -> None:
        """Draw the panel ``name`` (a key of :meth:`panels`, ``critical_curves`` or
        ``source_plane``) on ``ax``."""
        if name == "source_plane":
            self.draw_source_plane(fig, ax)
            return
        panels = self._panels
        if name == "critical_curves":
            values, _, kind = panels["data"]
            self._imshow(fig, ax, values, "Data + critical curves", kind)
            _draw_curves(ax, self.curves.tangential, self.curves.radial)
            ax.set_xlim(self.extent[:2])
            ax.set_ylim(self.extent[2:])
            return
        values, title, kind = panels[name]
        norm = None
        if name == "model_image":  # same colour scale as the data, for comparison
            norm = _asinh_norm(panels["data"][0], self.noise_level)
        self._imshow(fig, ax, values, title, kind, norm=norm)
        if name == "lensed_source":
            _draw_curves(ax, self.curves.tangential, self.curves.radial, label=False)
            ax.set_xlim(self.extent[:2])
            ax.set_ylim(self.extent[2:])

    def source_grid(self, n: int = 201):
        """Uniform source-plane grid around the source centre covering the caustics."""
        source = self.tracer.planes[-1]
        profiles = [p for g in source for p in g.light_profile_list]
        centre = np.asarray(profiles[0].centre, dtype=float) if profiles else np.zeros(2)
        half = 0.25
        for p in profiles:
            radius = getattr(p, "effective_radius", None)
            if radius is not None and np.isfinite(radius):
                half = max(half, 3.0 * float(radius))
        for c in self.curves.tangential_caustics + self.curves.radial_caustics:
            half = max(half, 1.15 * float(np.max(np.abs(c - centre))))
        half = min(half, 0.5 * (self.extent[1] - self.extent[0]))
        grid = al.Grid2D.uniform(
            shape_native=(n, n),
            pixel_scales=2 * half / n,
            origin=(float(centre[0]), float(centre[1])),
            over_sample_size=2,
        )
        return grid, centre, half

    def draw_source_plane(self, fig, ax) -> None:
        grid, centre, half = self.source_grid()
        with np.errstate(all="ignore"):
            image = np.asarray(self.tracer.planes[-1].image_2d_from(grid).native, dtype=float)
        extent = [centre[1] - half, centre[1] + half, centre[0] - half, centre[0] + half]
        import matplotlib

        shown = ax.imshow(
            image,
            origin="upper",
            extent=extent,
            cmap=matplotlib.colormaps["inferno"],
            interpolation="nearest",
            vmin=0.0,
            vmax=float(np.nanmax(image)) if np.any(np.isfinite(image)) else 1.0,
        )
        colorbar = fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.03)
        colorbar.set_label(_UNITS["image"])
        _draw_curves(ax, self.curves.tangential_caustics, self.curves.radial_caustics, label=True)
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        ax.set_title("Source plane + caustics", fontsize=10)
        ax.set_xlabel("x (arcsec, source plane)")
        ax.set_ylabel("y (arcsec, source plane)")

    # ---------------------------------------------------------------- files
    SINGLE = (
        "data",
        "model_image",
        "residual_map",
        "normalized_residual_map",
        "chi_squared_map",
        "lensed_source",
        "source_plane",
        "critical_curves",
    )
    OVERVIEW = (
        ("data", "model_image", "residual_map", "normalized_residual_map"),
        ("chi_squared_map", "lensed_source", "source_plane", "critical_curves"),
    )

    def write(self, folder: Path) -> list[Path]:
        """Write ``fit.png`` (overview) and one PNG per panel into ``folder``."""
        folder = Path(folder)
        self._panels = self.panels()
        written = []
        fig = Figure(figsize=(19, 9), layout="constrained")
        axes = fig.subplots(2, 4)
        for row, names in zip(axes, self.OVERVIEW):
            for ax, name in zip(row, names):
                self.draw(fig, ax, name)
        if self.title:
            fig.suptitle(self.title, fontsize=12)
        written.append(save_figure(fig, folder / "fit.png", dpi=90))
        for name in self.SINGLE:
            fig = Figure(figsize=(5.6, 4.6), layout="constrained")
            self.draw(fig, fig.add_subplot(), name)
            written.append(save_figure(fig, folder / f"{name}.png"))
        return written


def plot_fit(fit, folder: Path, title: str = "") -> list[Path]:
    """All fit figures of ``fit`` (a NumPy al.FitImaging) as PNGs in ``folder``."""
    return FitFigures(fit, title=title).write(folder)
