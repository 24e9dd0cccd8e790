"""PyAutoLens -> lenstronomy-family (lenstronomy, jaxtronomy, herculens) conventions.

Numpy only, so every peer environment can import it. Derivations:

* Coordinates. PyAutoLens native arrays have row 0 at the top (largest y) and column 0
  at the left (smallest x), pixel centres at ``y = (ny/2 - 0.5 - row) d``,
  ``x = (col - nx/2 + 0.5) d``. lenstronomy maps pixel (x=col, y=row) to angles by
  ``transform_pix2angle @ (col, row) + (ra0, dec0)`` and its profiles take ``x = ra``,
  ``y = dec``; so ``transform_pix2angle = [[d, 0], [0, -d]]``, ``ra0 = -(nx/2 - 0.5) d``,
  ``dec0 = +(ny/2 - 0.5) d`` gives ra = x and dec = y with no flip of the data.
* Ellipticity. PyAutoGalaxy: ``ell_comps = (f sin 2phi, f cos 2phi)``, ``f = (1-q)/(1+q)``,
  phi counter-clockwise from +x. lenstronomy: ``e1 = f cos 2phi``, ``e2 = f sin 2phi``
  (``param_util.phi_q2_ellipticity``). Hence ``e1 = ell_comps[1]``, ``e2 = ell_comps[0]``.
* SIE. PyAutoGalaxy: ``kappa = theta_E / (1+q) / sqrt(x'^2 + y'^2/q^2)``; lenstronomy:
  ``kappa = theta_E' / (2 sqrt(q x'^2 + y'^2/q))`` = ``theta_E' / (2 sqrt(q)
  sqrt(x'^2 + y'^2/q^2))``. Equal when ``theta_E' = theta_E 2 sqrt(q) / (1 + q)``.
* External shear: both ``alpha_x = g1 x + g2 y``, ``alpha_y = g2 x - g1 y``: unchanged.
* Sersic: both use the product-average ("eccentric") radius ``sqrt(q x'^2 + y'^2/q)``
  (herculens's SERSIC_ELLIPSE defaults to the major-axis radius: see ``sersic_kwargs``)
  and the intensity at the effective radius, so ``R_sersic = effective_radius``.
  PyAutoLens's intensity is e-/s per *pixel* of the image; lenstronomy's ``amp`` is per
  arcsec^2 (its image is surface brightness times the pixel area ``d^2``), so
  ``amp = intensity / d^2``. They differ in ``b_n``: PyAutoGalaxy uses Ciotti &
  Bertin (1999) eq. 18, lenstronomy ``1.9992 n - 0.3271``; that changes the model image by
  ~1e-4 and log L slightly. :func:`ciotti_bertin_b_n` lets a peer's check put PyAutoLens's
  ``b_n`` in (for the convention check only, never in the timed path).
"""

from __future__ import annotations

import math

import numpy as np
from common import TRUTH

PIXEL_SCALE = 0.1
MASK_RADIUS = 3.0


def axis_ratio_from(ell_comps) -> float:
    f = math.hypot(*ell_comps)
    return (1.0 - f) / (1.0 + f)


def e1_e2_from(ell_comps) -> tuple[float, float]:
    return float(ell_comps[1]), float(ell_comps[0])


def ciotti_bertin_b_n(n):
    """PyAutoGalaxy's Sersic constant (Ciotti & Bertin 1999, A&A 352, 447, eq. 18)."""
    return (
        2.0 * n
        - 1.0 / 3.0
        + 4.0 / (405.0 * n)
        + 46.0 / (25515.0 * n**2)
        + 131.0 / (1148175.0 * n**3)
        - 2194697.0 / (30690717750.0 * n**4)
    )


def sersic_kwargs(p: dict, major_axis: bool = False) -> dict:
    """lenstronomy SERSIC_ELLIPSE keywords; ``major_axis`` for a profile whose radius is
    ``sqrt(x'^2 + y'^2/q^2)`` (herculens's default), whose ``R_sersic`` is then
    ``effective_radius / sqrt(q)`` (same isophotes)."""
    e1, e2 = e1_e2_from(p["ell_comps"])
    scale = 1.0 / math.sqrt(axis_ratio_from(p["ell_comps"])) if major_axis else 1.0
    return {
        "amp": p["intensity"] / PIXEL_SCALE**2,
        "R_sersic": p["effective_radius"] * scale,
        "n_sersic": p["sersic_index"],
        "e1": e1,
        "e2": e2,
        "center_x": p["centre"][1],
        "center_y": p["centre"][0],
    }


def sie_kwargs(p: dict) -> dict:
    q = axis_ratio_from(p["ell_comps"])
    e1, e2 = e1_e2_from(p["ell_comps"])
    return {
        "theta_E": p["einstein_radius"] * 2.0 * math.sqrt(q) / (1.0 + q),
        "e1": e1,
        "e2": e2,
        "center_x": p["centre"][1],
        "center_y": p["centre"][0],
    }


