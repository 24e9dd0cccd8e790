"""PyAutoLens on the problems of ``bench_adaptive_compile.py`` (adaptive over-sampling).

    <env>/bin/python benchmarks/peers/autolens_adaptive.py --worker --problem=sersic --path=jit

Run by ``bench_adaptive_compile.py`` in PyAutoLens's own interpreter (``--peer-python``),
which prints it side by side with xplens; without ``--worker`` it runs the same driver for
PyAutoLens alone. ``sersic``: ``al.lp.Sersic.image_2d_from`` on an adaptively over-sampled
``Grid2D`` (PyAutoArray bins with ``jax.ops.segment_sum``); ``likelihood``: the
reference likelihood of ``autolens_bench.py`` with the dataset re-over-sampled adaptively
(``over_sample_size_lp`` one size per pixel), ``Fitness._jit`` / value-and-grad.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from autolens_bench import AutolensBench  # noqa: E402
from bench_adaptive_compile import (  # noqa: E402
    LIKELIHOOD_RADII,
    LIKELIHOOD_SUB_SIZES,
    MASK,
    SERSIC,
    SERSIC_BINS,
    SERSIC_CENTRE,
    driver,
    worker_main,
)


def autolens_make(problem: str, strategy: str, path: str):
    import autolens as al
    import jax
    import jax.numpy as jnp
    import numpy as np

    radial_bins = al.util.over_sample.over_sample_size_via_radial_bins_from
    if problem == "sersic":
        mask = al.Mask2D.circular(
            shape_native=MASK["shape"], radius=MASK["radius"], pixel_scales=MASK["pixel_scale"]
        )
        grid = al.Grid2D.from_mask(mask=mask, over_sample_size=1)
        sizes = np.max(
            [
                np.asarray(
                    radial_bins(
                        grid=grid,
                        sub_size_list=b["sub_size_list"],
                        radial_list=b["radial_list"],
                        centre_list=[b["centre"]],
                    )
                )
                for b in SERSIC_BINS
            ],
            axis=0,
        )
        adaptive = al.Grid2D.from_mask(mask=mask, over_sample_size=al.Array2D(sizes, mask=mask))

        def f(p):
            light = al.lp.Sersic(centre=(p[0], p[1]), **SERSIC)
            return jnp.sum(light.image_2d_from(grid=adaptive, xp=jnp).array ** 2)

        p0 = jnp.asarray(SERSIC_CENTRE)

        def make_run():
            fn = jax.jit(f) if path == "jit" else jax.jit(jax.grad(f))
            return lambda: fn(p0).block_until_ready()

        return make_run, (lambda r: float(r) if path == "jit" else float(r[0]))

    bench = AutolensBench()
    bench.build("ss1", "ref")
    sizes = radial_bins(
        grid=bench.dataset.grid,
        sub_size_list=list(LIKELIHOOD_SUB_SIZES),
        radial_list=list(LIKELIHOOD_RADII),
        centre_list=[(0.0, 0.0)],
    )
    bench.dataset = bench.dataset.apply_over_sampling(over_sample_size_lp=sizes)

    def make_run():
        return bench.make(path)[0]  # a fresh af.Fitness each time

    return make_run, (lambda r: float(r) if path == "jit" else float(r[0]))


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        worker_main("autolens", autolens_make, sys.argv[1:])
    else:
        driver(sys.argv[1:], autolens_only=True)
