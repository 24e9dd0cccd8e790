"""``NUTS``: gradient-based posterior sampling with blackjax (JAX only).

The No-U-Turn Sampler (Hoffman & Gelman 2014, JMLR 15, 1593; blackjax's multinomial
variant, Betancourt 2017, arXiv:1701.02434) with Stan's window adaptation of the step
size and a diagonal mass matrix. It moves in the unconstrained space ``z`` with
``u = sigmoid(z)`` in the unit cube and ``vector = prior.value_for(u)``. In the cube
the prior is uniform, so the target density in ``z`` is

    log p(z) = log L(vector(u(z))) + sum_i log(u_i (1 - u_i)),

the last term being the log-Jacobian ``log |du/dz|`` of the logistic map.

Checkpoints: the warm-up is one compiled ``lax.scan`` and is saved when it ends (a kill
during warm-up repeats it); sampling runs in compiled chunks of ``chunk_size`` steps and
the positions, the NUTS position and the PRNG key are saved after chunks, so a resumed run
continues the same chain. Timing: the likelihood, its gradient and the NUTS tree building
are fused in one compiled kernel, so ``likelihood_time`` is the time spent in that kernel.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from scipy.special import expit

from xparray.errors import InputError
from xparray.inference.search.base import AbstractSearch, Objective, RunOutput
from xparray.inference.search.output import SearchOutput

__all__ = ["NUTS", "log_jacobian_logistic"]


def log_jacobian_logistic(z, xp=np):
    """``sum_i log(sigmoid(z_i) sigmoid(-z_i))`` = log |du/dz| of ``u = sigmoid(z)``.

    Written with ``-softplus`` (``log sigmoid(z) = -log(1 + e^{-z})``) so it stays finite
    for large ``|z|`` on both backends.
    """
    return -xp.sum(xp.logaddexp(0.0, -z) + xp.logaddexp(0.0, z), axis=-1)


class NUTS(AbstractSearch):
    """blackjax NUTS: ``num_warmup`` adaptation steps then ``num_samples`` draws.

    ``target_acceptance_rate`` for the step-size adaptation, ``max_num_doublings`` caps
    the trajectory length (2^max steps), ``seed`` fixes the PRNG key and the start
    (unit coordinates drawn in ``[0.25, 0.75]``). Requires ``analysis.use_jax = True``.
    """

    use_log_prior = False

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path = "",
        output_path: str | Path = "output",
        *,
        num_warmup: int = 500,
        num_samples: int = 1000,
        target_acceptance_rate: float = 0.8,
        max_num_doublings: int = 10,
        chunk_size: int = 100,
        seed: int = 0,
        **kwargs,
    ) -> None:
        super().__init__(name, path_prefix, output_path, **kwargs)
        self.num_warmup = int(num_warmup)
        self.num_samples = int(num_samples)
        self.target_acceptance_rate = float(target_acceptance_rate)
        self.max_num_doublings = int(max_num_doublings)
        self.chunk_size = int(chunk_size)
        self.seed = int(seed)
        if self.num_warmup < 1 or self.num_samples < 1 or self.chunk_size < 1:
            raise InputError("NUTS: num_warmup, num_samples and chunk_size must be >= 1.")

    def settings(self) -> dict:
        return {
            **super().settings(),
            "num_warmup": self.num_warmup,
            "num_samples": self.num_samples,
            "target_acceptance_rate": self.target_acceptance_rate,
            "max_num_doublings": self.max_num_doublings,
            "seed": self.seed,
        }

    def _run(self, model, objective: Objective, output: SearchOutput) -> RunOutput:
        if not objective.use_jax:
            raise InputError(
                "NUTS needs JAX gradients: set analysis.use_jax = True (with a JAX-traceable "
                "log_likelihood_function), or use Nautilus/Emcee on the NumPy path."
            )
        import blackjax
        import jax

        jnp = objective.fitness.xp
        fitness = objective.fitness

        def logdensity(z):
            u = jax.nn.sigmoid(z)
            return fitness.value_from_unit(u, xp=jnp) + log_jacobian_logistic(z, xp=jnp)

        state = output.load_checkpoint(objective)
        if state is None:
            state = self._warm_up(model, objective, output, logdensity, blackjax, jax, jnp)
        else:
            objective.progress.message(f"resuming after {len(state['positions'])} samples.")
        kernel = blackjax.nuts(
            logdensity,
            step_size=state["step_size"],
            inverse_mass_matrix=jnp.asarray(state["inverse_mass_matrix"]),
            max_num_doublings=self.max_num_doublings,
        )

        def chunk(key, nuts_state, length):
            def one_step(carry, step_key):
                carry, info = kernel.step(step_key, carry)
                out = (carry.position, carry.logdensity, info.num_integration_steps)
                return carry, (*out, info.is_divergent, info.acceptance_rate)

            return jax.lax.scan(one_step, nuts_state, jax.random.split(key, length))

        compiled = {}
        with objective.compiling():
            # Jitted: eager init would dispatch (and compile) every op of the likelihood.
            nuts_state = jax.jit(kernel.init)(jnp.asarray(state["position"]))
        while len(state["positions"]) < self.num_samples:
            length = min(self.chunk_size, self.num_samples - len(state["positions"]))
            if length not in compiled:
                with objective.compiling():
                    key0 = jnp.asarray(state["key"])
                    compiled[length] = (
                        jax.jit(chunk, static_argnums=2).lower(key0, nuts_state, length).compile()
                    )
            key, sub = jax.random.split(jnp.asarray(state["key"]))
            start = time.perf_counter()
            nuts_state, (z, logp, n_steps, divergent, accept) = compiled[length](sub, nuts_state)
            z = np.asarray(z)
            seconds = time.perf_counter() - start
            logp = np.asarray(logp)
            log_like = logp - log_jacobian_logistic(z)
            objective.count(int(np.sum(np.asarray(n_steps))), seconds, log_like)
            state["key"] = np.asarray(key)
            state["position"] = np.asarray(nuts_state.position)
            state["positions"] = np.concatenate([state["positions"], z])
            state["log_likelihood"] = np.concatenate([state["log_likelihood"], log_like])
            state["n_divergent"] += int(np.sum(np.asarray(divergent)))
            state["acceptance"] = np.concatenate([state["acceptance"], np.asarray(accept)])
            output.maybe_checkpoint(lambda: state, objective)
        z = state["positions"]
        vectors = np.asarray(model.vector_from_unit_vector(expit(z).T)).T
        return RunOutput(
            parameters=vectors,
            weights=np.ones(len(z)),
            log_likelihood=state["log_likelihood"],
            info={
                "step_size": float(state["step_size"]),
                "inverse_mass_matrix": np.asarray(state["inverse_mass_matrix"]).tolist(),
                "mean_acceptance_rate": float(np.mean(state["acceptance"])),
                "n_divergent": state["n_divergent"],
                "warmup_evaluations": state["warmup_evaluations"],
                "timing_note": "likelihood_time is the fused compiled NUTS kernel time",
            },
        )

    def _warm_up(self, model, objective, output, logdensity, blackjax, jax, jnp) -> dict:
        """Window adaptation; returns (and checkpoints) the sampling state."""
        n = model.prior_count
        rng = np.random.default_rng(self.seed)
        z0 = jnp.asarray(np.log(u := rng.uniform(0.25, 0.75, n)) - np.log1p(-u))
        key, warm_key = jax.random.split(jax.random.PRNGKey(self.seed))
        from blackjax.adaptation.base import get_filter_adapt_info_fn

        warmup = blackjax.window_adaptation(
            blackjax.nuts,
            logdensity,
            target_acceptance_rate=self.target_acceptance_rate,
            # Keep only what is counted: the full per-step info is large and slows compiling.
            adaptation_info_fn=get_filter_adapt_info_fn(info_keys={"num_integration_steps"}),
            max_num_doublings=self.max_num_doublings,
        )
        run = jax.jit(warmup.run, static_argnums=2)
        with objective.compiling():
            compiled = run.lower(warm_key, z0, self.num_warmup).compile()
        start = time.perf_counter()
        (warm_state, parameters), info = compiled(warm_key, z0)
        position = np.asarray(warm_state.position)
        seconds = time.perf_counter() - start
        n_evaluations = int(np.sum(np.asarray(info.info.num_integration_steps)))
        log_like = float(warm_state.logdensity) - float(log_jacobian_logistic(position))
        objective.count(n_evaluations, seconds, [log_like])
        state = {
            "key": np.asarray(key),
            "position": position,
            "step_size": float(parameters["step_size"]),
            "inverse_mass_matrix": np.asarray(parameters["inverse_mass_matrix"]),
            "positions": np.zeros((0, n)),
            "log_likelihood": np.zeros(0),
            "acceptance": np.zeros(0),
            "n_divergent": 0,
            "warmup_evaluations": n_evaluations,
        }
        output.save_checkpoint(state, objective)
        return state
