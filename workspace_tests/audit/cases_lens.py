"""Example cases of the lens layer (Tracer, FitImaging) and of model composition / Fitness
(which needs an analysis), and the pytree examples of the higher-level objects."""

from __future__ import annotations

import functools

import numpy as np

import xparray as aa
import xpgalaxy as ag
import xplens as al
from audit.core import Case
from audit.inputs import (
    LIGHT_PARAMS,
    MASS_PARAMS,
    PLUMBING,
    POINTS,
    lens_dataset,
    lens_galaxy,
    q,
    tracer,
)
from xparray.dataset import fixtures
from xpgalaxy.imaging import fit_imaging as galaxy_fit
from xplens.tracer import planes as lens_planes

__all__ = ["lens_cases", "lens_pytree_examples"]

# ---------------------------------------------------------------- model composition


@functools.cache
def _model_and_fitness():
    # spherical profiles: 7 free parameters (each adds a prior transform to every graph);
    # the priors themselves are audited in the 'priors' case
    lens = al.Model(al.Galaxy, redshift=0.5, mass=al.mp.IsothermalSph)
    source = al.Model(al.Galaxy, redshift=1.0, light=al.lp.GaussianSph)
    model = al.Collection(galaxies=al.Collection(lens=lens, source=source))
    dataset = fixtures.make_masked_imaging_7x7()
    fitness = {
        np: al.Fitness(model, al.AnalysisImaging(dataset), use_log_prior=True),
        "jax": al.Fitness(model, al.AnalysisImaging(dataset, use_jax=True), use_log_prior=True),
    }
    return model, fitness


def _model_case() -> Case:
    from xparray.inference.abstract import AbstractPriorModel as apm
    from xparray.inference.fitness import Fitness

    model, fitness = _model_and_fitness()
    n = model.prior_count
    unit = np.linspace(0.35, 0.65, n)
    params = {"unit": unit, "vector": model.vector_from_unit_vector(unit)}

    def fit(xp):
        return fitness[np] if xp is np else fitness["jax"]

    entries = {
        q(apm.instance_from_vector): lambda p, xp: model.instance_from_vector(p["vector"], xp=xp),
        q(apm.instance_from_unit_vector): lambda p, xp: model.instance_from_unit_vector(
            p["unit"], xp=xp
        ),
        q(apm.vector_from_unit_vector): lambda p, xp: model.vector_from_unit_vector(
            p["unit"], xp=xp
        ),
        q(apm.log_prior_list_from_vector): lambda p, xp: model.log_prior_list_from_vector(
            p["vector"], xp=xp
        ),
        # no array input: checks that a medians instance builds under jit and equals NumPy
        q(apm.instance_from_prior_medians): lambda p, xp: model.instance_from_prior_medians(xp=xp),
        q(Fitness.value_from): lambda p, xp: fit(xp).value_from(p["vector"], xp=xp),
        q(Fitness.value_from_unit): lambda p, xp: fit(xp).value_from_unit(p["unit"], xp=xp),
    }
    rows = []
    for u in (unit, np.linspace(0.6, 0.4, n), np.full(n, 0.55)):
        rows.append({"unit": u, "vector": model.vector_from_unit_vector(u)})
    return Case("model", params, entries, rows, grad=False, grad_reason=PLUMBING)


