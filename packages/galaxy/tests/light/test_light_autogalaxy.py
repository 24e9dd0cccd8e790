"""Same parameters, same image as PyAutoGalaxy.

Every expected number below was computed with PyPI's autogalaxy 2026.10.26.1 (Python 3.12,
NumPy path), e.g.
``ag.lp.Sersic(centre=(0.1, -0.2), ell_comps=(0.15, -0.1), intensity=2.5,
effective_radius=0.8, sersic_index=3.2).image_2d_from(grid=ag.Grid2DIrregular(POINTS))``,
and pasted here; this test does not import autogalaxy.
"""

from __future__ import annotations

import numpy as np
import pytest

import xparray as aa
import xpgalaxy.profiles.light as lp

POINTS = np.array([(0.0, 0.0), (0.1, 0.2), (-0.35, 0.6), (1.3, -0.7), (0.05, 0.01), (-2.0, 1.5)])

_E = {"centre": (0.1, -0.2), "ell_comps": (0.15, -0.1)}
_C = {"centre": (0.1, -0.2)}
_S = {"intensity": 2.5, "effective_radius": 0.8, "sersic_index": 3.2}
_CORE = {
    "intensity": 1.5,
    "effective_radius": 0.8,
    "sersic_index": 3.2,
    "radius_break": 0.05,
    "gamma": 0.4,
    "alpha": 2.5,
}
_R = {"intensity": 2.5, "effective_radius": 0.8}

PROFILES = {
    "Sersic": lp.Sersic(**_E, **_S),
    "Sersic_n0.6": lp.Sersic(**_E, intensity=0.7, effective_radius=1.3, sersic_index=0.6),
    "SersicSph": lp.SersicSph(**_C, **_S),
    "SersicCore": lp.SersicCore(**_E, **_CORE),
    "SersicCoreSph": lp.SersicCoreSph(**_C, **_CORE),
    "Exponential": lp.Exponential(**_E, **_R),
    "ExponentialSph": lp.ExponentialSph(**_C, **_R),
    "DevVaucouleurs": lp.DevVaucouleurs(**_E, **_R),
    "DevVaucouleursSph": lp.DevVaucouleursSph(**_C, **_R),
    "Gaussian": lp.Gaussian(**_E, intensity=2.5, sigma=0.7),
    "GaussianSph": lp.GaussianSph(**_C, intensity=2.5, sigma=0.7),
    "Moffat": lp.Moffat(**_E, intensity=2.5, alpha=0.6, beta=2.3),
    "MoffatSph": lp.MoffatSph(**_C, intensity=2.5, alpha=0.6, beta=2.3),
    "Chameleon": lp.Chameleon(**_E, intensity=2.5, core_radius_0=0.1, core_radius_1=0.4),
    "ChameleonSph": lp.ChameleonSph(**_C, intensity=2.5, core_radius_0=0.1, core_radius_1=0.4),
}

# autogalaxy 2026.10.26.1: image_2d_from(grid=ag.Grid2DIrregular(POINTS)).
AUTOGALAXY = {
    "Sersic": [
        14.470352383913385,
        6.753185399993052,
        1.3214526390199475,
        0.7976560669490089,
        15.514584814726824,
        0.10081014416979366,
    ],
    "Sersic_n0.6": [
        1.5959040063151295,
        1.4608990926332268,
        0.8675020212283429,
        0.6310046650945689,
        1.6044219807078177,
        0.03782127148294025,
    ],
    "SersicSph": [
        18.369833816229207,
        8.153435080728924,
        1.9153153670310374,
        0.9247971637916841,
        19.207656500161963,
        0.15065792286188417,
    ],
    "SersicCore": [
        0.28876657942699957,
        0.13526703767176582,
        0.02651217100757069,
        0.016005144624478468,
        0.30940896496887715,
        0.002023080270809871,
    ],
    "SersicCoreSph": [
        0.3656574102955644,
        0.16322407478152468,
        0.03842141224601214,
        0.018555748622701682,
        0.38210410683629414,
        0.0030234015935188354,
    ],
    "Exponential": [
        7.628354497798191,
        5.19399813500185,
        1.3287372735861702,
        0.7263941596257175,
        7.849477075053718,
        0.019523190114059456,
    ],
    "ExponentialSph": [
        8.377549892624284,
        5.786253737754356,
        1.9522535767894797,
        0.8757258641833153,
        8.514635383865803,
        0.04624665458015164,
    ],
    "DevVaucouleurs": [
        15.634526051587427,
        6.9473582407931715,
        1.320955078837175,
        0.8040030765625792,
        16.861150706135774,
        0.11238188032676591,
    ],
    "DevVaucouleursSph": [
        20.270565758544027,
        8.469706842166106,
        1.9120395910961,
        0.9292018444340564,
        21.2858423000783,
        0.16346357642079032,
    ],
    "Gaussian": [
        2.375696494089299,
        2.1637490743375047,
        1.0584366277877773,
        0.6368472117309105,
        2.387717582085706,
        0.0026031106550352973,
    ],
    "GaussianSph": [
        2.375648193220155,
        2.123414541420781,
        1.0582291039004692,
        0.44565994896261957,
        2.383904551945501,
        0.0014550880569308316,
    ],
    "Moffat": [
        1.8538792081871225,
        1.1659887723351883,
        0.15609884938709126,
        0.07035674814866578,
        1.906364597533413,
        0.002636031118596811,
    ],
    "MoffatSph": [
        1.8536720003517506,
        1.0730700412206993,
        0.1560414814506968,
        0.0457511357837187,
        1.8895169822510804,
        0.0022065287490608673,
    ],
    "Chameleon": [
        1.7212017092321543,
        0.6078272641639921,
        0.060656743882266585,
        0.031289549807012824,
        1.8806209676206518,
        0.0029205162357343307,
    ],
    "ChameleonSph": [
        2.375390812198123,
        0.8219953643340807,
        0.10538622882517583,
        0.03968755872871538,
        2.5040814329715793,
        0.004671670273315791,
    ],
}

