"""herculens (differentiable lens modelling in JAX) on the reference problem, own environment.

    <env>/bin/python benchmarks/peers/herculens_bench.py [--variants ss1] [--quick]

herculens follows lenstronomy's conventions except that its Sersic radius is along the
major axis (``conventions.py`` converts the true parameters). A flat vector of the 21 parameters is unpacked into keyword lists inside the
traced function ``vector -> LensImage.model(...) -> -1/2 chi^2`` over the 3" mask with the
data's noise map (herculens's Gaussian likelihood without priors: its ``ProbModel``/
``Loss`` add numpyro priors, which PyAutoLens's log L does not contain). The function is
``jax.jit`` (jit), ``jax.jit(jax.vmap(...))`` (vmap, 64 rows) and
``jax.jit(jax.value_and_grad(...))`` (grad). Light is computed on the whole image
(``supersampling_factor`` 1 or 4), convolution ``'jax_scipy_fft'`` (its default).

The reported log L adds PyAutoLens's noise normalisation (outside the timed call).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from common import BATCH_SIZE, VARIANTS, Bench, data_dir, main, module_version  # noqa: E402
from conventions import (  # noqa: E402
    PIXEL_SCALE,
    fit_mask,
    flat_layout,
    grid_geometry,
    kwargs_from_vector,
    load_fits,
    noise_normalization,
    perturbed_batch,
    pyautogalaxy_b_n,
    true_kwargs,
    vector_from_kwargs,
)

CONVOLUTION = "jax_scipy_fft"


def lens_image(variant: str):
    """herculens LensImage, data, inverse variance times mask, and the noise constant."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from herculens.Coordinates.pixel_grid import PixelGrid
        from herculens.Instrument.noise import Noise
        from herculens.Instrument.psf import PSF
        from herculens.LensImage.lens_image import LensImage
        from herculens.LightModel.light_model import LightModel
        from herculens.MassModel.mass_model import MassModel

    path = data_dir()
    data = load_fits(path / "data.fits")
    noise = load_fits(path / "noise_map.fits")
    kernel = load_fits(path / "psf.fits")
    mask = fit_mask(data.shape)
    ny, nx = data.shape
    image = LensImage(
        PixelGrid(nx=nx, ny=ny, **grid_geometry(data.shape)),
        PSF(psf_type="PIXEL", kernel_point_source=kernel, pixel_size=PIXEL_SCALE),
        noise_class=Noise(nx, ny, noise_map=noise),
        lens_mass_model_class=MassModel(["SIE", "SHEAR"]),
        source_model_class=LightModel(["SERSIC_ELLIPSE"]),
        lens_light_model_class=LightModel(["SERSIC_ELLIPSE"]),
        kwargs_numerics={
            "supersampling_factor": VARIANTS[variant],
            "convolution_type": CONVOLUTION,
        },
    )
    weight = np.where(mask, 1.0 / noise**2, 0.0)
    return image, data, weight, -0.5 * noise_normalization(noise, mask)


class HerculensBench(Bench):
    name = "herculens"
    paths = ("jit", "vmap", "grad")

    def build(self, variant: str, case: str) -> None:
        import jax

        jax.config.update("jax_enable_x64", True)
        self.image, self.data, self.weight, self.constant = lens_image(variant)
        # herculens's SERSIC_ELLIPSE radius is along the major axis (radius_major_axis=True)
        self.template = true_kwargs(sersic_major_axis=True)
        self.layout = flat_layout(self.template)
        self.vector = vector_from_kwargs(self.template, self.layout)

    def log_l(self, vector):
        import jax.numpy as jnp

        model = self.image.model(**kwargs_from_vector(vector, self.layout, self.template))
        return -0.5 * jnp.sum((self.data - model) ** 2 * self.weight)

    def make(self, path: str):
        import jax

        vector = np.array(self.vector)
        add = self.constant
        if path == "jit":
            fn = jax.jit(self.log_l)
            return lambda: fn(vector).block_until_ready(), lambda r: float(r) + add
        if path == "vmap":
            fn = jax.jit(jax.vmap(self.log_l))
            batch = perturbed_batch(vector, BATCH_SIZE)
            return lambda: fn(batch).block_until_ready(), lambda r: float(r[0]) + add
        if path == "grad":
            fn = jax.jit(jax.value_and_grad(self.log_l))
            return lambda: jax.block_until_ready(fn(vector)), lambda r: float(r[0]) + add
        raise ValueError(path)

    def versions(self) -> dict:
        return super().versions() | {
            "herculens": module_version("herculens"),
            "jax": module_version("jax"),
            "jaxlib": module_version("jaxlib"),
        }

    def notes(self) -> dict:
        return {
            "paths": {
                "jit": "jax.jit(vector -> kwargs -> LensImage.model -> -chi2/2 on the mask)",
                "vmap": "jax.jit(jax.vmap(...)) on 64 rows; ms per vector",
                "grad": "jax.jit(jax.value_and_grad(...))",
            },
            "numerics": f"whole image evaluated, convolution_type={CONVOLUTION!r}",
            "log_likelihood": "-chi2/2 plus PyAutoLens's noise normalisation (untimed)",
        }

    def extra(self, args, variants) -> dict:
        """Convention check: log L at the truth with PyAutoGalaxy's Sersic b_n swapped in."""
        import jax
        from herculens.LightModel.Profiles.sersic import SersicBase

        out = {}
        for variant in variants:
            with pyautogalaxy_b_n(SersicBase):
                self.build(variant, "ref")
                value = float(jax.jit(self.log_l)(self.vector)) + self.constant
            out[variant] = {"log_l_with_pyautogalaxy_b_n": value}
            print(f"[{self.name}] convention check {variant}: {out[variant]}", file=sys.stderr)
        return {"convention_check": out}


if __name__ == "__main__":
    main(HerculensBench(), __file__, description=__doc__.splitlines()[0])
