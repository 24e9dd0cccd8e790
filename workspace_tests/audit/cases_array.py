"""Example cases of the array layer: structures, decorators, convolution, fit_util, priors."""

from __future__ import annotations

import functools

import numpy as np

import xparray as aa
from audit.core import Case
from audit.inputs import POINTS, pair, q
from xparray.dataset import fixtures
from xparray.fit import fit_util
from xparray.inference import priors
from xparray.operators import box, convolution, separable
from xparray.operators.box import BoxIndices
from xparray.structures import arrays as aa_arrays

__all__ = ["array_cases", "structure_pytree_examples"]

# ---------------------------------------------------------------- fit_util

_MASK_9 = np.array([False, False, True, False, False, False, True, False, False])


def _fit_util_params(rng_seed: int) -> dict:
    rng = np.random.default_rng(rng_seed)
    return {
        "data": rng.normal(1.0, 0.3, 9),
        "model": rng.normal(1.0, 0.3, 9),
        "noise": rng.uniform(0.5, 1.5, 9),
    }


def _fit_util_cases() -> list[Case]:
    f = fit_util
    unmasked = {
        q(f.residual_map_from): lambda p, xp: f.residual_map_from(p["data"], p["model"], xp=xp),
        q(f.normalized_residual_map_from): lambda p, xp: f.normalized_residual_map_from(
            p["data"] - p["model"], p["noise"], xp=xp
        ),
        q(f.chi_squared_map_from): lambda p, xp: f.chi_squared_map_from(
            p["data"] - p["model"], p["noise"], xp=xp
        ),
        q(f.chi_squared_from): lambda p, xp: f.chi_squared_from(p["data"] ** 2, xp=xp),
        q(f.chi_squared_from_residual_map): lambda p, xp: f.chi_squared_from_residual_map(
            p["data"] - p["model"], p["noise"], xp=xp
        ),
        q(f.noise_normalization_from): lambda p, xp: f.noise_normalization_from(p["noise"], xp=xp),
        q(f.log_likelihood_from): lambda p, xp: f.log_likelihood_from(
            p["data"][0], p["noise"][0], xp=xp
        ),
        q(f.log_likelihood_via_maps_from): lambda p, xp: [
            f.log_likelihood_via_maps_from(p["data"], p["model"], p["noise"], xp=xp),
            f.log_likelihood_via_maps_from(p["data"], p["model"], p["noise"], _MASK_9, xp=xp),
        ],
    }
    masked = {
        q(f.residual_map_with_mask_from): lambda p, xp: f.residual_map_with_mask_from(
            p["data"], _MASK_9, p["model"], xp=xp
        ),
        q(f.normalized_residual_map_with_mask_from): lambda p, xp: (
            f.normalized_residual_map_with_mask_from(
                p["data"] - p["model"], p["noise"], _MASK_9, xp=xp
            )
        ),
        q(f.chi_squared_map_with_mask_from): lambda p, xp: f.chi_squared_map_with_mask_from(
            p["data"] - p["model"], p["noise"], _MASK_9, xp=xp
        ),
        q(f.chi_squared_with_mask_from): lambda p, xp: f.chi_squared_with_mask_from(
            p["data"] ** 2, _MASK_9, xp=xp
        ),
        q(f.noise_normalization_with_mask_from): lambda p, xp: f.noise_normalization_with_mask_from(
            p["noise"], _MASK_9, xp=xp
        ),
    }
    params = _fit_util_params(1)
    # masked pixels with zero noise (and NaN-free data): the masked forms stay finite there
    singular = {**params, "noise": np.where(_MASK_9, 0.0, params["noise"])}
    return [
        Case("fit_util", params, unmasked, [params, _fit_util_params(2), _fit_util_params(3)]),
        Case(
            "fit_util masked",
            params,
            masked,
            [params, singular, _fit_util_params(2)],
            [params, singular],
        ),
    ]


# ---------------------------------------------------------------- priors


