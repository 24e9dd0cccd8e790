"""Bad input to ``xplens``: one line on stderr naming problem and fix, exit status 2, no
traceback (``--debug`` shows it).

Every case runs ``main(argv)`` in-process (a subprocess per case would cost seconds each);
three cases also run as a real subprocess to prove the same through the entry point.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from astropy.io import fits

from xplens.cli import main


def _write(path, values):
    fits.PrimaryHDU(np.asarray(values, dtype=float)).writeto(path)
    return str(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    rng = np.random.default_rng(1)
    data = rng.normal(0.0, 0.1, (20, 20))
    noise = np.full((20, 20), 0.1)
    y, x = np.indices((5, 5)) - 2.0
    psf = np.exp(-0.5 * (x**2 + y**2))
    with_nan = data.copy()
    with_nan[10, 10] = np.nan
    zero_noise = noise.copy()
    zero_noise[9, 10] = 0.0
    (tmp / "not_fits.fits").write_text("this is not a FITS file\n")
    fits.HDUList([fits.PrimaryHDU()]).writeto(tmp / "empty.fits")  # header only, no image
    return {
        "data": _write(tmp / "data.fits", data),
        "noise": _write(tmp / "noise.fits", noise),
        "psf": _write(tmp / "psf.fits", psf),
        "nan": _write(tmp / "nan.fits", with_nan),
        "zero_noise": _write(tmp / "zero_noise.fits", zero_noise),
        "small_noise": _write(tmp / "small_noise.fits", noise[:15, :15]),
        "even_psf": _write(tmp / "even_psf.fits", np.ones((4, 4))),
        "not_fits": str(tmp / "not_fits.fits"),
        "empty": str(tmp / "empty.fits"),
        "missing": str(tmp / "missing.fits"),
        "out": str(tmp / "out"),
    }


def _fit(files, **override) -> list[str]:
    """A valid fit command (1" mask on a 2"x2" image) with options replaced/added."""
    options = {
        "--data": files["data"],
        "--noise-map": files["noise"],
        "--psf": files["psf"],
        "--pixel-scale": "0.1",
        "--mask-radius": "0.8",
        "--backend": "numpy",
        "--output": files["out"],
    }
    options.update(override)
    argv = ["fit"]
    for key, value in options.items():
        if value is None:
            continue
        argv += [key] if value is True else [key, value]
    return argv


# (case id, options to override, words the one-line message must contain)
CASES = [
    ("missing file", {"--data": "missing"}, ["not found", "missing.fits"]),
    ("not a FITS file", {"--noise-map": "not_fits"}, ["cannot read", "FITS"]),
    ("FITS without an image", {"--psf": "empty"}, ["no 2D image", "primary HDU"]),
    ("shapes disagree", {"--noise-map": "small_noise"}, ["shape (15, 15)", "(20, 20)"]),
    ("NaN inside the mask", {"--data": "nan"}, ["NaN", "inside", "--mask-radius"]),
    ("non-positive noise", {"--noise-map": "zero_noise"}, ["<= 0", "positive"]),
    ("mask larger than image", {"--mask-radius": "5"}, ["larger than the image", "--mask-radius"]),
    ("even PSF", {"--psf": "even_psf"}, ["even shape", "odd"]),
    ("unknown preset", {"--preset": "nfw+shear"}, ["unknown model preset", "sie+shear"]),
    ("unknown source", {"--source": "shapelets"}, ["unknown source", "sersic-core"]),
    ("unknown search", {"--search": "multinest"}, ["unknown search", "nautilus"]),
    ("unknown backend", {"--backend": "torch"}, ["unknown backend", "--backend numpy"]),
    ("nuts without jax", {"--search": "nuts"}, ["nuts", "--backend jax"]),
    ("missing noise map", {"--noise-map": None}, ["--noise-map"]),
    ("example and data", {"--example": "reference"}, ["either --example", "not both"]),
    (
        "unknown example",
        {
            "--example": "abell",
            "--data": None,
            "--noise-map": None,
            "--psf": None,
            "--pixel-scale": None,
        },
        ["unknown example", "slacs1430"],
    ),  # fmt: skip
    ("bad number", {"--mask-radius": "wide"}, ["--mask-radius", "invalid float"]),
    ("negative pixel scale", {"--pixel-scale": "-0.1"}, ["--pixel-scale", "positive"]),
    ("non-positive live points", {"--n-live": "0"}, ["--n-live", "positive"]),
]


def _resolve(files, override: dict) -> dict:
    return {k: files.get(v, v) if isinstance(v, str) else v for k, v in override.items()}


@pytest.mark.parametrize(("override", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_and_exit_2(files, capsys, override, words):
    argv = _fit(files, **_resolve(files, override))
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse errors exit from inside parse_args
        status = stop.code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert status == 2
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("xplens")
    assert "Traceback" not in captured.err
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_simulate_refuses_to_overwrite(files, capsys, tmp_path):
    (tmp_path / "data.fits").write_text("x")
    status = main(["simulate", "--output", str(tmp_path), "--shape", "20"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "--overwrite" in err[0]


def test_simulate_rejects_an_even_psf(capsys, tmp_path):
    status = main(["simulate", "--output", str(tmp_path), "--psf-shape", "10"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "odd" in err[0]


def _run(argv) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xplens.cli", *argv], capture_output=True, text=True, timeout=120
    )


def test_through_the_entry_point(files):
    # a library InputError, an argparse error and --debug, as real processes, concurrently
    commands = [
        _fit(files, **{"--noise-map": files["small_noise"]}),
        _fit(files, **{"--mask-radius": "wide"}),
        _fit(files, **{"--noise-map": files["small_noise"], "--debug": True}),
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "xplens.cli", *c],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in commands
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    for p in processes:
        p.stdout.close()
        p.stderr.close()
    for status, err in results[:2]:
        assert status == 2
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    status, err = results[2]
    assert status == 2 and "Traceback" in err and "CLIError" in err
