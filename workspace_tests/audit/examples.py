"""Example calls for the non-profile xp-aware entry points, and the reasoned exclusions.

Every public callable with an ``xp`` parameter that :mod:`audit.discovery` finds must be

* a method of a profile class (covered through ``xpgalaxy.profiles.registry``), or
* a formula helper of a profile module that the registry examples reach while tracing, or
* the key of an entry of a case in ``cases_array`` / ``cases_galaxy`` / ``cases_lens``
  (gathered by :func:`table_cases`), or
* listed in :data:`EXCLUSIONS` with the reason it needs no parity check,

otherwise ``test_audit_coverage`` fails and names it. Each case builds its objects inside
``fn(p, xp)`` from the traced parameters ``p``; fixed data (masks, datasets, cosmologies)
is built once with NumPy, as a user would. ``PROFILE_ARGUMENTS`` gives the arguments of a
profile method by the names of its required parameters.
"""

from __future__ import annotations

import xparray as aa
from audit.cases_array import array_cases, structure_pytree_examples
from audit.cases_galaxy import galaxy_cases
from audit.cases_lens import lens_cases, lens_pytree_examples
from audit.core import Case
from audit.inputs import POINTS, RADII

__all__ = [
    "EXCLUSIONS",
    "POINTS",
    "PROFILE_ARGUMENTS",
    "RADII",
    "pytree_examples",
    "table_cases",
]

#: First argument name of a profile method -> the example value passed to it.
PROFILE_ARGUMENTS = {
    "grid": lambda: aa.Grid2DIrregular(POINTS),
    "grid_radii": lambda: RADII,
    "grid_radius": lambda: RADII,
    "radii_squared": lambda: RADII * RADII,
    # components of (y, x) vectors in a profile's frame (vectors_to_image_frame_from)
    "v_y": lambda: POINTS[:, 0],
    "v_x": lambda: POINTS[:, 1],
    # image-frame points as two raw arrays (deflections_yx_pair_from, image_2d_yx_from)
    "y": lambda: POINTS[:, 0],
    "x": lambda: POINTS[:, 1],
}

# ---------------------------------------------------------------- exclusions

_ABSTRACT = "abstract: raises NotImplementedError; FlatLambdaCDM implements it (case 'cosmology')"

#: Discovered xp-aware callables that need no parity check, each with its reason.
EXCLUSIONS = {
    "xparray.backend.is_jax": "a predicate on the xp module itself (is it jax.numpy?): no "
    "array maths, nothing to trace",
    "xparray.operators.convolution.Convolver.method_for": "returns the name of a convolution "
    "method (a static str chosen from the kernel shape); both methods are forced in the "
    "'convolution' case",
    "xparray.operators.convolution.method_for_kernel": "returns a static str (the method for "
    "a kernel shape), see Convolver.method_for",
    "xpgalaxy.cosmology.base.LensingCosmology.E": _ABSTRACT,
    "xpgalaxy.cosmology.base.LensingCosmology.comoving_distance_kpc_z1z2": _ABSTRACT,
    "xpgalaxy.cosmology.base.LensingCosmology.angular_diameter_distance_kpc_z1z2": _ABSTRACT,
    "xpgalaxy.profiles.light.sersic_core.SersicCore.total_luminosity": "NumPy only by design: "
    "integrates with scipy.integrate.quad and raises BackendError for xp=jax.numpy (reported "
    "to the light-profile owner: an xp parameter that only accepts numpy)",
}


def table_cases() -> list[Case]:
    """Every explicit case (built fresh: each holds its own closures)."""
    return [*galaxy_cases(), *array_cases(), *lens_cases()]


def pytree_examples() -> dict:
    """``{class: builder}`` of one instance with ``jax.Array`` leaves per non-profile class
    that becomes a pytree (profile classes come from the registry)."""
    return {**structure_pytree_examples(), **lens_pytree_examples()}
