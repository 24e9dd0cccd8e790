"""``Nautilus``: importance nested sampling with neural-network bounds (nautilus-sampler).

Lange 2023, MNRAS 525, 3181 ("nautilus: boosting Bayesian importance nested sampling
with deep learning"). The likelihood is evaluated in the unit hypercube, vectorised:
nautilus hands a batch of ``n_batch`` points to ``Fitness._vmap_unit`` (one ``jax.vmap``
call on the JAX path, a loop on NumPy). The prior is the cube transform of the model's
priors, so the weights nautilus returns are posterior weights and ``log_z`` the evidence.

Checkpoints: nautilus's own ``filepath=`` checkpoint is an HDF5 file and needs ``h5py``,
which xparray does not depend on. Instead the sampler is advanced one batch at a time
(``run(n_like_max=n_like + n_batch)``, which is how nautilus itself pauses) and its whole
state (points, bounds, random generator) is pickled atomically; a resumed sampler is
exactly the one that stopped, so the resumed run repeats no finished batch.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from xparray.errors import InputError
from xparray.inference.search.base import AbstractSearch, Objective, RunOutput
from xparray.inference.search.output import SearchOutput

__all__ = ["Nautilus"]

#: Sampler attributes that are callables or pools: rebuilt by the constructor, not saved.
_NOT_SAVED = frozenset({"prior", "likelihood", "pool_l", "pool_s"})


def _unit_identity(points):
    """Nautilus's prior transform: the identity (the model maps the cube itself)."""
    return points


def _sampler_state(sampler) -> dict:
    return {k: v for k, v in sampler.__dict__.items() if k not in _NOT_SAVED}


class Nautilus(AbstractSearch):
    """Nautilus sampler. Options mirror ``nautilus.Sampler`` and ``Sampler.run``.

    ``n_live``, ``n_batch``, ``n_networks``, ``neural_network_kwargs``, ``n_update``,
    ``enlarge_per_dim``, ``split_threshold``, ``n_like_new_bound``, ``seed`` (sampler);
    ``f_live``, ``n_shell``, ``n_eff``, ``n_like_max``, ``discard_exploration`` (run).
    ``batch_size`` (JAX vmap chunk) defaults to ``n_batch``: one compiled call per batch.
    With large ``n_live`` the pickled state grows (bounds hold the networks): leave
    ``checkpoint_interval=None`` so checkpoints cost at most ~10% of the run.
    """

    use_log_prior = False

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path = "",
        output_path: str | Path = "output",
        *,
        n_live: int = 200,
        n_batch: int = 100,
        n_networks: int = 4,
        neural_network_kwargs: dict | None = None,
        n_update: int | None = None,
        enlarge_per_dim: float = 1.1,
        split_threshold: float = 100.0,
        n_like_new_bound: int | None = None,
        seed: int | None = None,
        f_live: float = 0.01,
        n_shell: int = 1,
        n_eff: float = 500.0,
        n_like_max: float = math.inf,
        discard_exploration: bool = False,
        batch_size: int | None = None,
        **kwargs,
    ) -> None:
        if int(n_live) < 1 or int(n_batch) < 1:
            raise InputError("Nautilus: n_live and n_batch must be positive integers.")
        super().__init__(
            name, path_prefix, output_path, batch_size=batch_size or int(n_batch), **kwargs
        )
        self.n_live = int(n_live)
        self.n_batch = int(n_batch)
        self.n_networks = int(n_networks)
        self.neural_network_kwargs = dict(neural_network_kwargs or {})
        self.n_update = n_update
        self.enlarge_per_dim = float(enlarge_per_dim)
        self.split_threshold = float(split_threshold)
        self.n_like_new_bound = n_like_new_bound
        self.seed = seed
        self.f_live = float(f_live)
        self.n_shell = int(n_shell)
        self.n_eff = float(n_eff)
        self.n_like_max = float(n_like_max)
        self.discard_exploration = bool(discard_exploration)

    def settings(self) -> dict:
        return {
            **super().settings(),
            "n_live": self.n_live,
            "n_batch": self.n_batch,
            "n_networks": self.n_networks,
            "neural_network_kwargs": self.neural_network_kwargs,
            "n_update": self.n_update,
            "enlarge_per_dim": self.enlarge_per_dim,
            "split_threshold": self.split_threshold,
            "n_like_new_bound": self.n_like_new_bound,
            "seed": self.seed,
            "f_live": self.f_live,
            "n_shell": self.n_shell,
            "n_eff": self.n_eff,
            "n_like_max": None if math.isinf(self.n_like_max) else self.n_like_max,
            "discard_exploration": self.discard_exploration,
        }

    def _sampler(self, n_dim: int, likelihood):
        from nautilus import Sampler

        return Sampler(
            _unit_identity,
            likelihood,
            n_dim=n_dim,
            n_live=self.n_live,
            n_update=self.n_update,
            enlarge_per_dim=self.enlarge_per_dim,
            split_threshold=self.split_threshold,
            n_networks=self.n_networks,
            neural_network_kwargs=dict(self.neural_network_kwargs),
            n_batch=self.n_batch,
            n_like_new_bound=self.n_like_new_bound,
            vectorized=True,
            pass_dict=False,
            seed=self.seed,
        )

    def _run(self, model, objective: Objective, output: SearchOutput) -> RunOutput:
        n_dim = model.prior_count
        if n_dim < 2:
            raise InputError(
                f"Nautilus needs at least 2 free parameters (the model has {n_dim}); "
                "use Emcee or Optimize for a 1-parameter model."
            )
        objective.warm_up("unit")
        sampler = self._sampler(n_dim, objective.unit_batch)
        state = output.load_checkpoint(objective)
        if state is not None:
            sampler.__dict__.update(state)
            objective.progress.message(f"resuming after {sampler.n_like} evaluations.")
        run_kwargs = {
            "f_live": self.f_live,
            "n_shell": self.n_shell,
            "n_eff": self.n_eff,
            "discard_exploration": self.discard_exploration,
            "verbose": False,
        }
        while sampler.n_like < self.n_like_max:
            # One batch per call: nautilus's loop state lives on the sampler, so pausing
            # between batches does not change the run.
            limit = min(self.n_like_max, sampler.n_like + sampler.n_batch)
            if sampler.run(n_like_max=limit, **run_kwargs):
                break
            output.maybe_checkpoint(lambda: _sampler_state(sampler), objective)
        points, log_w, log_l = sampler.posterior()
        vectors = np.asarray(model.vector_from_unit_vector(np.asarray(points).T)).T
        return RunOutput(
            parameters=vectors,
            weights=np.exp(log_w - np.max(log_w)),
            log_likelihood=np.asarray(log_l, dtype=float),
            log_evidence=float(sampler.log_z),
            info={
                "n_eff": float(sampler.n_eff),
                "n_like": int(sampler.n_like),
                "n_shells": len(sampler.bounds),
                "converged": bool(sampler.n_eff >= self.n_eff),
            },
        )
