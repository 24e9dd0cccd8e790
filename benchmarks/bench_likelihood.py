"""Likelihood speed and memory of xplens on the reference problem (``nox -s bench``).

    python benchmarks/bench_likelihood.py                 # everything (about 30-60 min)
    python benchmarks/bench_likelihood.py --quick         # smoke run, < 60 s
    python benchmarks/bench_likelihood.py --variants ss1 --paths jit,vmap --cases ref

Paths (each in fresh worker processes; see common.py and README.md):
numpy ``AnalysisImaging(use_jax=False).log_likelihood_function(instance)``;
jit ``Fitness.call(vector)`` (the cached ``jax.jit`` a search calls);
vmap ``Fitness._vmap(batch of 64)`` (``jax.jit(jax.vmap(...))``; on CPU
``jax.jit(jax.lax.map(..., batch_size=4))``, vmapped chunks of 4 rows), time per vector;
grad ``Fitness._grad(vector)`` (``jax.jit(jax.value_and_grad(...))``).
The Fitness is built with ``use_log_prior=False``, so every path returns log L itself.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from common import BATCH_SIZE, CASES, PATHS, Bench, main, module_version

REPO = Path(__file__).resolve().parents[1]


def git_commit() -> dict:
    """The checkout's commit and whether the work tree differs from it (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return {"commit": head or None, "dirty": bool(dirty)}
    except OSError:
        return {"commit": None, "dirty": None}


def perturbed_batch(vector: np.ndarray, n: int = BATCH_SIZE, seed: int = 0) -> np.ndarray:
    """Row 0 the truth, rows 1.. the truth moved by ~0.1 % (all valid models)."""
    rng = np.random.default_rng(seed)
    batch = np.tile(vector, (n, 1))
    batch[1:] += 1e-3 * (np.abs(vector) + 0.01) * rng.standard_normal((n - 1, vector.size))
    return batch


class XplensBench(Bench):
    name = "xplens"
    paths = PATHS
    cases = CASES

    def build(self, variant: str, case: str) -> None:
        from reference import problem

        self.variant, self.case = variant, case
        self.problem = problem(variant, case, use_jax=False)

    def _fitness(self):
        from reference import problem

        import xplens as al

        self.jax_problem = problem(self.variant, self.case, use_jax=True)
        return al.Fitness(self.jax_problem.model, self.jax_problem.analysis, use_log_prior=False)

    def make(self, path: str):
        p = self.problem
        if path == "numpy":
            instance = p.model.instance_from_vector(p.vector)
            return lambda: p.analysis.log_likelihood_function(instance), float

        import jax

        fitness = self._fitness()
        vector = np.array(p.vector)
        if path == "jit":
            return lambda: fitness.call(vector).block_until_ready(), float
        if path == "grad":
            return lambda: jax.block_until_ready(fitness._grad(vector)), lambda r: float(r[0])
        if path == "vmap":
            batch = perturbed_batch(vector)

            def check_rows(values: np.ndarray) -> float:
                # vmap must give each row's own likelihood, not row 0's: compare 3 rows
                for i in (1, 2, BATCH_SIZE - 1):
                    expected = float(
                        p.analysis.log_likelihood_function(p.model.instance_from_vector(batch[i]))
                    )
                    if not abs(values[i] - expected) <= 1e-8 * abs(expected):
                        raise AssertionError(f"vmap row {i}: {values[i]!r} vs numpy {expected!r}")
                return float(values[0])

            return lambda: fitness._vmap(batch), check_rows
        raise ValueError(path)

    def versions(self) -> dict:
        return super().versions() | {
            "jax": module_version("jax"),
            "jaxlib": module_version("jaxlib"),
            "scipy": module_version("scipy"),
            "xplens": module_version("xplens"),
            "xplens_git": git_commit(),
        }

    def notes(self) -> dict:
        return {
            "paths": {
                "numpy": "AnalysisImaging(use_jax=False).log_likelihood_function(instance), "
                "instance built once",
                "jit": "Fitness(model, AnalysisImaging(use_jax=True), use_log_prior=False)"
                ".call(vector): jax.jit(vector -> instance -> log L)",
                "vmap": "Fitness._vmap(batch of 64 numpy rows): one jax.jit program over the "
                "batch (on CPU jax.lax.map in vmapped chunks of 4 rows, "
                "xparray.inference.fitness._batch_program; jax.vmap of the whole batch on "
                "GPU), result copied to numpy; ms per vector",
                "grad": "Fitness._grad(vector): jax.jit(jax.value_and_grad(...))",
            },
            "cases": {
                "ref": 'BENCHMARK.md reference: 100x100, 0.1"/px, r=3" mask (2828 px)',
                "big": '200x200 at 0.1"/px, r=6" mask (11304 px), same 11x11 PSF, '
                "simulated from the true model (SimulatorImaging, 300 s, sky 0.1, seed 1)",
                "src2": "reference data, lens + 2 Sersic sources at z=1 (28 parameters)",
                "src4": "reference data, lens + 4 Sersic sources at z=1 (42 parameters)",
            },
            "first_call_s": "wall time of the first call in a fresh process: trace + "
            "compile + run for JAX paths; for numpy the first (cold) evaluation",
        }

    def extra(self, args, variants: list[str]) -> dict:
        if not args.breakdown:
            return {}
        from breakdown import breakdown, format_breakdown

        report = breakdown(variants)
        print(format_breakdown(report))
        return {"breakdown": report}


def _configure(parser) -> None:
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also profile where the time goes (NumPy cProfile, JAX stages, XLA cost)",
    )


if __name__ == "__main__":
    main(
        XplensBench(),
        __file__,
        description=__doc__.splitlines()[0],
        quick_paths=("numpy", "jit", "vmap"),
        configure=_configure,
    )
