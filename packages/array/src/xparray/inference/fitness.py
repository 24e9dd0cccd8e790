"""``Fitness``: the objective a search calls, parameter vector -> log posterior (or likelihood).

One pure, traceable function ``vector -> value`` is shared by every entry point:

* ``call(vector)`` / ``call_unit(unit)`` (= ``_jit`` / ``_jit_unit``): one evaluation,
  through ``jax.jit`` compiled once and cached on the JAX path;
* ``_vmap`` / ``_vmap_unit``: ``jax.jit(jax.vmap(...))`` (on CPU mapped in vmapped chunks
  of a few rows, ``_batch_program``) over fixed-size chunks of ``batch_size`` rows, the
  last chunk padded with copies of its final row, so one compile serves every batch
  length and only one chunk is on the device at a time;
* ``_grad``: ``jax.jit(jax.value_and_grad(...))``.

On the NumPy path (``analysis.use_jax`` False or absent) the same API runs as Python loops
and ``_grad`` uses central finite differences with step ``fd_step * max(1, |x_i|)``.

Non-finite values (NaN, +-inf) become ``rejection_value`` via ``xp.where``: never an
exception on the JAX path. On NumPy an analysis may also raise :class:`FitException`
for an invalid model, which gives ``rejection_value`` too. Gradients at rejected points
are not meaningful (``where`` cannot repair a NaN produced inside the likelihood).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from xparray.backend import is_jax_array, jax_numpy
from xparray.errors import InputError

__all__ = ["Fitness", "FitException"]


#: On CPU a batch is mapped in vmapped chunks of this many rows (see ``_batch_program``).
CPU_VMAP_CHUNK = 4


def _batch_program(fn):
    """A callable that evaluates ``fn`` on every row of a batch, compiled once per shape.

    On GPU/TPU: ``jax.jit(jax.vmap(fn))``. On CPU: ``jax.lax.map`` in vmapped chunks of
    ``CPU_VMAP_CHUNK`` rows (one vector's work is already vectorised over its pixels, and
    a whole-batch vmap makes every intermediate batch x pixels large, so it leaves the
    cache: reference, 64 rows, ms per vector, ss1 0.289 -> 0.255, ss4 4.43 -> 2.83), with
    the rows split evenly over the JAX CPU devices (``jax.shard_map``; one device per core,
    see ``xparray.backend.configure_cpu``): XLA runs one such program on about one core,
    so each device takes its share in parallel (2 cores: ss1 0.133 -> 0.100 ms per
    vector). Values equal the single-vector program's to ~1e-16 relative.
    """
    import jax

    if jax.default_backend() != "cpu":
        return jax.jit(jax.vmap(fn))

    def chunked(rows):
        return jax.lax.map(fn, rows, batch_size=CPU_VMAP_CHUNK)

    devices = jax.local_devices()
    if len(devices) == 1:
        return jax.jit(chunked)
    from jax.sharding import Mesh, PartitionSpec

    mesh = Mesh(np.array(devices), ("rows",))
    spec = PartitionSpec("rows")
    sharded = jax.jit(jax.shard_map(chunked, mesh=mesh, in_specs=spec, out_specs=spec))
    n_devices = len(devices)

    def call(rows):
        # shard_map needs a multiple of the device count: pad with copies of a real row
        n = rows.shape[0]
        missing = -n % n_devices
        if missing:
            lib = jax.numpy if is_jax_array(rows) else np
            rows = lib.concatenate([rows, lib.repeat(rows[-1:], missing, axis=0)])
        return sharded(rows)[:n]

    return call


class FitException(Exception):
    """Raised by an analysis (NumPy path) for an invalid model; scored ``rejection_value``."""


class Fitness:
    """Objective of ``model`` under ``analysis.log_likelihood_function(instance)``.

    ``use_log_prior``: add the sum of the priors' log densities (MCMC, optimisers, which
    move in physical space); set False for unit-cube samplers (Nautilus), whose prior is
    the unit-cube transform. ``batch_size``: rows per vmap chunk (None: whole batch).
    """

    def __init__(
        self,
        model,
        analysis,
        use_log_prior: bool = True,
        rejection_value: float = -1.0e100,
        batch_size: int | None = 64,
        fd_step: float = 1.0e-6,
    ) -> None:
        if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
            raise InputError(f"Fitness: batch_size={batch_size!r} must be a positive int or None.")
        self.model = model
        self.analysis = analysis
        self.use_log_prior = bool(use_log_prior)
        self.rejection_value = float(rejection_value)
        self.batch_size = None if batch_size is None else int(batch_size)
        self.fd_step = float(fd_step)
        self.use_jax = bool(getattr(analysis, "use_jax", False))
        self.n_evaluations = 0
        self._compiled: dict[str, object] = {}
        if self.use_jax:
            from xparray.inference.instance import register_model_pytrees

            register_model_pytrees(model)

    @property
    def xp(self) -> ModuleType:
        return jax_numpy() if self.use_jax else np

    # ------------------------------------------------------------- pure objective
    def value_from(self, vector, xp: ModuleType = np):
        """Log likelihood (+ log prior) of a physical vector; traceable, no counting."""
        instance = self.model.instance_from_vector(vector, xp=xp)
        total = self.analysis.log_likelihood_function(instance)
        if self.use_log_prior:
            total = total + sum(self.model.log_prior_list_from_vector(vector, xp=xp))
        # a non-finite parameter is rejected even if a profile's where() hid it downstream
        ok = xp.logical_and(xp.isfinite(total), xp.all(xp.isfinite(xp.asarray(vector))))
        return xp.where(ok, total, self.rejection_value)

    def value_from_unit(self, unit, xp: ModuleType = np):
        """As :meth:`value_from` for a point of the unit hypercube."""
        return self.value_from(self.model.vector_from_unit_vector(unit, xp=xp), xp=xp)

    def _numpy_value(self, vector, unit: bool = False) -> float:
        vector = np.asarray(vector, dtype=float)
        # Overflow/invalid warnings are expected for bad points: they are scored below.
        with np.errstate(all="ignore"):
            try:
                fn = self.value_from_unit if unit else self.value_from
                return float(fn(vector, xp=np))
            except (FitException, InputError):
                # an invalid model (e.g. a profile refusing a negative radius while the
                # instance is built) is a point the sampler rejects, not a crash
                return self.rejection_value

    def _jax_value(self, vector):
        return self.value_from(vector, xp=self.xp)

    def _jax_value_unit(self, unit):
        return self.value_from_unit(unit, xp=self.xp)

    def _compile(self, key: str):
        if key not in self._compiled:
            import jax

            fn = {
                "jit": lambda: jax.jit(self._jax_value),
                "jit_unit": lambda: jax.jit(self._jax_value_unit),
                "vmap": lambda: _batch_program(self._jax_value),
                "vmap_unit": lambda: _batch_program(self._jax_value_unit),
                "grad": lambda: jax.jit(jax.value_and_grad(self._jax_value)),
            }[key]
            self._compiled[key] = fn()
        return self._compiled[key]

    def _argument(self, values):
        """Input for a compiled call: JAX arrays (and tracers) pass through, anything else
        becomes a float64 NumPy array that the compiled call transfers itself. An eager
        ``jnp.asarray`` would cost a dispatch of its own: 0.08 ms, 20% of one reference
        likelihood (jit ss1, 0.40 ms)."""
        if is_jax_array(values):
            return values if values.dtype == np.float64 else self.xp.asarray(values, float)
        return np.asarray(values, dtype=float)

    # ------------------------------------------------------------- single points
    def call(self, vector):
        """Objective at a physical vector: float on NumPy; on JAX a 0-d array computed by the
        cached ``jax.jit`` (eager op-by-op dispatch would be far slower). Traceable."""
        self.n_evaluations += 1
        if not self.use_jax:
            return self._numpy_value(vector)
        return self._compile("jit")(self._argument(vector))

    __call__ = call

    def call_unit(self, unit):
        """Objective at a point of the unit hypercube (for unit-cube samplers)."""
        self.n_evaluations += 1
        if not self.use_jax:
            return self._numpy_value(unit, unit=True)
        return self._compile("jit_unit")(self._argument(unit))

    def _jit(self, vector):
        """The cached ``jax.jit`` of the objective (what :meth:`call` uses on JAX)."""
        return self.call(vector)

    def _jit_unit(self, unit):
        return self.call_unit(unit)

    # ------------------------------------------------------------- batches
    def _batched(self, batch, key: str, unit: bool) -> np.ndarray:
        if not self.use_jax:
            rows = np.asarray(batch, dtype=float)
            self.n_evaluations += rows.shape[0]
            return np.array([self._numpy_value(row, unit=unit) for row in rows], dtype=float)
        xp = self.xp
        rows = batch if is_jax_array(batch) else np.asarray(batch, dtype=float)
        if rows.ndim != 2:
            raise InputError(f"batch must have shape (n, n_parameters); got {rows.shape}.")
        n = rows.shape[0]
        self.n_evaluations += n
        out = np.empty(n, dtype=float)
        if n == 0:
            return out
        size = self.batch_size or n
        compiled = self._compile(key)
        # NumPy rows stay NumPy until the compiled call transfers them (see _argument)
        lib = xp if is_jax_array(rows) else np
        for start in range(0, n, size):
            chunk = self._argument(rows[start : start + size])
            m = chunk.shape[0]
            if m < size:
                # Pad with copies of a real row: same shape -> no recompile, finite values.
                chunk = lib.concatenate([chunk, lib.repeat(chunk[-1:], size - m, axis=0)])
            out[start : start + m] = np.asarray(compiled(chunk))[:m]
        return out

    def _vmap(self, batch) -> np.ndarray:
        """Objective of each row of ``batch`` (n, n_parameters) -> NumPy array (n,)."""
        return self._batched(batch, "vmap", unit=False)

    def _vmap_unit(self, batch) -> np.ndarray:
        """As :meth:`_vmap` for rows in the unit hypercube (Nautilus ``vectorized=True``)."""
        return self._batched(batch, "vmap_unit", unit=True)

    # ------------------------------------------------------------- gradient
    def _grad(self, vector):
        """``(value, gradient)`` at a physical vector.

        JAX: ``jax.value_and_grad`` (jitted; returns jax arrays). NumPy: central finite
        differences, ``(f(x + h e_i) - f(x - h e_i)) / 2h`` with ``h = fd_step max(1, |x_i|)``.
        """
        if self.use_jax:
            self.n_evaluations += 1
            return self._compile("grad")(self._argument(vector))
        x = np.asarray(vector, dtype=float)
        value = self.call(x)
        grad = np.empty_like(x)
        for i in range(x.size):
            h = self.fd_step * max(1.0, abs(x[i]))
            up, down = x.copy(), x.copy()
            up[i] += h
            down[i] -= h
            grad[i] = (self.call(up) - self.call(down)) / (2.0 * h)
        return value, grad

    def __getstate__(self) -> dict:
        # Compiled JAX callables do not pickle (multiprocessing pools): rebuild on demand.
        state = self.__dict__.copy()
        state["_compiled"] = {}
        return state
