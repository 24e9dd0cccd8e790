"""xp audit, self-test: deliberately broken xp plumbing is caught and named.

Each test patches one thing (restored afterwards) and runs the audit machinery on a case
restricted to a few entry points, with a private tally (these deliberate failures are not
the session's): dropping ``xp`` from a nested call, a helper that ignores ``xp``, a missing
double ``where`` (a NaN gradient at a singular point) and a JAX path that is slightly off.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the audit package (pytest importlib mode)

from audit import core, examples, plugin, profiles  # noqa: E402

import xpgalaxy as ag  # noqa: E402
import xpgalaxy.convert as convert  # noqa: E402
from xpgalaxy.profiles.mass import isothermal  # noqa: E402

ISO = "xpgalaxy.profiles.mass.isothermal.Isothermal"
AXIS_RATIO = "xpgalaxy.convert.axis_ratio_from"
ELL_COMPS = "xpgalaxy.convert.ell_comps_from"


@pytest.fixture(autouse=True, scope="module")
def _summary_line(request):
    plugin.register(request.config)


def _restricted(case: core.Case, *qualnames: str) -> core.Case:
    entries = {q: case.entries[q] for q in qualnames}
    return core.Case(
        case.name, case.params, entries, case.batch, case.grad_points, case.rtol, case.reason
    )


def _isothermal_case(*methods: str) -> core.Case:
    example = next(e for e in profiles.registry_examples()[0] if e.cls is ag.mp.Isothermal)
    case = profiles.profile_cases([example])[0]
    return _restricted(case, *(f"{ISO}.{m}" for m in methods))


def _convert_case(*qualnames: str) -> core.Case:
    case = next(c for c in examples.table_cases() if c.name == "convert")
    return _restricted(case, *qualnames)


def _run(case):
    return core.run_case(case, tally=core.Tally())


def test_a_helper_that_ignores_xp_fails_with_its_name_and_the_leaked_parameters(monkeypatch):
    convert_case = _convert_case(AXIS_RATIO, ELL_COMPS)
    isothermal_case = _isothermal_case("axis_ratio", "angle")
    original = convert.axis_ratio_from

    def numpy_only(ell_comps, xp=np):
        return original((np.asarray(ell_comps[0]), np.asarray(ell_comps[1])), xp=np)

    monkeypatch.setattr(convert, "axis_ratio_from", numpy_only)
    failures = _run(convert_case)
    assert [f.qualname for f in failures] == [AXIS_RATIO]
    assert failures[0].stage == "jit" and "TracerArrayConversionError" in failures[0].message
    assert set(failures[0].leaked) == {"ell_comps_0", "ell_comps_1"}
    # ... and every profile method that goes through it (EllProfile.axis_ratio)
    failures = _run(isothermal_case)
    named = {f.qualname for f in failures}
    assert named == {f"{ISO}.axis_ratio"}  # EllProfile.axis_ratio; angle() does not use it
    assert all(set(f.leaked) == {"ell_comps_0", "ell_comps_1"} for f in failures)


def test_dropping_xp_from_a_nested_call_in_a_profile_fails(monkeypatch):
    def deflections_without_xp(self, y, x, xp=np):
        # the bug: no xp=xp for the nested call, so it runs NumPy on traced values
        return isothermal.isothermal_deflections_from(
            y, x, self.einstein_radius, self.axis_ratio(xp=xp)
        )

    case = _isothermal_case("deflections_yx_2d_from", "convergence_2d_from")
    monkeypatch.setattr(ag.mp.Isothermal, "_deflections_in_frame", deflections_without_xp)
    failures = _run(case)
    assert [f.qualname for f in failures] == [f"{ISO}.deflections_yx_2d_from"]
    message = str(failures[0])
    assert ISO + ".deflections_yx_2d_from" in message and "leaked parameter(s)" in message
    # the centre and the ellipticity reach NumPy; the Einstein radius only scales the result
    assert {"centre_0", "ell_comps_0"} <= set(failures[0].leaked)
    assert "einstein_radius" not in failures[0].leaked


def test_a_missing_double_where_gives_a_non_finite_gradient_at_the_singular_point(monkeypatch):
    def naive_hypot(a, b, xp=np):
        return xp.sqrt(a * a + b * b)  # no inner where: d sqrt / dx is inf at (0, 0)

    case = _convert_case(AXIS_RATIO, ELL_COMPS)
    monkeypatch.setattr(convert, "_safe_hypot", naive_hypot)
    failures = _run(case)
    assert {f.qualname for f in failures} == {AXIS_RATIO}
    assert {f.stage for f in failures} == {"grad-not-finite"}
    assert {f.leaked for f in failures} == {("ell_comps_0",), ("ell_comps_1",)}
    assert all("[1]" in f.message for f in failures)  # the singular gradient point only


def test_a_jax_path_that_differs_by_1e_9_is_a_mismatch(monkeypatch):
    original = convert.ell_comps_from

    def slightly_off(axis_ratio, angle, xp=np):
        e_y, e_x = original(axis_ratio, angle, xp=xp)
        return (e_y, e_x * (1.0 + 1e-9)) if xp is not np else (e_y, e_x)

    case = _convert_case(AXIS_RATIO, ELL_COMPS)
    monkeypatch.setattr(convert, "ell_comps_from", slightly_off)
    failures = _run(case)
    assert {f.qualname for f in failures} == {ELL_COMPS}
    assert {f.stage for f in failures} == {"mismatch"}
