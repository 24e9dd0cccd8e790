"""Model presets of the ``xplens`` command: lens mass (+ optional lens light) and source.

A preset is PyAutoLens's standard galaxy-scale model:

* lens galaxy (``galaxies.lens``): ``bulge`` (elliptical Sersic, only with lens light),
  ``mass`` (``Isothermal`` for ``sie+shear`` or ``PowerLaw`` for ``power-law+shear``),
  ``shear`` (``ExternalShear``);
* source galaxy (``galaxies.source``): ``bulge`` (``SersicCore`` or ``Sersic``).

Priors are the profiles' PyAutoGalaxy defaults, except that every centre prior is a
Gaussian around the mask centre (sigma 0.1" for mass, 0.3" for light) and SersicCore's
core shape is fixed at PyAutoGalaxy's values. ``TRUE_VALUES`` are the parameters that
``xplens simulate`` uses: those of the reference problem (BENCHMARK.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import xplens as al
from xplens.cli.errors import CLIError

__all__ = [
    "MASS_PRESETS",
    "SOURCE_PRESETS",
    "ModelSpec",
    "canonical_mass",
    "canonical_source",
    "fixed_model_dict",
    "model_from",
    "true_parameters",
]

#: Mass presets: name -> (mass profile class, aliases).
MASS_PRESETS = {
    "sie+shear": (al.mp.Isothermal, ("sie", "isothermal", "isothermal+shear", "sie+shear")),
    "power-law+shear": (
        al.mp.PowerLaw,
        ("power-law", "powerlaw", "powerlaw+shear", "pl+shear", "epl+shear", "spemd+shear"),
    ),
}

#: Source presets: name -> (light profile class, aliases).
SOURCE_PRESETS = {
    "sersic-core": (al.lp.SersicCore, ("sersiccore", "sersic_core", "cored-sersic")),
    "sersic": (al.lp.Sersic, ()),
}

#: SersicCore's fixed core shape (PyAutoGalaxy config: radius_break 0.025", gamma 0.25,
#: alpha 3); passed explicitly so every model states it.
SERSIC_CORE_FIXED = {"radius_break": 0.025, "gamma": 0.25, "alpha": 3.0}

#: Reference-problem values (BENCHMARK.md), keyed by parameter path. The PowerLaw slope and
#: the SersicCore intensity (brightness at radius_break, not at the effective radius) are
#: our choices: the reference uses an SIE and a Sersic source.
TRUE_VALUES = {
    "galaxies.lens.bulge.centre_0": 0.0,
    "galaxies.lens.bulge.centre_1": 0.0,
    "galaxies.lens.bulge.ell_comps_0": 0.05,
    "galaxies.lens.bulge.ell_comps_1": 0.1,
    "galaxies.lens.bulge.intensity": 2.0,
    "galaxies.lens.bulge.effective_radius": 0.6,
    "galaxies.lens.bulge.sersic_index": 3.0,
    "galaxies.lens.mass.centre_0": 0.0,
    "galaxies.lens.mass.centre_1": 0.0,
    "galaxies.lens.mass.ell_comps_0": 0.05,
    "galaxies.lens.mass.ell_comps_1": 0.1,
    "galaxies.lens.mass.einstein_radius": 1.6,
    "galaxies.lens.mass.slope": 2.1,
    "galaxies.lens.shear.gamma_1": 0.05,
    "galaxies.lens.shear.gamma_2": 0.05,
    "galaxies.source.bulge.centre_0": 0.1,
    "galaxies.source.bulge.centre_1": 0.1,
    "galaxies.source.bulge.ell_comps_0": 0.1,
    "galaxies.source.bulge.ell_comps_1": 0.0,
    "galaxies.source.bulge.intensity": 0.3,
    "galaxies.source.bulge.effective_radius": 0.1,
    "galaxies.source.bulge.sersic_index": 1.0,
}
_SERSIC_CORE_INTENSITY = 1.0  # ~ the Sersic source's brightness at R = radius_break


def _key(name: str) -> str:
    return str(name).strip().lower().replace("_", "-").replace(" ", "")


def _canonical(name: str, table: dict, what: str, option: str) -> str:
    key = _key(name)
    for canonical, (_, aliases) in table.items():
        if key == canonical or key in aliases or key.replace("-", "") in aliases:
            return canonical
    raise CLIError(f"unknown {what} {name!r}: use {option} with one of {', '.join(table)}")


def canonical_mass(name: str) -> str:
    return _canonical(name, MASS_PRESETS, "model preset", "--preset")


def canonical_source(name: str) -> str:
    return _canonical(name, SOURCE_PRESETS, "source model", "--source")


@dataclass(frozen=True)
class ModelSpec:
    """What the command fits: mass preset, lens light on/off, source profile, redshifts."""

    mass: str = "sie+shear"
    lens_light: bool = True
    source: str = "sersic-core"
    redshift_lens: float = 0.5
    redshift_source: float = 1.0
    centre: tuple[float, float] = (0.0, 0.0)

    @property
    def tag(self) -> str:
        """Folder-friendly name, e.g. ``light+sie+shear__sersic-core``."""
        light = "light+" if self.lens_light else ""
        return f"{light}{self.mass}__{self.source}"

    def describe(self) -> str:
        light = "Sersic lens light + " if self.lens_light else "no lens light, "
        mass = {"sie+shear": "SIE", "power-law+shear": "power-law"}[self.mass]
        source = SOURCE_PRESETS[self.source][0].__name__
        return f"{light}{mass} mass + external shear, {source} source"


def _centre_priors(centre, sigma: float) -> dict:
    return {
        "centre": (
            al.GaussianPrior(mean=float(centre[0]), sigma=sigma),
            al.GaussianPrior(mean=float(centre[1]), sigma=sigma),
        )
    }


def model_from(spec: ModelSpec):
    """``al.Collection(galaxies=al.Collection(lens=..., source=...))`` for ``spec``."""
    mass_cls = MASS_PRESETS[canonical_mass(spec.mass)][0]
    source_cls = SOURCE_PRESETS[canonical_source(spec.source)][0]
    lens = {"mass": al.Model(mass_cls, **_centre_priors(spec.centre, 0.1))}
    if spec.lens_light:
        lens = {"bulge": al.Model(al.lp.Sersic, **_centre_priors(spec.centre, 0.3)), **lens}
    lens["shear"] = al.Model(al.mp.ExternalShear)
    fixed = SERSIC_CORE_FIXED if source_cls is al.lp.SersicCore else {}
    source = al.Model(source_cls, **_centre_priors(spec.centre, 0.3), **fixed)
    return al.Collection(
        galaxies=al.Collection(
            lens=al.Model(al.Galaxy, redshift=float(spec.redshift_lens), **lens),
            source=al.Model(al.Galaxy, redshift=float(spec.redshift_source), bulge=source),
        )
    )


def true_parameters(model, spec: ModelSpec) -> dict[str, float]:
    """The simulation values of every free parameter of ``model_from(spec)``, by path.

    Centres are shifted by ``spec.centre`` so a simulated lens sits where it is fitted.
    """
    values = {}
    for path in model.paths:
        name = ".".join(path)
        value = TRUE_VALUES[name]
        if name == "galaxies.source.bulge.intensity" and spec.source == "sersic-core":
            value = _SERSIC_CORE_INTENSITY
        if path[-1] in ("centre_0", "centre_1"):
            value += spec.centre[int(path[-1][-1])]
        values[name] = value
    return values


def fixed_model_dict(model_dict: dict, values_by_prior_id: dict[int, float]) -> dict:
    """``model_to_dict`` output with every prior replaced by its value (a fixed model)."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Prior":
                return {"type": "Constant", "value": float(values_by_prior_id[node["prior"]["id"]])}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(model_dict)
