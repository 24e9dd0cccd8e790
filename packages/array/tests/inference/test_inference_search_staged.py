"""StagedImportance (NumPy path) on Gaussian likelihoods inside wide uniform prior boxes.

Reference: for log L(x) = LOG_L_MAX - (x - m)^T C^-1 (x - m) / 2 and a uniform prior on a
box whose edges are >= 5 sigma from m (the Gaussian mass outside is < 1e-6), the evidence
is Z = integral L(x) dx / prod(widths) = (2 pi)^(p/2) sqrt(det C) exp(LOG_L_MAX) /
prod(widths) (the Gaussian integral), and the posterior is N(m, C).
"""

import math
import pickle

import numpy as np
import pytest
from scipy.optimize import minimize

from xparray.errors import InputError
from xparray.inference import Collection, Model, Stage, StagedImportance, UniformPrior, fixtures
from xparray.inference.fixtures import Point, Triple

MEAN = np.array([0.3, -0.2, 1.5])
COV = np.array([[0.01, 0.006, 0.0], [0.006, 0.04, -0.02], [0.0, -0.02, 0.09]])
PRECISION = np.linalg.inv(COV)
SIGMA = np.sqrt(np.diag(COV))
LOWER = np.array([-1.0, -2.0, 0.0])
UPPER = np.array([1.5, 1.0, 3.5])
LOG_L_MAX = 3.0
#: Small settings: ~2500 evaluations, well under a second.
SETTINGS = dict(n_eff=1000.0, n_batch=512, seed=1, quiet=True)


def analytic_log_evidence(cov=COV, widths=UPPER - LOWER, log_l_max=LOG_L_MAX):
    p = len(widths)
    return (
        0.5 * p * math.log(2.0 * math.pi)
        + 0.5 * math.log(np.linalg.det(cov))
        - float(np.sum(np.log(widths)))
        + log_l_max
    )


class GaussianAnalysis(fixtures.GaussianAnalysis):
    """Correlated 3-D Gaussian peaking at LOG_L_MAX; counts calls, killed after ``kill_after``."""

    def __init__(self, kill_after=None):
        super().__init__(("a", "b", "c"), MEAN, COV, log_l_max=LOG_L_MAX, kill_after=kill_after)


def make_model():
    return Model(
        Triple,
        a=UniformPrior(LOWER[0], UPPER[0]),
        b=UniformPrior(LOWER[1], UPPER[1]),
        c=UniformPrior(LOWER[2], UPPER[2]),
    )


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    root = tmp_path_factory.mktemp("staged")
    analysis = GaussianAnalysis()
    result = StagedImportance("fresh", output_path=root, **SETTINGS).fit(make_model(), analysis)
    return root, analysis.calls, result


def test_inference_search_staged_recovers_gaussian_and_evidence(fresh):
    root, calls, result = fresh
    info = result.summary["info"]
    samples = result.samples
    ess = info["n_eff"]
    assert info["converged"] is True and ess >= SETTINGS["n_eff"]
    # Reliable importance weights (Vehtari et al. 2024, JMLR 25, 72, sec. 3: k < 0.7).
    assert info["pareto_khat"] < 0.7
    # Weighted mean of ESS effective draws: standard error sigma / sqrt(ESS); 4 of them.
    np.testing.assert_array_less(np.abs(samples.mean_vector - MEAN), 4.0 * SIGMA / math.sqrt(ess))
    # Sample covariance: sd(C_ij) = sqrt((C_ii C_jj + C_ij^2) / ESS), since for Gaussian
    # x, Var(x_i x_j) = E[x_i^2 x_j^2] - C_ij^2 = C_ii C_jj + C_ij^2 (Isserlis 1918,
    # Biometrika 12, 134); 5 of them.
    cov_error = np.sqrt((np.outer(SIGMA**2, SIGMA**2) + COV**2) / ess)
    np.testing.assert_array_less(np.abs(samples.covariance_matrix - COV), 5.0 * cov_error)
    # Evidence within 3 reported standard errors plus 0.01 (the box truncation is < 1e-6).
    error = info["log_evidence_error"]
    assert 0.0 < error < 0.05
    assert abs(result.log_evidence - analytic_log_evidence()) < 3.0 * error + 0.01
    assert result.summary["log_evidence"] == result.log_evidence
    # The log_likelihood column is the likelihood alone (no prior, no logistic Jacobian).
    rows = samples.parameters[:40]
    expected = [LOG_L_MAX - 0.5 * (r - MEAN) @ PRECISION @ (r - MEAN) for r in rows]
    np.testing.assert_allclose(samples.log_likelihood_list[:40], expected, rtol=1e-12)
    assert np.all(rows > LOWER) and np.all(rows < UPPER)
    # The mode in z maximises log L + sum log u (1 - u): the logistic term's gradient in
    # x, b_i = (1 - 2 u_i) / (w_i u_i (1 - u_i)), shifts it by C b from MEAN, so log L
    # there is LOG_L_MAX - b^T C b / 2 to first order (0.0039 here; 30% slack for the
    # second-order terms).
    u = (MEAN - LOWER) / (UPPER - LOWER)
    b = (1.0 - 2.0 * u) / ((UPPER - LOWER) * u * (1.0 - u))
    deficit = LOG_L_MAX - info["mode_log_likelihood"]
    assert deficit == pytest.approx(0.5 * b @ COV @ b, rel=0.3)
    assert result.log_likelihood == pytest.approx(LOG_L_MAX, abs=0.05)
    # Every evaluation is counted; the default single stage frees all 3 parameters.
    assert result.summary["n_evaluations"] == calls
    assert [s["n_free"] for s in info["stages"]] == [3]
    assert info["n_pooled"] == samples.total_samples
    assert not (root / "fresh" / "checkpoint.pkl").exists()