@functools.cache
def _prior_objects():
    return (
        aa.UniformPrior(-1.0, 2.0),
        aa.GaussianPrior(0.3, 0.7),
        aa.LogUniformPrior(0.1, 10.0),
        aa.TruncatedGaussianPrior(0.5, 0.4, 0.2, 1.5),
        aa.TruncatedGaussianPrior(0.0, 0.3, 0.5, 2.0),  # interval above the mean (reflected)
    )


def _priors_case() -> Case:
    from xparray.inference.search import nuts

    pr = priors
    params = {"unit": 0.3, "value": 0.7, "z": np.array([-2.0, 0.1, 3.0])}
    # outside every prior's support (finite log prior, double where for LogUniform)
    outside = {"unit": 0.8, "value": -3.0, "z": np.array([-40.0, 0.0, 40.0])}
    entries = {}
    for cls in (aa.UniformPrior, aa.GaussianPrior, aa.LogUniformPrior, aa.TruncatedGaussianPrior):
        instances = [p for p in _prior_objects() if type(p) is cls]
        entries[q(cls.value_for)] = lambda p, xp, ps=instances: [
            prior.value_for(p["unit"], xp=xp) for prior in ps
        ]
        entries[q(cls.log_prior_from_value)] = lambda p, xp, ps=instances: [
            prior.log_prior_from_value(p["value"], xp=xp) for prior in ps
        ]
    entries.update(
        {
            q(pr.uniform_value_from_unit): lambda p, xp: pr.uniform_value_from_unit(
                p["unit"], -1.0, 2.0, xp=xp
            ),
            q(pr.uniform_log_pdf): lambda p, xp: pr.uniform_log_pdf(p["value"], -1.0, 2.0, xp=xp),
            q(pr.gaussian_value_from_unit): lambda p, xp: pr.gaussian_value_from_unit(
                p["unit"], 0.3, 0.7, xp=xp
            ),
            q(pr.gaussian_log_pdf): lambda p, xp: pr.gaussian_log_pdf(p["value"], 0.3, 0.7, xp=xp),
            q(pr.log_uniform_value_from_unit): lambda p, xp: pr.log_uniform_value_from_unit(
                p["unit"], 0.1, 10.0, xp=xp
            ),
            q(pr.log_uniform_log_pdf): lambda p, xp: pr.log_uniform_log_pdf(
                p["value"], 0.1, 10.0, xp=xp
            ),
            q(pr.truncated_gaussian_value_from_unit): lambda p, xp: [
                pr.truncated_gaussian_value_from_unit(p["unit"], 0.5, 0.4, 0.2, 0.9, r, xp=xp)
                for r in (False, True)
            ],
            q(pr.truncated_gaussian_log_pdf): lambda p, xp: pr.truncated_gaussian_log_pdf(
                p["value"], 0.5, 0.4, 0.2, 1.5, -0.2, xp=xp
            ),
            q(nuts.log_jacobian_logistic): lambda p, xp: nuts.log_jacobian_logistic(p["z"], xp=xp),
        }
    )
    scaled = {k: 0.97 * np.asarray(v) for k, v in params.items()}
    return Case("priors", params, entries, [params, outside, scaled], [params, outside])


# ---------------------------------------------------------------- structures


