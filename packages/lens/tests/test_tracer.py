"""Tracer against the lens equation written out by hand.

Single plane: beta = theta - alpha(theta) (Schneider, Ehlers & Falco 1992, eq. 2.15).
Multi-plane (SEF eq. 9.7): theta_j = theta_1 - sum_{i<j} beta_ij alpha_i(theta_i) with
beta_ij = D_ij D_s / (D_j D_is), D the angular diameter distances of the cosmology.
"""

import numpy as np
import pytest

import xplens as al


def _deflection(galaxy, points):
    return galaxy.deflections_yx_2d_from(al.Grid2DIrregular(points)).array


def _light(galaxy, points):
    return galaxy.image_2d_from(al.Grid2DIrregular(points)).array


def test_lens_and_source_image_pixel_for_pixel(reference_lens_and_source):
    lens, source = reference_lens_and_source
    grid = al.Grid2D.uniform((15, 15), pixel_scales=0.2, over_sample_size=1)
    theta = grid.array
    expected = _light(lens, theta) + _light(source, theta - _deflection(lens, theta))
    image = al.Tracer([lens, source]).image_2d_from(grid)
    assert isinstance(image, al.Array2D)
    np.testing.assert_allclose(image.array, expected, rtol=1e-12)


def test_over_sampled_light_is_traced_sub_pixel_by_sub_pixel(reference_lens_and_source):
    lens, source = reference_lens_and_source
    grid = al.Grid2D.uniform((9, 9), pixel_scales=0.3, over_sample_size=3)
    sub = grid.over_sampled.array
    per_sub = _light(lens, sub) + _light(source, sub - _deflection(lens, sub))
    expected = grid.over_sampler.binned_array_2d_from(per_sub)
    image = al.Tracer([lens, source]).image_2d_from(grid)
    np.testing.assert_allclose(image.array, expected, rtol=1e-12)
    # and it differs from evaluating at the pixel centres only
    centres = al.Tracer([lens, source]).image_2d_from(grid.with_over_sample_size(1))
    assert np.max(np.abs(centres.array - expected)) > 1e-3


def test_galaxy_order_and_planes(reference_lens_and_source):
    lens, source = reference_lens_and_source
    tracer = al.Tracer([source, lens])
    assert tracer.plane_redshifts == [0.5, 1.0] and tracer.total_planes == 2
    assert list(tracer.planes[0]) == [lens]


def test_three_planes_follow_the_recursive_lens_equation():
    cosmo = al.Planck15()
    g1 = al.Galaxy(0.3, mass=al.mp.IsothermalSph(centre=(0.0, 0.0), einstein_radius=0.8))
    g2 = al.Galaxy(0.8, mass=al.mp.IsothermalSph(centre=(0.2, -0.1), einstein_radius=0.4))
    g3 = al.Galaxy(2.0, light=al.lp.GaussianSph(centre=(0.0, 0.0), intensity=1.0, sigma=0.3))
    theta = np.array([[0.5, 0.7], [-1.1, 0.2], [0.05, -0.9]])

    def d(z1, z2):
        return cosmo.angular_diameter_distance_kpc_z1z2(z1, z2)

    # beta_12 = D_12 D_s / (D_2 D_1s) (SEF eq. 9.8), with D_j = D(0, z_j)
    beta_12 = d(0.3, 0.8) * d(0.0, 2.0) / (d(0.0, 0.8) * d(0.3, 2.0))
    theta_2 = theta - beta_12 * _deflection(g1, theta)
    theta_3 = theta - _deflection(g1, theta) - _deflection(g2, theta_2)
    traced = al.Tracer([g1, g2, g3], cosmology=cosmo).traced_grid_2d_list_from(
        al.Grid2DIrregular(theta)
    )
    np.testing.assert_allclose(traced[0].array, theta)
    np.testing.assert_allclose(traced[1].array, theta_2, rtol=1e-12)
    np.testing.assert_allclose(traced[2].array, theta_3, rtol=1e-12)
    assert 0 < beta_12 < 1
    # raw (N, 2) points take the separate-y-and-x path (no stacked grids): same image
    tracer = al.Tracer([g1, g2, g3], cosmology=cosmo)
    np.testing.assert_allclose(tracer.image_2d_from(theta), _light(g3, theta_3), rtol=1e-12)


def test_deflections_are_image_minus_source_plane_positions(reference_lens_and_source):
    lens, source = reference_lens_and_source
    tracer = al.Tracer([lens, source])
    grid = al.Grid2DIrregular([(0.4, 0.3), (-1.0, 1.2)])
    np.testing.assert_allclose(
        tracer.deflections_yx_2d_from(grid).array, _deflection(lens, grid.array), rtol=1e-12
    )
    between = tracer.deflections_between_planes_from(grid)
    np.testing.assert_allclose(between.array, _deflection(lens, grid.array), rtol=1e-12)
    # the tracer's LensCalc: single-plane convergence via the hessian
    kappa = tracer.lens_calc.convergence_2d_via_hessian_from(grid)
    np.testing.assert_allclose(kappa.array, lens.convergence_2d_from(grid).array, rtol=1e-5)


def test_bad_galaxies_are_refused():
    with pytest.raises(al.InputError, match="at least one Galaxy"):
        al.Tracer([])
    with pytest.raises(al.InputError, match="not a Galaxy"):
        al.Tracer([al.lp.SersicSph()])