def test_inference_search_staged_reloads_and_same_seed_repeats(fresh, tmp_path):
    root, _, result = fresh
    analysis = GaussianAnalysis()
    again = StagedImportance("fresh", output_path=root, **SETTINGS).fit(make_model(), analysis)
    assert analysis.calls == 0  # a finished run is reloaded, not rerun
    np.testing.assert_array_equal(again.samples.parameters, result.samples.parameters)
    # Same seed in a new folder: every draw and start is seeded by (seed, stage, start) or
    # (seed, batch), so the run repeats exactly.
    same = StagedImportance("same", output_path=tmp_path, **SETTINGS).fit(
        make_model(), GaussianAnalysis()
    )
    np.testing.assert_array_equal(same.samples.parameters, result.samples.parameters)
    np.testing.assert_array_equal(same.samples.weight_list, result.samples.weight_list)
    assert same.log_evidence == result.log_evidence
    # Another seed: other draws, the same evidence to within the errors.
    other = StagedImportance("other", output_path=tmp_path, **{**SETTINGS, "seed": 2}).fit(
        make_model(), GaussianAnalysis()
    )
    assert not np.array_equal(other.samples.parameters[:10], result.samples.parameters[:10])
    errors = [r.summary["info"]["log_evidence_error"] for r in (other, result)]
    assert abs(other.log_evidence - result.log_evidence) < 3.0 * math.hypot(*errors) + 0.01


def test_inference_search_staged_resumes_after_kills(fresh, tmp_path):
    _, fresh_calls, fresh_result = fresh
    settings = dict(checkpoint_interval=0.0, **SETTINGS)
    # Kill 1 during the optimisation stage (the first ~100 calls are L-BFGS starts).
    with pytest.raises(KeyboardInterrupt):
        StagedImportance("killed", output_path=tmp_path, **settings).fit(
            make_model(), GaussianAnalysis(kill_after=100)
        )
    saved = pickle.loads((tmp_path / "killed" / "checkpoint.pkl").read_bytes())
    assert saved["state"]["stage"] == 0 and saved["state"]["sampling"] is None
    assert saved["ledger"]["n_evaluations"] <= 100
    # Kill 2 during importance sampling (a batch is 512 calls: this kill falls inside one).
    second = GaussianAnalysis(kill_after=fresh_calls - 300 - saved["ledger"]["n_evaluations"])
    with pytest.raises(KeyboardInterrupt):
        StagedImportance("killed", output_path=tmp_path, **settings).fit(make_model(), second)
    saved = pickle.loads((tmp_path / "killed" / "checkpoint.pkl").read_bytes())
    assert saved["state"]["stage"] == 1 and saved["state"]["sampling"]["batch"] >= 1
    last = GaussianAnalysis()
    resumed = StagedImportance("killed", output_path=tmp_path, **settings).fit(make_model(), last)
    assert last.calls < fresh_calls
    # The resumed run equals the uninterrupted one exactly; evaluations lost with a kill
    # were never checkpointed, so the ledger counts exactly the fresh run's.
    np.testing.assert_array_equal(resumed.samples.parameters, fresh_result.samples.parameters)
    assert resumed.log_evidence == fresh_result.log_evidence
    assert resumed.summary["n_evaluations"] == fresh_calls
    assert resumed.summary["timing"]["sessions"] == 3


