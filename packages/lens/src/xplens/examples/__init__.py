"""Bundled example datasets for ``xplens fit --example NAME`` (FITS in sub-folders).

``reference``: the simulated reference problem of BENCHMARK.md (100 x 100 pixels, 0.1"/px,
lens light + SIE + shear, Sersic source; true Einstein radius 1.6").
``slacs1430+4105`` and ``slacs2303+1422``: real HST ACS F814W imaging of two SLACS lenses
as shipped by the PyAutoLens workspace (see each folder's README.md for provenance);
redshifts and SIE Einstein radii from Bolton et al. 2008, ApJ 682, 964 (SLACS V),
redshift table and Table 5.

Files are found with :mod:`importlib.resources`, so they load from an installed wheel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from xparray import InputError

__all__ = ["EXAMPLES", "Example", "example_from", "example_names"]


@dataclass(frozen=True)
class Example:
    """One bundled dataset and the settings that fit it.

        ``pixel_scale`` arcsec/pixel; mask radii and centre in arcsec; ``psf_shape``: the PSF is
        trimmed to this odd shape around its centre and normalised (None: used as stored);
        ``einstein_radius_published`` (arcsec) with its ``einstein_radius_source``: the
    critical-curve (area) Einstein radius, the quantity ``xplens fit`` derives;
    ``over_sampling``: light-profile over-sampling that matches the data (None: the
    command's rule, adaptive with lens light and 1 without).
    """

    name: str
    data_file: str
    noise_map_file: str
    psf_file: str
    pixel_scale: float
    mask_radius: float
    redshift_lens: float
    redshift_source: float
    lens_light: bool
    mass: str
    source: str
    einstein_radius_published: float
    einstein_radius_source: str
    description: str
    mask_inner_radius: float = 0.0
    mask_centre: tuple[float, float] = (0.0, 0.0)
    psf_shape: tuple[int, int] | None = None
    over_sampling: str | None = None

    @contextlib.contextmanager
    def paths(self) -> Iterator[tuple[Path, Path, Path]]:
        """(data, noise map, PSF) as real file paths for the duration of the block."""
        root = resources.files(__name__).joinpath(self.name)
        with contextlib.ExitStack() as stack:
            yield tuple(
                stack.enter_context(resources.as_file(root.joinpath(f)))
                for f in (self.data_file, self.noise_map_file, self.psf_file)
            )

    def readme(self) -> str | None:
        path = resources.files(__name__).joinpath(self.name, "README.md")
        return path.read_text(encoding="utf-8") if path.is_file() else None


EXAMPLES: dict[str, Example] = {
    e.name: e
    for e in (
        Example(
            name="reference",
            data_file="data.fits",
            noise_map_file="noise_map.fits",
            psf_file="psf.fits",
            pixel_scale=0.1,
            mask_radius=3.0,
            redshift_lens=0.5,
            redshift_source=1.0,
            lens_light=True,
            mass="sie+shear",
            source="sersic",
            # BENCHMARK.md: SIE einstein_radius 1.6 with ell_comps (0.05, 0.1), q = 0.7990;
            # its critical curve encloses pi (1.6 * 2 sqrt(q) / (1 + q))^2 = pi 1.5900^2
            einstein_radius_published=1.590,
            einstein_radius_source="true model of the simulation, BENCHMARK.md",
            description='simulated reference lens (BENCHMARK.md), 100x100 px at 0.1"/px',
            # simulated at pixel centres: the true model's chi-squared is 2785 for the
            # 2828 pixels with over-sampling 1, but 3016 with adaptive and 2999 with 4
            over_sampling="1",
        ),
        Example(
            name="slacs1430+4105",
            data_file="image.fits",
            noise_map_file="noise_map.fits",
            psf_file="psf.fits",
            pixel_scale=0.05,
            # lens light fills the inner 2"; the arcs reach r ~ 2.3" to the upper left
            mask_radius=2.7,
            redshift_lens=0.2850,
            redshift_source=0.5753,
            lens_light=True,
            mass="sie+shear",
            source="sersic-core",
            einstein_radius_published=1.52,
            einstein_radius_source="Bolton et al. 2008, ApJ 682, 964, Table 5 (SIE b_SIE)",
            description="HST ACS F814W SLACS J1430+4105, lens light included",
            psf_shape=(21, 21),
        ),
        Example(
            name="slacs2303+1422",
            data_file="image.fits",
            noise_map_file="noise_map.fits",
            psf_file="psf.fits",
            pixel_scale=0.05,
            # arcs at r ~ 1.1-1.3" and 1.7-2.0" (README); the inner 0.4" holds only
            # residuals of the lens-light subtraction, which no lens model should fit
            mask_radius=2.5,
            mask_inner_radius=0.4,
            redshift_lens=0.1553,
            redshift_source=0.5170,
            lens_light=False,
            mass="sie+shear",
            source="sersic-core",
            einstein_radius_published=1.62,
            einstein_radius_source="Bolton et al. 2008, ApJ 682, 964, Table 5 (SIE b_SIE)",
            description="HST ACS F814W SLACS J2303+1422, lens light pre-subtracted",
            psf_shape=(21, 21),
        ),
    )
}


def example_names() -> list[str]:
    return list(EXAMPLES)


def example_from(name: str) -> Example:
    """The bundled example ``name`` (case-insensitive), or an InputError listing them."""
    key = str(name).strip().lower()
    if key not in EXAMPLES:
        raise InputError(
            f"unknown example {name!r}: choose one of {', '.join(EXAMPLES)} "
            "(or fit your own data with --data, --noise-map, --psf and --pixel-scale)"
        )
    return EXAMPLES[key]
