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


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Likelihood speed and memory of xplens on the reference problem (not in the default
    run). ``nox -s bench -- --quick`` is the < 60 s smoke run; other arguments go to
    benchmarks/bench_likelihood.py (see benchmarks/README.md)."""
    _sync(session, "--group", "test", "--all-extras")
    session.run(
        "python",
        "benchmarks/bench_likelihood.py",
        *session.posargs,
        env={"JAX_ENABLE_X64": "1", "JAX_PLATFORMS": "cpu"},
    )


# Other codes for bench_peers, each in its own environment under nox's cache folder.
# herculens 0.3.0 calls jnp.clip(a_max=...), which jax 0.8 removed; it also imports
# six (through objax) and matplotlib without declaring them.
BENCH_PEERS = {
    "autolens": ["autolens[jax]==2026.10.26.1"],
    "lenstronomy": ["lenstronomy==1.14.2", "astropy"],
    "jaxtronomy": ["jaxtronomy==0.1.5", "astropy"],
    "herculens": ["herculens==0.3.0", "jax>=0.7,<0.8", "six", "matplotlib", "astropy"],
}
BENCH_PEERS_PYTHON = "3.12"


def _peer_python(session: nox.Session) -> str:
    """A Python 3.12 interpreter: $XPLENS_PEER_PYTHON, python3.12 on PATH, or pyenv's."""
    import glob
    import os
    import shutil
    import subprocess

    candidates = [os.environ.get("XPLENS_PEER_PYTHON"), shutil.which("python3.12")]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(f"{root}/versions/{BENCH_PEERS_PYTHON}*/bin/python3"))
    for exe in filter(None, candidates):
        ok = subprocess.run([exe, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"])
        if ok.returncode == 0:
            return exe
    session.error("no Python 3.12 found for the peer environments: set XPLENS_PEER_PYTHON")


@nox.session(python=PYTHON)
def bench_peers(session: nox.Session) -> None:
    """xplens side by side with PyAutoLens, lenstronomy, jaxtronomy and herculens, each in
    its own environment (not in the default run). Arguments go to
    benchmarks/peers/compare.py, e.g. ``nox -s bench_peers -- --variants ss1 --quick``."""
    from pathlib import Path

    _sync(session, "--group", "test", "--all-extras")
    base_python = _peer_python(session)
    envs = []
    for name, requirements in BENCH_PEERS.items():
        location = Path(session.cache_dir) / "bench-peers" / name
        session.run_install(
            "uv", "venv", "--allow-existing", "--python", base_python, str(location), external=True
        )
        python = str(location / "bin" / "python")
        session.run_install(
            "uv", "pip", "install", "--python", python, *requirements, external=True
        )
        envs.append(f"--env={name}={python}")
    session.run(
        "python",
        "benchmarks/peers/compare.py",
        *envs,
        *session.posargs,
        env={"JAX_ENABLE_X64": "1", "JAX_PLATFORMS": "cpu"},
    )