def test_inference_search_staged_stops_at_the_evaluation_budget(fresh, tmp_path):
    _, fresh_calls, _ = fresh
    analysis = GaussianAnalysis()
    budget = 300
    result = StagedImportance(
        "budget", output_path=tmp_path, **{**SETTINGS, "max_evaluations": budget}
    ).fit(make_model(), analysis)
    info = result.summary["info"]
    assert info["converged"] is False and info["n_eff"] < SETTINGS["n_eff"]
    # Past the budget: L-BFGS may finish its line search (one more gradient, 2p + 1 = 7
    # points on NumPy), the mode is still polished (one gradient, 7, and one Hessian,
    # <= 2 (2p + 1) + 1 + 2p + 4 p (p - 1) / 2 = 33) and one batch is drawn to report.
    assert budget < analysis.calls <= budget + 7 + 7 + 33 + SETTINGS["n_batch"] < fresh_calls
    assert result.samples.total_samples == SETTINGS["n_batch"]


# ------------------------------------------------------------------ stages
NAMES = ["lens.x", "lens.y", "source.x", "source.y"]
MEAN4 = np.array([0.2, -0.1, 0.4, 0.05])
SIGMA4 = np.array([0.05, 0.08, 0.1, 0.06])
#: lens.x and source.x correlated (rho = 0.5), so the final all-free stage matters.
COV4 = np.diag(SIGMA4**2)
COV4[0, 2] = COV4[2, 0] = 0.5 * SIGMA4[0] * SIGMA4[2]
PRECISION4 = np.linalg.inv(COV4)
INITIAL = {"lens.x": -0.3, "source.x": 0.6}


def RecordingAnalysis():
    """Gaussian in the 4 parameters of (lens, source); records every evaluated vector."""
    return fixtures.GaussianAnalysis(NAMES, MEAN4, COV4, log_l_max=0.0, record=True)


def lens_and_source():
    # fresh prior objects per model: a shared prior object would tie the parameters
    def box():
        return dict(x=UniformPrior(-1.0, 1.0), y=UniformPrior(-1.0, 1.0))

    return Collection(lens=Model(Point, **box()), source=Model(Point, **box()))


def test_inference_search_staged_stages_move_only_their_parameters(tmp_path):
    analysis = RecordingAnalysis()
    marks = {}

    def lens_guesses(vector, rng):
        marks["lens"] = (len(analysis.seen), np.array(vector))
        return [{"lens.x": 0.25}, {"lens.x": -0.5}]

    def from_current(vector, rng):
        marks["all"] = (len(analysis.seen), np.array(vector))
        return [{}]

    stages = [
        Stage("lens", free=("lens",), starts=lens_guesses, scan=("lens.y",)),
        Stage("source", free=("source",), n_starts=3),
        Stage("all", starts=from_current),
    ]
    search = StagedImportance("stages", output_path=tmp_path, stages=stages, initial=INITIAL)
    search.quiet = True
    result = search.fit(lens_and_source(), analysis)
    seen = np.array(analysis.seen)
    m1, start_vector = marks["lens"]
    m3, stage3_vector = marks["all"]
    # The first stage starts from `initial`, other parameters at their prior medians (0).
    np.testing.assert_allclose(start_vector, [-0.3, 0.0, 0.6, 0.0], atol=1e-12)
    # First start: one batched scan of lens.y over the 32 unit-cube grid points
    # (x = -1 + 2 u, u = 0.005 ... 0.995) at lens.x = 0.25, the custom guess; row 0 is
    # the start itself.
    scan = seen[m1 : m1 + 33]
    np.testing.assert_allclose(scan[1:, 1], -1.0 + 2.0 * np.linspace(0.005, 0.995, 32), atol=1e-12)
    np.testing.assert_allclose(scan[:, 0], 0.25, atol=1e-12)
    np.testing.assert_allclose(scan[:, 2:], [[0.6, 0.0]] * 33, atol=1e-12)
    # Stage 1 moves the lens only; stage 2 then moves the source only, with the lens held
    # at stage 1's best (the point the third stage starts from carries it).
    stage12 = seen[m1:m3]
    first_source_move = int(np.argmax(np.any(np.abs(stage12[:, 2:] - [0.6, 0.0]) > 1e-12, 1)))
    stage1, stage2 = stage12[:first_source_move], stage12[first_source_move:]
    assert len(stage1) > 66 and len(stage2) > 0
    assert np.ptp(stage1[:, 0]) > 0.1 and np.ptp(stage1[:, 1]) > 0.1
    np.testing.assert_allclose(
        stage2[:, :2], np.tile(stage3_vector[:2], (len(stage2), 1)), atol=1e-12
    )
    assert np.ptp(stage2[:, 2]) > 0.1 and np.ptp(stage2[:, 3]) > 0.1

    # Stage 1's best lens given source = (0.6, 0): the maximum over the lens of the
    # log posterior in z, log L + sum log u (1 - u) with u = (x + 1) / 2, found here
    # independently by Nelder-Mead in x. (Without the logistic term it would be the
    # conditional mean m0 + C02 / C22 (0.6 - m2), m1 (Bishop 2006, PRML, eq. 2.81); the
    # term pulls it by ~sigma^2 (1 - 2u) / (2 u (1 - u)) ~ 1e-3.)
    def negative(lens):
        v = np.concatenate([lens, [0.6, 0.0]])
        u = (v + 1.0) / 2.0
        return 0.5 * (v - MEAN4) @ PRECISION4 @ (v - MEAN4) - np.sum(np.log(u * (1 - u)))

    reference = minimize(
        negative, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-14}
    )
    np.testing.assert_allclose(stage3_vector[:2], reference.x, atol=1e-5)
    conditional = MEAN4[0] + COV4[0, 2] / COV4[2, 2] * (0.6 - MEAN4[2])
    np.testing.assert_allclose(stage3_vector[:2], [conditional, MEAN4[1]], atol=3e-3)
    info = result.summary["info"]
    assert result.samples.parameter_names == NAMES
    assert [s["name"] for s in info["stages"]] == ["lens", "source", "all"]
    assert [s["n_free"] for s in info["stages"]] == [2, 2, 4]
    assert [len(s["start_values"]) for s in info["stages"]] == [2, 3, 1]
    best = [s["best_value"] for s in info["stages"]]
    # Each stage starts from the previous best (its first start, or a kept parameter).
    assert best[0] <= best[1] <= best[2]
    # The final posterior is the 4-D Gaussian (tolerance 4 standard errors of the mean).
    assert info["converged"] is True
    ess = info["n_eff"]
    np.testing.assert_array_less(
        np.abs(result.samples.mean_vector - MEAN4), 4 * SIGMA4 / math.sqrt(ess)
    )
    # Evidence: Gaussian integral over the box [-1, 1]^4 (edges >= 9 sigma away).
    expected = analytic_log_evidence(COV4, np.full(4, 2.0), 0.0)
    assert abs(result.log_evidence - expected) < 3.0 * info["log_evidence_error"] + 0.01


