"""A one-line progress display: evaluations, best log likelihood, elapsed time.

On a terminal the line is redrawn in place (carriage return) a few times per second; when
the stream is not a TTY (CI, a log file, a notebook capture) a plain line is printed every
``interval`` seconds instead. ``quiet=True`` prints nothing.
"""

from __future__ import annotations

import math
import sys
import time
from typing import TextIO

__all__ = ["Progress"]


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    """``update(n_evaluations, best_log_likelihood)`` from the search loop; ``close()`` at the end."""

    def __init__(
        self,
        name: str,
        quiet: bool = False,
        interval: float = 30.0,
        stream: TextIO | None = None,
    ) -> None:
        self.name = name
        self.quiet = bool(quiet)
        self.stream = sys.stdout if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty()) if callable(isatty) else False
        # Redraw a terminal line at most 5 times a second; log lines every `interval` s.
        self.interval = 0.2 if self.tty else float(interval)
        self.start = time.perf_counter()
        self.last = -math.inf
        self.n_evaluations = 0
        self.best = -math.inf
        self.phase = ""
        self.lines = 0
        self.width = 0

    def line(self) -> str:
        phase = f" [{self.phase}]" if self.phase else ""
        best = f"{self.best:.6g}" if math.isfinite(self.best) else "-"
        elapsed = _clock(time.perf_counter() - self.start)
        return f"{self.name}{phase}: {self.n_evaluations} evaluations, best log L {best}, elapsed {elapsed}"

    def _emit(self, final: bool = False) -> None:
        if self.tty:
            # Pad to the previous length so a shorter line leaves no stale characters.
            text = self.line()
            padded, self.width = text.ljust(self.width), len(text)
            self.stream.write("\r" + padded + ("\n" if final else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
        self.lines += 1

    def update(
        self, n_evaluations: int, best_log_likelihood: float, phase: str | None = None
    ) -> None:
        self.n_evaluations = int(n_evaluations)
        self.best = max(self.best, float(best_log_likelihood))
        if phase is not None:
            self.phase = phase
        if self.quiet:
            return
        now = time.perf_counter()
        if now - self.last >= self.interval:
            self.last = now
            self._emit()

    def message(self, text: str) -> None:
        """A one-off line (resuming, finished, ...)."""
        if self.quiet:
            return
        prefix = "\n" if self.tty and self.lines else ""
        self.stream.write(f"{prefix}{self.name}: {text}\n")
        self.stream.flush()
        self.lines = 0

    def close(self) -> None:
        if not self.quiet:
            self._emit(final=True)
            self.lines = 0
