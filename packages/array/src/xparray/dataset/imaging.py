"""Imaging: a CCD image (e-/s), its 1-sigma noise map and the PSF, optionally masked.

All arrays share one uniform pixel grid; ``data.mask`` is the dataset mask (True =
masked). Inputs are checked before anything else is computed. An Imaging is a fixed
constant: under JAX it travels as static pytree data, hashed by identity.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from xparray.dataset.grids import GridsDataset
from xparray.dataset.validation import (
    NOISE_FLAG_THRESHOLD,
    check_array_2d,
    check_imaging_values,
    check_over_sample_size,
    check_same_geometry,
    noise_flag_mask_from,
)
from xparray.errors import InputError
from xparray.mask.mask_2d import Mask2D, pixel_scales_tuple
from xparray.operators.convolution import Convolver
from xparray.operators.kernel_2d import Kernel2D
from xparray.structures.arrays import Array2D

__all__ = ["Imaging"]


class Imaging:
    """An imaging dataset.

    Parameters
    ----------
    data
        Array2D of the image (e-/s); its mask is the dataset mask.
    noise_map
        Array2D of the 1-sigma RMS noise (same units and native shape as ``data``).
    psf
        Kernel2D PSF (odd shape) or None for no blurring.
    over_sample_size_lp
        Light-profile over-sampling: an int, or one int per unmasked pixel.
    over_sample_size_blurring
        Over-sampling of the PSF blurring region (masked pixels whose light is blurred into
        the mask). Default 1: pixel centres, as PyAutoLens's blurring grid; the light there
        is outside the mask and only enters through the PSF's wings (reference problem at
        ss4: log L shifts by 0.008 against following ``lp``). An int, or None to follow
        ``over_sample_size_lp`` (each blurring pixel takes its nearest unmasked pixel's
        size).
    check_noise_map
        Refuse noise values <= 0 inside the mask (PyAutoArray's check).
    """

    def __init__(
        self,
        data: Array2D,
        noise_map: Array2D,
        psf: Kernel2D | None = None,
        over_sample_size_lp=4,
        check_noise_map: bool = True,
        over_sample_size_blurring: int | None = 1,
    ):
        data = check_array_2d(data, "data")
        noise_map = check_array_2d(noise_map, "noise_map")
        check_same_geometry(data, noise_map, "noise_map")
        mask = data.mask
        if noise_map.mask != mask:
            if np.any(np.logical_and(~mask.mask, noise_map.mask.mask)):
                raise InputError(
                    "noise_map is masked at pixels where data is not; give a noise value "
                    "for every unmasked data pixel (or mask them in data)"
                )
            noise_map = Array2D(np.asarray(noise_map.native), mask)
        if psf is not None:
            if not isinstance(psf, Kernel2D):
                raise InputError(
                    f"psf must be a Kernel2D (e.g. aa.Kernel2D.no_mask(values, pixel_scales)) "
                    f"or None, got {type(psf).__name__}"
                )
            if psf.use_jax:
                raise InputError("psf must hold NumPy values: a dataset is a fixed constant")
        check_imaging_values(data, noise_map, check_noise_map=check_noise_map)
        self.data = data
        self.noise_map = noise_map
        self.psf = psf
        self.over_sample_size_lp = check_over_sample_size(over_sample_size_lp, mask)
        self.over_sample_size_blurring = _blurring_size_checked(over_sample_size_blurring)
        self.check_noise_map = check_noise_map
        self._unmasked: Imaging | None = None

    # ------------------------------------------------------------ FITS input
    @classmethod
    def from_fits(
        cls,
        data_path,
        pixel_scales,
        noise_map_path,
        psf_path=None,
        data_hdu: int = 0,
        noise_map_hdu: int = 0,
        psf_hdu: int = 0,
        normalize_psf: bool = False,
        over_sample_size_lp=4,
        check_noise_map: bool = True,
        origin=(0.0, 0.0),
        over_sample_size_blurring: int | None = 1,
    ) -> Imaging:
        """Load data, noise map and (optionally) PSF from FITS, stored row order, no flip.

        ``pixel_scales`` in arcsec/pixel. The PSF is normalised only if ``normalize_psf``.
        """
        from xparray.fits_io import ndarray_from_fits

        pixel_scales = pixel_scales_tuple(pixel_scales)
        data = Array2D.no_mask(
            ndarray_from_fits(data_path, hdu=data_hdu), pixel_scales, origin=origin
        )
        noise = Array2D.no_mask(
            ndarray_from_fits(noise_map_path, hdu=noise_map_hdu), pixel_scales, origin=origin
        )
        psf = None
        if psf_path is not None:
            psf = Kernel2D(
                ndarray_from_fits(psf_path, hdu=psf_hdu), pixel_scales, normalize=normalize_psf
            )
        return cls(
            data,
            noise,
            psf=psf,
            over_sample_size_lp=over_sample_size_lp,
            check_noise_map=check_noise_map,
            over_sample_size_blurring=over_sample_size_blurring,
        )

    # ----------------------------------------------------------- FITS output
    def output_to_fits(
        self, data_path, psf_path=None, noise_map_path=None, overwrite: bool = False
    ) -> None:
        """Write data, PSF and noise map (native, zeros where masked) to FITS.

        All-or-nothing: every file is staged to a temporary name first and renamed into
        place only once all of them are written.
        """
        from xparray.fits_io import ndarray_to_fits

        targets = [(Path(data_path), self.data.native)]
        if psf_path is not None:
            if self.psf is None:
                raise InputError("psf_path given but this dataset has no psf")
            targets.append((Path(psf_path), self.psf.native))
        if noise_map_path is not None:
            targets.append((Path(noise_map_path), self.noise_map.native))
        if len({p.resolve() for p, _ in targets}) != len(targets):
            raise InputError("data_path, psf_path and noise_map_path must be different files")
        for path, _ in targets:
            if path.exists() and not overwrite:
                raise InputError(f"{str(path)!r} exists; pass overwrite=True to replace it")
        staged = []
        try:
            for path, values in targets:
                tmp = path.with_name(f".{path.name}.{os.getpid()}.staged")
                ndarray_to_fits(np.asarray(values), tmp, overwrite=True)
                staged.append((tmp, path))
            for tmp, path in staged:
                os.replace(tmp, path)
        finally:
            for tmp, _ in staged:
                if tmp.exists():
                    tmp.unlink()

    # --------------------------------------------------------------- geometry
    @property
    def mask(self) -> Mask2D:
        return self.data.mask

    @property
    def shape_native(self) -> tuple[int, int]:
        return self.data.shape_native

    @property
    def shape_slim(self) -> int:
        return self.data.shape_slim

    @property
    def pixel_scales(self) -> tuple[float, float]:
        return self.data.pixel_scales

    @property
    def unmasked(self) -> Imaging:
        """The dataset this one was masked from (itself if never masked by apply_mask)."""
        return self if self._unmasked is None else self._unmasked

    @property
    def signal_to_noise_map(self) -> Array2D:
        """data / noise_map, negative values set to 0 (PyAutoArray's convention)."""
        snr = np.asarray(self.data.array) / np.asarray(self.noise_map.array)
        return Array2D(np.where(snr < 0.0, 0.0, snr), self.mask)

    @property
    def signal_to_noise_max(self) -> float:
        return float(np.max(self.signal_to_noise_map.array))

    @functools.cached_property
    def noise_normalization(self) -> float:
        """sum ln(2 pi sigma^2) over the unmasked pixels: a dataset constant, computed once."""
        from xparray.fit import fit_util

        return float(fit_util.noise_normalization_from(np.asarray(self.noise_map.array)))

    @functools.cached_property
    def grids(self) -> GridsDataset:
        """``grids.lp`` (unmasked pixels) and ``grids.blurring`` (PSF blurring region)."""
        if self.psf is None:
            return GridsDataset(self.mask, self.over_sample_size_lp)
        return GridsDataset(
            self.mask,
            self.over_sample_size_lp,
            psf_shape_native=self.psf.shape_native,
            blurring_mask=self.convolver.blurring_mask,
            over_sample_size_blurring=self.over_sample_size_blurring,
        )

    @property
    def blurring_mask(self) -> Mask2D | None:
        """Masked pixels whose light the PSF blurs into the mask (None without PSF)."""
        return None if self.psf is None else self.convolver.blurring_mask

    @functools.cached_property
    def convolver(self) -> Convolver | None:
        """The precomputed PSF convolver for this mask (None without PSF)."""
        return None if self.psf is None else self.psf.convolver_from(self.mask)

    # ------------------------------------------------------------ new datasets
    def apply_mask(self, mask: Mask2D) -> Imaging:
        """This dataset restricted to ``mask`` (True = masked), applied to the unmasked data."""
        if not isinstance(mask, Mask2D):
            raise InputError(f"mask must be a Mask2D, got {type(mask).__name__}")
        source = self.unmasked
        if mask.shape_native != source.shape_native:
            raise InputError(
                f"mask has native shape {mask.shape_native} but the dataset has "
                f"{source.shape_native}; build the mask with shape_native=dataset.shape_native"
            )
        if np.any(np.logical_and(~mask.mask, source.mask.mask)):
            raise InputError(
                "mask unmasks pixels that this dataset holds no data for; use a mask inside "
                "the dataset's own mask"
            )
        data = Array2D(np.asarray(source.data.native), mask)
        noise = Array2D(np.asarray(source.noise_map.native), mask)
        new = Imaging(
            data,
            noise,
            psf=self.psf,
            over_sample_size_lp=self._over_sample_size_for(mask),
            check_noise_map=self.check_noise_map,
            over_sample_size_blurring=self.over_sample_size_blurring,
        )
        new._unmasked = source
        return new

    def apply_noise_flag_mask(
        self, threshold: float = NOISE_FLAG_THRESHOLD, mask: Mask2D | None = None
    ) -> Imaging:
        """Mask pixels whose noise is >= ``threshold`` (PyAutoLens's flag for bad pixels),
        on top of ``mask`` (default: the current mask)."""
        noise = self.unmasked.noise_map
        base = self.mask if mask is None else mask
        return self.apply_mask(noise_flag_mask_from(noise, threshold=threshold, mask=base))

    def apply_over_sampling(
        self, over_sample_size_lp=4, over_sample_size_blurring: int | None | str = "keep"
    ) -> Imaging:
        """The same dataset with a new light-profile over-sampling (int or per-pixel).

        ``over_sample_size_blurring``: the blurring region's (int, None = follow ``lp``);
        "keep" (default) keeps this dataset's setting.
        """
        if isinstance(over_sample_size_blurring, str) and over_sample_size_blurring == "keep":
            over_sample_size_blurring = self.over_sample_size_blurring
        new = Imaging(
            self.data,
            self.noise_map,
            psf=self.psf,
            over_sample_size_lp=over_sample_size_lp,
            check_noise_map=self.check_noise_map,
            over_sample_size_blurring=over_sample_size_blurring,
        )
        new._unmasked = self._unmasked
        return new

    def _over_sample_size_for(self, mask: Mask2D):
        """Carry the over-sampling to ``mask``: an int as is; per-pixel sizes via native."""
        size = self.over_sample_size_lp
        if np.ndim(size) == 0:
            return size
        old = self.mask
        if np.any(np.logical_and(~mask.mask, old.mask)):
            raise InputError(
                "the adaptive over_sample_size_lp does not cover the new mask; apply the mask "
                "first, then call apply_over_sampling with sizes for it"
            )
        return np.asarray(Array2D(Array2D(size, old).native, mask).array).astype(int)

    def __repr__(self) -> str:
        psf = None if self.psf is None else self.psf.shape_native
        return (
            f"Imaging(shape_native={self.shape_native}, pixels_in_mask={self.shape_slim}, "
            f"pixel_scales={self.pixel_scales}, psf_shape_native={psf})"
        )


def _blurring_size_checked(size) -> int | None:
    """None, or a whole number >= 1 (one over-sample size for every blurring pixel)."""
    if size is None:
        return None
    if np.ndim(size) != 0 or isinstance(size, bool) or int(size) != size or int(size) < 1:
        raise InputError(
            f"over_sample_size_blurring must be None or a whole number >= 1, got {size!r}"
        )
    return int(size)
