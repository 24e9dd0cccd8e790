"""Load, check and mask the imaging dataset the ``xplens fit`` command fits.

Every check runs before any model is built and raises :class:`CLIError` naming the file,
the problem and the fix. Conventions: FITS read as stored (row 0 = top of the image,
PyAutoLens order); pixel scale in arcsec/pixel; noise values >= 1e7 (or not finite) flag
pixels to ignore (PyAutoLens convention, ``Imaging.apply_noise_flag_mask``); the PSF is
trimmed to ``psf_shape`` if given and always normalised to unit sum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import xplens as al
from xparray import NOISE_FLAG_THRESHOLD
from xparray.fits_io import ndarray_from_fits
from xplens.cli.errors import CLIError

__all__ = ["DatasetSpec", "dataset_fingerprint", "load_dataset", "mask_from", "max_mask_radius"]

#: PyAutoLens's adaptive over-sampling for lens light (sub-size 8 within 0.3", 4 within
#: 0.6" of the lens centre, 1 elsewhere): resolves a steep Sersic core at low cost.
ADAPTIVE_SUB_SIZES = (8, 4, 1)
ADAPTIVE_RADII = (0.3, 0.6)


@dataclass
class DatasetSpec:
    """Where the data come from and how they are masked (arcsec, arcsec/pixel)."""

    name: str
    data_path: Path
    noise_map_path: Path
    psf_path: Path
    pixel_scale: float
    mask_radius: float
    mask_inner_radius: float = 0.0
    mask_centre: tuple[float, float] = (0.0, 0.0)
    psf_shape: tuple[int, int] | None = None
    over_sampling: str = "adaptive"
    description: str = ""
    labels: dict = field(default_factory=dict)


def _read(path: Path, what: str) -> np.ndarray:
    path = Path(path)
    if path.is_dir():
        raise CLIError(f"{what} {str(path)!r} is a folder; give the path of a FITS file")
    if not path.exists():
        raise CLIError(f"{what} file not found: {str(path)!r} (check the path)")
    try:
        return ndarray_from_fits(path)
    except al.InputError as err:
        raise CLIError(f"{what}: {err}; give a FITS file whose primary HDU is a 2D image") from err
    except OSError as err:  # unreadable (permissions, I/O)
        raise CLIError(f"{what}: cannot read {str(path)!r}: {err.strerror or err}") from err


def _trimmed_psf(psf: np.ndarray, shape, path: Path) -> np.ndarray:
    if psf.shape[0] % 2 == 0 or psf.shape[1] % 2 == 0:
        raise CLIError(
            f"PSF {str(path)!r} has even shape {psf.shape}; a PSF needs odd sides with its "
            "peak at the centre pixel (trim or pad it by one row/column)"
        )
    if shape is None:
        return psf
    ty, tx = (min(int(s), p) for s, p in zip(shape, psf.shape))
    cy, cx = psf.shape[0] // 2, psf.shape[1] // 2
    return psf[cy - ty // 2 : cy + ty // 2 + 1, cx - tx // 2 : cx + tx // 2 + 1]


def max_mask_radius(shape_native, pixel_scale: float, centre) -> float:
    """Largest circle (arcsec) around ``centre`` that stays inside the image."""
    ny, nx = shape_native
    half_y, half_x = ny * pixel_scale / 2.0, nx * pixel_scale / 2.0
    cy, cx = centre
    return float(min(half_y - abs(cy), half_x - abs(cx)))


def mask_from(shape_native, spec: DatasetSpec) -> al.Mask2D:
    """The circular (or annular, with an inner radius) fit mask of ``spec``."""
    if not spec.pixel_scale > 0 or not np.isfinite(spec.pixel_scale):
        raise CLIError(f"--pixel-scale must be a positive number of arcsec, got {spec.pixel_scale}")
    if not spec.mask_radius > 0:
        raise CLIError(f"--mask-radius must be positive arcsec, got {spec.mask_radius}")
    limit = max_mask_radius(shape_native, spec.pixel_scale, spec.mask_centre)
    if spec.mask_radius > limit + 1e-9:
        raise CLIError(
            f'mask radius {spec.mask_radius:g}" is larger than the image allows '
            f'({shape_native[0]}x{shape_native[1]} px at {spec.pixel_scale:g}"/px: at most '
            f'{max(limit, 0.0):.3g}" around {tuple(spec.mask_centre)}); '
            "use a smaller --mask-radius (or check --pixel-scale)"
        )
    if not 0.0 <= spec.mask_inner_radius < spec.mask_radius:
        raise CLIError(
            f"--mask-inner-radius {spec.mask_inner_radius:g} must be >= 0 and smaller "
            f"than --mask-radius {spec.mask_radius:g}"
        )
    kwargs = {"pixel_scales": spec.pixel_scale, "centre": tuple(spec.mask_centre)}
    if spec.mask_inner_radius > 0:
        return al.Mask2D.circular_annular(
            shape_native, spec.mask_inner_radius, spec.mask_radius, **kwargs
        )
    return al.Mask2D.circular(shape_native, spec.mask_radius, **kwargs)


def load_dataset(spec: DatasetSpec) -> al.Imaging:
    """The masked Imaging of ``spec`` (noise-flagged pixels masked, PSF normalised)."""
    data = _read(spec.data_path, "data")
    noise = _read(spec.noise_map_path, "noise map")
    psf = _read(spec.psf_path, "PSF")
    if noise.shape != data.shape:
        raise CLIError(
            f"noise map {str(spec.noise_map_path)!r} has shape {noise.shape} but data "
            f"{str(spec.data_path)!r} has {data.shape}; give the noise map of the same cut-out"
        )
    psf = _trimmed_psf(psf, spec.psf_shape, spec.psf_path)
    if psf.shape[0] > data.shape[0] or psf.shape[1] > data.shape[1]:
        raise CLIError(f"PSF shape {psf.shape} is larger than the image {data.shape}; trim the PSF")
    if not np.all(np.isfinite(psf)) or not psf.sum() > 0:
        raise CLIError(
            f"PSF {str(spec.psf_path)!r} has NaN/inf values or a non-positive sum; "
            "give a PSF image with finite values and positive total flux"
        )
    mask = mask_from(data.shape, spec)
    inside = ~mask.mask
    flagged = np.logical_or(~np.isfinite(noise), noise >= NOISE_FLAG_THRESHOLD)
    used = np.logical_and(inside, ~flagged)
    if not np.any(used):
        raise CLIError(
            "every pixel inside the mask is flagged (noise >= 1e7 or NaN); "
            "move the mask with --mask-centre or enlarge --mask-radius"
        )
    bad_data = np.logical_and(used, ~np.isfinite(data))
    if np.any(bad_data):
        raise CLIError(
            f"data {str(spec.data_path)!r} has {int(bad_data.sum())} NaN/inf pixel(s) inside "
            f'the {spec.mask_radius:g}" mask; set their noise to >= 1e7 to flag them, or use a '
            "smaller --mask-radius / other --mask-centre"
        )
    bad_noise = np.logical_and(used, noise <= 0.0)
    if np.any(bad_noise):
        raise CLIError(
            f"noise map {str(spec.noise_map_path)!r} has {int(bad_noise.sum())} value(s) <= 0 "
            "inside the mask; a noise map is the positive 1-sigma RMS per pixel (flag bad "
            "pixels with a value >= 1e7)"
        )
    # Pixels outside the mask may hold anything: hide them before the library checks them.
    unusable = np.logical_or.reduce([~np.isfinite(data), ~np.isfinite(noise), noise <= 0.0])
    base = al.Mask2D(np.logical_and(unusable, ~used), spec.pixel_scale)
    kernel = al.Kernel2D.no_mask(psf, spec.pixel_scale, normalize=True)
    imaging = al.Imaging(
        al.Array2D(np.where(np.isfinite(data), data, 0.0), base),
        al.Array2D(np.where(np.isfinite(noise), noise, 1.0e8), base),
        psf=kernel,
        over_sample_size_lp=1,
    )
    fit_mask = al.Mask2D(np.logical_or(mask.mask, base.mask), spec.pixel_scale)
    imaging = imaging.apply_mask(fit_mask).apply_noise_flag_mask()
    return _over_sampled(imaging, spec)


def _over_sampled(imaging: al.Imaging, spec: DatasetSpec) -> al.Imaging:
    choice = str(spec.over_sampling).strip().lower()
    if choice == "adaptive":
        grid = al.Grid2D.from_mask(imaging.mask, over_sample_size=1)
        sizes = al.over_sample_size_via_radial_bins_from(
            grid, list(ADAPTIVE_SUB_SIZES), list(ADAPTIVE_RADII), [tuple(spec.mask_centre)]
        )
        return imaging.apply_over_sampling(sizes)
    if not choice.isdigit() or int(choice) < 1:
        raise CLIError(
            f"--over-sampling {spec.over_sampling!r}: use 'adaptive' or a whole number >= 1"
        )
    return imaging.apply_over_sampling(int(choice))


def dataset_fingerprint(imaging: al.Imaging, spec: DatasetSpec) -> dict:
    """What identifies the fitted data: hashes of the masked arrays, PSF and settings.

    Stored as ``dataset.json``; a resumed run must match it exactly.
    """

    def digest(values) -> str:
        return hashlib.sha256(np.ascontiguousarray(values, dtype=np.float64).tobytes()).hexdigest()

    sizes = np.asarray(imaging.over_sample_size_lp)
    return {
        "name": spec.name,
        "shape_native": list(imaging.shape_native),
        "pixel_scale": float(spec.pixel_scale),
        "pixels_in_mask": int(imaging.mask.pixels_in_mask),
        "mask_radius": float(spec.mask_radius),
        "mask_inner_radius": float(spec.mask_inner_radius),
        "mask_centre": [float(c) for c in spec.mask_centre],
        "over_sampling": str(spec.over_sampling),
        "psf_shape": list(imaging.psf.shape_native),
        "sha256": {
            "mask": hashlib.sha256(np.packbits(imaging.mask.mask).tobytes()).hexdigest(),
            "data": digest(imaging.data.array),
            "noise_map": digest(imaging.noise_map.array),
            "psf": digest(imaging.psf.native),
            "over_sample_size": digest(sizes),
        },
        "files": {
            "data": str(spec.data_path),
            "noise_map": str(spec.noise_map_path),
            "psf": str(spec.psf_path),
        },
    }


def same_dataset(old: dict, new: dict) -> bool:
    """True when two fingerprints describe the same fit (file locations may differ)."""
    keys = [k for k in new if k not in ("files", "name")]
    return json.loads(json.dumps({k: old.get(k) for k in keys})) == json.loads(
        json.dumps({k: new[k] for k in keys})
    )
