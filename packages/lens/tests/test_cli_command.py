"""The ``xplens`` command end to end, each run in a subprocess (NumPy backend, no JAX).

A 30x30-pixel mock (``xplens simulate``) is fitted with the cheapest search setting
(nautilus with 40 live points stopped after a few hundred evaluations); the tests check
the files and figures a run writes, that a second call reloads the finished run, that ``--restart`` starts over, and that a run
killed with SIGTERM exits 130 and resumes to completion.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

FIGURES = (
    "fit.png",
    "data.png",
    "model_image.png",
    "residual_map.png",
    "normalized_residual_map.png",
    "chi_squared_map.png",
    "lensed_source.png",
    "source_plane.png",
    "critical_curves.png",
    "corner.png",
)


def xplens(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xplens.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def mock(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mock")
    run = xplens(
        "simulate", "--output", folder, "--shape", 30, "--pixel-scale", 0.15,
        "--no-lens-light", "--seed", 2,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return folder


def fit_args(mock: Path, output: Path, evaluations: int = 300) -> list:
    return [
        "fit", "--data", mock / "data.fits", "--noise-map", mock / "noise_map.fits",
        "--psf", mock / "psf.fits", "--pixel-scale", 0.15, "--mask-radius", 2.0,
        "--no-lens-light", "--source", "sersic", "--search", "nautilus", "--n-live", 40,
        "--max-evaluations", evaluations, "--backend", "numpy", "--output", output,
    ]  # fmt: skip


def _help(capsys, *argv) -> str:
    # in-process: argparse alone, no need to pay a subprocess start for --help
    from xplens.cli import main

    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_help_is_complete_and_short(capsys):
    top = _help(capsys)
    assert "fit" in top and "simulate" in top
    fit = _help(capsys, "fit")
    for option in ("--data", "--noise-map", "--psf", "--pixel-scale", "--mask-radius",
                   "--mask-centre", "--preset", "--lens-light", "--source", "--search",
                   "--backend", "--batch-size", "--seed", "--output", "--restart", "--example"):  # fmt: skip
        assert option in fit
    assert len(fit.splitlines()) < 70
    simulate = _help(capsys, "simulate")
    assert "--model" in simulate and "--output" in simulate


def test_the_console_script_runs(tmp_path):
    # the installed entry point (pyproject: xplens = "xplens.cli:main") and -m agree
    script = Path(sys.executable).with_name("xplens")
    if not script.exists():
        pytest.skip("the xplens console script is not installed in this environment")
    run = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("xplens ")


def test_simulate_writes_fits_and_the_true_model(mock):
    data = fits.getdata(mock / "data.fits")
    noise = fits.getdata(mock / "noise_map.fits")
    psf = fits.getdata(mock / "psf.fits")
    assert data.shape == noise.shape == (30, 30)
    assert psf.shape == (11, 11) and psf.sum() == pytest.approx(1.0)
    assert np.all(noise > 0)
    truth = json.loads((mock / "true_model.json").read_text())
    assert truth["parameters"]["galaxies.lens.mass.einstein_radius"] == 1.6
    # SIE with ell_comps (0.05, 0.1): theta_E 2 sqrt(q) / (1 + q), q = 0.7990 -> 1.5900
    assert truth["einstein_radius"] == pytest.approx(1.5900, abs=2e-3)


def test_simulate_from_a_model_file_reproduces_the_preset(mock, tmp_path):
    run = xplens(
        "simulate", "--model", mock / "true_model.json", "--output", tmp_path,
        "--shape", 30, "--pixel-scale", 0.15, "--seed", 2,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    np.testing.assert_array_equal(
        fits.getdata(tmp_path / "data.fits"), fits.getdata(mock / "data.fits")
    )


def test_fit_writes_results_and_figures_then_reloads(mock, tmp_path):
    out = tmp_path / "run"
    first = xplens(*fit_args(mock, out))
    assert first.returncode == 0, first.stderr
    for name in ("model.json", "search.json", "samples.csv", "summary.json", "dataset.json"):
        assert (out / name).is_file(), name
    for name in FIGURES:
        assert (out / name).stat().st_size > 10_000, name
    assert not (out / "checkpoint.pkl").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["completed"] is True
    extras = summary["xplens"]
    assert extras["backend"] == "numpy"
    assert extras["einstein_radius_reference"]["value"] == pytest.approx(1.59, abs=0.01)
    assert np.isfinite(extras["einstein_radius"]["median"])
    # nautilus stops at the first batch (100 points) that reaches --max-evaluations
    assert 300 <= summary["n_evaluations"] < 400
    assert summary["settings"]["n_live"] == 40
    header = (out / "samples.csv").read_text().splitlines()[0].split(",")
    assert "galaxies.lens.mass.einstein_radius" in header
    # the terminal table
    for text in ("lens.mass.einstein_radius", "Einstein radius", "log evidence", "wall time",
                 "per second"):  # fmt: skip
        assert text in first.stdout

    again = xplens(*fit_args(mock, out), "--no-plots")
    assert again.returncode == 0, again.stderr
    assert "finished run" in again.stdout
    assert json.loads((out / "summary.json").read_text()) == summary | {"xplens": extras}

    other = xplens(*fit_args(mock, out, evaluations=100), "--no-plots")
    assert other.returncode == 2
    assert "--restart" in other.stderr and "Traceback" not in other.stderr

    restarted = xplens(*fit_args(mock, out, evaluations=100), "--no-plots", "--restart")
    assert restarted.returncode == 0, restarted.stderr
    assert not (out / "fit.png").exists()  # the old run's figures went with it
    assert json.loads((out / "summary.json").read_text())["n_evaluations"] < 200


def test_killed_run_resumes(mock, tmp_path):
    out = tmp_path / "run"
    args = [
        sys.executable,
        "-m",
        "xplens.cli",
        *map(str, fit_args(mock, out, evaluations=800)),
        "--no-plots",
    ]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not (out / "checkpoint.pkl").exists() and time.time() < deadline:
        time.sleep(0.05)
    assert (out / "checkpoint.pkl").exists(), "no checkpoint within 60 s"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "resume" in stderr and "Traceback" not in stderr
    assert not (out / "summary.json").exists()
    # nothing half-written: every JSON file still parses, no temporary file is left
    for name in ("model.json", "search.json", "dataset.json"):
        json.loads((out / name).read_text())
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]

    resumed = xplens(*fit_args(mock, out, evaluations=800), "--no-plots", timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["timing"]["sessions"] == 2
    assert 800 <= summary["n_evaluations"] < 900


def test_default_search_is_staged_and_honours_the_budget(mock, tmp_path):
    # the default search (no --search): staged fit + importance sampling; a small budget
    # keeps this a quick look (stages stop early, one sampling batch), which it reports
    out = tmp_path / "run"
    args = [a for a in fit_args(mock, out, evaluations=1500) if a not in ("--n-live", 40)]
    i = args.index("--search")
    del args[i : i + 2]
    run = xplens(*args, "--no-plots", timeout=300)
    assert run.returncode == 0, run.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["search"] == "StagedImportance"
    assert [s["name"] for s in summary["info"]["stages"]] == ["mass + source", "all"]
    # budget: the stages stop at 1500; sampling adds the Hessian and one batch of 2048
    assert summary["n_evaluations"] < 1500 + 1000 + 2048 + 100
    assert summary["log_evidence"] is not None
    assert "sampler:" in run.stdout and "Pareto k-hat" in run.stdout
