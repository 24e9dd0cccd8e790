"""Shared fixtures of the lens-layer tests."""

import pytest

import xplens as al


def reference_galaxies():
    """Lens and source of ../shared/BENCHMARK.md at their true parameters."""
    lens = al.Galaxy(
        redshift=0.5,
        light=al.lp.Sersic(
            centre=(0.0, 0.0),
            ell_comps=(0.05, 0.1),
            intensity=2.0,
            effective_radius=0.6,
            sersic_index=3.0,
        ),
        mass=al.mp.Isothermal(centre=(0.0, 0.0), ell_comps=(0.05, 0.1), einstein_radius=1.6),
        shear=al.mp.ExternalShear(gamma_1=0.05, gamma_2=0.05),
    )
    source = al.Galaxy(
        redshift=1.0,
        light=al.lp.Sersic(
            centre=(0.1, 0.1),
            ell_comps=(0.1, 0.0),
            intensity=0.3,
            effective_radius=0.1,
            sersic_index=1.0,
        ),
    )
    return lens, source


@pytest.fixture
def reference_lens_and_source():
    return reference_galaxies()
