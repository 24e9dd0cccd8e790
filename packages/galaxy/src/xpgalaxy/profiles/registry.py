"""The table of every profile with valid example parameters.

It feeds the generic unit tests (finite values, consistency) and the NumPy <-> JAX parity
audit in ``workspace_tests``. A profile class without an entry fails the audit. Each
family keeps its own table in its folder; this module merges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ProfileExample", "all_examples", "examples_for"]


@dataclass(frozen=True)
class ProfileExample:
    """Valid parameters for ``cls``.

    ``singular``: parameter sets at the profile's singular points (centre on a grid
    point, axis ratio exactly 1, NFW at x = 1, ...) where values and gradients must
    still be finite. ``rtol``: parity tolerance; anything looser than 1e-10 needs a
    ``reason`` (e.g. a documented numerical method).
    """

    cls: type
    params: dict
    singular: tuple = field(default_factory=tuple)
    rtol: float = 1e-10
    reason: str = ""

    def make(self, **overrides):
        return self.cls(**{**self.params, **overrides})


def all_examples() -> list[ProfileExample]:
    from xpgalaxy.profiles.light.registry import LIGHT_EXAMPLES
    from xpgalaxy.profiles.mass.registry_analytic import ANALYTIC_MASS_EXAMPLES
    from xpgalaxy.profiles.mass.registry_numerical import NUMERICAL_MASS_EXAMPLES

    return [*LIGHT_EXAMPLES, *ANALYTIC_MASS_EXAMPLES, *NUMERICAL_MASS_EXAMPLES]


def examples_for(cls: type) -> list[ProfileExample]:
    return [e for e in all_examples() if e.cls is cls]
