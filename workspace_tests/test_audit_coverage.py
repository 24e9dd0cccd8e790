"""xp audit, coverage: everything xp-aware is discovered and has an example or a reason.

Discovery is by introspection (``audit/discovery.py``); profile classes are found by
walking the subclasses of ``GeometryProfile`` (the bases exported as ``ag.lp.LightProfile``
and ``ag.mp.MassProfile`` included), so a new profile or a new xp-aware function fails
here until it has a registry entry, an example call or a reasoned exclusion.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the audit package (pytest importlib mode)

from audit import coverage, discovery, examples, plugin, profiles  # noqa: E402
from audit.core import TALLY  # noqa: E402

import xpgalaxy as ag  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _summary_line(request):
    plugin.register(request.config)


def _table_keys() -> set:
    return {q for case in examples.table_cases() for q in case.entries}


def _check(problems: list) -> None:
    TALLY.comparisons += 1
    TALLY.failures.extend(problems)
    assert not problems, "\n".join(problems)


def test_every_xp_aware_callable_has_an_example_or_a_reasoned_exclusion():
    _check(coverage.uncovered_entry_points(_table_keys(), examples.EXCLUSIONS))


def test_every_profile_class_has_a_registry_entry():
    found, missing_tables = profiles.registry_examples()
    _check(coverage.unregistered_profile_classes(found, missing_tables))


def test_discovery_sees_the_exported_profiles_and_the_known_entry_points():
    classes = set(discovery.profile_classes())
    for module in (ag.lp, ag.mp):
        exported = {getattr(module, n) for n in module.__all__}
        profiles_exported = {c for c in exported if discovery.is_profile_class(c)}
        assert profiles_exported - set(discovery.profile_bases()) <= classes
    assert ag.lp.Sersic in classes and ag.mp.NFW in classes and ag.mp.ExternalShear in classes
    assert ag.lp.LightProfile not in classes and ag.mp.MassProfile not in classes
    names = discovery.entry_points()
    for expected in (
        "xpgalaxy.convert.axis_ratio_from",
        "xparray.operators.convolution.Convolver.convolve_slim",
        "xparray.inference.priors.UniformPrior.value_for",
        "xparray.inference.abstract.AbstractPriorModel.instance_from_vector",
        "xplens.tracer.tracer.Tracer.image_2d_from",
        "xpgalaxy.lens_calc.lens_calc.LensCalc.hessian_from",
        "xparray.structures.grids.Grid2D.__init__",
    ):
        assert expected in names
    # inherited methods are one entry point, named after the defining class
    assert "xpgalaxy.cosmology.flat_lcdm.Planck15.E" not in names


def test_a_new_undeclared_xp_function_or_profile_fails_the_coverage_check(monkeypatch):
    import numpy as np

    import xpgalaxy.convert as convert

    def brand_new_from(value, xp=np):
        return xp.sqrt(value)

    brand_new_from.__module__ = "xpgalaxy.convert"
    brand_new_from.__qualname__ = "brand_new_from"
    monkeypatch.setattr(convert, "brand_new_from", brand_new_from, raising=False)
    problems = coverage.uncovered_entry_points(_table_keys(), examples.EXCLUSIONS)
    assert any(p.startswith("xpgalaxy.convert.brand_new_from:") for p in problems)

    class Unregistered(ag.mp.Isothermal):
        pass

    Unregistered.__module__ = "xpgalaxy.profiles.mass.isothermal"
    Unregistered.__qualname__ = "Unregistered"
    try:
        found, missing = profiles.registry_examples()
        problems = coverage.unregistered_profile_classes(found, missing)
        assert any(
            p.startswith("xpgalaxy.profiles.mass.isothermal.Unregistered:") for p in problems
        )
    finally:
        del Unregistered
        import gc

        gc.collect()
