"""jaxtronomy (lenstronomy in JAX) on the reference problem, in its own environment.

    <env>/bin/python benchmarks/peers/jaxtronomy_bench.py [--variants ss1] [--quick]

The model is lenstronomy's (``conventions.py`` converts the true parameters); one flat
vector of the 21 lenstronomy parameters is unpacked into keyword lists inside the traced
function ``vector -> ImageModel.likelihood_data_given_model(...)`` (fixed amplitudes),
which is then ``jax.jit`` (jit), ``jax.jit(jax.vmap(...))`` (vmap, 64 rows) and
``jax.jit(jax.value_and_grad(...))`` (grad). jaxtronomy has no NumPy path (lenstronomy
is that) and no adaptive or masked evaluation: light is computed on the whole image
(``supersampling_factor`` 1 or 4, FFT convolution on the pixel grid).

The reported log L adds PyAutoLens's noise normalisation (outside the timed call).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from common import BATCH_SIZE, VARIANTS, Bench, data_dir, main, module_version  # noqa: E402
from conventions import (  # noqa: E402
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

CONVOLUTION = "fft"


def image_model(variant: str):
    from jaxtronomy.Data.imaging_data import ImageData
    from jaxtronomy.ImSim.image_model import ImageModel
    from jaxtronomy.LensModel.lens_model import LensModel
    from jaxtronomy.LightModel.light_model import LightModel
    from lenstronomy.Data.psf import PSF  # jaxtronomy uses lenstronomy's PSF class

    path = data_dir()
    data = load_fits(path / "data.fits")
    noise = load_fits(path / "noise_map.fits")
    kernel = load_fits(path / "psf.fits")
    mask = fit_mask(data.shape)
    model = ImageModel(
        ImageData(image_data=data, noise_map=noise, **grid_geometry(data.shape)),
        PSF(psf_type="PIXEL", kernel_point_source=kernel, point_source_supersampling_factor=1),
        lens_model_class=LensModel(["SIE", "SHEAR"]),
        source_model_class=LightModel(["SERSIC_ELLIPSE"]),
        lens_light_model_class=LightModel(["SERSIC_ELLIPSE"]),
        kwargs_numerics={
            "supersampling_factor": VARIANTS[variant],
            "supersampling_convolution": False,
            "convolution_type": CONVOLUTION,
        },
        likelihood_mask=mask.astype(int),
    )
    return model, -0.5 * noise_normalization(noise, mask)


class JaxtronomyBench(Bench):
    name = "jaxtronomy"
    paths = ("jit", "vmap", "grad")

    def build(self, variant: str, case: str) -> None:
        import jax

        jax.config.update("jax_enable_x64", True)
        self.model, self.constant = image_model(variant)
        self.template = true_kwargs()
        self.layout = flat_layout(self.template)
        self.vector = vector_from_kwargs(self.template, self.layout)

    def log_l(self, vector):
        return self.model.likelihood_data_given_model(
            **kwargs_from_vector(vector, self.layout, self.template)
        )

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
            "jaxtronomy": module_version("jaxtronomy"),
            "jax": module_version("jax"),
            "jaxlib": module_version("jaxlib"),
        }

    def notes(self) -> dict:
        return {
            "paths": {
                "jit": "jax.jit(vector -> kwargs -> ImageModel.likelihood_data_given_model)",
                "vmap": "jax.jit(jax.vmap(...)) on 64 rows; ms per vector",
                "grad": "jax.jit(jax.value_and_grad(...))",
            },
            "numerics": f"whole image evaluated, convolution_type={CONVOLUTION!r}",
            "log_likelihood": "-chi2/2 plus PyAutoLens's noise normalisation (untimed)",
        }

    def extra(self, args, variants) -> dict:
        """Convention check: log L at the truth with PyAutoGalaxy's Sersic b_n swapped in."""
        import jax
        from jaxtronomy.LensModel.Profiles.sersic_utils import SersicUtil

        out = {}
        for variant in variants:
            with pyautogalaxy_b_n(SersicUtil):
                self.build(variant, "ref")
                value = float(jax.jit(self.log_l)(self.vector)) + self.constant
            out[variant] = {"log_l_with_pyautogalaxy_b_n": value}
            print(f"[{self.name}] convention check {variant}: {out[variant]}", file=sys.stderr)
        return {"convention_check": out}


if __name__ == "__main__":
    main(JaxtronomyBench(), __file__, description=__doc__.splitlines()[0])