def shear_kwargs(p: dict) -> dict:
    return {"gamma1": p["gamma_1"], "gamma2": p["gamma_2"]}  # about (0, 0), the default


def true_kwargs(sersic_major_axis: bool = False) -> dict:
    """lenstronomy-style keyword lists of the true model."""
    return {
        "kwargs_lens": [sie_kwargs(TRUTH["lens_mass"]), shear_kwargs(TRUTH["shear"])],
        "kwargs_source": [sersic_kwargs(TRUTH["source_light"], sersic_major_axis)],
        "kwargs_lens_light": [sersic_kwargs(TRUTH["lens_light"], sersic_major_axis)],
    }


def grid_geometry(shape) -> dict:
    """``transform_pix2angle``, ``ra_at_xy_0``, ``dec_at_xy_0`` of a PyAutoLens image."""
    ny, nx = shape
    return {
        "transform_pix2angle": np.array([[PIXEL_SCALE, 0.0], [0.0, -PIXEL_SCALE]]),
        "ra_at_xy_0": -(nx / 2.0 - 0.5) * PIXEL_SCALE,
        "dec_at_xy_0": (ny / 2.0 - 0.5) * PIXEL_SCALE,
    }


def pixel_centres(shape) -> tuple[np.ndarray, np.ndarray]:
    """(y, x) arcsec of every pixel centre, PyAutoLens orientation."""
    ny, nx = shape
    y = (ny / 2.0 - 0.5 - np.arange(ny)) * PIXEL_SCALE
    x = (np.arange(nx) - nx / 2.0 + 0.5) * PIXEL_SCALE
    return np.meshgrid(y, x, indexing="ij")


def fit_mask(shape, radius: float = MASK_RADIUS) -> np.ndarray:
    """True inside the circular fit region (PyAutoLens masks ``hypot(y, x) > radius``)."""
    y, x = pixel_centres(shape)
    return np.hypot(y, x) <= radius


def blurring_region(mask: np.ndarray, kernel_shape) -> np.ndarray:
    """Mask plus every pixel whose light the PSF spreads into it (PyAutoLens's blurring
    region): the mask dilated by the kernel's footprint."""
    ky, kx = (k // 2 for k in kernel_shape)
    padded = np.pad(mask, ((ky, ky), (kx, kx)))
    out = np.zeros_like(mask)
    for dy in range(-ky, ky + 1):
        for dx in range(-kx, kx + 1):
            out |= padded[ky + dy : ky + dy + mask.shape[0], kx + dx : kx + dx + mask.shape[1]]
    return out


def noise_normalization(noise_map: np.ndarray, mask: np.ndarray) -> float:
    """``sum log(2 pi sigma^2)`` over the fit region: PyAutoLens's log L adds ``-1/2`` of it,
    lenstronomy's does not."""
    return float(np.sum(np.log(2.0 * np.pi * noise_map[mask] ** 2)))


def load_fits(path):
    from astropy.io import fits

    with fits.open(path) as hdul:
        return np.asarray(hdul[0].data, dtype=np.float64)


def flat_layout(kwargs: dict) -> list[tuple[str, int, str]]:
    """(group, profile index, key) of every value in a kwargs dict, in a fixed order."""
    return [
        (group, i, key)
        for group in ("kwargs_lens", "kwargs_source", "kwargs_lens_light")
        for i, profile in enumerate(kwargs[group])
        for key in sorted(profile)
    ]


def vector_from_kwargs(kwargs: dict, layout) -> np.ndarray:
    return np.array([kwargs[g][i][k] for g, i, k in layout], dtype=float)


def kwargs_from_vector(vector, layout, template: dict) -> dict:
    """Inverse of :func:`vector_from_kwargs`; traceable (only indexes ``vector``)."""
    out = {g: [dict() for _ in template[g]] for g in template}
    for j, (g, i, k) in enumerate(layout):
        out[g][i][k] = vector[j]
    return out


def perturbed_batch(vector: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Row 0 ``vector``, rows 1.. moved by ~0.1 % (the same recipe as xplens's batch)."""
    rng = np.random.default_rng(seed)
    batch = np.tile(vector, (n, 1))
    batch[1:] += 1e-3 * (np.abs(vector) + 0.01) * rng.standard_normal((n - 1, vector.size))
    return batch


class pyautogalaxy_b_n:
    """Context manager: ``cls.b_n`` (a staticmethod) replaced by :func:`ciotti_bertin_b_n`,
    for the convention check only (a model built inside reproduces PyAutoLens's log L)."""

    def __init__(self, cls) -> None:
        self.cls = cls

    def __enter__(self):
        self.original = self.cls.__dict__["b_n"]
        self.cls.b_n = staticmethod(ciotti_bertin_b_n)
        return self

    def __exit__(self, *exc) -> None:
        self.cls.b_n = self.original