# autogalaxy 2026.10.26.1: image_2d_from(grid=ag.Grid2D.uniform(shape_native=(5, 5),
# pixel_scales=0.2, over_sample_size=3)).native, for the profiles above.
AUTOGALAXY_OVER_SAMPLED = {
    "Sersic": [
        [
            8.198174465882532,
            14.02992253854889,
            12.34322572977617,
            6.744603777510634,
            3.6817438624499013,
        ],
        [
            15.46022889595021,
            48.927108854391605,
            19.793356410221822,
            7.371602014702636,
            3.654185804662256,
        ],
        [
            19.793356410221826,
            48.92710885439159,
            15.46022889595021,
            6.1369206497925,
            3.1673975117642974,
        ],
        [
            12.34322572977617,
            14.02992253854889,
            8.198174465882532,
            4.344386848430782,
            2.504902534841628,
        ],
        [
            6.76265308852691,
            6.542340951360089,
            4.639589950283044,
            2.9573151878818793,
            1.897370199588268,
        ],
    ],
    "Gaussian": [
        [
            2.2146880065432533,
            2.3564441146220196,
            2.3335256165302023,
            2.150695005845828,
            1.8448276416120675,
        ],
        [
            2.3658087203668843,
            2.4737598724028835,
            2.407389147489319,
            2.180448662331401,
            1.8380448719458293,
        ],
        [
            2.407389147489319,
            2.4737598724028835,
            2.3658087203668843,
            2.1057775981237956,
            1.744439860217363,
        ],
        [
            2.3335256165302023,
            2.35644411462202,
            2.2146880065432533,
            1.9372189803493132,
            1.577086258899153,
        ],
        [
            2.1546584628846404,
            2.1382394217416016,
            1.97489970904644,
            1.69763558846782,
            1.358170838814756,
        ],
    ],
    "Chameleon": [
        [
            0.8094540305896646,
            1.6585959788551756,
            1.4043474220602037,
            0.6119882974676818,
            0.25614314143758987,
        ],
        [
            1.8703227669874731,
            5.420245385531684,
            2.5070128312017967,
            0.6959615953982023,
            0.25373065403592815,
        ],
        [
            2.507012831201797,
            5.420245385531684,
            1.8703227669874727,
            0.5370140309981556,
            0.20671338384645502,
        ],
        [
            1.4043474220602037,
            1.6585959788551756,
            0.8094540305896647,
            0.32633165410951664,
            0.14786712543193248,
        ],
        [
            0.6131035862075698,
            0.5860831822521297,
            0.35836222849351146,
            0.18733662492749034,
            0.10003862546014927,
        ],
    ],
}


@pytest.mark.parametrize("name", sorted(AUTOGALAXY))
def test_image_equals_autogalaxy(name):
    np.testing.assert_allclose(PROFILES[name].image_2d_from(POINTS), AUTOGALAXY[name], rtol=1e-12)


@pytest.mark.parametrize("name", sorted(AUTOGALAXY_OVER_SAMPLED))
def test_over_sampled_image_equals_autogalaxy(name):
    grid = aa.Grid2D.uniform(shape_native=(5, 5), pixel_scales=0.2, over_sample_size=3)
    image = PROFILES[name].image_2d_from(grid)
    np.testing.assert_allclose(np.asarray(image.native), AUTOGALAXY_OVER_SAMPLED[name], rtol=1e-12)


def test_sersic_centred_on_a_sample_equals_autogalaxy():
    # autogalaxy 2026.10.26.1: Sersic(centre=(0, 0), ell_comps=(0.15, -0.1), **_S) at (0, 0).
    profile = lp.Sersic(centre=(0.0, 0.0), ell_comps=(0.15, -0.1), **_S)
    np.testing.assert_allclose(
        profile.image_2d_from(np.array([[0.0, 0.0]])), [1081.628093365087], rtol=1e-14
    )


def test_sersic_constant_and_luminosity_within_circle_equal_autogalaxy():
    # autogalaxy 2026.10.26.1: Sersic(sersic_index=n).sersic_constant, and
    # luminosity_within_circle_from(radius=1.0) of the "Sersic", "Gaussian", "Moffat" above.
    b = [0.8881119572241971, 1.6783886549215685, 6.069931946972464, 7.669249984669505]
    np.testing.assert_allclose(
        [lp.Sersic(sersic_index=n).sersic_constant for n in (0.6, 1.0, 3.2, 4.0)], b, rtol=1e-15
    )
    for name, expected in [
        ("Sersic", 18.54709139701636),
        ("Gaussian", 5.626655661863186),
        ("Moffat", 2.3571563445239416),
    ]:
        assert PROFILES[name].luminosity_within_circle_from(1.0) == pytest.approx(
            expected, rel=1e-9
        )
