"""fit_util: Gaussian goodness-of-fit maps and scalars (NumPy path).

Hand-worked values on three pixels, and scipy.stats.norm.logpdf as an independent
reference for the log likelihood (ln N(d | m, sigma) summed over pixels).
"""

import numpy as np
import pytest
from scipy.stats import norm

from xparray.fit import fit_util as fu

DATA = np.array([1.0, 2.0, 3.0])
MODEL = np.array([1.0, 1.0, 1.0])
NOISE = np.array([1.0, 2.0, 1.0])


def test_maps_by_hand():
    residual = fu.residual_map_from(DATA, MODEL)
    np.testing.assert_array_equal(residual, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(fu.normalized_residual_map_from(residual, NOISE), [0, 0.5, 2])
    chi2_map = fu.chi_squared_map_from(residual, NOISE)
    np.testing.assert_array_equal(chi2_map, [0.0, 0.25, 4.0])
    assert fu.chi_squared_from(chi2_map) == 4.25
    # the likelihood's shortcut (a dot product on NumPy) gives the same sum, also for 2D
    assert fu.chi_squared_from_residual_map(residual, NOISE) == 4.25
    native = np.stack([residual, 2.0 * residual])
    assert fu.chi_squared_from_residual_map(native, NOISE) == 4.25 * 5


def test_noise_normalization_and_log_likelihood_by_hand():
    # sum ln(2 pi sigma^2) = ln(2 pi) + ln(8 pi) + ln(2 pi) = 3 ln(2 pi) + ln 4
    norm_term = fu.noise_normalization_from(NOISE)
    assert norm_term == pytest.approx(3 * np.log(2 * np.pi) + np.log(4.0), rel=1e-15)
    log_l = fu.log_likelihood_from(4.25, norm_term)
    assert log_l == pytest.approx(-0.5 * (4.25 + 3 * np.log(2 * np.pi) + np.log(4.0)), rel=1e-15)
    assert log_l == pytest.approx(np.sum(norm.logpdf(DATA, loc=MODEL, scale=NOISE)), rel=1e-14)
    assert fu.log_likelihood_via_maps_from(DATA, MODEL, NOISE) == pytest.approx(log_l, rel=1e-15)


def test_native_2d_maps_sum_over_every_axis():
    rng = np.random.default_rng(0)
    d, m, s = rng.normal(size=(3, 4, 5)), rng.normal(size=(4, 5)), rng.uniform(1, 2, (4, 5))
    expected = np.sum(norm.logpdf(d[0], loc=m, scale=s))
    assert fu.log_likelihood_via_maps_from(d[0], m, s) == pytest.approx(expected, rel=1e-13)


def test_masked_forms_ignore_masked_pixels_even_with_zero_noise():
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    model = np.array([[0.5, 9.0], [2.0, 4.5]])
    noise = np.array([[1.0, 0.0], [2.0, 0.5]])  # masked pixel has zero noise
    mask = np.array([[False, True], [False, False]])
    residual = fu.residual_map_with_mask_from(data, mask, model)
    np.testing.assert_array_equal(residual, [[0.5, 0.0], [1.0, -0.5]])
    np.testing.assert_array_equal(
        fu.normalized_residual_map_with_mask_from(residual, noise, mask), [[0.5, 0], [0.5, -1]]
    )
    chi2_map = fu.chi_squared_map_with_mask_from(residual, noise, mask)
    np.testing.assert_array_equal(chi2_map, [[0.25, 0.0], [0.25, 1.0]])
    assert fu.chi_squared_with_mask_from(chi2_map, mask) == 1.5
    keep = ~mask
    norm_term = fu.noise_normalization_with_mask_from(noise, mask)
    assert norm_term == pytest.approx(np.sum(np.log(2 * np.pi * noise[keep] ** 2)), rel=1e-15)
    log_l = fu.log_likelihood_via_maps_from(data, model, noise, mask=mask)
    expected = np.sum(norm.logpdf(data[keep], loc=model[keep], scale=noise[keep]))
    assert np.isfinite(log_l) and log_l == pytest.approx(expected, rel=1e-14)