def _structures_case() -> Case:
    mask = fixtures.make_mask_2d_7x7()
    sizes = np.array([1, 2, 1, 2, 3, 2, 1, 2, 1])  # adaptive: grouped bins + slim reorder
    sampler = aa.OverSampler(mask, sub_size=sizes)
    rng = np.random.default_rng(7)
    params = {
        "values": rng.normal(size=9),
        "native": rng.normal(size=(3, 3)),
        "yx": mask.grid_slim + 0.1 * rng.normal(size=(9, 2)),
        "native_yx": rng.normal(size=(3, 3, 2)),
        "sub": rng.normal(size=sampler.total_sub_pixels),
        "coordinate_0": 0.2,
        "coordinate_1": -0.3,
    }
    nd, ar, gr, vc = aa.AbstractNDArray, aa_arrays, aa, aa

    def ops(a):
        return [(2.0 * a + a**2 - a / 3.0).array, (-a).array, abs(a).array, (1.0 - a).array]

    entries = {
        q(nd.__init__): lambda p, xp: ops(nd(p["values"], xp=xp)),
        q(aa.Array2D.__init__): lambda p, xp: [
            aa.Array2D(p["values"], mask, xp=xp).array,
            aa.Array2D(p["values"], mask, xp=xp).native,
        ],
        q(aa.Array2D.no_mask): lambda p, xp: aa.Array2D.no_mask(p["native"], 0.1, xp=xp).array,
        q(aa.ArrayIrregular.__init__): lambda p, xp: aa.ArrayIrregular(p["values"], xp=xp),
        q(ar.native_from_slim): lambda p, xp: ar.native_from_slim(p["values"], mask, xp=xp),
        q(gr.Grid2D.__init__): lambda p, xp: [
            aa.Grid2D(p["yx"], mask, over_sample_size=2, xp=xp).array,
            aa.Grid2D(p["yx"], mask, xp=xp).native,
        ],
        q(gr.Grid2D.no_mask): lambda p, xp: aa.Grid2D.no_mask(p["native_yx"], 0.1, xp=xp),
        q(gr.Grid2D.squared_distances_to_coordinate_from): lambda p, xp: aa.Grid2D(
            p["yx"], mask, xp=xp
        ).squared_distances_to_coordinate_from(pair(p, "coordinate"), xp=xp),
        q(gr.Grid2DIrregular.__init__): lambda p, xp: aa.Grid2DIrregular(p["yx"], xp=xp),
        q(aa.OverSampler.binned_array_2d_from): lambda p, xp: sampler.binned_array_2d_from(
            p["sub"], xp=xp
        ),
        q(vc.VectorYX2D.__init__): lambda p, xp: [
            aa.VectorYX2D(p["yx"], mask, xp=xp).native,
            aa.VectorYX2D(p["yx"], mask, xp=xp).magnitudes,
        ],
        q(vc.VectorYX2DIrregular.__init__): lambda p, xp: (
            aa.VectorYX2DIrregular(p["yx"], xp=xp).magnitudes
        ),
    }
    return Case("structures", params, entries)


# ---------------------------------------------------------------- decorators


class _Toy:
    """A minimal grid consumer with the canonical decorator stacks (DESIGN.md section 5)."""

    def __init__(self, centre, width):
        self.centre, self.width = centre, width

    def transformed_to_reference_frame_grid_from(self, grid, xp=np):
        return aa.structures.unwrap(grid) - xp.stack([self.centre[0], self.centre[1]])

    def rotated_grid_from_reference_frame_from(self, grid, xp=np):
        return -grid

    @aa.decorators.to_array
    @aa.decorators.over_sample
    @aa.decorators.transform
    def image(self, grid, xp=np):
        return xp.exp(-xp.sum(grid.array**2, axis=1) / self.width**2)

    @aa.decorators.to_grid
    @aa.decorators.transform
    def shifted(self, grid, xp=np):
        return grid.array * self.width

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def vectors(self, grid, xp=np):
        return grid.array / (1.0 + self.width)


def _decorators_case() -> Case:
    from xparray.decorators.makers import AbstractMaker

    mask = fixtures.make_mask_2d_7x7()
    grids = (
        aa.Grid2D.from_mask(mask, over_sample_size=3),
        aa.Grid2DIrregular(POINTS),
        POINTS,
    )

    def fn(p, xp):
        toy = _Toy((p["centre_0"], p["centre_1"]), p["width"])
        return [[m(g, xp=xp) for m in (toy.image, toy.shifted, toy.vectors)] for g in grids]

    params = {"centre_0": 0.2, "centre_1": -0.1, "width": 1.3}
    return Case("decorators", params, {q(AbstractMaker.__init__): fn})


