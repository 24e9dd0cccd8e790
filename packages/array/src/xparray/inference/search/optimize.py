"""``Optimize`` (``LBFGS``, ``Adam``): multi-start gradient-based maximum likelihood.

Bounded parametrisation: each start optimises ``z`` in R^p with ``u = sigmoid(z)`` in the
unit cube and ``vector = prior.value_for(u)``, so no step can leave the prior box.
Gradient by the chain rule ``d f / d z = (d f / d x) (d x / d u) u (1 - u)``:

* JAX: ``d f / d x`` from ``Fitness._grad`` (``jax.value_and_grad``) and ``d x / d u``
  from a jitted ``jax.jvp`` of ``model.vector_from_unit_vector`` (diagonal: each
  parameter depends on its own ``u`` only);
* NumPy: central finite differences directly in ``z`` (all 2p + 1 points in one
  ``Fitness._vmap_unit`` batch), step ``fd_step``.

Methods: ``"lbfgs"`` is scipy's L-BFGS-B (Byrd et al. 1995, SIAM J. Sci. Comput. 16,
1190) with ``jac=True``; ``"adam"`` is optax's Adam (Kingma & Ba 2015, arXiv:1412.6980),
which needs JAX installed. Starts are prior draws (seeded). The objective is the log
likelihood, or log likelihood + log prior with ``maximum_a_posteriori=True``.

Samples: one row per start (its best point), weight 1 on the best start and 0 elsewhere:
an optimiser gives no posterior, so the median PDF equals the maximum likelihood and the
errors are zero. Checkpoints after every iteration (per the checkpoint interval) keep the
finished starts and the current start's latest point; a resumed start continues from
there (L-BFGS rebuilds its curvature memory, a small cost; Adam resumes its moments).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.special import expit, logit

from xparray.errors import InputError
from xparray.inference.search.base import AbstractSearch, Objective, RunOutput, log_prior_batch
from xparray.inference.search.output import SearchOutput

__all__ = ["Adam", "LBFGS", "Optimize"]

_METHODS = ("lbfgs", "adam")


class Optimize(AbstractSearch):
    """Multi-start optimiser: ``method`` "lbfgs" (default) or "adam".

    ``n_starts`` prior draws (``seed``), ``maxiter`` iterations (L-BFGS) or ``n_steps``
    steps with ``learning_rate`` (Adam, in ``z`` units) per start; ``tol`` is L-BFGS-B's
    ``ftol``/``gtol``; ``fd_step`` the NumPy finite-difference step in ``z``.
    """

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path = "",
        output_path: str | Path = "output",
        *,
        method: str = "lbfgs",
        n_starts: int = 4,
        maxiter: int = 500,
        n_steps: int = 500,
        learning_rate: float = 0.05,
        tol: float = 1.0e-10,
        fd_step: float = 1.0e-5,
        seed: int | None = None,
        maximum_a_posteriori: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(name, path_prefix, output_path, **kwargs)
        if method not in _METHODS:
            raise InputError(f"Optimize: method={method!r} must be one of {_METHODS}.")
        if int(n_starts) < 1:
            raise InputError("Optimize: n_starts must be >= 1.")
        self.method = method
        self.n_starts = int(n_starts)
        self.maxiter = int(maxiter)
        self.n_steps = int(n_steps)
        self.learning_rate = float(learning_rate)
        self.tol = float(tol)
        self.fd_step = float(fd_step)
        self.seed = seed
        self.maximum_a_posteriori = bool(maximum_a_posteriori)
        self.use_log_prior = self.maximum_a_posteriori

    def settings(self) -> dict:
        return {
            **super().settings(),
            "method": self.method,
            "n_starts": self.n_starts,
            "maxiter": self.maxiter,
            "n_steps": self.n_steps,
            "learning_rate": self.learning_rate,
            "tol": self.tol,
            "fd_step": self.fd_step,
            "seed": self.seed,
            "maximum_a_posteriori": self.maximum_a_posteriori,
        }

    # ------------------------------------------------------------- objective in z
    def _value_and_grad_z(self, model, objective: Objective):
        """``z -> (f, df/dz)`` as NumPy float and array."""
        if not objective.use_jax:

            def fd(z):
                h = self.fd_step
                steps = np.vstack([np.zeros_like(z), h * np.eye(z.size), -h * np.eye(z.size)])
                values = objective.unit_batch(expit(z[None, :] + steps))
                n = z.size
                return values[0], (values[1 : n + 1] - values[n + 1 :]) / (2.0 * h)

            return fd
        import jax

        jnp = objective.fitness.xp

        def to_vector(u):
            return model.vector_from_unit_vector(u, xp=jnp)

        transform = jax.jit(lambda u: jax.jvp(to_vector, (u,), (jnp.ones_like(u),)))
        with objective.compiling():
            jax.block_until_ready(transform(jnp.full(model.prior_count, 0.5)))
        objective.warm_up("grad")

        def exact(z):
            u = expit(z)
            vector, dxdu = (np.asarray(a) for a in transform(jnp.asarray(u)))
            value, grad_x = objective.value_and_grad(vector)
            return value, grad_x * dxdu * u * (1.0 - u)

        return exact

    # ------------------------------------------------------------- one start
    def _lbfgs(self, f, z, budget: int, checkpoint) -> tuple[np.ndarray, float, int]:
        from scipy.optimize import minimize

        best = {"z": z.copy(), "value": -np.inf, "nit": 0}

        def negative(zz):
            value, grad = f(zz)
            if value > best["value"]:
                best.update(z=zz.copy(), value=value)
            return -value, -grad

        def callback(intermediate_result):
            best["nit"] += 1
            checkpoint(intermediate_result.x, best["nit"])

        minimize(
            negative,
            z,
            jac=True,
            method="L-BFGS-B",
            callback=callback,
            options={"maxiter": budget, "ftol": self.tol, "gtol": self.tol},
        )
        return best["z"], best["value"], best["nit"]

    def _adam(self, f, z, done: int, opt_state, checkpoint) -> tuple[np.ndarray, float, int]:
        try:
            import optax
        except ImportError as error:
            raise InputError(
                "Optimize(method='adam') needs optax (install xparray[jax]); "
                "use method='lbfgs' on a NumPy-only install."
            ) from error
        optimiser = optax.adam(self.learning_rate)
        state = optimiser.init(z) if opt_state is None else opt_state
        best_z, best_value = z.copy(), -np.inf
        for step in range(done, self.n_steps):
            value, grad = f(z)
            if value > best_value:
                best_z, best_value = z.copy(), value
            updates, state = optimiser.update(-grad, state, z)
            z = np.asarray(optax.apply_updates(z, updates), dtype=float)
            checkpoint(z, step + 1, state)
        value, _ = f(z)
        if value > best_value:
            best_z, best_value = z.copy(), value
        return best_z, best_value, self.n_steps

    # ------------------------------------------------------------- run
    def _run(self, model, objective: Objective, output: SearchOutput) -> RunOutput:
        n = model.prior_count
        rng = np.random.default_rng(self.seed)
        starts = logit(rng.uniform(0.02, 0.98, size=(self.n_starts, n)))
        f = self._value_and_grad_z(model, objective)
        state = output.load_checkpoint(objective) or {"finished": [], "current": None}
        if state["finished"] or state["current"]:
            objective.progress.message(f"resuming at start {len(state['finished']) + 1}.")
        while len(state["finished"]) < self.n_starts:
            index = len(state["finished"])
            current = state["current"] or {"z": starts[index], "done": 0, "opt_state": None}

            # L-BFGS counts iterations from this session's start; Adam counts absolute steps.
            offset = current["done"] if self.method == "lbfgs" else 0

            def checkpoint(z, done, opt_state=None, offset=offset):
                state["current"] = {"z": np.array(z), "done": done + offset, "opt_state": opt_state}
                output.maybe_checkpoint(lambda: state, objective)

            if self.method == "lbfgs":
                budget = max(1, self.maxiter - current["done"])
                z, value, nit = self._lbfgs(f, np.array(current["z"]), budget, checkpoint)
                nit += current["done"]
            else:
                z, value, nit = self._adam(
                    f, np.array(current["z"]), current["done"], current["opt_state"], checkpoint
                )
            state["finished"].append({"z": z, "value": float(value), "iterations": nit})
            state["current"] = None
            output.save_checkpoint(state, objective)
        z = np.array([s["z"] for s in state["finished"]])
        values = np.array([s["value"] for s in state["finished"]])
        vectors = np.asarray(model.vector_from_unit_vector(expit(z).T)).T
        log_likelihood = values
        if self.maximum_a_posteriori:
            log_likelihood = values - log_prior_batch(model, vectors)
        weights = np.zeros(self.n_starts)
        weights[int(np.argmax(values))] = 1.0
        return RunOutput(
            parameters=vectors,
            weights=weights,
            log_likelihood=log_likelihood,
            info={
                "method": self.method,
                "start_objective_values": values.tolist(),
                "start_iterations": [s["iterations"] for s in state["finished"]],
            },
        )


class LBFGS(Optimize):
    """``Optimize(method="lbfgs")`` (PyAutoFit's ``af.LBFGS``)."""

    def __init__(self, name: str | None = None, *args, **kwargs) -> None:
        super().__init__(name, *args, method="lbfgs", **kwargs)


class Adam(Optimize):
    """``Optimize(method="adam")`` (optax; needs JAX installed)."""

    def __init__(self, name: str | None = None, *args, **kwargs) -> None:
        super().__init__(name, *args, method="adam", **kwargs)
