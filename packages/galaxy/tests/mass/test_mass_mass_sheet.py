"""MassSheet against its defining fields (Gorenstein, Falco & Shapiro 1988) (NumPy path)."""

import numpy as np

from xpgalaxy.profiles.mass.mass_sheet import MassSheet

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.0, 0.0]])


def test_mass_mass_sheet_fields_about_centre():
    sheet = MassSheet(centre=(0.2, -0.1), kappa=0.3)
    d = POINTS - np.array([0.2, -0.1])
    np.testing.assert_allclose(sheet.convergence_2d_from(POINTS), 0.3, rtol=1e-15)
    np.testing.assert_allclose(sheet.deflections_yx_2d_from(POINTS), 0.3 * d, rtol=1e-14)
    np.testing.assert_allclose(
        sheet.potential_2d_from(POINTS), 0.15 * np.sum(d * d, axis=1), rtol=1e-14
    )
    assert np.all(np.asarray(sheet.shear_yx_2d_from(POINTS)) == 0.0)


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9)
# (centre (0, 0): PyAutoGalaxy's potential ignores the centre, see mass_sheet.py).
def test_mass_mass_sheet_matches_autogalaxy():
    sheet = MassSheet(centre=(0.0, 0.0), kappa=0.3)
    points = np.array([[0.7, -0.4], [-1.2, 0.9]])
    np.testing.assert_allclose(
        sheet.potential_2d_from(points), [0.09749999999999999, 0.33749999999999997], rtol=1e-12
    )
    np.testing.assert_allclose(
        sheet.deflections_yx_2d_from(points),
        [[0.20999999999999996, -0.11999999999999998], [-0.35999999999999993, 0.27]],
        rtol=1e-12,
    )
