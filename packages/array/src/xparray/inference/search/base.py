"""``AbstractSearch``: what every search shares (output folder, resume, timing, Result).

Checklist for adding a search (e.g. ``MySampler``):

1. Subclass :class:`AbstractSearch` in its own module; wrap a maintained library, never a
   hand-written sampler. Import JAX-only libraries (optax, blackjax) inside methods, never
   at module import (the NumPy install has no JAX).
2. Constructor: pass ``name``, ``path_prefix``, ``output_path``, ``quiet``,
   ``progress_interval``, ``checkpoint_interval``, ``batch_size`` through to
   ``super().__init__``; keep the search's own options as attributes.
3. ``settings()``: a JSON-able dict of every option that changes the result (seed,
   n_live, ...). It goes to search.json / summary.json and a rerun with other settings in
   the same folder is refused. Run-time options (quiet, intervals) stay out of it.
4. ``use_log_prior``: True when the library samples the physical-space posterior
   (MCMC, MAP); False for unit-cube samplers (the prior is the cube transform).
5. ``_run(model, objective, output) -> RunOutput``: evaluate the objective only through
   ``objective`` (``unit_batch``, ``batch``, ``value_and_grad``; or ``count`` for a
   fused JAX kernel) so evaluations and likelihood time are counted; wrap JAX compiles
   in ``objective.compiling()``.
6. Resume: start with ``state = output.load_checkpoint(objective)``; after every batch /
   step / start call ``output.maybe_checkpoint(lambda: state_dict, objective)``. The
   state must be picklable (no closures over the analysis) and must restore the library
   exactly, random state included, so a resumed run repeats no finished evaluation.
7. Return physical vectors, weights, log likelihoods (pure, no prior), the log evidence
   if the library gives one, and a JSON-able ``info`` dict.
8. Export the class from ``search/__init__.py`` and ``inference/__init__.py``; add NumPy
   tests (``packages/array/tests/inference/test_inference_search_*.py``) that recover a
   toy posterior, resume after a simulated kill and reload a finished run without
   evaluating, and JAX tests in ``workspace_tests/test_search_jax.py``.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from xparray.errors import InputError
from xparray.inference.fitness import Fitness
from xparray.inference.search.output import SearchOutput, read_samples_csv
from xparray.inference.search.progress import Progress
from xparray.inference.search.result import Result
from xparray.inference.search.samples import Samples
from xparray.inference.serialise import model_to_dict

__all__ = ["AbstractSearch", "Objective", "RunOutput", "log_prior_batch", "parameter_names_of"]


def parameter_names_of(model) -> list[str]:
    """Dotted attribute path of every free parameter (``galaxies.lens.mass.einstein_radius``)."""
    return [".".join(path) for path in model.paths]


def log_prior_batch(model, vectors) -> np.ndarray:
    """Summed log prior density of each row of ``vectors`` (n, p), NumPy."""
    vectors = np.asarray(vectors, dtype=float).reshape(-1, model.prior_count)
    if model.prior_count == 0:
        return np.zeros(vectors.shape[0])
    terms = model.log_prior_list_from_vector(vectors.T)
    return np.sum(np.stack([np.broadcast_to(t, vectors.shape[:1]) for t in terms]), axis=0)


class Objective:
    """Every call a search makes into :class:`Fitness`, counted and timed.

    ``ledger()`` (saved in each checkpoint) accumulates over resumed sessions: evaluations,
    seconds inside Fitness calls (``likelihood_time``), JAX compile seconds, checkpoint
    seconds and wall seconds.
    """

    def __init__(self, fitness: Fitness, model, progress: Progress, output: SearchOutput):
        self.fitness = fitness
        self.model = model
        self.progress = progress
        self.output = output
        self.session_start = time.perf_counter()
        self.base = {
            "n_evaluations": 0,
            "likelihood_time": 0.0,
            "compile_time": 0.0,
            "checkpoint_time": 0.0,
            "wall_time": 0.0,
            "sessions": 0,
            "best_log_likelihood": -math.inf,
        }
        self.n_evaluations = 0
        self.likelihood_time = 0.0
        self.compile_time = 0.0
        self.best_log_likelihood = -math.inf

    @property
    def use_jax(self) -> bool:
        return self.fitness.use_jax

    # ------------------------------------------------------------- ledger
    def restore_ledger(self, ledger: dict) -> None:
        self.base = dict(ledger)
        self.best_log_likelihood = max(self.best_log_likelihood, ledger["best_log_likelihood"])

    def ledger(self) -> dict:
        b = self.base
        return {
            "n_evaluations": b["n_evaluations"] + self.n_evaluations,
            "likelihood_time": b["likelihood_time"] + self.likelihood_time,
            "compile_time": b["compile_time"] + self.compile_time,
            "checkpoint_time": b["checkpoint_time"] + self.output.checkpointer.total_time,
            "wall_time": b["wall_time"] + time.perf_counter() - self.session_start,
            "sessions": b["sessions"] + 1,
            "best_log_likelihood": self.best_log_likelihood,
        }

    @property
    def total_evaluations(self) -> int:
        return self.base["n_evaluations"] + self.n_evaluations

    # ------------------------------------------------------------- bookkeeping
    def count(self, n: int, seconds: float, log_likelihoods=None) -> None:
        """Record ``n`` evaluations that took ``seconds`` (also for fused JAX kernels)."""
        self.n_evaluations += int(n)
        self.likelihood_time += float(seconds)
        if log_likelihoods is not None and np.size(log_likelihoods):
            self.best_log_likelihood = max(
                self.best_log_likelihood, float(np.nanmax(log_likelihoods))
            )
        self.progress.update(self.total_evaluations, self.best_log_likelihood)

    @contextlib.contextmanager
    def compiling(self):
        """Time a block as JAX compile time (not likelihood time)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.compile_time += time.perf_counter() - start

    def _likelihood_part(self, values, vectors) -> np.ndarray:
        """Strip the log prior from posterior values (for progress and samples)."""
        if not self.fitness.use_log_prior:
            return values
        return values - log_prior_batch(self.model, vectors)

    # ------------------------------------------------------------- calls
    def unit_batch(self, units) -> np.ndarray:
        """Objective of each row of the unit hypercube (Fitness._vmap_unit)."""
        units = np.asarray(units, dtype=float)
        start = time.perf_counter()
        values = np.asarray(self.fitness._vmap_unit(units), dtype=float)
        seconds = time.perf_counter() - start
        vectors = None
        if self.fitness.use_log_prior:
            vectors = np.asarray(self.model.vector_from_unit_vector(units.T)).T
        self.count(len(units), seconds, self._likelihood_part(values, vectors))
        return values

    def batch(self, vectors) -> np.ndarray:
        """Objective of each physical row (Fitness._vmap)."""
        vectors = np.asarray(vectors, dtype=float)
        start = time.perf_counter()
        values = np.asarray(self.fitness._vmap(vectors), dtype=float)
        self.count(
            len(vectors), time.perf_counter() - start, self._likelihood_part(values, vectors)
        )
        return values

    def value_and_grad(self, vector) -> tuple[float, np.ndarray]:
        """``(value, gradient)`` at a physical vector (Fitness._grad; JAX or finite differences)."""
        start = time.perf_counter()
        before = self.fitness.n_evaluations
        value, grad = self.fitness._grad(np.asarray(vector, dtype=float))
        value, grad = float(value), np.asarray(grad, dtype=float)  # blocks until JAX is done
        n = max(1, self.fitness.n_evaluations - before)
        like = self._likelihood_part(np.array([value]), np.asarray(vector, float)[None])
        self.count(n, time.perf_counter() - start, like)
        return value, grad

    def warm_up(self, kind: str) -> None:
        """Compile the JAX batch function once, timed as compile time (not counted)."""
        if not self.use_jax:
            return
        n = self.model.prior_count
        rows = self.fitness.batch_size or 1
        with self.compiling():
            if kind == "unit":
                self.fitness._vmap_unit(np.full((rows, n), 0.5))
            elif kind == "vector":
                median = [p.median for p in self.model.priors_ordered_by_id]
                self.fitness._vmap(np.tile(np.asarray(median, float), (rows, 1)))
            elif kind == "grad":
                median = [p.median for p in self.model.priors_ordered_by_id]
                np.asarray(self.fitness._grad(np.asarray(median, float))[1])


