"""Operators on images: the PSF kernel and its convolution (NumPy and JAX)."""

from xparray.operators.convolution import (
    METHODS,
    Convolver,
    convolve_direct_from,
    convolve_fft_from,
    method_for_kernel,
)
from xparray.operators.kernel_2d import Kernel2D, gaussian_kernel_values_from
from xparray.operators.separable import convolve_separable_from, separable_factors_from

__all__ = [
    "METHODS",
    "Convolver",
    "Kernel2D",
    "convolve_direct_from",
    "convolve_fft_from",
    "convolve_separable_from",
    "gaussian_kernel_values_from",
    "method_for_kernel",
    "separable_factors_from",
]
