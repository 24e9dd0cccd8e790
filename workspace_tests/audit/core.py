"""The comparison machinery of the xp audit: NumPy vs ``jax.jit`` vs ``jax.vmap``, and grads.

A :class:`Case` is a set of entry points (``qualname -> fn(params, xp)``) that share one
flat dict of parameters (``name -> float or float ndarray``). ``fn`` builds its objects
(profiles, galaxies, tracers, structures) from ``params`` every time it is called, so under
JAX they are built *inside* the traced function from traced values, never closed over.
:func:`run_case` calls every entry point

* with NumPy on every parameter set of the batch: the reference, which must not contain a
  ``jax.Array``;
* under ``jax.vmap`` over the batch, inside ``jax.jit``: every leaf of every object is a
  batch tracer;
* under ``jax.jit`` alone on the first parameter set, every parameter traced;
* under ``jax.vmap(jax.grad(...))`` of a scalar summary (the sum of the output's values) at
  the case's gradient points, ordinary and singular: reverse mode, so a missing double
  ``where`` (``0 * inf``) shows up as a NaN;

and compares in float64 to ``case.rtol`` (1e-10 unless a reason is given). The fast path
is two compilations per case: the vmapped values, and the jit values with the gradient of
the sum of every entry's summary (a non-finite entry makes the sum non-finite; only then
is it split per entry). When the fast path raises, each entry point is retried on its own,
stage by stage; a failing one is re-run eagerly with one parameter traced at a time to
name the parameter(s) that leaked into NumPy, and the innermost library frame is quoted.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

import xparray as aa

__all__ = ["Case", "Failure", "TALLY", "Tally", "run_case", "to_raw", "trace_calls", "trace_only"]

#: Default parity tolerance (float64 everywhere).
RTOL = 1e-10


@dataclass(frozen=True)
class Failure:
    """One failing check: the entry point's qualified name, the stage and what went wrong."""

    qualname: str
    case: str
    stage: str  # numpy | jit | vmap | grad | mismatch | grad-not-finite | numpy-returned-jax
    message: str
    leaked: tuple[str, ...] = ()

    def __str__(self) -> str:
        leaked = f" [leaked parameter(s): {', '.join(self.leaked)}]" if self.leaked else ""
        return f"{self.qualname} ({self.case}, {self.stage}): {self.message}{leaked}"


@dataclass
class Tally:
    """Running totals for the one-line summary printed at the end of the session."""

    entry_points: set = field(default_factory=set)
    comparisons: int = 0
    failures: list = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"xp audit: {len(self.entry_points)} entry points checked, "
            f"{self.comparisons} comparisons made, {len(self.failures)} failures"
        )


#: Session totals (the plugin prints ``TALLY.summary()``).
TALLY = Tally()


@dataclass
class Case:
    """Entry points sharing parameters.

    ``params``: the first parameter set (flat, traced leaves). ``batch``: every parameter set
    of the vmap batch (default: ``params`` and two scaled copies). ``grad_points``: where
    gradients must be finite (default: ``params``). ``rtol``/``reason``: looser tolerance and
    why. ``grad``: False only with ``grad_reason`` (where else the gradient is checked);
    ``grad_skip``: entry points left out of the gradient check, with ``grad_skip_reason``.
    """

    name: str
    params: dict
    entries: dict[str, Callable]
    batch: list[dict] | None = None
    grad_points: list[dict] | None = None
    rtol: float = RTOL
    reason: str = ""
    grad: bool = True
    grad_reason: str = ""
    grad_skip: frozenset = frozenset()
    grad_skip_reason: str = ""

    def __post_init__(self) -> None:
        if self.rtol > RTOL and not self.reason:
            raise ValueError(f"case {self.name}: rtol {self.rtol} > {RTOL} needs a reason")
        if not self.grad and not self.grad_reason:
            raise ValueError(f"case {self.name}: skipping the gradient check needs a reason")
        if self.grad_skip and not self.grad_skip_reason:
            raise ValueError(f"case {self.name}: grad_skip needs a grad_skip_reason")
        if self.batch is None:
            self.batch = [self.params, _scaled(self.params, 0.97), _scaled(self.params, 0.94)]
        if self.grad_points is None:
            self.grad_points = [self.params]
        names = set(self.params)
        for row in [*self.batch, *self.grad_points]:
            if set(row) != names:
                raise ValueError(f"case {self.name}: every parameter set needs keys {names}")


def _scaled(params: dict, factor: float) -> dict:
    return {k: np.asarray(v, dtype=float) * factor for k, v in params.items()}


# --------------------------------------------------------------------------- outputs


