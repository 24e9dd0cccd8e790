"""LightProfile: the base of every light profile.

Checklist for adding a light profile (one profile family per module in this folder):

1. Write the surface brightness as a module-level function of raw radii arrays and
   ``xp`` (e.g. ``sersic_image_from(radii, intensity, ..., xp=np)``), citing the paper
   and equation. Handle r = 0 with the double-``where`` pattern so values and JAX
   gradients stay finite (see ``sersic_image_from``); a true cusp gets a documented
   radius floor (see ``sersic_core.py``).
2. Subclass ``LightProfile`` with PyAutoGalaxy's class name, parameter names, defaults
   and conventions; the class only holds parameters. Implement
   ``image_2d_via_radii_from(grid_radii, xp=np)`` by calling the function of step 1
   (and, if the formula is cheaper in ``R^2``, ``image_2d_via_radii_squared_from``).
   Do NOT redecorate ``image_2d_from``: ``LightProfile.image_2d_from`` already carries
   ``@aa.decorators.to_array`` (outermost) and ``@aa.decorators.over_sample`` and
   computes the radii from the offsets to the centre. Set
   ``radius_type = "elliptical"`` if PyAutoGalaxy uses ``sqrt(x^2 + y^2/q^2)`` rather
   than its default eccentric radius ``sqrt(q x^2 + y^2/q)``.
3. Spherical variant ``<Name>Sph``: a subclass whose ``__init__`` has no ``ell_comps``
   and passes ``ell_comps=(0.0, 0.0)``.
4. ``default_priors``: parameter name (``centre_0``, ``ell_comps_1``, ``intensity``, ...)
   -> zero-argument callable returning the prior of PyAutoGalaxy's config
   ``autogalaxy/config/priors/light/standard/<module>.yaml``, built with the helpers
   below (priors are imported lazily). A fixed parameter maps to ``constant(value)``.
5. Pass ``xp=xp`` to every nested call; no ``if`` on array values, no ``float()``.
6. Export the class in ``__init__.py`` and add an entry (valid parameters plus the
   singular points: centre on a grid point, ``ell_comps = (0, 0)``) to ``registry.py``;
   the generic tests and the NumPy <-> JAX parity audit pick it up from there.
7. Unit tests in ``tests/light/test_light_<family>.py``: the formula against the
   literature and against PyAutoGalaxy numbers hard-coded with their source.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

import xparray as aa
from xpgalaxy import convert
from xpgalaxy.profiles.geometry import EllProfile, safe_sqrt

__all__ = [
    "LightProfile",
    "constant",
    "eccentric_radii_squared_from",
    "elliptical_radii_squared_from",
    "gaussian_prior",
    "log_uniform_prior",
    "raw_radii",
    "safe_sqrt",
    "special_functions",
    "truncated_gaussian_prior",
    "uniform_prior",
]


# ----------------------------------------------------------------------------- helpers


def special_functions(xp: ModuleType = np) -> ModuleType:
    """``scipy.special`` on NumPy, ``jax.scipy.special`` on JAX (gammaln, gamma, ...)."""
    if xp is not np:
        import jax.scipy.special as special

        return special
    import scipy.special as special

    return special


def raw_radii(grid_radii, xp: ModuleType = np):
    """The raw array behind radii given as a structure, list or array."""
    return xp.asarray(aa.structures.unwrap(grid_radii))


def eccentric_radii_squared_from(y, x, ell_comps, xp: ModuleType = np):
    """Squared eccentric radius ``q x'^2 + y'^2 / q`` (arcsec^2) from unrotated offsets.

    ``y, x`` are offsets from the profile centre in the image frame; ``x', y'`` are the
    same offsets along the major and minor axes. With ``ell_comps = (e_y, e_x)`` and
    ``f^2 = e_y^2 + e_x^2`` the same quadratic form reads

        ((1 + f^2 - 2 e_x) x^2 - 4 e_y x y + (1 + f^2 + 2 e_x) y^2) / (1 - f^2),

    (substitute ``q = (1 - f)/(1 + f)`` and ``(e_y, e_x) = f (sin 2phi, cos 2phi)``), which
    is polynomial in ``ell_comps``: unlike the (q, phi) form its JAX gradient at
    ``ell_comps = (0, 0)`` is the true derivative, not zero. ``f`` is clamped at
    ``convert.ELL_COMPS_MAGNITUDE_CLAMP`` as in ``convert.axis_ratio_from``.
    """
    e_y, e_x = ell_comps[0], ell_comps[1]
    clamp = convert.ELL_COMPS_MAGNITUDE_CLAMP
    f2 = e_y * e_y + e_x * e_x
    if isinstance(f2, float):
        # Python numbers (a NumPy model instance): plain arithmetic, not 0-d array selects
        scale = clamp / math.sqrt(f2) if f2 > clamp * clamp else 1.0
    else:
        outside = f2 > clamp * clamp
        scale = xp.where(outside, clamp / xp.sqrt(xp.where(outside, f2, 1.0)), 1.0)
    e_y, e_x = e_y * scale, e_x * scale
    f2 = e_y * e_y + e_x * e_x
    # the scalar coefficients first, then x (a x - b y) + c y^2: 7 array operations, not 10
    inverse = 1.0 / (1.0 - f2)
    a = (1.0 + f2 - 2.0 * e_x) * inverse
    b = 4.0 * e_y * inverse
    c = (1.0 + f2 + 2.0 * e_x) * inverse
    return x * (a * x - b * y) + c * (y * y)


def elliptical_radii_squared_from(y_frame, x_frame, axis_ratio, xp: ModuleType = np):
    """Squared elliptical radius ``x'^2 + (y'/q)^2`` (arcsec^2) in the profile frame."""
    return x_frame * x_frame + (y_frame / axis_ratio) ** 2


# ------------------------------------------------------------------------ prior helpers
# Zero-argument callables, so importing a profile never imports the inference package.


def uniform_prior(lower_limit: float, upper_limit: float) -> Callable[[], Any]:
    def make():
        from xparray.inference.priors import UniformPrior

        return UniformPrior(lower_limit=lower_limit, upper_limit=upper_limit)

    return make


def gaussian_prior(mean: float, sigma: float) -> Callable[[], Any]:
    def make():
        from xparray.inference.priors import GaussianPrior

        return GaussianPrior(mean=mean, sigma=sigma)

    return make


def log_uniform_prior(lower_limit: float, upper_limit: float) -> Callable[[], Any]:
    def make():
        from xparray.inference.priors import LogUniformPrior

        return LogUniformPrior(lower_limit=lower_limit, upper_limit=upper_limit)

    return make


def truncated_gaussian_prior(
    mean: float, sigma: float, lower_limit: float, upper_limit: float
) -> Callable[[], Any]:
    def make():
        from xparray.inference.priors import TruncatedGaussianPrior

        return TruncatedGaussianPrior(
            mean=mean, sigma=sigma, lower_limit=lower_limit, upper_limit=upper_limit
        )

    return make


def constant(value: float) -> Callable[[], float]:
    """A parameter PyAutoGalaxy's config fixes (``type: Constant``): the callable returns a float."""

    def make():
        return value

    return make


