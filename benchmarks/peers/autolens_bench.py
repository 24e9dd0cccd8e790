"""PyAutoLens on the reference problem, in its own environment (``autolens`` + ``jax``).

    <env>/bin/python benchmarks/peers/autolens_bench.py [--variants ss1] [--quick]

Same data, mask, PSF, model and true parameters as xplens (PyAutoLens conventions are the
reference's own, so no conversion). Paths, as PyAutoLens's workspace recommends for JAX:
numpy ``AnalysisImaging(use_jax=False).log_likelihood_function(instance)``;
jit ``af.Fitness(...)._jit(vector)`` (its ``"scalar"`` objective, ``jax.jit(call)``);
vmap ``Fitness._vmap(batch of 64)`` (``jax.jit(jax.vmap(call))``), time per vector;
grad ``Fitness.objective("value_and_grad")`` (jitted value and gradient).

``PEER_SYNC_CPU_DISPATCH=1`` in the environment runs JAX's CPU programs synchronously, as
xplens does by default (``xparray.backend.configure_cpu``): not PyAutoLens's
recommended setting, but it shows what the same runtime setting gives it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from common import (  # noqa: E402
    BATCH_SIZE,
    PATHS,
    TRUTH,
    VARIANTS,
    Bench,
    data_dir,
    main,
    module_version,  # noqa: E402
)

MASK_RADIUS = 3.0
PIXEL_SCALE = 0.1

if os.environ.get("PEER_SYNC_CPU_DISPATCH") == "1":
    import jax

    jax.config.update("jax_cpu_enable_async_dispatch", False)


def truth_vector(model) -> np.ndarray:
    """True values in the model's vector order (its ``paths``: ..., component, name[, name_i])."""
    table = {
        ("lens", "bulge"): TRUTH["lens_light"],
        ("lens", "mass"): TRUTH["lens_mass"],
        ("lens", "shear"): TRUTH["shear"],
        ("source", "bulge"): TRUTH["source_light"],
    }
    out = []
    for path in model.paths:
        galaxy, component, name = path[1], path[2], path[3]
        value = table[(galaxy, component)][name]
        out.append(value[int(path[4][-1])] if isinstance(value, tuple) else value)
    return np.asarray(out, dtype=float)


def perturbed_batch(vector: np.ndarray, n: int = BATCH_SIZE, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    batch = np.tile(vector, (n, 1))
    batch[1:] += 1e-3 * (np.abs(vector) + 0.01) * rng.standard_normal((n - 1, vector.size))
    return batch


class AutolensBench(Bench):
    name = "autolens"
    paths = PATHS

    def build(self, variant: str, case: str) -> None:
        import autofit as af
        import autolens as al

        path = data_dir()
        dataset = al.Imaging.from_fits(
            data_path=path / "data.fits",
            noise_map_path=path / "noise_map.fits",
            psf_path=path / "psf.fits",
            pixel_scales=PIXEL_SCALE,
        )
        mask = al.Mask2D.circular(
            shape_native=dataset.shape_native, pixel_scales=PIXEL_SCALE, radius=MASK_RADIUS
        )
        self.dataset = dataset.apply_mask(mask=mask).apply_over_sampling(
            over_sample_size_lp=VARIANTS[variant]
        )
        lens = af.Model(
            al.Galaxy,
            redshift=0.5,
            bulge=al.lp.Sersic,
            mass=al.mp.Isothermal,
            shear=al.mp.ExternalShear,
        )
        source = af.Model(al.Galaxy, redshift=1.0, bulge=al.lp.Sersic)
        self.model = af.Collection(galaxies=af.Collection(lens=lens, source=source))
        self.vector = truth_vector(self.model)
        instance = self.model.instance_from_vector(vector=self.vector)
        # the vector order must put every true value in its place
        assert instance.galaxies.lens.mass.einstein_radius == 1.6
        assert instance.galaxies.source.bulge.centre == (0.1, 0.1)
        assert instance.galaxies.lens.bulge.sersic_index == 3.0
        self.instance = instance

    def _fitness(self):
        import autolens as al
        from autofit.non_linear.fitness import Fitness

        analysis = al.AnalysisImaging(dataset=self.dataset, use_jax=True)
        return Fitness(
            model=self.model,
            analysis=analysis,
            fom_is_log_likelihood=True,
            resample_figure_of_merit=-1.0e99,
        )

    def make(self, path: str):
        if path == "numpy":
            import autolens as al

            analysis = al.AnalysisImaging(dataset=self.dataset, use_jax=False)
            return lambda: analysis.log_likelihood_function(instance=self.instance), float

        import jax

        fitness = self._fitness()
        vector = np.array(self.vector)
        if path == "jit":
            jitted = fitness._jit
            return lambda: jitted(vector).block_until_ready(), float
        if path == "vmap":
            batch = perturbed_batch(vector)
            batched = fitness._vmap
            return lambda: batched(batch).block_until_ready(), lambda r: float(r[0])
        if path == "grad":
            value_and_grad = fitness.objective("value_and_grad")
            return lambda: jax.block_until_ready(value_and_grad(vector)), lambda r: float(r[0])
        raise ValueError(path)

    def versions(self) -> dict:
        return super().versions() | {
            "autolens": module_version("autolens"),
            "autofit": module_version("autofit"),
            "autoarray": module_version("autoarray"),
            "jax": module_version("jax"),
            "jaxlib": module_version("jaxlib"),
        }

    def notes(self) -> dict:
        return {
            "paths": {
                "numpy": "AnalysisImaging(use_jax=False).log_likelihood_function(instance)",
                "jit": "af.Fitness(model, AnalysisImaging(use_jax=True))._jit(vector)",
                "vmap": "af.Fitness._vmap(batch of 64): jax.jit(jax.vmap(call)); ms per vector",
                "grad": "af.Fitness.objective('value_and_grad')(vector)",
            }
        }


if __name__ == "__main__":
    main(AutolensBench(), __file__, description=__doc__.splitlines()[0])