def to_raw(value):
    """Nested lists of raw arrays from an entry point's output (structures unwrapped).

    Dicts become the list of their values (keys may be objects, e.g. galaxies); registered
    pytrees (ModelInstance, Galaxy, FitImaging, ...) become the list of their leaves.
    """
    if value is None or isinstance(value, np.ndarray | jax.Array | float | int | complex):
        return value
    if isinstance(value, np.generic):
        return value
    if isinstance(value, aa.AbstractNDArray):
        return value.array
    if isinstance(value, list | tuple):
        return [to_raw(v) for v in value]
    if isinstance(value, dict):
        return [to_raw(v) for v in value.values()]
    leaves = jax.tree_util.tree_leaves(value)
    if len(leaves) == 1 and leaves[0] is value:
        raise TypeError(f"cannot compare an output of type {type(value).__name__}")
    return [to_raw(v) for v in leaves]


def _leaves(tree) -> list:
    return jax.tree_util.tree_leaves(tree, is_leaf=lambda x: x is None)


def _summary(tree):
    """Scalar summary of an output: the sum of all its (real and imaginary) values."""
    total = jnp.zeros(())
    for leaf in _leaves(tree):
        if leaf is None:
            continue
        leaf = jnp.asarray(leaf)
        if jnp.issubdtype(leaf.dtype, jnp.complexfloating):
            total = total + jnp.sum(jnp.real(leaf)) + jnp.sum(jnp.imag(leaf))
        elif jnp.issubdtype(leaf.dtype, jnp.floating):
            total = total + jnp.sum(leaf)
    return total


