"""LensCalc against analytic lensing of the singular isothermal sphere and a point mass.

SIS (Schneider, Ehlers & Falco 1992, section 8.1.4): alpha = theta_E r_hat,
kappa = theta_E / (2 r), |gamma| = theta_E / (2 r), mu = r / (r - theta_E), tangential
eigenvalue 1 - theta_E / r, radial eigenvalue 1. Point mass (SEF eq. 8.27): tangential
critical curve is the circle r = theta_E.
"""

import numpy as np
import pytest

import xpgalaxy as ag

THETA_E = 1.3


@pytest.fixture
def points():
    rng = np.random.default_rng(3)
    r = rng.uniform(0.5, 3.0, 20)
    phi = rng.uniform(0, 2 * np.pi, 20)
    return ag.Grid2DIrregular(np.stack([r * np.sin(phi), r * np.cos(phi)], axis=1)), r


@pytest.fixture
def calc():
    return ag.LensCalc.from_mass_obj(ag.mp.IsothermalSph(einstein_radius=THETA_E))


def test_sis_convergence_shear_magnification(points, calc):
    grid, r = points
    np.testing.assert_allclose(
        calc.convergence_2d_via_hessian_from(grid).array, THETA_E / (2 * r), rtol=1e-7
    )
    shear = calc.shear_yx_2d_via_hessian_from(grid)
    assert isinstance(shear, ag.VectorYX2DIrregular)
    np.testing.assert_allclose(shear.magnitudes, THETA_E / (2 * r), rtol=1e-7)
    np.testing.assert_allclose(
        calc.magnification_2d_via_hessian_from(grid).array, r / (r - THETA_E), rtol=1e-6
    )
    np.testing.assert_allclose(
        calc.tangential_eigen_value_from(grid).array, 1 - THETA_E / r, rtol=1e-7, atol=1e-9
    )
    np.testing.assert_allclose(calc.radial_eigen_value_from(grid).array, 1.0, atol=1e-7)


def test_hessian_is_symmetric_for_a_potential_field(points):
    grid, _ = points
    sie = ag.mp.Isothermal(ell_comps=(0.1, -0.05), einstein_radius=1.0)
    h_yy, h_xy, h_yx, h_xx = ag.LensCalc.from_mass_obj(sie).hessian_from(grid)
    np.testing.assert_allclose(h_xy, h_yx, atol=1e-7)
    # convergence = half the trace of the hessian (lens equation, SEF eq. 5.9)
    np.testing.assert_allclose(0.5 * (h_xx + h_yy), sie.convergence_2d_from(grid).array, rtol=1e-6)


def test_einstein_radius_of_a_point_mass_and_sis():
    grid = ag.Grid2D.uniform((201, 201), pixel_scales=0.03, over_sample_size=1)
    pm = ag.LensCalc.from_mass_obj(ag.mp.PointMass(einstein_radius=THETA_E))
    # the zero contour is interpolated linearly between pixels: 0.5% accuracy is ample
    assert pm.einstein_radius_from(grid) == pytest.approx(THETA_E, rel=5e-3)
    sis = ag.LensCalc.from_mass_obj(ag.mp.IsothermalSph(einstein_radius=THETA_E))
    assert sis.einstein_radius_from(grid) == pytest.approx(THETA_E, rel=5e-3)
    assert sis.einstein_mass_angular_from(grid) == pytest.approx(np.pi * THETA_E**2, rel=1e-2)
    curve = sis.tangential_critical_curve_list_from(grid)[0].array
    np.testing.assert_allclose(np.hypot(curve[:, 0], curve[:, 1]), THETA_E, rtol=5e-3)
    # the SIS tangential caustic degenerates to the optical axis
    caustic = sis.tangential_caustic_list_from(grid)[0].array
    assert np.max(np.hypot(caustic[:, 0], caustic[:, 1])) < 0.02


def test_uniform_grid_results_are_structures(calc):
    grid = ag.Grid2D.uniform((5, 5), 0.5, over_sample_size=1)
    assert isinstance(calc.convergence_2d_via_hessian_from(grid), ag.Array2D)
    assert isinstance(calc.magnification_2d_from(grid), ag.Array2D)


def test_sub_critical_lens_has_no_einstein_radius():
    grid = ag.Grid2D.uniform((41, 41), pixel_scales=0.1, over_sample_size=1)
    weak = ag.LensCalc.from_mass_obj(ag.mp.MassSheet(kappa=0.2))
    with pytest.raises(ag.InputError, match="no tangential critical curve"):
        weak.einstein_radius_from(grid)
    with pytest.raises(ag.InputError, match="deflections_yx_2d_from"):
        ag.LensCalc.from_mass_obj(object())
