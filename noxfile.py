"""Every session of the xplens workspace.

``nox`` (no arguments) runs the sessions that must pass: tests (NumPy path, without JAX
installed), parity (the JAX path in workspace_tests/), lint. ``nox -s bench`` measures
speed on the reference problem. Each session builds its own uv environment from the
committed lock; a missing interpreter is an error, never a silent skip.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["tests", "parity", "lint"]
nox.needs_version = ">=2024.10"

PYTHON = "3.11"


def _sync(session: nox.Session, *args: str) -> None:
    """Install the workspace from uv.lock into this session's environment."""
    session.run_install(
        "uv",
        "sync",
        "--locked",
        "--no-default-groups",
        "--all-packages",
        *args,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Library unit tests on the NumPy path, with JAX not installed at all."""
    _sync(session, "--group", "test")
    session.run("python", "-c", "import importlib.util as u; assert u.find_spec('jax') is None")
    session.run("pytest", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=PYTHON)
def parity(session: nox.Session) -> None:
    """NumPy <-> JAX parity (jit and vmap, float64) and the xp audit: workspace_tests/."""
    _sync(session, "--group", "test", "--all-extras")
    session.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "workspace_tests",
        *session.posargs,
        env={"JAX_ENABLE_X64": "1", "JAX_PLATFORMS": "cpu"},
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and format check over the whole workspace."""
    _sync(session, "--group", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