def _mismatch(got, want, rtol: float) -> str | None:
    """None when ``got`` equals ``want`` to ``rtol`` (elementwise), else a description."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return f"shape {got.shape} != NumPy {want.shape}"
    if want.dtype.kind not in "fc":
        return None if np.array_equal(got, want) else "values differ"
    same_nonfinite = np.logical_and(
        ~np.isfinite(want), np.logical_or(got == want, np.isnan(got) & np.isnan(want))
    )
    finite = np.isfinite(want)
    if np.any(np.logical_and(~finite, ~same_nonfinite)) or np.any(
        np.logical_and(finite, ~np.isfinite(got))
    ):
        return "non-finite values differ from NumPy"
    if not np.any(finite):
        return None
    # Relative to each value, with a floor of 1e-3 rtol times the largest value so values
    # that are zero up to rounding (e.g. 1e-17 vs 0) compare sensibly.
    scale = np.max(np.abs(want[finite]))
    err = np.abs(got[finite] - want[finite])
    tol = rtol * np.abs(want[finite]) + 1e-3 * rtol * scale
    if np.all(err <= tol):
        return None
    worst = np.argmax(err - tol)
    rel = err[worst] / max(abs(want[finite][worst]), 1e-300)
    return (
        f"differs from NumPy: max |diff| {err[worst]:.3g} at value {want[finite][worst]:.6g} "
        f"(rel {rel:.3g} > rtol {rtol:g})"
    )


def _compare(qualname, case, label, got_tree, want_tree, rtol, failures) -> int:
    got, want = _leaves(got_tree), _leaves(want_tree)
    if len(got) != len(want):
        failures.append(
            Failure(qualname, case, "mismatch", f"{label}: {len(got)} outputs vs NumPy {len(want)}")
        )
        return 1
    for i, (g, w) in enumerate(zip(got, want)):
        if (g is None) != (w is None):
            failures.append(Failure(qualname, case, "mismatch", f"{label}: output {i} is None"))
        elif w is not None:
            problem = _mismatch(g, w, rtol)
            if problem:
                failures.append(
                    Failure(qualname, case, "mismatch", f"{label}, output {i}: {problem}")
                )
    return len(got)


# --------------------------------------------------------------------------- params


def _numpy_params(params: dict) -> dict:
    """Parameters as a user passes them on the NumPy path: Python floats, float ndarrays."""
    out = {}
    for k, v in params.items():
        arr = np.asarray(v, dtype=float)
        out[k] = float(arr) if arr.ndim == 0 else arr
    return out


def _jax_params(params: dict) -> dict:
    return {k: jnp.asarray(np.asarray(v, dtype=float)) for k, v in params.items()}


def _stack(rows: list[dict]) -> dict:
    return {
        k: jnp.asarray(np.stack([np.asarray(r[k], dtype=float) for r in rows])) for k in rows[0]
    }


def _library_frame(error: BaseException) -> str:
    """``package/path.py:line in function`` of the innermost library frame of ``error``."""
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        path = frame.filename.replace("\\", "/")
        for pkg in ("xparray", "xpgalaxy", "xplens"):
            marker = f"/src/{pkg}/"
            if marker in path:
                where = f"{pkg}/{path.split(marker, 1)[1]}:{frame.lineno} in {frame.name}"
    return where


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    where = _library_frame(error)
    return f"{type(error).__name__}: {first[:300]}" + (f" (at {where})" if where else "")


def _contains_jax(tree) -> bool:
    return any(isinstance(leaf, jax.Array) for leaf in _leaves(tree))


# --------------------------------------------------------------------------- tracing

#: Everything is compiled with XLA's LLVM backend optimisation off: 30-40% faster to
#: compile (compilation is nearly all of the audit's time) and the same IEEE arithmetic
#: (the HLO passes, fusion included, still run; XLA:CPU uses no fast-math by default).
#: The default-options path is what test_parity_light / test_parity_analysis run.
FAST_COMPILE = {"xla_backend_optimization_level": 0}


def _entry_outputs(entries: dict, p: dict) -> dict:
    return {q: to_raw(fn(p, jnp)) for q, fn in entries.items()}


def _entry_summaries(entries: dict, p: dict):
    return jnp.stack([_summary(to_raw(fn(p, jnp))) for fn in entries.values()])


def _batched_values(entries: dict):
    return jax.jit(jax.vmap(lambda p: _entry_outputs(entries, p)), compiler_options=FAST_COMPILE)


def _single_and_grads(entries: dict, grad_entries: dict):
    def run(p0, pg):
        single = _entry_outputs(entries, p0)
        grads = None
        if grad_entries:
            # One reverse pass (as jax.grad) of the sum of every entry's summary: a NaN or
            # inf in any entry's gradient makes the total non-finite; then, and only then,
            # the entries are differentiated one by one to name the failing one.
            grads = jax.vmap(jax.grad(lambda p: jnp.sum(_entry_summaries(grad_entries, p))))(pg)
        return single, grads

    return jax.jit(run, compiler_options=FAST_COMPILE)


def _per_entry_grads(entries: dict, pg: dict, names: list) -> list[dict]:
    # One gradient per entry point: a jacrev of the stacked summaries would push zero
    # cotangents into the other entries, where 0 * inf = NaN contaminates every row.
    out = []
    for fn in entries.values():

        def summary(p, fn=fn):
            return _summary(to_raw(fn(p, jnp)))

        grads = jax.jit(jax.vmap(jax.grad(summary)), compiler_options=FAST_COMPILE)(pg)
        out.append({n: np.asarray(grads[n]) for n in names})
    return out


def _leaked_parameters(fn: Callable, params: dict, stage: str) -> tuple[str, ...]:
    """Names of the parameters whose tracing alone makes ``fn`` fail at ``stage``.

    Eager ``jax.vmap`` / ``jax.grad`` (no ``jax.jit``): under jit every ``jnp`` result is
    staged, parameter or not, so only eager transforms make exactly the values that depend
    on the chosen parameter tracers.
    """
    concrete = _numpy_params(params)
    leaked = []
    for name in params:
        value = _jax_params({name: params[name]})[name]

        def one(x, name=name):
            return to_raw(fn({**concrete, name: x}, jnp))

        try:
            if stage == "grad":
                jax.grad(lambda x, one=one: _summary(one(x)))(value)
            else:
                jax.vmap(one)(jnp.stack([value, value * 0.97]))
        except Exception:  # noqa: BLE001 - any failure here names the parameter
            leaked.append(name)
    return tuple(leaked)


def _isolate(qualname: str, fn: Callable, case: Case, failures: list) -> tuple | None:
    """Run one entry point stage by stage; record the first failing stage. Returns outputs."""
    p0, pb, pg = _jax_params(case.params), _stack(case.batch), _stack(case.grad_points)

    def out(p):
        return to_raw(fn(p, jnp))

    stages = [
        ("jit", lambda: jax.jit(out)(p0)),
        ("vmap", lambda: jax.jit(jax.vmap(out))(pb)),
    ]
    with_grad = case.grad and qualname not in case.grad_skip
    if with_grad:
        stages.append(("grad", lambda: jax.jit(jax.vmap(jax.grad(lambda p: _summary(out(p)))))(pg)))
    results = []
    for stage, call in stages:
        try:
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported with the entry point's name
            leaked = _leaked_parameters(fn, case.params, stage)
            if not leaked:
                leaked = ("<none alone: only under jax.jit or with all parameters traced>",)
            failures.append(Failure(qualname, case.name, stage, _describe(error), leaked))
            return None
    grads = None
    if with_grad:
        grads = {n: np.asarray(results[2][n]) for n in case.params}
    return results[0], results[1], grads


# --------------------------------------------------------------------------- running


def _numpy_reference(case: Case, failures: list) -> dict[str, list]:
    """NumPy outputs of every entry point on every row of the batch (failures recorded)."""
    reference = {}
    for qualname, fn in case.entries.items():
        try:
            rows = [to_raw(fn(_numpy_params(row), np)) for row in case.batch]
        except Exception as error:  # noqa: BLE001
            failures.append(Failure(qualname, case.name, "numpy", _describe(error)))
            continue
        reference[qualname] = rows
        if _contains_jax(rows):
            failures.append(
                Failure(qualname, case.name, "numpy-returned-jax", "xp=np returned a jax.Array")
            )
    return reference


def _traced(case: Case, entries: dict, failures: list, trace_context) -> dict[str, tuple]:
    """``{qualname: (jit output, vmap outputs, {param: gradients} or None)}``."""
    names = list(case.params)
    p0, pb, pg = _jax_params(case.params), _stack(case.batch), _stack(case.grad_points)
    try:
        # Only the Python tracing runs inside ``trace_context`` (lowering and compiling,
        # which the coverage hook would slow down, run outside it).
        with trace_context or contextlib.nullcontext():
            traced = _batched_values(entries).trace(pb)
        batched = traced.lower().compile()(pb)
        grad_entries = {}
        if case.grad:
            grad_entries = {q: fn for q, fn in entries.items() if q not in case.grad_skip}
        single, grads = _single_and_grads(entries, grad_entries)(p0, pg)
    except Exception:  # noqa: BLE001 - isolate entry by entry
        out = {}
        for q, fn in entries.items():
            result = _isolate(q, fn, case, failures)
            if result is not None:
                out[q] = result
        return out
    per_entry = dict.fromkeys(entries)
    if grads is None:
        pass
    elif all(np.all(np.isfinite(np.asarray(grads[n]))) for n in names):
        per_entry.update(dict.fromkeys(grad_entries, {n: np.asarray(grads[n]) for n in names}))
    else:
        per_entry.update(zip(grad_entries, _per_entry_grads(grad_entries, pg, names)))
    return {q: (single[q], batched[q], per_entry[q]) for q in entries}


def trace_only(case: Case) -> None:
    """Trace (no compile, no comparison) every entry point of ``case`` with ``xp=jnp``."""
    jax.make_jaxpr(lambda p: _entry_outputs(case.entries, p))(_jax_params(case.params))


def run_case(case: Case, tally: Tally = TALLY, trace_context=None) -> list[Failure]:
    """Check every entry point of ``case``; record and return the failures.

    ``trace_context``: optional context manager entered around the tracing of the vmapped
    entry points only (the coverage test uses it to see which helper functions are reached
    while traced with ``xp=jnp``).
    """
    failures: list[Failure] = []
    reference = _numpy_reference(case, failures)
    comparisons = len(reference)
    entries = {q: fn for q, fn in case.entries.items() if q in reference}
    traced = _traced(case, entries, failures, trace_context)

    for q, (single, batched, grads) in traced.items():
        want = reference[q]
        comparisons += _compare(q, case.name, "jit", single, want[0], case.rtol, failures)
        for r in range(len(case.batch)):
            row = jax.tree_util.tree_map(lambda x, r=r: x[r], batched)
            comparisons += _compare(
                q, case.name, f"vmap row {r}", row, want[r], case.rtol, failures
            )
        for n, g in (grads or {}).items():
            comparisons += 1
            bad = [k for k in range(g.shape[0]) if not np.all(np.isfinite(g[k]))]
            if bad:
                failures.append(
                    Failure(
                        q,
                        case.name,
                        "grad-not-finite",
                        f"d(sum of output)/d{n} not finite at gradient point(s) {bad}",
                        (n,),
                    )
                )

    tally.entry_points.update(case.entries)
    tally.comparisons += comparisons
    tally.failures.extend(failures)
    return failures


# --------------------------------------------------------------------------- coverage


class trace_calls:  # noqa: N801 - used as a context manager
    """Record which of ``codes`` (code objects) are called inside the ``with`` block."""

    def __init__(self, codes: set):
        self.codes = codes
        self.called: set = set()

    def _hook(self, frame, event, arg):
        if frame.f_code in self.codes:
            self.called.add(frame.f_code)
        return None

    def __enter__(self):
        self._previous = sys.gettrace()
        sys.settrace(self._hook)
        return self

    def __exit__(self, *exc):
        sys.settrace(self._previous)
        return False


def format_failures(failures: list[Failure]) -> str:
    return "\n".join(str(f) for f in failures)


def format_exception(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(error), error)).strip()
