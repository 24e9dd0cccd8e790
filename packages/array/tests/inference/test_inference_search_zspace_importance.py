"""The ``z = logit(u)`` space and the importance-sampling helpers of StagedImportance.

References: the logistic density (the prior of ``z`` when ``u`` is uniform) is
scipy.stats.logistic; the multivariate Student-t is scipy.stats.multivariate_t (Kotz &
Nadarajah 2004, eq. 1.1); Kish's effective sample size ``(sum w)^2 / sum w^2`` (Kish 1965);
the Pareto k-hat of Vehtari et al. 2024 (JMLR 25, 72, sec. 3) fitted to draws of a
generalised Pareto of known shape; the Laplace covariance ``(-H)^-1`` (MacKay 2003, eq. 27.8).
"""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.integrate import quad
from scipy.special import expit, logit

from xparray.inference import Fitness, GaussianPrior, LogUniformPrior, Model, UniformPrior
from xparray.inference.fixtures import GaussianAnalysis, Triple
from xparray.inference.search.base import Objective
from xparray.inference.search.importance import (
    StudentT,
    effective_sample_size,
    laplace_covariance,
    log_evidence_from,
    pareto_khat,
    weighted_moments,
)
from xparray.inference.search.output import SearchOutput
from xparray.inference.search.progress import Progress
from xparray.inference.search.zspace import UnboundedSpace, log_logistic_density

LOWER = np.array([-1.0, 0.0, -2.0])
UPPER = np.array([1.0, 3.0, 2.0])
WIDTH = UPPER - LOWER
MEAN = np.array([0.2, 1.4, -0.3])
COV = np.array([[0.04, 0.01, 0.0], [0.01, 0.09, -0.03], [0.0, -0.03, 0.16]])
PRECISION = np.linalg.inv(COV)


def CorrelatedGaussian():
    """log L = -(x - MEAN)^T COV^-1 (x - MEAN) / 2 (unnormalised)."""
    return GaussianAnalysis(("a", "b", "c"), MEAN, COV, log_l_max=0.0)


def uniform_model():
    return Model(
        Triple,
        a=UniformPrior(LOWER[0], UPPER[0]),
        b=UniformPrior(LOWER[1], UPPER[1]),
        c=UniformPrior(LOWER[2], UPPER[2]),
    )


def mixed_model():
    return Model(
        Triple,
        a=UniformPrior(-1.0, 1.0),
        b=GaussianPrior(0.5, 2.0),
        c=LogUniformPrior(1.0e-3, 10.0),
    )


def space_of(model, analysis, tmp_path):
    fitness = Fitness(model, analysis, use_log_prior=False)
    objective = Objective(fitness, model, Progress("t", quiet=True), SearchOutput(tmp_path))
    return UnboundedSpace(model, objective)


# ------------------------------------------------------------------ z space
def test_inference_search_zspace_log_logistic_density():
    z = np.array([[-3.0, 0.0, 0.7], [12.0, -25.0, 1.0e-3]])
    u = expit(z)
    # Definition: the prior density of z = logit(u), u ~ U(0, 1), is u (1 - u).
    np.testing.assert_allclose(
        log_logistic_density(z[:1]), np.sum(np.log(u[:1] * (1.0 - u[:1])), axis=-1), rtol=1e-13
    )
    # Independent reference, also where 1 - u rounds to 0 in float64: scipy's logistic.
    np.testing.assert_allclose(
        log_logistic_density(z), stats.logistic.logpdf(z).sum(axis=-1), rtol=1e-13
    )
    # Far tails: log(u (1 - u)) -> -|z| without overflow.
    assert log_logistic_density(np.array([800.0, -800.0])) == pytest.approx(-1600.0, rel=1e-12)
    # A normalised density: its 1-D integral over R is 1.
    total, _ = quad(lambda t: math.exp(log_logistic_density(np.array([t]))), -np.inf, np.inf)
    assert total == pytest.approx(1.0, abs=1e-10)


def test_inference_search_zspace_round_trip_and_transforms(tmp_path):
    space = space_of(mixed_model(), CorrelatedGaussian(), tmp_path)
    z = np.array([[0.3, -1.2, 2.5], [-4.0, 0.0, -0.7], [7.0, 3.0, 0.01]])
    vectors = space.vectors_from(z)
    # x = prior.value_for(sigmoid(z)): uniform lower + u (upper - lower), Gaussian
    # mean + sigma Phi^-1(u), log-uniform lower (upper/lower)^u.
    u = expit(z)
    np.testing.assert_allclose(vectors[:, 0], -1.0 + 2.0 * u[:, 0], rtol=1e-13)
    np.testing.assert_allclose(vectors[:, 1], stats.norm.ppf(u[:, 1], 0.5, 2.0), rtol=1e-12)
    np.testing.assert_allclose(vectors[:, 2], 1.0e-3 * 1.0e4 ** u[:, 2], rtol=1e-12)
    # Single rows keep their shape.
    np.testing.assert_allclose(space.vectors_from(z[0]), vectors[0], rtol=0)
    for row, vector in zip(z, vectors):
        np.testing.assert_allclose(space.z_from(vector), row, rtol=1e-9, atol=1e-9)
        assert space.z_of(2, vector[2]) == pytest.approx(row[2], abs=1e-9)


