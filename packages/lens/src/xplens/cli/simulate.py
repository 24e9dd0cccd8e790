"""``xplens simulate``: write a mock imaging dataset with ``al.SimulatorImaging``.

The lens is a model preset at the reference-problem values (BENCHMARK.md) or a model file
(``model.json`` format with every parameter fixed, e.g. a ``true_model.json`` written by
this command). Output: ``data.fits``, ``noise_map.fits``, ``psf.fits`` (FITS, e-/s, row 0
at the top) and ``true_model.json`` (the model, its parameters by path, the Einstein
radius and the simulation settings), so ``xplens fit --data .../data.fits ...`` can
compare its result with the truth.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

import xplens as al
from xparray.inference.search.output import atomic_write_json
from xparray.inference.serialise import model_from_dict, model_to_dict
from xplens.analysis.analysis_imaging import galaxies_from_instance
from xplens.cli.errors import CLIError
from xplens.cli.presets import (
    ModelSpec,
    canonical_mass,
    canonical_source,
    fixed_model_dict,
    model_from,
    true_parameters,
)
from xplens.cli.summary import einstein_radius_of

__all__ = ["add_simulate_arguments", "run_simulate"]

OUTPUT_FILES = ("data.fits", "noise_map.fits", "psf.fits", "true_model.json")


def add_simulate_arguments(parser: argparse.ArgumentParser) -> None:
    model = parser.add_argument_group("lens model (default: the reference lens)")
    model.add_argument(
        "--preset",
        default="sie+shear",
        metavar="NAME",
        help="sie+shear (default) or power-law+shear",
    )
    model.add_argument(
        "--lens-light",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="include lens light",
    )
    model.add_argument(
        "--source", default="sersic", metavar="NAME", help="sersic (default) or sersic-core"
    )
    model.add_argument(
        "--model", type=Path, metavar="JSON", help="fixed model file instead of a preset"
    )
    model.add_argument("--redshift-lens", type=float, default=0.5, metavar="Z", help="default 0.5")
    model.add_argument(
        "--redshift-source", type=float, default=1.0, metavar="Z", help="default 1.0"
    )
    image = parser.add_argument_group("imaging")
    image.add_argument(
        "--shape", type=int, default=100, metavar="N", help="N x N pixels (default 100)"
    )
    image.add_argument(
        "--pixel-scale", type=float, default=0.1, metavar="ARCSEC", help="default 0.1"
    )
    image.add_argument(
        "--psf-sigma", type=float, default=0.1, metavar="ARCSEC", help="Gaussian PSF sigma (0.1)"
    )
    image.add_argument(
        "--psf-shape", type=int, default=11, metavar="N", help="odd PSF side in pixels (11)"
    )
    image.add_argument(
        "--exposure-time", type=float, default=300.0, metavar="S", help="seconds (300)"
    )
    image.add_argument(
        "--background-sky", type=float, default=0.1, metavar="E/S", help="sky level (0.1)"
    )
    image.add_argument(
        "--over-sampling", type=int, default=4, metavar="N", help="sub-pixels per side (4)"
    )
    image.add_argument("--seed", type=int, default=1, help="noise seed (default 1)")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--output",
        type=Path,
        default=Path("simulated"),
        metavar="DIR",
        help="folder (default ./simulated)",
    )
    out.add_argument("--overwrite", action="store_true", help="replace existing files")


def _check_numbers(args) -> None:
    if args.shape < 5:
        raise CLIError(f"--shape {args.shape} is too small: use at least 5 pixels")
    if args.psf_shape < 1 or args.psf_shape % 2 == 0:
        raise CLIError(
            f"--psf-shape {args.psf_shape} must be odd (e.g. 11) so the PSF has a centre pixel"
        )
    if args.psf_shape > args.shape:
        raise CLIError(
            f"--psf-shape {args.psf_shape} is larger than the image (--shape {args.shape})"
        )
    for flag, value in (
        ("--pixel-scale", args.pixel_scale),
        ("--psf-sigma", args.psf_sigma),
        ("--exposure-time", args.exposure_time),
    ):
        if not (math.isfinite(value) and value > 0):
            raise CLIError(f"{flag} must be a positive number, got {value}")
    if not (math.isfinite(args.background_sky) and args.background_sky >= 0):
        raise CLIError(f"--background-sky must be >= 0 e-/s, got {args.background_sky}")
    if args.over_sampling < 1:
        raise CLIError(f"--over-sampling must be >= 1, got {args.over_sampling}")


def _model_dict_from_file(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise CLIError(f"model file not found: {str(path)!r} (check the path)") from err
    except (OSError, ValueError) as err:
        raise CLIError(f"cannot read model file {str(path)!r} as JSON: {err}") from err
    if isinstance(data, dict) and "model" in data and isinstance(data["model"], dict):
        data = data["model"]  # a true_model.json
    if not isinstance(data, dict) or "type" not in data:
        raise CLIError(
            f"{str(path)!r} is not a model file: give a model.json / true_model.json written "
            "by xplens (with every parameter fixed)"
        )
    return data


def _fixed_model(args) -> tuple[dict, dict]:
    """(fixed model dict, parameters by path) from --model or the preset."""
    if args.model is not None:
        model_dict = _model_dict_from_file(args.model)
        model = model_from_dict(model_dict)
        if model.prior_count:
            names = ", ".join(".".join(p) for p in model.paths[:3])
            raise CLIError(
                f"model file {str(args.model)!r} has {model.prior_count} free parameter(s) "
                f"({names}...); fix every parameter (e.g. use a true_model.json)"
            )
        return model_dict, {}
    spec = ModelSpec(
        mass=canonical_mass(args.preset),
        lens_light=args.lens_light,
        source=canonical_source(args.source),
        redshift_lens=args.redshift_lens,
        redshift_source=args.redshift_source,
    )
    model = model_from(spec)
    values = true_parameters(model, spec)
    by_id = {
        p.id: values[".".join(path)] for p, path in zip(model.priors_ordered_by_id, model.paths)
    }
    return fixed_model_dict(model_to_dict(model), by_id), values


def run_simulate(args) -> int:
    _check_numbers(args)
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise CLIError(f"--output {str(folder)!r} is a file; give a folder")
    existing = [n for n in OUTPUT_FILES if (folder / n).exists()]
    if existing and not args.overwrite:
        raise CLIError(
            f"{str(folder)!r} already holds {', '.join(existing)}; add --overwrite to replace them"
        )
    model_dict, values = _fixed_model(args)
    instance = model_from_dict(model_dict).instance_from_vector(np.zeros(0))
    tracer = al.Tracer(galaxies_from_instance(instance))
    psf = al.Kernel2D.from_gaussian(
        (args.psf_shape, args.psf_shape), sigma=args.psf_sigma, pixel_scales=args.pixel_scale
    )
    simulator = al.SimulatorImaging(
        exposure_time=args.exposure_time,
        background_sky_level=args.background_sky,
        psf=psf,
        noise_seed=args.seed,
    )
    grid = al.Grid2D.uniform(
        shape_native=(args.shape, args.shape),
        pixel_scales=args.pixel_scale,
        over_sample_size=args.over_sampling,
    )
    dataset = simulator.via_tracer_from(tracer, grid)
    folder.mkdir(parents=True, exist_ok=True)
    dataset.output_to_fits(
        folder / "data.fits",
        psf_path=folder / "psf.fits",
        noise_map_path=folder / "noise_map.fits",
        overwrite=True,
    )
    half = 0.5 * args.shape * args.pixel_scale
    theta = einstein_radius_of(instance, half_width=half)
    atomic_write_json(
        folder / "true_model.json",
        {
            "model": model_dict,
            "parameters": values,
            "einstein_radius": theta if math.isfinite(theta) else None,
            "simulation": {
                "shape_native": [args.shape, args.shape],
                "pixel_scale": args.pixel_scale,
                "psf_sigma": args.psf_sigma,
                "psf_shape": [args.psf_shape, args.psf_shape],
                "exposure_time": args.exposure_time,
                "background_sky_level": args.background_sky,
                "over_sample_size": args.over_sampling,
                "noise_seed": args.seed,
            },
        },
    )
    print(
        f"xplens simulate: wrote {', '.join(OUTPUT_FILES)} to {folder} "
        f'({args.shape}x{args.shape} px at {args.pixel_scale:g}"/px; '
        f'Einstein radius {theta:.3f}"; max S/N {dataset.signal_to_noise_max:.1f})'
    )
    print(
        f"fit it with: xplens fit --data {folder / 'data.fits'} --noise-map "
        f"{folder / 'noise_map.fits'} --psf {folder / 'psf.fits'} --pixel-scale {args.pixel_scale:g}"
    )
    return 0