@dataclass
class RunOutput:
    """What a search's ``_run`` hands back: physical samples and run facts."""

    parameters: np.ndarray
    weights: np.ndarray
    log_likelihood: np.ndarray
    log_evidence: float | None = None
    info: dict = field(default_factory=dict)


def _interval_dict(samples: Samples) -> dict:
    median = samples.median_pdf_vector
    one, three = samples.values_at_sigma(1.0), samples.values_at_sigma(3.0)
    out = {}
    for i, name in enumerate(samples.parameter_names):
        out[name] = {
            "median": median[i],
            "values_1_sigma": one[i].tolist(),
            "errors_1_sigma": [median[i] - one[i, 0], one[i, 1] - median[i]],
            "values_3_sigma": three[i].tolist(),
            "errors_3_sigma": [median[i] - three[i, 0], three[i, 1] - median[i]],
        }
    return out


class AbstractSearch:
    """Base of every search. Output folder: ``output_path / path_prefix / name``.

    ``checkpoint_interval``: seconds between checkpoints (0: after every batch/step);
    None (default) adapts so writing checkpoints costs at most ~10% of the run.
    ``batch_size``: rows per JAX vmap chunk in Fitness. ``quiet`` silences progress lines,
    which are printed every ``progress_interval`` seconds when stdout is not a terminal.
    """

    use_log_prior = True

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path = "",
        output_path: str | Path = "output",
        quiet: bool = False,
        progress_interval: float = 30.0,
        checkpoint_interval: float | None = None,
        batch_size: int | None = 64,
    ) -> None:
        self.name = type(self).__name__.lower() if name is None else str(name)
        if not self.name:
            raise InputError(f"{type(self).__name__}: name must be a non-empty string.")
        self.path_prefix = Path(path_prefix)
        self.output_path = Path(output_path)
        self.quiet = bool(quiet)
        self.progress_interval = float(progress_interval)
        if checkpoint_interval is not None and checkpoint_interval < 0:
            raise InputError("checkpoint_interval must be >= 0 seconds or None (adaptive).")
        self.checkpoint_interval = checkpoint_interval
        self.batch_size = batch_size

    @property
    def output_folder(self) -> Path:
        return self.output_path / self.path_prefix / self.name

    def settings(self) -> dict:
        """Options that change the result (subclasses extend)."""
        return {"batch_size": self.batch_size}

    def search_dict(self) -> dict:
        return {
            "search": type(self).__name__,
            "name": self.name,
            "path_prefix": str(self.path_prefix),
            "settings": self.settings(),
        }

    # ------------------------------------------------------------- entry point
    def fit(self, model, analysis) -> Result:
        """Run (or resume, or reload) the search of ``model`` under ``analysis``."""
        if model.prior_count < 1:
            raise InputError(f"{type(self).__name__}.fit: the model has no free parameters.")
        output = SearchOutput(self.output_folder, self.checkpoint_interval)
        output.prepare(model_to_dict(model), self.search_dict())
        names = parameter_names_of(model)
        if output.is_complete:
            summary = output.load_summary()
            samples = Samples.from_csv_dict(
                read_samples_csv(output.samples_path), summary.get("log_evidence")
            )
            return Result(model, analysis, samples, summary, search=self)
        self._check_analysis(analysis)
        progress = Progress(self.name, self.quiet, self.progress_interval)
        fitness = Fitness(
            model, analysis, use_log_prior=self.use_log_prior, batch_size=self.batch_size
        )
        objective = Objective(fitness, model, progress, output)
        try:
            run = self._run(model, objective, output)
        except BaseException:
            progress.message("stopped; calling fit again resumes from the last checkpoint.")
            raise
        progress.close()
        run.info.setdefault("use_jax", fitness.use_jax)
        parameters = np.asarray(run.parameters, dtype=float).reshape(-1, len(names))
        samples = Samples(
            names,
            parameters,
            run.weights,
            run.log_likelihood,
            log_prior_batch(model, parameters),
            log_evidence=run.log_evidence,
        )
        summary = self._summary(samples, run, objective.ledger())
        output.write_result(names, samples, summary)
        output.checkpoint_path.unlink(missing_ok=True)
        return Result(model, analysis, samples, summary, search=self)

    def _check_analysis(self, analysis) -> None:
        if not callable(getattr(analysis, "log_likelihood_function", None)):
            raise InputError(
                f"{type(self).__name__}.fit: the analysis must define "
                "log_likelihood_function(instance) -> float."
            )

    def _run(self, model, objective: Objective, output: SearchOutput) -> RunOutput:
        raise NotImplementedError

    def _summary(self, samples: Samples, run: RunOutput, ledger: dict) -> dict:
        ml = samples.max_log_likelihood_index
        wall = ledger["wall_time"]
        accounted = ledger["likelihood_time"] + ledger["compile_time"] + ledger["checkpoint_time"]
        return {
            "completed": True,
            "search": type(self).__name__,
            "name": self.name,
            "parameter_names": samples.parameter_names,
            "max_log_likelihood": {
                "log_likelihood": samples.log_likelihood_list[ml],
                "parameters": dict(zip(samples.parameter_names, samples.parameters[ml].tolist())),
            },
            "median_pdf": _interval_dict(samples),
            "log_evidence": run.log_evidence,
            "n_evaluations": ledger["n_evaluations"],
            "n_samples": samples.total_samples,
            "effective_sample_size": samples.effective_sample_size,
            "wall_time": wall,
            "timing": {
                "wall_time": wall,
                "likelihood_time": ledger["likelihood_time"],
                "compile_time": ledger["compile_time"],
                "checkpoint_time": ledger["checkpoint_time"],
                "sampler_time": max(0.0, wall - accounted),
                "likelihood_fraction": ledger["likelihood_time"] / wall if wall > 0 else None,
                "sessions": ledger["sessions"],
                "use_jax": bool(run.info.get("use_jax", False)),
            },
            "settings": self.settings(),
            "info": run.info,
        }
