"""The searches the ``xplens fit`` command offers and their default settings.

``staged`` (default): the lens is fitted in stages as a modeller would (lens light; mass
and source from the arcs' source-plane compactness; everything), then the posterior is
importance-sampled from the Laplace approximation at the mode, with an evidence and a
convergence check (:class:`~xparray.StagedImportance`, :mod:`xplens.strategy`);
``nautilus``: nested sampling, posterior and evidence (Lange 2023, MNRAS 525,
3181); ``emcee``: ensemble MCMC (Foreman-Mackey et al. 2013, PASP 125, 306); ``optimize``:
multi-start L-BFGS maximum likelihood (no posterior); ``nuts``: gradient-based NUTS with
blackjax (JAX backend only). Defaults aim at minutes on a 2-core laptop with the JAX
backend; every size option can be raised for a more thorough run.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

from xparray.inference.search import NUTS, Emcee, Nautilus, Optimize, StagedImportance
from xplens.cli.errors import CLIError
from xplens.strategy import lens_stages_from

__all__ = ["SEARCHES", "SearchOptions", "default_backend", "search_from"]

SEARCHES = ("staged", "nautilus", "emcee", "optimize", "nuts")

#: Nautilus defaults: 200 live points (PyAutoLens uses 100-200 for galaxy-scale lenses; with
#: 150 the 21-parameter reference fit twice settled on a local maximum) and one network per
#: bound instead of nautilus's 4, which quarters the network-training cost (on 2 cores that
#: cost, not the likelihood, dominates a 20-parameter fit).
NAUTILUS_DEFAULTS = {"n_live": 200, "n_networks": 1}


@dataclass
class SearchOptions:
    """Search choice and size options from the command line (None: the default)."""

    name: str = "staged"
    n_live: int | None = None
    n_walkers: int | None = None
    n_steps: int | None = None
    n_starts: int | None = None
    n_samples: int | None = None
    batch_size: int | None = None
    max_evaluations: int | None = None
    seed: int = 1


def default_backend() -> str:
    """``jax`` when JAX is importable, else ``numpy``."""
    return "jax" if importlib.util.find_spec("jax") is not None else "numpy"


def check_backend(backend: str) -> str:
    backend = str(backend).strip().lower()
    if backend not in ("jax", "numpy"):
        raise CLIError(f"unknown backend {backend!r}: use --backend jax or --backend numpy")
    if backend == "jax" and importlib.util.find_spec("jax") is None:
        raise CLIError(
            "--backend jax needs JAX, which is not installed: pip install 'xplens[jax]', "
            "or use --backend numpy"
        )
    return backend


def _positive(value, option: str):
    if value is not None and int(value) < 1:
        raise CLIError(f"{option} must be a positive whole number, got {value}")
    return value


def search_from(
    options: SearchOptions,
    folder: Path,
    model,
    backend: str,
    quiet: bool,
    dataset=None,
    mask_radius: float | None = None,
):
    """The search object writing into ``folder`` (its files land directly in it).

    ``dataset`` and ``mask_radius`` (arcsec) set up the ``staged`` search's stages.
    """
    n_parameters = model.prior_count
    name = str(options.name).strip().lower()
    if name not in SEARCHES:
        raise CLIError(
            f"unknown search {options.name!r}: use --search with one of {', '.join(SEARCHES)}"
        )
    for option, value in (
        ("--n-live", options.n_live),
        ("--n-walkers", options.n_walkers),
        ("--n-steps", options.n_steps),
        ("--n-starts", options.n_starts),
        ("--n-samples", options.n_samples),
        ("--batch-size", options.batch_size),
        ("--max-evaluations", options.max_evaluations),
    ):
        _positive(value, option)
    common = {
        "name": folder.name,
        "output_path": folder.parent,
        "quiet": quiet,
        "progress_interval": 15.0,
    }
    seed = int(options.seed)
    budget = options.max_evaluations
    if name == "staged":
        initial, stages = lens_stages_from(model, dataset, mask_radius=mask_radius)
        return StagedImportance(
            **common,
            stages=stages,
            initial=initial,
            seed=seed,
            batch_size=options.batch_size or 64,
            max_evaluations=200_000 if budget is None else budget,
        )
    if name == "nautilus":
        n_live = options.n_live or NAUTILUS_DEFAULTS["n_live"]
        return Nautilus(
            **common,
            n_live=n_live,
            n_networks=NAUTILUS_DEFAULTS["n_networks"],
            seed=seed,
            batch_size=options.batch_size,
            n_like_max=math.inf if budget is None else budget,
        )
    if name == "emcee":
        walkers = options.n_walkers or max(50, 2 * n_parameters + 2)
        if walkers < 2 * n_parameters:
            raise CLIError(
                f"--n-walkers {walkers} is too few for {n_parameters} parameters: "
                f"use at least {2 * n_parameters}"
            )
        steps = options.n_steps or (2000 if budget is None else max(2, budget // walkers))
        return Emcee(
            **common,
            nwalkers=walkers,
            nsteps=steps,
            seed=seed,
            batch_size=options.batch_size or walkers,
        )
    if name == "optimize":
        n_starts = options.n_starts or 4
        # per L-BFGS iteration: one gradient, 2p + 1 evaluations on NumPy, ~1 with JAX
        per_iteration = 1 if backend == "jax" else 2 * n_parameters + 1
        maxiter = 500 if budget is None else max(1, budget // (n_starts * per_iteration))
        return Optimize(
            **common,
            method="lbfgs",
            n_starts=n_starts,
            maxiter=maxiter,
            seed=seed,
            batch_size=options.batch_size or 64,
        )
    if backend != "jax":
        raise CLIError("--search nuts needs gradients from JAX: use --backend jax")
    if budget is not None:
        raise CLIError("--max-evaluations does not apply to nuts: use --n-samples")
    samples = options.n_samples or 1000
    return NUTS(
        **common,
        num_warmup=max(100, samples // 2),
        num_samples=samples,
        seed=seed,
        batch_size=options.batch_size,
    )