# PyAutoGalaxy's shared entries (config/priors/light/standard/*.yaml).
CENTRE_PRIORS = {"centre_0": gaussian_prior(0.0, 0.3), "centre_1": gaussian_prior(0.0, 0.3)}
ELL_COMPS_PRIORS = {
    "ell_comps_0": truncated_gaussian_prior(0.0, 0.3, -1.0, 1.0),
    "ell_comps_1": truncated_gaussian_prior(0.0, 0.3, -1.0, 1.0),
}
INTENSITY_PRIOR = {"intensity": log_uniform_prior(1.0e-6, 1.0e6)}


def check_positive(value, name: str) -> None:
    """Raise ``aa.InputError`` for a concrete number <= 0 (traced values pass through)."""
    if isinstance(value, int | float | np.number) and not (value > 0 and math.isfinite(value)):
        raise aa.InputError(f"{name} must be a finite number > 0, got {value!r}")


# ------------------------------------------------------------------------------ class


class LightProfile(EllProfile):
    """Surface brightness ``image_2d_from(grid)`` in PyAutoGalaxy's intensity units (e-/s).

    Parameters
    ----------
    centre
        (y, x) arcsec of the profile centre.
    ell_comps
        Elliptical components ``(e_y, e_x)`` (see ``xpgalaxy.convert``).
    intensity
        Overall normalisation, e-/s (its meaning, e.g. the brightness at the effective
        radius, is stated by each profile).
    """

    #: ``"eccentric"``: ``sqrt(q x'^2 + y'^2/q)``, isophote area ``pi R^2``;
    #: ``"elliptical"``: ``sqrt(x'^2 + y'^2/q^2)``, isophote area ``pi q R^2``.
    radius_type = "eccentric"
    default_priors: dict[str, Callable[[], Any]] = {}

    def __init__(self, centre=(0.0, 0.0), ell_comps=(0.0, 0.0), intensity: float = 0.1):
        super().__init__(centre=centre, ell_comps=ell_comps)
        self.intensity = intensity

    @aa.decorators.to_array
    @aa.decorators.over_sample
    def image_2d_from(self, grid, xp=np, **kwargs):
        """Image (e-/s) at every (y, x) arcsec coordinate of ``grid``.

        A Grid2D is evaluated on its over-sampled sub-pixels and binned to pixel means;
        the result matches the grid type (Array2D, ArrayIrregular or a raw array).
        """
        return self.image_2d_via_radii_squared_from(self._radii_squared_from(grid, xp=xp), xp=xp)

    def image_2d_yx_from(self, y, x, xp=np):
        """Image (e-/s) as a raw array at points given as two raw arrays ``y``, ``x``
        (arcsec, image frame), not over-sampled: the ray-tracing fast path (see
        ``MassProfile.deflections_yx_pair_from``)."""
        return self.image_2d_via_radii_squared_from(self._radii_squared_of_yx(y, x, xp=xp), xp=xp)

    def image_2d_via_radii_squared_from(self, radii_squared, xp=np):
        """Image (e-/s) as a raw array from squared radii (arcsec^2) of ``radius_type``.

        ``image_2d_via_radii_from`` at their square roots; a profile whose formula is
        cheaper in ``R^2`` overrides this (the Sersic: no square root, and XLA fuses its
        pieces better; reference vmap ss1 0.216 -> 0.186 ms per vector).
        """
        return self.image_2d_via_radii_from(safe_sqrt(radii_squared, xp=xp), xp=xp)

    def _radii_squared_from(self, grid, xp=np):
        """Squared radii (arcsec^2) of ``radius_type`` at the (y, x) points of ``grid``.

        Computed from the offsets to the centre as separate y and x arrays, without the
        (N, 2) frame grid of ``transformed_to_reference_frame_grid_from``: under
        ``jax.grad`` the column slices of that grid transpose to padded (N, 2) copies
        (reference lens Sersic at 4x4 over-sampling: grad 3.05 -> 1.22 ms). The
        eccentric radius is polynomial in ``ell_comps`` (eccentric_radii_squared_from).
        """
        g = xp.asarray(aa.structures.unwrap(grid))
        if not getattr(grid, "is_transformed", False):
            return self._radii_squared_of_yx(g[:, 0], g[:, 1], xp=xp)
        # already in the profile frame (a nested decorated call)
        if self.radius_type == "elliptical":
            q = self.axis_ratio(xp=xp)
            return elliptical_radii_squared_from(g[:, 0], g[:, 1], q, xp=xp)
        cos_phi, sin_phi = self._cos_and_sin_to_x_axis(xp=xp)
        y = g[:, 1] * sin_phi + g[:, 0] * cos_phi
        x = g[:, 1] * cos_phi - g[:, 0] * sin_phi
        return eccentric_radii_squared_from(y, x, self.ell_comps, xp=xp)

    def _radii_squared_of_yx(self, y, x, xp=np):
        """Squared radii (arcsec^2) of ``radius_type`` at image-frame points (raw y, x)."""
        if self.radius_type == "elliptical":
            y_frame, x_frame = self.frame_of_yx_from(y, x, xp=xp)
            q = self.axis_ratio(xp=xp)
            return elliptical_radii_squared_from(y_frame, x_frame, q, xp=xp)
        y, x = y - self.centre[0], x - self.centre[1]
        return eccentric_radii_squared_from(y, x, self.ell_comps, xp=xp)

    def image_2d_via_radii_from(self, grid_radii, xp=np, **kwargs):
        """Image (e-/s) as a raw array from radii (arcsec) of the profile's ``radius_type``."""
        raise NotImplementedError(f"{type(self).__name__} must implement image_2d_via_radii_from")

    @property
    def _intensity(self):
        return self.intensity

    @property
    def half_light_radius(self):
        """``effective_radius`` (arcsec) for profiles that have one, else None (PyAutoGalaxy)."""
        return getattr(self, "effective_radius", None)

    def _isophote_area_factor(self, xp=np):
        """Area of the isophote of radius R divided by ``pi R^2`` (1 or q)."""
        return self.axis_ratio(xp=xp) if self.radius_type == "elliptical" else 1.0

    def luminosity_within_circle_from(self, radius: float) -> float:
        """Flux (e-/s) inside the isophote whose profile radius is ``radius`` arcsec.

        ``int_0^radius 2 pi a R I(R) dR`` by adaptive quadrature (scipy ``quad``; NumPy
        only), with ``a`` the isophote area factor (1 for eccentric radii, q for
        elliptical ones). ``radius = np.inf`` gives the total flux. PyAutoGalaxy's method
        of the same name integrates ``2 pi R I(R)`` (no ``a``).
        """
        from scipy.integrate import quad

        a = float(self._isophote_area_factor())

        def integrand(r):
            return 2.0 * np.pi * a * r * float(self.image_2d_via_radii_from(np.array([r]))[0])

        if np.isinf(radius):
            # Split so quad resolves the core before the infinite tail.
            scale = float(getattr(self, "effective_radius", 1.0))
            inner = quad(integrand, 0.0, scale, limit=200)[0]
            return inner + quad(integrand, scale, np.inf, limit=200)[0]
        return quad(integrand, 0.0, radius, limit=200)[0]
