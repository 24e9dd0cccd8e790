"""``Result``: what ``search.fit(model, analysis)`` returns (PyAutoFit's names)."""

from __future__ import annotations

import numpy as np

from xparray.inference.search.samples import Samples

__all__ = ["Result"]


class Result:
    """Samples of a finished search plus the model and analysis that produced them.

    Instances are rebuilt from vectors on demand, so a result loaded from disk needs only
    the model (and the analysis for ``max_log_likelihood_fit``/``_tracer``).
    """

    def __init__(self, model, analysis, samples: Samples, summary: dict, search=None) -> None:
        self.model = model
        self.analysis = analysis
        self.samples = samples
        self.summary = summary
        self.search = search

    # ------------------------------------------------------------- instances
    def instance_from_vector(self, vector):
        return self.model.instance_from_vector(np.asarray(vector, dtype=float))

    @property
    def max_log_likelihood_instance(self):
        return self.instance_from_vector(self.samples.max_log_likelihood_vector)

    @property
    def median_pdf_instance(self):
        return self.instance_from_vector(self.samples.median_pdf_vector)

    @property
    def instance(self):
        """PyAutoFit alias of :attr:`max_log_likelihood_instance`."""
        return self.max_log_likelihood_instance

    def _from_analysis(self, method: str, what: str):
        function = getattr(self.analysis, method, None)
        if not callable(function):
            raise AttributeError(
                f"{what} needs analysis.{method}(instance); "
                f"{type(self.analysis).__name__} does not define it."
            )
        return function(self.max_log_likelihood_instance)

    @property
    def max_log_likelihood_fit(self):
        """``analysis.fit_from(max_log_likelihood_instance)``."""
        return self._from_analysis("fit_from", "Result.max_log_likelihood_fit")

    @property
    def max_log_likelihood_tracer(self):
        """``analysis.tracer_from(max_log_likelihood_instance)`` (lens analyses add it)."""
        return self._from_analysis("tracer_from", "Result.max_log_likelihood_tracer")

    # ------------------------------------------------------------- numbers
    @property
    def log_evidence(self) -> float | None:
        return self.samples.log_evidence

    @property
    def log_likelihood(self) -> float:
        return float(self.samples.log_likelihood_list[self.samples.max_log_likelihood_index])

    @property
    def info(self) -> str:
        """Readable summary: max likelihood and median (1 and 3 sigma) of every parameter."""
        s = self.samples
        ml = s.max_log_likelihood_vector
        median = s.median_pdf_vector
        one, three = s.values_at_sigma(1.0), s.values_at_sigma(3.0)
        width = max(len(n) for n in s.parameter_names) + 2
        timing = self.summary.get("timing", {})
        lines = [
            f"Search: {self.summary.get('search', '?')} ({self.summary.get('name', '')})",
            f"Maximum log likelihood: {self.log_likelihood:.6g}",
        ]
        if self.log_evidence is not None:
            lines.append(f"Log evidence: {self.log_evidence:.6g}")
        lines += [
            f"Evaluations: {self.summary.get('n_evaluations', '?')}, samples: {s.total_samples}",
            f"Wall time: {timing.get('wall_time', float('nan')):.3g} s "
            f"(likelihood {timing.get('likelihood_time', float('nan')):.3g} s)",
            "",
            "Maximum log likelihood model:",
        ]
        lines += [f"  {n:<{width}}{v:.6g}" for n, v in zip(s.parameter_names, ml)]
        lines += ["", "Median PDF model (1 sigma) [3 sigma]:"]
        for i, n in enumerate(s.parameter_names):
            lines.append(
                f"  {n:<{width}}{median[i]:.6g} ({one[i, 0]:.6g}, {one[i, 1]:.6g}) "
                f"[{three[i, 0]:.6g}, {three[i, 1]:.6g}]"
            )
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return f"<Result of {self.summary.get('search', '?')}: {self.samples!r}>"