def test_inference_search_zspace_chain_rule_jacobian(tmp_path):
    """dx/dz = u (1 - u) / prior.pdf(x) (the JAX path's chain rule) against central
    differences of vectors_from (step 1e-5: error ~h^2 x''' ~1e-10)."""
    space = space_of(mixed_model(), CorrelatedGaussian(), tmp_path)
    z = np.array([0.4, -0.9, 1.3])
    h = 1.0e-5
    fd = (space.vectors_from(z + h) - space.vectors_from(z - h)) / (2.0 * h)
    exact = space._dx_dz(space.vectors_from(z), space.unit_from(z))
    np.testing.assert_allclose(exact, fd, rtol=1e-7)


def test_inference_search_zspace_values_and_numpy_gradient(tmp_path):
    space = space_of(uniform_model(), CorrelatedGaussian(), tmp_path)
    z = np.array([0.4, -0.9, 1.3])
    x = LOWER + WIDTH * expit(z)
    post, log_like = space.values(z[None])
    expected_like = -0.5 * (x - MEAN) @ PRECISION @ (x - MEAN)
    assert log_like[0] == pytest.approx(expected_like, rel=1e-13)
    assert post[0] == pytest.approx(expected_like + log_logistic_density(z), rel=1e-13)
    # Chain rule: d/dz_i [log L(x(z)) + log u_i (1 - u_i)]
    #   = -(P (x - m))_i w_i u_i (1 - u_i) + (1 - 2 u_i)   (x_i = lo_i + w_i u_i).
    u = expit(z)
    analytic = -(PRECISION @ (x - MEAN)) * WIDTH * u * (1.0 - u) + (1.0 - 2.0 * u)
    value, grad = space.value_and_grad(z)
    assert value == pytest.approx(post[0], rel=1e-14)
    # Central differences, h = 1e-5: truncation ~h^2 f''' / 6 ~ 1e-10.
    np.testing.assert_allclose(grad, analytic, rtol=1e-8, atol=1e-9)
    # ... and a central difference of values() with a different step (1e-4).
    h = 1.0e-4
    rows = np.vstack([z + h * np.eye(3), z - h * np.eye(3)])
    v, _ = space.values(rows)
    np.testing.assert_allclose(grad, (v[:3] - v[3:]) / (2.0 * h), rtol=1e-6, atol=1e-7)
    # Only the requested coordinates are differenced; the others are 0.
    _, partial = space.value_and_grad(z, indices=[2])
    assert partial[0] == 0.0 and partial[1] == 0.0
    assert partial[2] == pytest.approx(analytic[2], rel=1e-8)


