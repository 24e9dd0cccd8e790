"""lenstronomy on the reference problem (NumPy only), in its own environment.

    <env>/bin/python benchmarks/peers/lenstronomy_bench.py [--variants ss1] [--quick]

Path ``numpy``: ``ImageModel.likelihood_data_given_model(kwargs_lens, kwargs_source,
kwargs_lens_light)`` (fixed amplitudes, no linear solve) with the data's noise map,
``convolution_type='fft_static'`` (kernel FFT cached), ``supersampling_factor`` 1 or 4
(light over-sampled, convolution on the pixel grid, as PyAutoLens) and ``likelihood_mask``
the 3" circle. Like PyAutoLens, light is only computed (ss1: ``flux_evaluate_indexes``) or
over-sampled (ss4: ``compute_mode='adaptive'``, ``supersampled_indexes``) on the mask plus
its PSF blurring region; both settings reproduce a brute-force image to 1e-13. Parameters converted
from PyAutoLens conventions by ``conventions.py``.

lenstronomy's log L is ``-chi^2/2``; the reported value adds PyAutoLens's noise
normalisation ``-1/2 sum log(2 pi sigma^2)`` (a constant, outside the timed call) so the
numbers compare. The convention check (``extra``) also evaluates lenstronomy with
PyAutoLens's Sersic ``b_n`` swapped in, which should reproduce PyAutoLens's log L.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import VARIANTS, Bench, data_dir, main, module_version  # noqa: E402
from conventions import (  # noqa: E402
    blurring_region,
    fit_mask,
    grid_geometry,
    load_fits,
    noise_normalization,
    pyautogalaxy_b_n,
    true_kwargs,
)

CONVOLUTION = "fft_static"


def image_model(variant: str, convolution_type: str = CONVOLUTION):
    """lenstronomy ImageModel of the reference problem and the noise normalisation."""
    from lenstronomy.Data.imaging_data import ImageData
    from lenstronomy.Data.psf import PSF
    from lenstronomy.ImSim.image_model import ImageModel
    from lenstronomy.LensModel.lens_model import LensModel
    from lenstronomy.LightModel.light_model import LightModel

    path = data_dir()
    data = load_fits(path / "data.fits")
    noise = load_fits(path / "noise_map.fits")
    kernel = load_fits(path / "psf.fits")
    mask = fit_mask(data.shape)
    data_class = ImageData(image_data=data, noise_map=noise, **grid_geometry(data.shape))
    psf_class = PSF(
        psf_type="PIXEL", kernel_point_source=kernel, point_source_supersampling_factor=1
    )
    region = blurring_region(mask, kernel.shape)
    kwargs_numerics = {
        "supersampling_factor": VARIANTS[variant],
        "supersampling_convolution": False,
        "convolution_type": convolution_type,
    }
    if VARIANTS[variant] == 1:
        kwargs_numerics["flux_evaluate_indexes"] = region
    else:
        # With supersampling, 'regular' mode + flux_evaluate_indexes gives a wrong image
        # (checked against a brute-force 4x4 sum: errors of 10 % on the ring), so the
        # fastest exact setting is 'adaptive' mode supersampling only the region that
        # reaches the fit (other pixels at their centres, which never reach it).
        kwargs_numerics["compute_mode"] = "adaptive"
        kwargs_numerics["supersampled_indexes"] = region
    model = ImageModel(
        data_class,
        psf_class,
        lens_model_class=LensModel(["SIE", "SHEAR"]),
        source_model_class=LightModel(["SERSIC_ELLIPSE"]),
        lens_light_model_class=LightModel(["SERSIC_ELLIPSE"]),
        kwargs_numerics=kwargs_numerics,
        likelihood_mask=mask.astype(int),
    )
    return model, -0.5 * noise_normalization(noise, mask), int(mask.sum())


class LenstronomyBench(Bench):
    name = "lenstronomy"
    paths = ("numpy",)

    def build(self, variant: str, case: str) -> None:
        self.model, self.constant, self.n_pix = image_model(variant)
        assert self.n_pix == 2828, self.n_pix
        self.kwargs = true_kwargs()

    def make(self, path: str):
        if path != "numpy":
            raise ValueError(path)
        model, kw = self.model, self.kwargs
        return (
            lambda: model.likelihood_data_given_model(**kw),
            lambda r: float(r) + self.constant,
        )

    def versions(self) -> dict:
        return super().versions() | {
            "lenstronomy": module_version("lenstronomy"),
            "scipy": module_version("scipy"),
        }

    def notes(self) -> dict:
        return {
            "paths": {
                "numpy": "ImageModel.likelihood_data_given_model(**kwargs), fixed amplitudes, "
                f"convolution_type={CONVOLUTION!r}; ss1 flux_evaluate_indexes = mask + "
                "blurring region; ss4 compute_mode='adaptive', supersampled_indexes = mask + "
                "blurring region",
            },
            "log_likelihood": "lenstronomy's -chi2/2 plus -1/2 sum log(2 pi sigma^2) "
            "(PyAutoLens's noise normalisation), added outside the timed call",
        }

    def extra(self, args, variants) -> dict:
        """Convention check: lenstronomy with PyAutoLens's Sersic b_n, all convolutions."""
        from lenstronomy.LensModel.Profiles import sersic_utils

        out = {}
        for variant in variants:
            row = {}
            for conv in ("fft_static", "fft", "grid"):
                model, constant, _ = image_model(variant, conv)
                row[f"log_l_native_{conv}"] = (
                    float(model.likelihood_data_given_model(**true_kwargs())) + constant
                )
            with pyautogalaxy_b_n(sersic_utils.SersicUtil):
                model, constant, _ = image_model(variant)
                row["log_l_with_pyautogalaxy_b_n"] = (
                    float(model.likelihood_data_given_model(**true_kwargs())) + constant
                )
            out[variant] = row
            print(f"[lenstronomy] convention check {variant}: {row}", file=sys.stderr)
        return {"convention_check": out}


if __name__ == "__main__":
    main(LenstronomyBench(), __file__, description=__doc__.splitlines()[0])
