"""The NumPy path never imports JAX (DESIGN.md section 3)."""

import subprocess
import sys


def test_importing_every_package_does_not_import_jax():
    code = (
        "import sys, xparray, xpgalaxy, xplens\n"
        "assert 'jax' not in sys.modules, sorted(m for m in sys.modules if 'jax' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_numpy_work_does_not_import_jax():
    code = (
        "import sys, numpy as np, xparray as aa\n"
        "g = aa.Grid2D.uniform((5, 5), 0.1)\n"
        "a = aa.Array2D(np.ones(25), g.mask) * 2.0\n"
        "assert 'jax' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