def _tracer_case() -> Case:
    tr = al.Tracer
    dataset = lens_dataset()
    grid, blurring = dataset.grids.lp, dataset.grids.blurring
    params = {**LIGHT_PARAMS, **MASS_PARAMS, "sky": 0.1, "offset_0": 0.02, "offset_1": -0.03}

    def dataset_model(p):
        return aa.DatasetModel(p["sky"], (p["offset_0"], p["offset_1"]))

    entries = {
        q(tr.traced_grid_2d_list_from): lambda p, xp: (
            [[g, g.over_sampled] for g in tracer(p).traced_grid_2d_list_from(grid, xp=xp)]
            + [tracer(p).traced_grid_2d_list_from(POINTS, xp=xp)]
            + [tracer(p).traced_grid_2d_list_from(aa.Grid2DIrregular(POINTS), xp=xp)]
        ),
        q(tr.image_2d_list_from): lambda p, xp: (
            tracer(p).image_2d_list_from(grid, xp=xp)
            # raw points take the two-array path (traced_yx_list_from, image_2d_yx_from)
            + tracer(p).image_2d_list_from(POINTS, xp=xp)
        ),
        q(tr.image_2d_from): lambda p, xp: tracer(p).image_2d_from(grid, xp=xp),
        q(tr.galaxy_image_2d_dict_from): lambda p, xp: tracer(p).galaxy_image_2d_dict_from(
            grid, xp=xp
        ),
        q(tr.blurred_image_2d_from): lambda p, xp: tracer(p).blurred_image_2d_from(
            grid, dataset.psf, blurring, xp=xp
        ),
        q(tr.deflections_between_planes_from): lambda p, xp: tracer(
            p
        ).deflections_between_planes_from(grid, xp=xp, plane_i=0, plane_j=1),
        q(tr.deflections_yx_2d_from): lambda p, xp: tracer(p).deflections_yx_2d_from(grid, xp=xp),
        q(tr.convergence_2d_from): lambda p, xp: tracer(p).convergence_2d_from(POINTS, xp=xp),
        q(tr.potential_2d_from): lambda p, xp: tracer(p).potential_2d_from(POINTS, xp=xp),
        q(lens_planes.traced_points_list_from): lambda p, xp: lens_planes.traced_points_list_from(
            POINTS, tracer(p).planes, tracer(p)._scaling_factors, xp=xp
        ),
        q(lens_planes.traced_yx_list_from): lambda p, xp: lens_planes.traced_yx_list_from(
            POINTS[:, 0], POINTS[:, 1], tracer(p).planes, tracer(p)._scaling_factors, xp=xp
        ),
        q(galaxy_fit.model_image_from): lambda p, xp: galaxy_fit.model_image_from(
            dataset, tracer(p), dataset_model(p), xp=xp
        ),
        q(ag.FitImaging.__init__): lambda p, xp: _fit_outputs(
            ag.FitImaging(dataset, tracer(p).galaxies, dataset_model(p), xp=xp)
        ),
        q(al.FitImaging.__init__): lambda p, xp: _fit_outputs(
            al.FitImaging(dataset, tracer(p), dataset_model(p), xp=xp)
        ),
    }
    return Case("tracer", params, entries, grad=False, grad_reason=PLUMBING)


def _fit_outputs(fit):
    return [
        fit.model_data,
        fit.residual_map,
        fit.normalized_residual_map,
        fit.chi_squared_map,
        fit.chi_squared,
        fit.log_likelihood,
        fit.reduced_chi_squared,
    ]


def lens_cases() -> list[Case]:
    return [_model_case(), _tracer_case()]


def lens_pytree_examples() -> dict:
    """Pytree examples (``{class: builder}``, ``jax.Array`` leaves) of the fits, the model
    instance, galaxies and tracers."""
    import jax.numpy as jnp

    import xparray.fit.fit_imaging as aa_fit
    from xparray.inference.instance import ModelInstance

    params = {k: jnp.asarray(v) for k, v in {**LIGHT_PARAMS, **MASS_PARAMS}.items()}
    dataset = lens_dataset()
    model, _ = _model_and_fitness()
    unit = jnp.linspace(0.3, 0.7, model.prior_count)
    return {
        aa.DatasetModel: lambda: aa.DatasetModel(jnp.asarray(0.1), (jnp.asarray(0.02), 0.0)),
        aa_fit.FitImaging: lambda: aa_fit.FitImaging(
            dataset, model_data=jnp.asarray(dataset.data.array) * 0.9
        ),
        ModelInstance: lambda: model.instance_from_unit_vector(unit, xp=jnp),
        ag.Galaxy: lambda: lens_galaxy(params),
        ag.Galaxies: lambda: ag.Galaxies([lens_galaxy(params), tracer(params).galaxies[-1]]),
        al.Tracer: lambda: tracer(params),
        # small models: building a fit evaluates the model image eagerly, op by op
        ag.FitImaging: lambda: ag.FitImaging(
            dataset,
            [ag.Galaxy(0.5, light=ag.lp.GaussianSph(intensity=params["intensity"]))],
            aa.DatasetModel(params["intensity"] * 0.01),
            xp=jnp,
        ),
        al.FitImaging: lambda: al.FitImaging(
            dataset,
            al.Tracer(
                [
                    ag.Galaxy(0.5, mass=ag.mp.IsothermalSph(einstein_radius=params["sigma"])),
                    ag.Galaxy(1.0, light=ag.lp.GaussianSph(intensity=params["intensity"])),
                ]
            ),
            aa.DatasetModel(params["intensity"] * 0.01),
            xp=jnp,
        ),
    }
