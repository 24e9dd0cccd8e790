"""Prints the audit's one-line summary at the end of a pytest session.

``pytest -q`` hides what passing tests print, so the summary comes from a
``pytest_terminal_summary`` hook. The audit tests register :class:`AuditSummary` on first
use (``register(config)``), so no conftest change is needed and the line appears whenever
an audit test ran (``nox -s parity`` runs them all).
"""

from __future__ import annotations

from audit.core import TALLY

__all__ = ["AuditSummary", "register"]

_NAME = "xp-audit-summary"


class AuditSummary:
    """pytest plugin object: writes ``TALLY.summary()`` as the last line of the report."""

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        if TALLY.entry_points or TALLY.comparisons or TALLY.failures:
            terminalreporter.write_line(TALLY.summary())


def register(config) -> None:
    """Register the summary hook once per session."""
    if not config.pluginmanager.has_plugin(_NAME):
        config.pluginmanager.register(AuditSummary(), _NAME)
