"""``StagedImportance``: find the mode in stages, then importance-sample the posterior.

1. **Stages** of multi-start L-BFGS-B (Byrd et al. 1995, SIAM J. Sci. Comput. 16, 1190)
   on the log posterior in the unbounded ``z`` space (:mod:`.zspace`), each moving only
   the parameters its :class:`Stage` frees and starting from the best point so far, as
   lens modellers fit in stages (lens light, then mass with the source, then everything).
   A stage's starts come from its ``starts`` callable (data-driven guesses) or from prior
   draws; ``scan`` parameters (e.g. an intensity spanning 12 decades) are first set by a
   1-D grid over their prior, one batched call.
2. **Laplace approximation** at the best point: the finite-difference Hessian in ``z``
   gives the covariance of a Student-t proposal (:mod:`.importance`).
3. **Adaptive importance sampling**: batches of ``n_batch`` draws; until a batch passes the
   checks (Pareto k-hat < ``khat_max`` and ESS >= ``min_ess_fraction`` of the batch) the
   proposal moves to the batch's weighted moments (at most ``max_rounds`` times). Draws
   from the final proposal are pooled until the pool's effective sample size reaches
   ``n_eff``: that is the convergence criterion. The evidence ``mean(L p / q)`` is
   unbiased for any proposal that covers the posterior; k-hat says whether it does.

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
from xparray.inference.search.importance import (
    StudentT,
    effective_sample_size,
    laplace_covariance,
    log_evidence_from,
    pareto_khat,
    weighted_moments,
)
from xparray.inference.search.output import SearchOutput
from xparray.inference.search.zspace import UnboundedSpace, log_logistic_density

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


class StagedImportance(AbstractSearch):
    """Staged multi-start optimisation, Laplace approximation, adaptive importance sampling.

    ``stages``: a sequence of :class:`Stage` (default: one stage freeing every parameter
    with 4 starts). ``initial``: ``{path: value}`` for parameters before the first stage
    (others start at their prior medians). ``n_eff``: target effective sample size;
    ``n_batch``: draws per batch; ``df``: the Student-t proposal's degrees of freedom;
    ``max_evaluations``: stop sampling (unconverged) after this many evaluations.
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
        df: float = 5.0,
        khat_max: float = 0.7,
        min_ess_fraction: float = 0.05,
        max_evaluations: int = 200_000,
        max_newton_steps: int = 20,
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
        self.khat_max = float(khat_max)
        self.min_ess_fraction = float(min_ess_fraction)
        self.max_evaluations = int(max_evaluations)
        self.max_newton_steps = int(max_newton_steps)
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
            "khat_max": self.khat_max,
            "min_ess_fraction": self.min_ess_fraction,
            "max_evaluations": self.max_evaluations,
            "max_newton_steps": self.max_newton_steps,
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
            if free.size == 0:
                raise InputError(f"StagedImportance: stage {stage.name!r} frees no parameter.")
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

    # ------------------------------------------------------------- sampling
    def _polish(self, space: UnboundedSpace, z) -> tuple[np.ndarray, float, np.ndarray, int]:
        """Newton steps to the peak, then the Laplace covariance there.

        Each step is ``V |L|^-1 V^T g`` from the eigen-decomposition ``-H = V L V^T`` (the
        saddle-free Newton step of Dauphin et al. 2014, arXiv:1406.2572: where the
        Hessian is not yet negative definite it still ascends, at the scale of the
        curvature), halved until the log posterior increases (Nocedal & Wright 2006,
        sec. 3.1). Stops when ``-H`` is positive definite and the Newton decrement
        ``g^T (-H)^-1 g / 2`` is below 1e-3, i.e. at the peak to far better than its
        width; returns ``(z, log posterior, covariance, steps)``."""
        value, grad = space.value_and_grad(z)
        hessian = space.hessian(z)
        steps = 0
        while steps < self.max_newton_steps:
            if space.objective.total_evaluations >= self.max_evaluations:
                break
            curvature, vectors = np.linalg.eigh(-0.5 * (hessian + hessian.T))
            size = np.maximum(np.abs(curvature), 1.0e-10 * np.max(np.abs(curvature)))
            step = vectors @ ((vectors.T @ grad) / size)
            if np.all(curvature > 0.0) and 0.5 * grad @ step < 1.0e-3:
                break
            for t in 0.5 ** np.arange(12):
                trial_value, trial_grad = space.value_and_grad(z + t * step)
                if trial_value > value:
                    z, value, grad = z + t * step, trial_value, trial_grad
                    break
            else:
                break
            steps += 1
            hessian = space.hessian(z)
        return z, value, laplace_covariance(hessian), steps

    def _start_sampling(self, space, state, objective) -> dict:
        if state["sampling"] is None:
            begin = time.perf_counter()
            objective.progress.phase = "Laplace approximation at the mode"
            z, value, cov, steps = self._polish(space, state["z"])
            state["z"] = z
            state["sampling"] = {
                "mode_value": value,
                "proposals": [(z.copy(), cov)],
                "batch": 0,
                "adapted": False,
                "pool": [],
                "rounds": [],
                "newton_steps": steps,
                "laplace_seconds": time.perf_counter() - begin,
            }
            objective.output.save_checkpoint(state, objective)
        return state["sampling"]

    def _pool_weights(self, s: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(z, log weights, log likelihood)`` of the pool under the deterministic mixture
        of the proposals its batches came from (Veach & Guibas 1995; Elvira et al. 2019,
        Stat. Sci. 34, 129): ``w = L p / sum_j (n_j / N) q_j``."""
        z = np.concatenate([b["z"] for b in s["pool"]])
        post = np.concatenate([b["post"] for b in s["pool"]])
        log_like = np.concatenate([b["log_like"] for b in s["pool"]])
        used = sorted({b["proposal"] for b in s["pool"]})
        counts = [sum(len(b["z"]) for b in s["pool"] if b["proposal"] == j) for j in used]
        log_q = np.stack(
            [
                np.log(n) + StudentT(*s["proposals"][j], self.df).log_pdf(z)
                for j, n in zip(used, counts)
            ]
        )
        log_mix = np.logaddexp.reduce(log_q, axis=0) - np.log(z.shape[0])
        return z, post - log_mix, log_like

    def _adapt(self, s: dict, z, lw, n_dim: int) -> None:
        """Move the proposal to the weighted moments of ``z``. With too few effective draws
        for a covariance (ESS <= 2 n_dim: the proposal is far wider than the posterior,
        or off it) keep the old shape, shrunk by half in every direction, around the
        weighted mean."""
        mean, cov = weighted_moments(z, lw)
        if effective_sample_size(lw) <= 2 * n_dim:
            cov = 0.25 * s["proposals"][-1][1]
        s["proposals"].append((mean, cov))

    def _sample(self, space, state, objective) -> None:
        s = self._start_sampling(space, state, objective)
        progress = objective.progress
        while True:
            if s["pool"]:
                z, lw, _ = self._pool_weights(s)
                ess, khat = effective_sample_size(lw), pareto_khat(lw)
                if ess >= self.n_eff:
                    if khat < self.khat_max or len(s["proposals"]) >= self.max_rounds:
                        return
                    # enough draws but a heavy weight tail: move the proposal to the
                    # pool's moments and keep pooling (the mixture weights stay valid)
                    self._adapt(s, z, lw, space.n)
                elif len(s["pool"]) >= 4 and ess < 0.01 * z.shape[0]:
                    return  # the proposal misses the posterior: stop, reported unconverged
            else:
                ess = 0.0
            if objective.total_evaluations >= self.max_evaluations and (s["pool"] or "last" in s):
                if not s["pool"]:  # out of budget while adapting: report the last batch
                    s["pool"].append(s.pop("last"))
                return
            per_batch = ess / max(1, len(s["pool"]))
            left = (
                f", ~{int(np.ceil((self.n_eff - ess) / per_batch))} batches left"
                if per_batch
                else ""
            )
            progress.phase = f"importance sampling: ESS {ess:.0f}/{self.n_eff:.0f}{left}"
            rng = np.random.default_rng([self.seed, 1_000_000 + s["batch"]])
            proposal = StudentT(*s["proposals"][-1], self.df)
            z = proposal.sample(self.n_batch, rng)
            post, log_like = space.values(z)
            lw = post - proposal.log_pdf(z)
            khat, batch_ess = pareto_khat(lw), effective_sample_size(lw)
            s["rounds"].append(
                {"khat": khat, "ess": batch_ess, "log_evidence": log_evidence_from(lw)[0]}
            )
            s["batch"] += 1
            batch = {
                "z": z,
                "post": post,
                "log_like": log_like,
                "proposal": len(s["proposals"]) - 1,
            }
            passed = khat < self.khat_max and batch_ess >= self.min_ess_fraction * self.n_batch
            if s["adapted"]:
                s["pool"].append(batch)
            elif (passed and s["batch"] >= self.min_rounds) or s["batch"] >= self.max_rounds:
                s["adapted"] = True
                s["pool"].append(batch)
            else:
                s["last"] = batch
                self._adapt(s, z, lw, space.n)
            objective.output.save_checkpoint(state, objective)

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

    def _output(self, space: UnboundedSpace, state: dict) -> RunOutput:
        s = state["sampling"]
        z, lw, log_like = self._pool_weights(s)
        log_z, log_z_error = log_evidence_from(lw)
        ess, khat = effective_sample_size(lw), pareto_khat(lw)
        mode_log_like = float(s["mode_value"] - log_logistic_density(state["z"]))
        return RunOutput(
            parameters=space.vectors_from(z),
            weights=np.exp(lw - lw.max()),
            log_likelihood=log_like,
            log_evidence=log_z,
            info={
                "stages": state["stages"],
                "mode_log_likelihood": mode_log_like,
                "laplace_seconds": s["laplace_seconds"],
                "newton_steps": s["newton_steps"],
                "sampling_rounds": s["rounds"],
                "n_proposals": len(s["proposals"]),
                "n_pooled": int(z.shape[0]),
                "n_eff": ess,
                "pareto_khat": khat,
                "log_evidence_error": log_z_error,
                "converged": bool(ess >= self.n_eff and khat < self.khat_max),
            },
        )
