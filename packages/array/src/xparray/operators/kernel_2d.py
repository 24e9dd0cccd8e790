"""Kernel2D: a point spread function (PSF) on a uniform, odd-sized pixel grid.

A Kernel2D is an Array2D with no mask (every pixel used). Its native array follows the
image convention (row 0 at the top, largest y); convolution is a true convolution, as
``scipy.signal.convolve2d(image, kernel, mode="same")`` (PyAutoArray's convention).
"""

from __future__ import annotations

import numpy as np

from xparray.backend import is_jax_array
from xparray.errors import InputError
from xparray.mask.mask_2d import Mask2D
from xparray.operators.convolution import Convolver, kernel_values_checked
from xparray.structures.abstract_ndarray import unwrap
from xparray.structures.arrays import Array2D

__all__ = ["Kernel2D", "gaussian_kernel_values_from"]


def gaussian_kernel_values_from(
    shape_native, sigma: float, pixel_scales, centre=(0.0, 0.0), axis_ratio=1.0, angle=0.0
) -> np.ndarray:
    """Native values of an elliptical Gaussian on pixel centres (PyAutoArray convention).

    ``(1 / (sigma sqrt(2 pi))) exp(-r^2 / (2 sigma^2))`` with the elliptical radius
    ``r = sqrt(x'^2 + (y' / axis_ratio)^2)`` in the frame rotated by ``angle`` (degrees
    counter-clockwise from +x) about ``centre`` (y, x) arcsec; ``sigma`` in arcsec.
    The prefactor is PyAutoArray's (``Kernel2D.from_gaussian``), irrelevant once normalised.
    """
    if not sigma > 0:
        raise InputError(f"sigma must be positive (arcsec), got {sigma}")
    if not 0.0 < axis_ratio <= 1.0:
        raise InputError(f"axis_ratio must be in (0, 1], got {axis_ratio}")
    mask = Mask2D.all_false(shape_native, pixel_scales)
    grid = mask.grid_slim - np.asarray(centre, dtype=float)
    r = np.hypot(grid[:, 0], grid[:, 1])
    theta = np.arctan2(grid[:, 0], grid[:, 1]) - np.radians(angle)
    y_rot, x_rot = r * np.sin(theta), r * np.cos(theta)
    r_ell = np.sqrt(x_rot**2 + (y_rot / axis_ratio) ** 2)
    values = np.exp(-0.5 * (r_ell / sigma) ** 2) / (sigma * np.sqrt(2.0 * np.pi))
    return values.reshape(mask.shape_native)


class Kernel2D(Array2D):
    """A PSF kernel: native 2D ``values`` (odd shape), ``pixel_scales`` in arcsec/pixel.

    ``normalize=True`` divides the values by their sum. Even-sized, non-finite or all-zero
    kernels raise InputError. A kernel built from a ``jax.Array`` skips the value checks
    (they would need concrete values) and cannot build a :class:`Convolver`.
    """

    def __init__(self, values, pixel_scales, normalize: bool = False, origin=(0.0, 0.0)):
        raw = unwrap(values)
        if is_jax_array(raw):
            if raw.ndim != 2:
                raise InputError(f"values must be a 2D (native) kernel, got shape {raw.shape}")
            arr = raw / raw.sum() if normalize else raw
        else:
            arr = kernel_values_checked(raw, name="values")
            if normalize:
                total = arr.sum()
                if total == 0.0:
                    raise InputError(
                        "values sum to zero; a kernel with zero sum cannot be normalized"
                    )
                arr = arr / total
        super().__init__(arr, Mask2D.all_false(arr.shape, pixel_scales, origin))
        self._convolvers: dict = {}

    # ------------------------------------------------------------- constructors
    @classmethod
    def no_mask(cls, values, pixel_scales, normalize: bool = False, origin=(0.0, 0.0)) -> Kernel2D:
        """A kernel from native 2D ``values`` (same as the constructor; PyAutoArray name)."""
        return cls(values, pixel_scales, normalize=normalize, origin=origin)

    @classmethod
    def no_blur(cls, pixel_scales) -> Kernel2D:
        """The 3x3 identity kernel (1 at the centre): convolution leaves images unchanged."""
        values = np.zeros((3, 3))
        values[1, 1] = 1.0
        return cls(values, pixel_scales)

    @classmethod
    def from_gaussian(
        cls,
        shape_native,
        sigma: float,
        pixel_scales,
        centre=(0.0, 0.0),
        axis_ratio: float = 1.0,
        angle: float = 0.0,
        normalize: bool = True,
    ) -> Kernel2D:
        """An elliptical Gaussian PSF (``sigma`` arcsec, ``angle`` degrees ccw from +x)."""
        values = gaussian_kernel_values_from(
            shape_native, sigma, pixel_scales, centre=centre, axis_ratio=axis_ratio, angle=angle
        )
        return cls(values, pixel_scales, normalize=normalize)

    @classmethod
    def from_fits(
        cls, file_path, hdu: int, pixel_scales, normalize: bool = False, origin=(0.0, 0.0)
    ) -> Kernel2D:
        """Load a PSF from HDU ``hdu`` of a FITS file, stored row order (no flip)."""
        from xparray.fits_io import ndarray_from_fits

        return cls(ndarray_from_fits(file_path, hdu=hdu), pixel_scales, normalize, origin)

    # -------------------------------------------------------------- properties
    @property
    def normalized(self) -> Kernel2D:
        """This kernel divided by its sum (PSF conserving total flux)."""
        return Kernel2D(self.native, self.pixel_scales, normalize=True, origin=self.mask.origin)

    def with_new_array(self, values):
        new = super().with_new_array(values)
        new._convolvers = {}  # convolvers bake in the old values
        return new

    # ------------------------------------------------------------- convolution
    def convolver_from(self, mask: Mask2D, method: str = "auto") -> Convolver:
        """The (cached) :class:`Convolver` of this kernel for ``mask``."""
        if self.use_jax:
            raise InputError("a Convolver needs a concrete (NumPy) kernel, not a jax.Array")
        key = (mask, method)
        conv = self._convolvers.get(key)
        if conv is None:
            conv = Convolver(mask, self.native, method=method)
            self._convolvers[key] = conv
        return conv

    def convolved_image_from(self, image: Array2D, blurring_image: Array2D | None, xp=np):
        """Blur ``image`` (Array2D on a mask) and the light of ``blurring_image`` (Array2D on
        ``image.mask.blurring_mask_from(self.shape_native)``, or None) into the mask.

        Returns an Array2D on ``image.mask``.
        """
        if not isinstance(image, Array2D):
            raise InputError("image must be an Array2D (use Convolver.convolve_slim for raw)")
        conv = self.convolver_from(image.mask)
        return conv.convolved_image_from(image, blurring_image, xp=xp)

    def convolved_array_from(self, array: Array2D) -> Array2D:
        """Convolve ``array.native`` (zeros where masked) and return it on ``array.mask``.

        NumPy only (``scipy.signal.fftconvolve``): light outside the mask is taken as zero.
        """
        from scipy.signal import fftconvolve

        native = np.asarray(array.native)
        blurred = fftconvolve(native, np.asarray(self.native), mode="same")
        return Array2D(blurred, array.mask)

    def __repr__(self) -> str:
        return f"Kernel2D(shape_native={self.shape_native}, pixel_scales={self.pixel_scales})"
