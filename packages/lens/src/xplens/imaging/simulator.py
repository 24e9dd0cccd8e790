"""SimulatorImaging: realistic mock imaging of a tracer (PSF, sky, Poisson noise).

Follows PyAutoArray's simulator: the image is computed on a grid padded by half the PSF so
light just outside the field blurs in, convolved with the PSF and trimmed; the background
sky (e-/s) is added; counts ``(image + sky) * exposure_time`` get Poisson noise; the noise
map is ``sqrt(counts) / exposure_time`` of the noisy counts; the sky is subtracted again.
The same ``noise_seed`` gives identical data.
"""

from __future__ import annotations

import numpy as np

import xparray as aa

__all__ = ["SimulatorImaging"]


class SimulatorImaging:
    """Simulate imaging (e-/s) with exposure time (s), sky (e-/s) and a PSF."""

    def __init__(
        self,
        exposure_time: float,
        background_sky_level: float = 0.0,
        psf: aa.Kernel2D | None = None,
        add_poisson_noise_to_data: bool = True,
        noise_seed: int = -1,
        noise_if_add_noise_false: float = 0.1,
    ):
        if not np.isfinite(exposure_time) or exposure_time <= 0:
            raise aa.InputError(f"exposure_time must be positive seconds, got {exposure_time!r}")
        if not np.isfinite(background_sky_level) or background_sky_level < 0:
            raise aa.InputError(
                f"background_sky_level must be >= 0 e-/s, got {background_sky_level!r}"
            )
        if psf is not None and not isinstance(psf, aa.Kernel2D):
            raise aa.InputError("psf must be an al.Kernel2D, e.g. al.Kernel2D.from_gaussian(...)")
        self.exposure_time = float(exposure_time)
        self.background_sky_level = float(background_sky_level)
        self.psf = psf
        self.add_poisson_noise_to_data = bool(add_poisson_noise_to_data)
        self.noise_seed = int(noise_seed)
        self.noise_if_add_noise_false = float(noise_if_add_noise_false)

    def _padded_grid(self, grid: aa.Grid2D) -> tuple[aa.Grid2D, tuple[int, int]]:
        if self.psf is None:
            return grid, (0, 0)
        py, px = (s // 2 for s in self.psf.shape_native)
        ny, nx = grid.shape_native
        mask = aa.Mask2D.all_false((ny + 2 * py, nx + 2 * px), grid.pixel_scales, grid.mask.origin)
        size = grid.over_sample_size
        if np.ndim(size) != 0:  # adaptive sizes: carry them over, pad with the smallest
            native = np.asarray(aa.Array2D(np.asarray(size, float), grid.mask).native)
            size = np.pad(native, ((py, py), (px, px)), constant_values=native.min())
            size = size.ravel().astype(int)
        return aa.Grid2D.from_mask(mask, over_sample_size=size), (py, px)

    def via_image_from(
        self, image_native: np.ndarray, pixel_scales, origin=(0.0, 0.0)
    ) -> aa.Imaging:
        """Imaging from a noiseless native image (already padded by half the PSF)."""
        from scipy.signal import fftconvolve

        image = np.asarray(image_native, dtype=float)
        if self.psf is not None:
            py, px = (s // 2 for s in self.psf.shape_native)
            kernel = np.asarray(self.psf.native)
            image = fftconvolve(image, kernel, mode="same")[
                py : image.shape[0] - py, px : image.shape[1] - px
            ]
        image = image + self.background_sky_level
        if self.add_poisson_noise_to_data:
            rng = np.random.default_rng(None if self.noise_seed < 0 else self.noise_seed)
            counts = np.clip(image * self.exposure_time, 0.0, None)
            noisy = rng.poisson(counts).astype(float) / self.exposure_time
            noise_map = np.sqrt(np.abs(noisy * self.exposure_time)) / self.exposure_time
            # a pixel with zero counts still has a Poisson uncertainty of about one count
            noise_map = np.where(noise_map > 0, noise_map, 1.0 / self.exposure_time)
            image = noisy
        else:
            noise_map = np.full(image.shape, self.noise_if_add_noise_false)
        image = image - self.background_sky_level
        data = aa.Array2D.no_mask(image, pixel_scales, origin=origin)
        noise = aa.Array2D.no_mask(noise_map, pixel_scales, origin=origin)
        psf = self.psf if self.psf is not None else None
        return aa.Imaging(data, noise, psf=psf, over_sample_size_lp=1)

    def via_tracer_from(self, tracer, grid: aa.Grid2D) -> aa.Imaging:
        """Imaging of ``tracer`` on the uniform ``grid`` (its over-sampling is used)."""
        if not isinstance(grid, aa.Grid2D) or not grid.mask.is_all_false:
            raise aa.InputError("grid must be an unmasked Grid2D, e.g. al.Grid2D.uniform(...)")
        padded, _ = self._padded_grid(grid)
        image = tracer.image_2d_from(padded)
        return self.via_image_from(np.asarray(image.native), grid.pixel_scales, grid.mask.origin)

    def via_galaxies_from(self, galaxies, grid: aa.Grid2D, cosmology=None) -> aa.Imaging:
        from xplens.tracer.tracer import Tracer

        return self.via_tracer_from(Tracer(list(galaxies), cosmology=cosmology), grid)
