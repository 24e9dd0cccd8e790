"""Galaxy and Galaxies: sums over profiles, redshift checks."""

import numpy as np
import pytest

import xpgalaxy as ag


@pytest.fixture
def grid():
    return ag.Grid2DIrregular([(0.3, -0.2), (1.0, 1.5), (-2.0, 0.4)])


def test_image_is_the_sum_of_the_light_profiles(grid):
    a = ag.lp.Sersic(centre=(0.1, 0.0), intensity=1.0, effective_radius=0.8, sersic_index=2.0)
    b = ag.lp.Gaussian(centre=(0.0, 0.2), intensity=0.5, sigma=0.4)
    galaxy = ag.Galaxy(redshift=0.5, bulge=a, disk=b)
    expected = a.image_2d_from(grid).array + b.image_2d_from(grid).array
    out = galaxy.image_2d_from(grid)
    assert isinstance(out, ag.ArrayIrregular)
    np.testing.assert_allclose(out.array, expected, rtol=1e-14)
    assert galaxy.light_profile_list == [a, b]


def test_lensing_is_the_sum_of_the_mass_profiles(grid):
    sie = ag.mp.Isothermal(centre=(0.0, 0.1), ell_comps=(0.05, 0.1), einstein_radius=1.2)
    shear = ag.mp.ExternalShear(gamma_1=0.03, gamma_2=-0.02)
    galaxy = ag.Galaxy(redshift=0.5, mass=sie, shear=shear)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        expected = getattr(sie, method)(grid).array + getattr(shear, method)(grid).array
        np.testing.assert_allclose(getattr(galaxy, method)(grid).array, expected, rtol=1e-14)
    # the two-array path of ray tracing sums the same way, for Galaxy and Galaxies
    y, x = grid.array[:, 0], grid.array[:, 1]
    expected = galaxy.deflections_yx_2d_from(grid).array
    for owner in (galaxy, ag.Galaxies([galaxy, ag.Galaxy(redshift=0.5)])):
        alpha_y, alpha_x = owner.deflections_yx_pair_from(y, x)
        np.testing.assert_allclose(np.stack([alpha_y, alpha_x], -1), expected, rtol=1e-14)


def test_a_galaxy_without_profiles_gives_zeros(grid):
    galaxy = ag.Galaxy(redshift=1.0)
    assert np.all(galaxy.image_2d_from(grid).array == 0.0)
    assert galaxy.deflections_yx_2d_from(grid).shape == (3, 2)
    uniform = ag.Grid2D.uniform((4, 4), 0.5)
    assert isinstance(galaxy.image_2d_from(uniform), ag.Array2D)


def test_galaxies_sum_over_galaxies(grid):
    g1 = ag.Galaxy(0.5, light=ag.lp.SersicSph(intensity=1.0, effective_radius=1.0))
    g2 = ag.Galaxy(0.5, light=ag.lp.GaussianSph(intensity=2.0, sigma=0.5))
    galaxies = ag.Galaxies([g1, g2])
    expected = g1.image_2d_from(grid).array + g2.image_2d_from(grid).array
    np.testing.assert_allclose(galaxies.image_2d_from(grid).array, expected, rtol=1e-14)
    y, x = grid.array[:, 0], grid.array[:, 1]
    np.testing.assert_allclose(galaxies.image_2d_yx_from(y, x), expected, rtol=1e-14)
    assert np.all(ag.Galaxy(redshift=1.0).image_2d_yx_from(y, x) == 0.0)
    assert len(galaxies) == 2 and galaxies[1] is g2 and galaxies.redshift == 0.5
    with pytest.raises(ag.InputError, match="not a Galaxy"):
        ag.Galaxies([g1, "not a galaxy"])


@pytest.mark.parametrize("redshift", [None, "half", -0.1, float("nan"), (0.5, 1.0), True])
def test_bad_redshift_is_refused(redshift):
    with pytest.raises(ag.InputError, match="redshift"):
        ag.Galaxy(redshift=redshift)
