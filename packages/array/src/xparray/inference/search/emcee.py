"""``Emcee``: affine-invariant ensemble MCMC (Foreman-Mackey et al. 2013, PASP 125, 306).

Walkers move in physical parameter space; the objective is log likelihood + log prior
(``Fitness(use_log_prior=True)``), evaluated for all walkers at once (``vectorize=True``:
one ``Fitness._vmap`` call per step). Walkers start at draws from the priors.

Checkpoints: emcee's ``HDFBackend`` needs ``h5py``, which xparray does not depend on. The
in-memory ``Backend``'s chain, log probabilities, acceptance counts and random state are
pickled atomically instead; a resumed backend continues the chain exactly (emcee restarts
from ``get_last_sample()`` with the saved random state), so no finished step is repeated.

Samples: every stored step is written; steps before ``burn_in`` (and off the ``thin``
grid) get weight 0, the rest weight 1, so statistics use the post-burn-in chain while
the maximum likelihood is taken over every evaluated state.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from xparray.errors import InputError
from xparray.inference.search.base import AbstractSearch, Objective, RunOutput, log_prior_batch
from xparray.inference.search.output import SearchOutput

__all__ = ["Emcee", "prior_draws"]


def prior_draws(model, n: int, rng: np.random.Generator, margin: float = 0.005) -> np.ndarray:
    """``n`` physical vectors drawn from the priors (unit draws in ``[margin, 1 - margin]``
    so unbounded priors never start at an extreme tail)."""
    unit = rng.uniform(margin, 1.0 - margin, size=(n, model.prior_count))
    return np.asarray(model.vector_from_unit_vector(unit.T)).T


def _backend_state(backend) -> dict:
    it = backend.iteration
    return {
        "iteration": it,
        "chain": backend.chain[:it].copy(),
        "log_prob": backend.log_prob[:it].copy(),
        "accepted": backend.accepted.copy(),
        "random_state": backend.random_state,
    }


def _restore_backend(backend, state: dict, nwalkers: int, ndim: int) -> None:
    backend.reset(nwalkers, ndim)
    it = int(state["iteration"])
    backend.grow(it, None)
    backend.chain[:it] = state["chain"]
    backend.log_prob[:it] = state["log_prob"]
    backend.accepted = np.asarray(state["accepted"]).copy()
    backend.random_state = state["random_state"]
    backend.iteration = it


class Emcee(AbstractSearch):
    """Emcee ensemble sampler: ``nwalkers`` walkers for ``nsteps`` steps.

    ``burn_in`` steps (default ``nsteps // 2``) are discarded from the statistics; ``thin``
    keeps every ``thin``-th later step. ``seed`` fixes the start and the moves.
    """

    use_log_prior = True

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path = "",
        output_path: str | Path = "output",
        *,
        nwalkers: int = 50,
        nsteps: int = 2000,
        burn_in: int | None = None,
        thin: int = 1,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(name, path_prefix, output_path, **kwargs)
        self.nwalkers = int(nwalkers)
        self.nsteps = int(nsteps)
        self.burn_in = self.nsteps // 2 if burn_in is None else int(burn_in)
        self.thin = int(thin)
        self.seed = seed
        if self.nsteps < 1 or self.thin < 1 or not 0 <= self.burn_in < self.nsteps:
            raise InputError("Emcee: need nsteps >= 1, thin >= 1 and 0 <= burn_in < nsteps.")

    def settings(self) -> dict:
        return {
            **super().settings(),
            "nwalkers": self.nwalkers,
            "nsteps": self.nsteps,
            "burn_in": self.burn_in,
            "thin": self.thin,
            "seed": self.seed,
        }

    def _run(self, model, objective: Objective, output: SearchOutput) -> RunOutput:
        import emcee

        ndim = model.prior_count
        if self.nwalkers < 2 * ndim:
            raise InputError(
                f"Emcee: nwalkers={self.nwalkers} must be at least 2 x {ndim} parameters."
            )
        objective.warm_up("vector")
        backend = emcee.backends.Backend()
        saved = output.load_checkpoint(objective)
        if saved is not None and saved["iteration"] > 0:
            _restore_backend(backend, saved, self.nwalkers, ndim)
        sampler = emcee.EnsembleSampler(
            self.nwalkers, ndim, objective.batch, vectorize=True, backend=backend
        )
        if backend.iteration > 0:
            start = backend.get_last_sample()
            objective.progress.message(f"resuming at step {backend.iteration}.")
        else:
            rng = np.random.default_rng(self.seed)
            coords = prior_draws(model, self.nwalkers, rng)
            random_state = np.random.RandomState(rng.integers(2**32 - 1)).get_state()
            start = emcee.State(coords, random_state=random_state)
        remaining = self.nsteps - backend.iteration
        if remaining > 0:
            for _ in sampler.sample(start, iterations=remaining, progress=False):
                output.maybe_checkpoint(lambda: _backend_state(backend), objective)
        chain = backend.get_chain()  # (nsteps, nwalkers, ndim)
        log_prob = backend.get_log_prob()
        steps = np.arange(self.nsteps)
        keep = np.logical_and(steps >= self.burn_in, (steps - self.burn_in) % self.thin == 0)
        weights = np.repeat(keep.astype(float), self.nwalkers)
        parameters = chain.reshape(-1, ndim)
        log_likelihood = log_prob.reshape(-1) - log_prior_batch(model, parameters)
        return RunOutput(
            parameters=parameters,
            weights=weights,
            log_likelihood=log_likelihood,
            log_evidence=None,
            info={
                "acceptance_fraction": float(np.mean(backend.accepted) / self.nsteps),
                "nwalkers": self.nwalkers,
                "nsteps": self.nsteps,
            },
        )
