"""Shared inputs of the audit's example cases: points, radii, and small galaxy builders.

The builders make profiles, galaxies and tracers from a flat parameter dict ``p`` (traced
under JAX), so every case builds its objects inside the traced function.
"""

from __future__ import annotations

import functools

import numpy as np

import xpgalaxy as ag
import xplens as al
from xparray.dataset import fixtures

__all__ = ["POINTS", "RADII", "LIGHT_PARAMS", "MASS_PARAMS", "PLUMBING", "q", "pair"]

#: centre), points at distance 1 from it (NFW at X = 1 when scale_radius = 1) and ordinary
#: points at several radii and angles.
POINTS = np.array(
    [
        [0.0, 0.0],
        [0.0, 1.0],
        [1.0, 0.0],
        [0.6, 0.8],
        [-0.6, 0.8],
        [0.35, 0.45],
        [-1.3, -0.7],
        [2.0, -1.5],
        [0.05, 0.01],
        [-0.25, -0.4],
    ]
)

#: Radii (arcsec, > 0) for methods of profile radii (``image_2d_via_radii_from``, ...).
RADII = np.array([0.05, 0.3, 1.0, 2.2])


def q(func) -> str:
    """Qualified name ``module.qualname`` of a function (the audit's entry-point key)."""
    return f"{func.__module__}.{func.__qualname__}"


def pair(p, key):
    """``(p[key_0], p[key_1])``: a (y, x) pair from flat parameters."""
    return (p[f"{key}_0"], p[f"{key}_1"])


#: Why the plumbing cases (model, galaxy, lens_calc, tracer) skip the gradient check.
PLUMBING = (
    "sums and compositions of profiles whose gradients the registry cases check at their "
    "singular points; the gradient through Model -> Tracer -> FitImaging is checked against "
    "finite differences in test_parity_analysis.py"
)

LIGHT_PARAMS = {
    "l_centre_0": 0.1,
    "l_centre_1": -0.2,
    "l_ell_0": 0.1,
    "l_ell_1": 0.05,
    "intensity": 1.5,
    "sigma": 0.8,
}
MASS_PARAMS = {
    "m_centre_0": 0.05,
    "m_centre_1": -0.02,
    "m_ell_0": 0.08,
    "m_ell_1": -0.06,
    "einstein_radius": 1.1,
    "gamma_1": 0.04,
    "gamma_2": -0.02,
}


def light(p):
    """An elliptical Gaussian from ``LIGHT_PARAMS``-like ``p``.

    The plumbing cases check sums and ray tracing, not the Sersic (its registry case audits
    it); a Gaussian keeps their compiled graphs small.
    """
    return ag.lp.Gaussian(
        centre=pair(p, "l_centre"),
        ell_comps=pair(p, "l_ell"),
        intensity=p["intensity"],
        sigma=p["sigma"],
    )


def lens_galaxy(p, redshift=0.5, with_light=True):
    """Isothermal + external shear (+ light) from ``MASS_PARAMS`` (+ ``LIGHT_PARAMS``)."""
    mass = ag.mp.Isothermal(
        centre=pair(p, "m_centre"),
        ell_comps=pair(p, "m_ell"),
        einstein_radius=p["einstein_radius"],
    )
    shear = ag.mp.ExternalShear(gamma_1=p["gamma_1"], gamma_2=p["gamma_2"])
    if with_light:
        return ag.Galaxy(redshift=redshift, light=light(p), mass=mass, shear=shear)
    return ag.Galaxy(redshift=redshift, mass=mass, shear=shear)


@functools.cache
def lens_dataset():
    """The masked 7x7 imaging fixture (3x3 PSF, 9 pixels), over-sampled 2x2."""
    return fixtures.make_masked_imaging_7x7().apply_over_sampling(2)


def tracer(p):
    """Three planes (z = 0.5, 1, 2): lens galaxy, a light-and-mass galaxy, a source."""
    middle = ag.Galaxy(
        redshift=1.0,
        light=ag.lp.Gaussian(centre=(0.3, 0.1), intensity=p["intensity"], sigma=0.4),
        mass=ag.mp.IsothermalSph(centre=(0.3, 0.1), einstein_radius=0.2 * p["einstein_radius"]),
    )
    source = ag.Galaxy(redshift=2.0, light=light(p))
    return al.Tracer([lens_galaxy(p), middle, source])
