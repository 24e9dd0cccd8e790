"""``xplens fit``: fit a lens model to imaging and write results and figures.

Data: a bundled example (``--example``, default ``reference``) or the user's FITS files
(``--data``, ``--noise-map``, ``--psf``, ``--pixel-scale``). The output folder holds the
search's ``model.json``, ``search.json``, ``samples.csv``, ``summary.json`` (plus an
``"xplens"`` section with derived results), ``dataset.json`` (what was fitted) and PNG
figures. Running the same command again resumes an unfinished run from its checkpoint,
or reloads a finished one; ``--restart`` starts over.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path

import xplens as al
from xparray.inference.search.output import SearchOutput, atomic_write_json
from xparray.inference.serialise import model_to_dict
from xplens.cli.dataset import DatasetSpec, dataset_fingerprint, load_dataset, same_dataset
from xplens.cli.errors import CLIError
from xplens.cli.presets import ModelSpec, canonical_mass, canonical_source, model_from
from xplens.cli.searches import SearchOptions, check_backend, default_backend, search_from
from xplens.cli.summary import (
    einstein_radius_posterior,
    summary_lines,
    write_summary_extras,
)
from xplens.examples import example_from

__all__ = ["RUN_FILES", "add_fit_arguments", "run_fit"]

#: Files a run writes into its folder (``--restart`` removes exactly these).
RUN_FILES = (
    "model.json",
    "search.json",
    "checkpoint.pkl",
    "samples.csv",
    "summary.json",
    "dataset.json",
    "fit.png",
    "data.png",
    "model_image.png",
    "residual_map.png",
    "normalized_residual_map.png",
    "chi_squared_map.png",
    "lensed_source.png",
    "source_plane.png",
    "critical_curves.png",
    "corner.png",
)


def add_fit_arguments(parser: argparse.ArgumentParser) -> None:
    data = parser.add_argument_group("data (default: the bundled reference example)")
    data.add_argument(
        "--example",
        metavar="NAME",
        help="bundled dataset: reference, slacs1430+4105, slacs2303+1422",
    )
    data.add_argument("--data", type=Path, metavar="FITS", help="image (e-/s)")
    data.add_argument(
        "--noise-map", type=Path, metavar="FITS", help="1-sigma noise map, same shape"
    )
    data.add_argument(
        "--psf", type=Path, metavar="FITS", help="PSF (odd shape; normalised on load)"
    )
    data.add_argument("--pixel-scale", type=float, metavar="ARCSEC", help="arcsec per pixel")
    data.add_argument(
        "--mask-radius",
        type=float,
        metavar="ARCSEC",
        help="circular mask radius (default 3.0 or the example's)",
    )
    data.add_argument(
        "--mask-inner-radius", type=float, metavar="ARCSEC", help="mask an inner disc too (annulus)"
    )
    data.add_argument(
        "--mask-centre",
        type=float,
        nargs=2,
        metavar=("Y", "X"),
        help="mask and prior centre (arcsec)",
    )
    data.add_argument(
        "--over-sampling",
        metavar="N",
        help="light over-sampling: 'adaptive' (default with lens light) or N",
    )
    model = parser.add_argument_group("model")
    model.add_argument(
        "--preset", metavar="NAME", help="mass model: sie+shear (default) or power-law+shear"
    )
    model.add_argument(
        "--lens-light",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fit the lens light (Sersic)",
    )
    model.add_argument(
        "--source", metavar="NAME", help="source light: sersic-core (default) or sersic"
    )
    model.add_argument(
        "--redshift-lens", type=float, metavar="Z", help="default 0.5 (or the example's)"
    )
    model.add_argument(
        "--redshift-source", type=float, metavar="Z", help="default 1.0 (or the example's)"
    )
    search = parser.add_argument_group("search")
    search.add_argument(
        "--search",
        default="staged",
        metavar="NAME",
        help="staged (default: staged optimisation + importance sampling), nautilus, "
        "emcee, optimize, nuts",
    )
    search.add_argument("--backend", metavar="NAME", help="jax (default when installed) or numpy")
    search.add_argument(
        "--n-live", type=int, metavar="N", help="nautilus live points (default 200)"
    )
    search.add_argument(
        "--n-walkers", type=int, metavar="N", help="emcee walkers (default max(50, 2p+2))"
    )
    search.add_argument("--n-steps", type=int, metavar="N", help="emcee steps (default 2000)")
    search.add_argument("--n-starts", type=int, metavar="N", help="optimize starts (default 4)")
    search.add_argument("--n-samples", type=int, metavar="N", help="nuts samples (default 1000)")
    search.add_argument(
        "--max-evaluations",
        type=int,
        metavar="N",
        help="stop after about N likelihoods (quick look)",
    )
    search.add_argument(
        "--batch-size", type=int, metavar="N", help="likelihoods per vectorised call"
    )
    search.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="run folder (default output/<data>/<model>/<search>)",
    )
    out.add_argument("--restart", action="store_true", help="discard a previous run in the folder")
    out.add_argument("--no-plots", action="store_true", help="skip the PNG figures")
    out.add_argument("--quiet", action="store_true", help="no progress display")


# ------------------------------------------------------------------ inputs


def _inputs_from(args, stack: contextlib.ExitStack) -> tuple[DatasetSpec, ModelSpec, dict | None]:
    """Dataset, model and the reference Einstein radius from the options (bundled files
    stay available until ``stack`` closes)."""
    user_files = [args.data, args.noise_map, args.psf, args.pixel_scale]
    if args.example is not None and any(v is not None for v in user_files):
        raise CLIError("give either --example or --data/--noise-map/--psf/--pixel-scale, not both")
    centre = tuple(args.mask_centre) if args.mask_centre else (0.0, 0.0)
    if any(v is not None for v in user_files):
        missing = [
            flag
            for flag, v in zip(("--data", "--noise-map", "--psf", "--pixel-scale"), user_files)
            if v is None
        ]
        if missing:
            raise CLIError(f"fitting your own data also needs {', '.join(missing)}")
        lens_light = True if args.lens_light is None else args.lens_light
        spec = DatasetSpec(
            name=args.data.stem,
            data_path=args.data,
            noise_map_path=args.noise_map,
            psf_path=args.psf,
            pixel_scale=args.pixel_scale,
            mask_radius=3.0 if args.mask_radius is None else args.mask_radius,
            mask_inner_radius=args.mask_inner_radius or 0.0,
            mask_centre=centre,
            over_sampling=args.over_sampling or ("adaptive" if lens_light else "1"),
            description=str(args.data),
        )
        model = ModelSpec(
            mass=canonical_mass(args.preset or "sie+shear"),
            lens_light=lens_light,
            source=canonical_source(args.source or "sersic-core"),
            redshift_lens=0.5 if args.redshift_lens is None else args.redshift_lens,
            redshift_source=1.0 if args.redshift_source is None else args.redshift_source,
            centre=centre,
        )
        return spec, model, _true_einstein_radius(args.data)
    example = example_from(args.example or "reference")
    lens_light = example.lens_light if args.lens_light is None else args.lens_light
    centre = tuple(args.mask_centre) if args.mask_centre else example.mask_centre
    data, noise, psf = stack.enter_context(example.paths())
    spec = DatasetSpec(
        name=example.name,
        data_path=data,
        noise_map_path=noise,
        psf_path=psf,
        pixel_scale=example.pixel_scale,
        mask_radius=example.mask_radius if args.mask_radius is None else args.mask_radius,
        mask_inner_radius=(
            example.mask_inner_radius if args.mask_inner_radius is None else args.mask_inner_radius
        ),
        mask_centre=centre,
        psf_shape=example.psf_shape,
        over_sampling=args.over_sampling
        or example.over_sampling
        or ("adaptive" if lens_light else "1"),
        description=example.description,
    )
    model = ModelSpec(
        mass=canonical_mass(args.preset or example.mass),
        lens_light=lens_light,
        source=canonical_source(args.source or example.source),
        redshift_lens=example.redshift_lens if args.redshift_lens is None else args.redshift_lens,
        redshift_source=example.redshift_source
        if args.redshift_source is None
        else args.redshift_source,
        centre=centre,
    )
    reference = {
        "value": example.einstein_radius_published,
        "source": example.einstein_radius_source,
    }
    return spec, model, reference


def _true_einstein_radius(data_path: Path) -> dict | None:
    """The true Einstein radius when the data come from ``xplens simulate``."""
    path = Path(data_path).with_name("true_model.json")
    try:
        value = json.loads(path.read_text(encoding="utf-8"))["einstein_radius"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(value, int | float):
        return None
    return {"value": float(value), "source": f"true value of the simulation ({path.name})"}


# ------------------------------------------------------------------ run folder


def _prepare_folder(folder: Path, restart: bool, fingerprint: dict, model, search) -> str:
    """Check (or reset) the run folder; returns 'new', 'resume' or 'finished'."""
    if folder.exists() and not folder.is_dir():
        raise CLIError(f"--output {str(folder)!r} is a file; give a folder")
    if restart and folder.is_dir():
        for name in RUN_FILES:
            (folder / name).unlink(missing_ok=True)
    dataset_path = folder / "dataset.json"
    if dataset_path.exists():
        old = json.loads(dataset_path.read_text(encoding="utf-8"))
        if not same_dataset(old, fingerprint):
            raise CLIError(
                f"{str(folder)!r} holds a run on other data or another mask; add --restart to "
                "replace it, or choose another --output"
            )
    output = SearchOutput(folder)
    try:
        output.prepare(model_to_dict(model), search.search_dict())
    except al.InputError as err:
        what = "model" if "different model" in str(err) else "search settings"
        raise CLIError(
            f"{str(folder)!r} holds a run with a different {what}; add --restart to replace "
            "it, or choose another --output"
        ) from err
    atomic_write_json(dataset_path, fingerprint)
    if output.is_complete:
        return "finished"
    return "resume" if output.checkpoint_path.exists() else "new"


def _default_folder(spec: DatasetSpec, model: ModelSpec, search: str) -> Path:
    return Path("output") / spec.name / model.tag / search


# ------------------------------------------------------------------ command


def run_fit(args) -> int:
    with contextlib.ExitStack() as stack:
        return _run_fit(args, stack)


def _run_fit(args, stack: contextlib.ExitStack) -> int:
    start = time.perf_counter()
    say = (lambda *a: None) if args.quiet else print
    spec, model_spec, reference = _inputs_from(args, stack)
    backend = check_backend(args.backend or default_backend())
    options = SearchOptions(
        name=args.search,
        n_live=args.n_live,
        n_walkers=args.n_walkers,
        n_steps=args.n_steps,
        n_starts=args.n_starts,
        n_samples=args.n_samples,
        batch_size=args.batch_size,
        max_evaluations=args.max_evaluations,
        seed=args.seed,
    )
    dataset = load_dataset(spec)
    model = model_from(model_spec)
    folder = args.output or _default_folder(spec, model_spec, str(args.search).strip().lower())
    search = search_from(
        options,
        Path(folder).resolve(),
        model,
        backend,
        quiet=args.quiet,
        dataset=dataset,
        mask_radius=spec.mask_radius,
    )
    fingerprint = dataset_fingerprint(dataset, spec)
    state = _prepare_folder(Path(folder), args.restart, fingerprint, model, search)

    say(f"xplens fit: {spec.name} ({spec.description})")
    say(
        f'  data {dataset.shape_native[0]}x{dataset.shape_native[1]} px at {spec.pixel_scale:g}"/px; '
        f'mask r={spec.mask_radius:g}"{f" (inner {spec.mask_inner_radius:g})" if spec.mask_inner_radius else ""}'
        f" around {tuple(spec.mask_centre)}: {dataset.mask.pixels_in_mask} pixels; "
        f"PSF {dataset.psf.shape_native[0]}x{dataset.psf.shape_native[1]}; "
        f"over-sampling {spec.over_sampling}"
    )
    say(f"  model: {model_spec.describe()}: {model.prior_count} free parameters")
    say(f"  search: {type(search).__name__} {_settings_text(search)}; backend {backend}")
    say(f"  output: {folder}")
    if state == "resume":
        say("  resuming the unfinished run in this folder (--restart to start over)")
    elif state == "finished":
        say("  this folder holds a finished run: reloading it (--restart to run again)")
    else:
        say("  Ctrl-C stops the run; the same command resumes it")

    analysis = al.AnalysisImaging(dataset, use_jax=backend == "jax")
    if backend == "jax" and state != "finished":
        say("  compiling the likelihood with JAX (once per run) ...")
    result = search.fit(model, analysis)

    say("writing the summary and figures ...")
    theta = einstein_radius_posterior(result, half_width=1.2 * spec.mask_radius, seed=args.seed)
    extras = {
        "dataset": {
            k: fingerprint[k] for k in ("name", "shape_native", "pixel_scale", "pixels_in_mask")
        },
        "mask": {
            "radius": spec.mask_radius,
            "inner_radius": spec.mask_inner_radius,
            "centre": list(spec.mask_centre),
        },
        "model": model_spec.describe(),
        "backend": backend,
        "einstein_radius": theta,
        "einstein_radius_reference": reference,
        "evaluations_per_second": _rate(result.summary),
    }
    write_summary_extras(Path(folder), extras)
    if not args.no_plots:
        _write_figures(result, dataset, Path(folder), spec, model_spec)
    lines = summary_lines(result, extras)
    total = time.perf_counter() - start
    print("\n".join(lines))
    print(f"command time: {total:.1f} s; results in {folder}")
    return 0


def _settings_text(search) -> str:
    keys = (
        "n_live",
        "n_networks",
        "n_like_max",
        "nwalkers",
        "nsteps",
        "n_starts",
        "maxiter",
        "num_samples",
        "seed",
    )
    settings = search.settings()
    return "(" + ", ".join(f"{k}={settings[k]}" for k in keys if settings.get(k) is not None) + ")"


def _rate(summary: dict) -> float | None:
    wall = summary.get("timing", {}).get("wall_time") or summary.get("wall_time")
    n = summary.get("n_evaluations")
    return float(n) / float(wall) if wall and n else None


def _write_figures(result, dataset, folder: Path, spec: DatasetSpec, model_spec: ModelSpec) -> None:
    from xplens.plot import corner_label, plot_corner, plot_fit

    instance = result.max_log_likelihood_instance
    fit = al.AnalysisImaging(dataset, use_jax=False).fit_from(instance)
    title = f"{spec.name}: {model_spec.describe()} (max likelihood, log L = {float(fit.log_likelihood):.1f})"
    plot_fit(fit, folder, title=title)
    labels = [corner_label(n) for n in result.samples.parameter_names]
    plot_corner(result.samples, folder / "corner.png", labels=labels, seed=0)