def test_inference_search_zspace_hessian_exact_on_a_quadratic(tmp_path):
    """A likelihood built so that the log posterior in z is exactly the quadratic
    -(z - c)^T A (z - c) / 2: central second differences of a quadratic are exact, so the
    Hessian must be -A to rounding (~eps |f| / h^2 ~ 1e-10)."""
    a = np.array([[4.0, 1.0, 0.5], [1.0, 2.0, -0.3], [0.5, -0.3, 9.0]])
    centre = np.array([0.2, -0.5, 1.0])

    class QuadraticInZ:
        def log_likelihood_function(self, instance):
            x = np.array([instance.a, instance.b, instance.c])
            z = logit((x - LOWER) / WIDTH)
            return float(-0.5 * (z - centre) @ a @ (z - centre) - log_logistic_density(z))

    space = space_of(uniform_model(), QuadraticInZ(), tmp_path)
    np.testing.assert_allclose(space.hessian(centre + 0.1), -a, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(space.hessian(centre), -a, rtol=1e-6, atol=1e-6)


def test_inference_search_zspace_hessian_in_a_basis_and_whitened_laplace(tmp_path):
    """In the coordinates y of z = z0 + B y the Hessian of a quadratic is B^T H B exactly
    (central differences of a quadratic are exact); and the search's whitened
    re-measurement keeps the exact covariance of a posterior whose curvature spans 1e8
    along a correlated direction (and says it is at a peak)."""
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    a = q @ np.diag([1.0e8, 30.0, 1.0]) @ q.T  # -H: one stiff, correlated direction
    centre = np.array([0.2, -0.5, 1.0])

    class StiffQuadraticInZ:
        def log_likelihood_function(self, instance):
            x = np.array([instance.a, instance.b, instance.c])
            z = logit((x - LOWER) / WIDTH)
            return float(-0.5 * (z - centre) @ a @ (z - centre) - log_logistic_density(z))

    space = space_of(uniform_model(), StiffQuadraticInZ(), tmp_path)
    basis = np.linalg.cholesky(np.linalg.inv(a))
    np.testing.assert_allclose(
        space.hessian(centre, step=0.5, basis=basis), -basis.T @ a @ basis, atol=1e-5
    )
    from xparray.inference.search.staged import StagedImportance

    search = StagedImportance("t", output_path=tmp_path, quiet=True)
    cov, peak = search._laplace(space, centre)
    assert peak
    # relative to the exact covariance A^-1, in the metric of A (1 = exact)
    whitened = np.linalg.cholesky(a).T @ cov @ np.linalg.cholesky(a)
    np.testing.assert_allclose(whitened, np.eye(3), atol=0.05)


def test_inference_search_zspace_hessian_of_gaussian_by_chain_rule(tmp_path):
    """Gaussian likelihood in x, uniform priors. With s_i = u_i (1 - u_i), g = P (x - m):
    d2/dz_i dz_j = -P_ij w_i s_i w_j s_j - delta_ij [g_i w_i s_i (1 - 2 u_i) + 2 s_i]."""
    space = space_of(uniform_model(), CorrelatedGaussian(), tmp_path)
    z = logit((MEAN + np.array([0.05, -0.1, 0.2]) - LOWER) / WIDTH)
    u = expit(z)
    x = LOWER + WIDTH * u
    s = u * (1.0 - u)
    g = PRECISION @ (x - MEAN)
    analytic = -PRECISION * np.outer(WIDTH * s, WIDTH * s)
    analytic -= np.diag(g * WIDTH * s * (1.0 - 2.0 * u) + 2.0 * s)
    # Central second differences err by h^2 f'''' / 12 (Nocedal & Wright 2006, sec. 8.1).
    # Here |f''''| <= 14 along each axis (measured by fourth differences) and the steps
    # are at most half the peak width, 1 / (2 sqrt(-H_ii)) <= 0.21: error <= 0.05 on
    # entries of size ~6. (With the default step 1e-3 kept, the error is ~1e-6.)
    hess = space.hessian(z)
    np.testing.assert_allclose(hess, analytic, atol=0.05)
    # The Laplace covariance from it: dC = C dH C, so |dC| <= |dH| / lambda_min(-H)^2
    # <= (3 x 0.05) / 4.98^2 = 0.006 (spectral norms; eigenvalues of -H here 5.0-9.1).
    np.testing.assert_allclose(laplace_covariance(hess), np.linalg.inv(-analytic), atol=0.006)


def test_inference_search_zspace_refuses_an_objective_with_the_log_prior(tmp_path):
    model = uniform_model()
    fitness = Fitness(model, CorrelatedGaussian(), use_log_prior=True)
    objective = Objective(fitness, model, Progress("t", quiet=True), SearchOutput(tmp_path))
    with pytest.raises(ValueError, match="log prior"):
        UnboundedSpace(model, objective)


# ------------------------------------------------------------------ importance
def test_inference_search_importance_student_t_density_and_draws():
    mean = np.array([0.5, -1.0, 2.0])
    rng = np.random.default_rng(4)
    z = rng.normal(size=(20, 3)) * 2.0 + mean
    for df in (3.0, 5.0, 30.0):
        t = StudentT(mean, COV, df)
        reference = stats.multivariate_t(loc=mean, shape=COV, df=df).logpdf(z)
        np.testing.assert_allclose(t.log_pdf(z), reference, rtol=1e-12)
    t = StudentT(mean, COV, 5.0)
    draws = t.sample(200_000, np.random.default_rng(7))
    # Student-t moments: mean `mean`, covariance df / (df - 2) * shape (Kotz & Nadarajah
    # 2004, eq. 1.5). The mean's standard error sqrt(5/3 * 0.16 / 2e5) ~ 1.2e-3; the
    # variances' scatter is larger (heavy tails, finite fourth moment at df=5 only just):
    # 5e-3 and 10%.
    np.testing.assert_allclose(draws.mean(axis=0), mean, atol=5e-3)
    np.testing.assert_allclose(np.cov(draws.T), 5.0 / 3.0 * COV, rtol=0.1, atol=3e-3)
    # Same generator seed -> same draws.
    np.testing.assert_array_equal(
        t.sample(5, np.random.default_rng(1)), t.sample(5, np.random.default_rng(1))
    )


def test_inference_search_importance_effective_sample_size():
    assert effective_sample_size(np.full(500, -3.7)) == pytest.approx(500.0, rel=1e-12)
    dominant = np.full(1000, -800.0)
    dominant[17] = 0.0
    assert effective_sample_size(dominant) == pytest.approx(1.0, rel=1e-12)
    # Kish's formula computed directly, and its invariance to a common factor.
    w = np.random.default_rng(2).exponential(size=300)
    kish = w.sum() ** 2 / np.sum(w**2)
    assert effective_sample_size(np.log(w)) == pytest.approx(kish, rel=1e-12)
    assert effective_sample_size(np.log(w) + 900.0) == pytest.approx(kish, rel=1e-12)


def test_inference_search_importance_log_evidence():
    w = np.random.default_rng(3).lognormal(0.0, 0.5, size=400)
    log_z, error = log_evidence_from(np.log(w) - 1000.0)
    # log mean(w) and the delta-method relative error sd(w) / (mean(w) sqrt(N)).
    assert log_z == pytest.approx(math.log(w.mean()) - 1000.0, rel=1e-13)
    assert error == pytest.approx(w.std() / (w.mean() * math.sqrt(w.size)), rel=1e-12)
    log_z, error = log_evidence_from(np.full(50, 2.5))
    assert log_z == pytest.approx(2.5, rel=1e-14) and error == pytest.approx(0.0, abs=1e-15)


def test_inference_search_importance_pareto_khat():
    rng = np.random.default_rng(5)
    for shape in (0.2, 0.5, 0.9):
        w = stats.genpareto.rvs(shape, scale=2.0, size=100_000, random_state=rng)
        # The tail of a generalised Pareto above any threshold is generalised Pareto with
        # the same shape. Tail size M = min(N/5, 3 sqrt N) = 948; the maximum-likelihood
        # shape's standard error is ~(1 + k) / sqrt(M) <= 0.06, so 0.15 is > 2.5 of them.
        assert pareto_khat(np.log(w)) == pytest.approx(shape, abs=0.15)
    # Weights of a light-tailed (exponential) distribution: k-hat ~ 0.
    assert abs(pareto_khat(np.log(rng.exponential(size=20_000)))) < 0.15
    assert pareto_khat(np.zeros(100)) == -math.inf  # flat weights: no tail
    assert pareto_khat(np.zeros(20)) == math.inf  # M = 4 < 5: too few for a fit


def test_inference_search_importance_laplace_covariance():
    hessian = -PRECISION
    np.testing.assert_allclose(laplace_covariance(hessian), COV, rtol=1e-12, atol=1e-15)
    # A saddle and a flat direction: -H has eigenvalues (4, 0, -2); the non-positive
    # ones are raised to floor x 4, so those directions get variance 1 / (4 floor).
    vectors, _ = np.linalg.qr(np.random.default_rng(6).normal(size=(3, 3)))
    saddle = -(vectors * np.array([4.0, 0.0, -2.0])) @ vectors.T
    floor = 1.0e-4
    cov = laplace_covariance(saddle, floor=floor)
    expected = (vectors / np.array([4.0, 4.0 * floor, 4.0 * floor])) @ vectors.T
    np.testing.assert_allclose(cov, expected, rtol=1e-9, atol=1e-9)
    assert np.all(np.linalg.eigvalsh(cov) > 0.0)


def test_inference_search_importance_weighted_moments():
    rng = np.random.default_rng(8)
    z = rng.normal(size=(50, 3))
    w = rng.exponential(size=50)
    mean, cov = weighted_moments(z, np.log(w) + 500.0)
    np.testing.assert_allclose(mean, np.average(z, axis=0, weights=w), rtol=1e-12)
    np.testing.assert_allclose(cov, np.cov(z.T, aweights=w, bias=True), rtol=1e-12, atol=1e-15)


def test_inference_search_importance_pareto_smoothing_replaces_only_the_tail():
    """PSIS (Vehtari et al. 2024, sec. 3): the M = min(N/5, 3 sqrt N) largest weights are
    replaced by ordered GPD quantiles, capped at the largest raw weight; the rest stay."""
    from xparray.inference.search.importance import pareto_smoothed

    rng = np.random.default_rng(7)
    lw = np.log(stats.genpareto.rvs(0.6, size=4000, random_state=rng) + 1.0)
    smoothed, khat = pareto_smoothed(lw)
    m = int(min(4000 / 5, 3 * math.sqrt(4000)))  # 189
    order = np.argsort(lw)
    np.testing.assert_array_equal(smoothed[order[:-m]], lw[order[:-m]])
    tail = smoothed[order[-m:]]
    assert np.all(np.diff(tail) >= 0) and tail.max() <= lw.max()
    assert not np.array_equal(tail, lw[order[-m:]])
    assert khat == pytest.approx(0.6, abs=0.2)
    # one lucky draw no longer dominates: the smoothed ESS is larger than the raw one
    from xparray.inference.search.importance import effective_sample_size

    assert effective_sample_size(smoothed) > effective_sample_size(lw)
