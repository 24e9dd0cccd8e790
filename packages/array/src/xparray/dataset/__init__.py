"""Datasets: imaging (data, noise map, PSF), their grids and input checks."""

from xparray.dataset.grids import GridsDataset
from xparray.dataset.imaging import Imaging
from xparray.dataset.validation import NOISE_FLAG_THRESHOLD, noise_flag_mask_from

__all__ = ["GridsDataset", "Imaging", "NOISE_FLAG_THRESHOLD", "noise_flag_mask_from"]
