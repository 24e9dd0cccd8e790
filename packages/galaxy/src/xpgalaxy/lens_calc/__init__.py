"""LensCalc: hessian-based lensing quantities and critical curves."""

from xpgalaxy.lens_calc.lens_calc import LensCalc

__all__ = ["LensCalc"]
