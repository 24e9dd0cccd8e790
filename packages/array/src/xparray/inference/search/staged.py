"""``StagedImportance``: find the mode in stages, then importance-sample the posterior.

1. **Stages** of multi-start L-BFGS-B (Byrd et al. 1995, SIAM J. Sci. Comput. 16, 1190)
   on the log posterior in the unbounded ``z`` space (:mod:`.zspace`), each moving only
   the parameters its :class:`Stage` frees and starting from the best point so far, as
   lens modellers fit in stages (lens light, then mass with the source, then everything).
   A stage's starts come from its ``starts`` callable (data-driven guesses) or from prior
   draws; ``scan`` parameters (e.g. an intensity spanning 12 decades) are first set by a
   1-D grid over their prior, one batched call.
   A start whose L-BFGS run stops without converging (a failed line search) restarts
   from its best point, slightly jittered.
2. **Laplace approximation**: saddle-free Newton steps with the finite-difference
   Hessian in ``z`` take the best point to the peak; ``(-H)^-1`` there is the covariance
   of a Student-t proposal (:mod:`.importance`).
3. **Adaptive importance sampling**: batches of ``n_batch`` draws; the proposal moves to
   each batch's weighted moments (population Monte Carlo) for at least ``min_rounds``
   batches and until a batch passes the checks (Pareto k-hat < ``khat_max``, ESS >=
   ``min_ess_fraction`` of the batch), at most ``max_rounds`` times. Later draws are
   pooled, weighted against the deterministic mixture of the proposals they came from,
   until the pool's effective sample size reaches ``n_eff`` with k-hat < ``khat_max``:
   that is the convergence criterion (a pool whose k-hat fails moves the proposal once
   more; a pool of 4+ batches with ESS below 1% of its draws stops, unconverged). The
   evidence ``mean(L p / q)`` is unbiased for a proposal that covers the posterior;
   k-hat says whether it does.

Every evaluation goes through the counted objective; the state is checkpointed after each
start and each batch, and every random draw comes from a generator seeded by ``(seed,
stage, start)`` or ``(seed, batch)``, so a resumed run equals an uninterrupted one and the
same seed gives the same result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import logit

from xparray.errors import InputError
from xparray.inference.search.base import (
    AbstractSearch,
    Objective,
    RunOutput,
    parameter_names_of,
)
from xparray.inference.search.output import SearchOutput
from xparray.inference.search.staged_sampling import ImportanceSamplingPhase
from xparray.inference.search.zspace import UnboundedSpace

__all__ = ["Stage", "StagedImportance"]

#: Points of the 1-D prior scan of a ``scan`` parameter (unit coordinates 0.005 ... 0.995).
SCAN_POINTS = 32


@dataclass(frozen=True)
class Stage:
    """One optimisation stage.

    ``free``: dotted path prefixes of the parameters this stage moves (empty: all).
    ``starts``: ``starts(vector, rng) -> list of {path: physical value}`` giving each start's
    values (unnamed parameters keep the current point's); None: the current point, then
    ``n_starts - 1`` prior draws of the free parameters. ``scan``: paths set by a 1-D
    prior scan before each start. ``maxiter``: L-BFGS-B iterations per start.
    """

    name: str
    free: tuple[str, ...] = ()
    starts: Callable | None = None
    n_starts: int = 1
    scan: tuple[str, ...] = ()
    maxiter: int = 1000

    def indices(self, names: list[str]) -> np.ndarray:
        """Positions in ``names`` of the parameters this stage frees."""
        if not self.free:
            return np.arange(len(names))
        unmatched = [f for f in self.free if not any(_under(n, f) for n in names)]
        missing = [p for p in self.scan if p not in names]
        if unmatched or missing:
            raise InputError(
                f"Stage {self.name!r}: {unmatched + missing} name no parameter of the model; "
                "use dotted paths such as 'galaxies.lens.mass'."
            )
        picked = [i for i, n in enumerate(names) if any(_under(n, f) for f in self.free)]
        return np.asarray(picked, dtype=int)

    def settings(self) -> dict:
        return {
            "name": self.name,
            "free": list(self.free),
            "starts": None if self.starts is None else getattr(self.starts, "__name__", "custom"),
            "n_starts": self.n_starts,
            "scan": list(self.scan),
            "maxiter": self.maxiter,
        }


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


class StagedImportance(ImportanceSamplingPhase, AbstractSearch):
    """Staged multi-start optimisation, Laplace approximation, adaptive importance sampling.

    ``stages``: a sequence of :class:`Stage` (default: one stage freeing every parameter
    with 4 starts). ``initial``: ``{path: value}`` for parameters before the first stage
    (others start at their prior medians). ``n_eff``: target effective sample size;
    ``n_batch``: draws per batch; ``df``, ``scale``: the Student-t proposal's degrees of
    freedom and covariance inflation; ``max_evaluations``: stop (unconverged) after about
    this many evaluations.
    """

    use_log_prior = False

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path = "",
        output_path: str | Path = "output",
        *,
        stages=None,
        initial: dict | None = None,
        n_eff: float = 2000.0,
        n_batch: int = 2048,
        min_rounds: int = 2,
        max_rounds: int = 8,
        df: float = 3.0,
        scale: float = 1.1,
        khat_max: float = 0.7,
        min_ess_fraction: float = 0.05,
        max_evaluations: int = 200_000,
        max_newton_steps: int = 20,
        laplace_refinements: int = 4,
        max_restarts: int = 3,
        restart_jitter: float = 0.05,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(name, path_prefix, output_path, **kwargs)
        self.stages = tuple(stages) if stages is not None else (Stage("all", n_starts=4),)
        if not self.stages or not all(isinstance(s, Stage) for s in self.stages):
            raise InputError("StagedImportance: stages must be a non-empty sequence of Stage.")
        self.initial = dict(initial or {})
        if int(n_batch) < 10 or float(n_eff) <= 0 or int(max_evaluations) < 1:
            raise InputError(
                "StagedImportance: n_batch >= 10, n_eff > 0 and max_evaluations >= 1 needed."
            )
        self.n_eff = float(n_eff)
        self.n_batch = int(n_batch)
        self.min_rounds = int(min_rounds)
        self.max_rounds = int(max_rounds)
        self.df = float(df)
        self.scale = float(scale)
        self.khat_max = float(khat_max)
        self.min_ess_fraction = float(min_ess_fraction)
        self.max_evaluations = int(max_evaluations)
        self.max_newton_steps = int(max_newton_steps)
        self.laplace_refinements = int(laplace_refinements)
        self.max_restarts = int(max_restarts)
        self.restart_jitter = float(restart_jitter)
        self.seed = 0 if seed is None else int(seed)

    def settings(self) -> dict:
        return {
            **super().settings(),
            "stages": [s.settings() for s in self.stages],
            "initial": self.initial,
            "n_eff": self.n_eff,
            "n_batch": self.n_batch,
            "min_rounds": self.min_rounds,
            "max_rounds": self.max_rounds,
            "df": self.df,
            "scale": self.scale,
            "khat_max": self.khat_max,
            "min_ess_fraction": self.min_ess_fraction,
            "max_evaluations": self.max_evaluations,
            "max_newton_steps": self.max_newton_steps,
            "laplace_refinements": self.laplace_refinements,
            "max_restarts": self.max_restarts,
            "restart_jitter": self.restart_jitter,
            "seed": self.seed,
        }

    # ------------------------------------------------------------- stages
    def _initial_z(self, space: UnboundedSpace, names: list[str]) -> np.ndarray:
        unknown = sorted(set(self.initial) - set(names))
        if unknown:
            raise InputError(f"StagedImportance: initial names unknown parameters {unknown}.")
        z = space.z_from([p.median for p in space.priors])
        for path, value in self.initial.items():
            z[names.index(path)] = space.z_of(names.index(path), value)
        return z

    def _starts(self, stage: Stage, si: int, z: np.ndarray, space, names) -> list[np.ndarray]:
        free = stage.indices(names)
        rng = np.random.default_rng([self.seed, si])
        if stage.starts is None:
            starts = [z.copy()]
            for _ in range(stage.n_starts - 1):
                zk = z.copy()
                zk[free] = logit(rng.uniform(0.02, 0.98, free.size))
                starts.append(zk)
            return starts
        starts = []
        for values in stage.starts(space.vectors_from(z), rng):
            zk = z.copy()
            unknown = sorted(set(values) - set(names))
            if unknown:
                raise InputError(f"Stage {stage.name!r}: starts gave unknown parameters {unknown}.")
            for path, value in values.items():
                zk[names.index(path)] = space.z_of(names.index(path), value)
            starts.append(zk)
        return starts

    def _scan(self, space: UnboundedSpace, z: np.ndarray, index: int) -> np.ndarray:
        grid = logit(np.linspace(0.005, 0.995, SCAN_POINTS))
        rows = np.tile(z, (SCAN_POINTS + 1, 1))
        rows[1:, index] = grid
        values, _ = space.values(rows)
        return rows[int(np.argmax(values))]

    def _optimise(
        self, space: UnboundedSpace, z, free, maxiter: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, float]:
        """L-BFGS-B over the ``free`` coordinates; returns the best point seen.

        A run that stops without converging (a failed line search: typically a profile
        centre caught on a sample point, where a cuspy light profile's gradient is huge
        but meaningless) restarts from the best point jittered by N(0, ``restart_jitter``)
        in ``z``, at most ``max_restarts`` times."""
        best = {"z": z.copy(), "value": -np.inf}

        def negative(sub):
            zz = best_start.copy()
            zz[free] = sub
            value, grad = space.value_and_grad(zz, indices=free)
            if value > best["value"]:
                best.update(z=zz, value=value)
            return -value, -grad[free]

        best_start = z.copy()
        # the evaluation budget (max_evaluations) also bounds the stages: on NumPy one
        # gradient costs 2 n_free + 1 evaluations, with JAX one
        per_call = 1 if space.objective.use_jax else 2 * len(free) + 1
        for _ in range(self.max_restarts + 1):
            calls = (self.max_evaluations - space.objective.total_evaluations) // per_call
            if calls < 2:
                if best["value"] == -np.inf:
                    best["value"] = float(space.values(z)[0][0])
                break
            result = minimize(
                negative,
                best_start[free],
                jac=True,
                method="L-BFGS-B",
                options={"maxiter": maxiter, "maxfun": calls, "ftol": 1.0e-12, "gtol": 1.0e-6},
            )
            if result.success or result.nit >= maxiter:
                break
            best_start = best["z"].copy()
            best_start[free] += rng.normal(0.0, self.restart_jitter, len(free))
        return best["z"], float(best["value"])

    def _run_stages(self, space, names, state, objective, output) -> None:
        progress = objective.progress
        while state["stage"] < len(self.stages):
            si = state["stage"]
            stage = self.stages[si]
            free = stage.indices(names)
            starts = self._starts(stage, si, state["stage_z"], space, names)
            scans = [names.index(p) for p in stage.scan]
            while state["start"] < len(starts):
                k = state["start"]
                progress.phase = (
                    f"stage {si + 1}/{len(self.stages)} {stage.name}, start {k + 1}/{len(starts)}"
                )
                begin = time.perf_counter()
                zk = starts[k]
                for index in scans:
                    zk = self._scan(space, zk, index)
                rng = np.random.default_rng([self.seed, si, k])
                zk, value = self._optimise(space, zk, free, stage.maxiter, rng)
                state["results"].append(
                    {"z": zk, "value": value, "seconds": time.perf_counter() - begin}
                )
                state["start"] += 1
                output.save_checkpoint(state, objective)
            best = max(state["results"], key=lambda r: r["value"])
            state["stages"].append(
                {
                    "name": stage.name,
                    "n_free": int(free.size),
                    "start_values": [r["value"] for r in state["results"]],
                    "best_value": best["value"],
                    "seconds": sum(r["seconds"] for r in state["results"]),
                }
            )
            state.update(stage=si + 1, start=0, results=[], z=best["z"], stage_z=best["z"])
            output.save_checkpoint(state, objective)

    # ------------------------------------------------------------- run
    def _run(self, model, objective: Objective, output: SearchOutput) -> RunOutput:
        names = parameter_names_of(model)
        space = UnboundedSpace(model, objective)
        state = output.load_checkpoint(objective)
        if state is None:
            z0 = self._initial_z(space, names)
            state = {"stage": 0, "start": 0, "results": [], "stages": [], "z": z0, "stage_z": z0}
            state["sampling"] = None
        else:
            objective.progress.message("resuming from the checkpoint.")
        objective.warm_up("vector")
        objective.warm_up("grad")
        self._run_stages(space, names, state, objective, output)
        self._sample(space, state, objective)
        return self._output(space, state)