# ---------------------------------------------------------------- convolution


def _convolution_case() -> Case:
    mask = fixtures.make_mask_2d_7x7()
    psf = fixtures.make_psf_3x3()
    conv = {m: aa.Convolver(mask, psf, method=m) for m in ("direct", "fft", "separable")}
    blurring_mask = conv["direct"].blurring_mask
    rng = np.random.default_rng(3)
    params = {"image": rng.normal(size=9), "blurring": rng.normal(size=16)}
    cv = convolution.Convolver
    entries = {
        q(cv.convolve_slim): lambda p, xp: [
            conv[m].convolve_slim(p["image"], b, xp=xp) for m in conv for b in (p["blurring"], None)
        ],
        q(cv.convolved_image_from): lambda p, xp: [
            conv[m].convolved_image_from(
                aa.Array2D(p["image"], mask, xp=xp),
                aa.Array2D(p["blurring"], blurring_mask, xp=xp),
                xp=xp,
            )
            for m in conv
        ],
        q(convolution.convolve_direct_from): lambda p, xp: convolution.convolve_direct_from(
            xp.concatenate([p["image"], p["blurring"], xp.zeros(1)]),
            conv["direct"].direct_plan,
            xp=xp,
        ),
        q(convolution.convolve_fft_from): lambda p, xp: convolution.convolve_fft_from(
            xp.concatenate([p["image"], p["blurring"], xp.zeros(1)]), conv["fft"].fft_plan, xp=xp
        ),
        q(separable.convolve_separable_from): lambda p, xp: separable.convolve_separable_from(
            xp.concatenate([p["image"], p["blurring"], xp.zeros(1)]),
            conv["separable"].separable_plan,
            xp=xp,
        ),
        q(box.take_last): lambda p, xp: box.take_last(
            xp.stack([p["image"], 2.0 * p["image"]]), np.array([8, 0, 3, 3], np.int32), xp=xp
        ),
        q(box.box_from): lambda p, xp: box.box_from(
            xp.concatenate([p["image"], p["blurring"], xp.zeros(1)]),
            BoxIndices(conv["fft"].fft_plan.source_index, conv["fft"].fft_plan.target_index),
            conv["fft"].fft_plan.shape,
            xp=xp,
        ),
        q(aa.Kernel2D.convolved_image_from): lambda p, xp: psf.convolved_image_from(
            aa.Array2D(p["image"], mask, xp=xp),
            aa.Array2D(p["blurring"], blurring_mask, xp=xp),
            xp=xp,
        ),
    }
    return Case("convolution", params, entries)


def array_cases() -> list[Case]:
    return [
        *_fit_util_cases(),
        _priors_case(),
        _structures_case(),
        _decorators_case(),
        _convolution_case(),
    ]


def structure_pytree_examples() -> dict:
    """Pytree examples (``{class: builder}``, ``jax.Array`` leaves) of the structures."""
    import jax.numpy as jnp

    mask = fixtures.make_mask_2d_7x7()
    rng = np.random.default_rng(11)
    values, yx = jnp.asarray(rng.normal(size=9)), jnp.asarray(mask.grid_slim + 0.01)
    return {
        aa.Array2D: lambda: aa.Array2D(values, mask),
        aa.ArrayIrregular: lambda: aa.ArrayIrregular(values),
        aa.Grid2D: lambda: aa.Grid2D(yx, mask, over_sample_size=2),
        aa.Grid2DIrregular: lambda: aa.Grid2DIrregular(yx),
        aa.VectorYX2D: lambda: aa.VectorYX2D(yx, mask),
        aa.VectorYX2DIrregular: lambda: aa.VectorYX2DIrregular(yx),
        aa.Kernel2D: lambda: aa.Kernel2D(jnp.asarray(fixtures.make_psf_3x3().native), 1.0),
    }