def test_inference_search_staged_stage_starts_default_to_prior_draws(tmp_path):
    """A stage without ``starts``: the current point, then prior draws of the freed
    parameters only (unit coordinates in [0.02, 0.98])."""
    analysis = RecordingAnalysis()
    marks = []

    def marker(vector, rng):
        marks.append(len(analysis.seen))
        return [{}]

    # a second stage with a recording `starts` marks where the first one ended
    stages = [
        Stage("source", free=("source.x",), n_starts=4, maxiter=1),
        Stage("mark", free=("lens.x",), starts=marker, maxiter=1),
    ]
    search = StagedImportance("draws", output_path=tmp_path, stages=stages, initial=INITIAL)
    search.quiet = True
    search.fit(lens_and_source(), analysis)
    stage = np.array(analysis.seen[: marks[0]])
    # The other three parameters never move in the stage.
    np.testing.assert_allclose(stage[:, [0, 1, 3]], np.tile([-0.3, 0.0, 0.0], (len(stage), 1)))
    # Start 0 is the current point (source.x = 0.6 from `initial`); starts 1-3 are prior
    # draws u ~ U(0.02, 0.98), x = -1 + 2 u: three more distinct values inside [-0.96, 0.96].
    assert stage[0, 2] == pytest.approx(0.6, abs=1e-12)
    starts = np.unique(np.round(stage[:, 2], 2))
    assert len(starts) >= 4 and np.all(np.abs(starts) <= 0.96 + 0.005)


def test_inference_search_staged_checks_input(tmp_path):
    with pytest.raises(InputError, match="stages"):
        StagedImportance(stages=[])
    with pytest.raises(InputError, match="stages"):
        StagedImportance(stages=["all"])
    with pytest.raises(InputError, match="n_batch"):
        StagedImportance(n_batch=5)
    with pytest.raises(InputError, match="unknown"):
        StagedImportance("bad", output_path=tmp_path, initial={"lens.z": 0.0}, quiet=True).fit(
            lens_and_source(), RecordingAnalysis()
        )
    with pytest.raises(InputError, match="name no parameter"):
        StagedImportance(
            "none", output_path=tmp_path, stages=[Stage("x", free=("deflector",))], quiet=True
        ).fit(lens_and_source(), RecordingAnalysis())
    with pytest.raises(InputError, match="log_likelihood_function"):
        StagedImportance("no", output_path=tmp_path, quiet=True).fit(make_model(), object())
