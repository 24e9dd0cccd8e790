"""FitImaging: how well a model image fits an Imaging dataset (Gaussian noise).

Maps (residuals, chi-squared) are Array2D on the dataset mask; scalars are raw values.
The backend follows the model data: a ``jax.Array`` model gives ``jax.Array`` results, so
a fit can be built and evaluated under ``jax.jit`` / ``jax.vmap``. Nothing is cached
(every property depends on the possibly traced model).

Pytree design (DESIGN.md section 6): the dataset is static aux data (``no_flatten``,
hashed by identity); array-valued attributes (the model data) are leaves. Subclasses
(the lens layer's FitImaging) compute the model image, pass it to ``__init__`` as
``model_data`` (every map and scalar reads it from there) and extend
``__pytree_no_flatten__``.
"""

from __future__ import annotations

import numpy as np

from xparray.backend import is_jax_array, jax_numpy
from xparray.errors import InputError
from xparray.fit import fit_util
from xparray.structures.abstract_ndarray import unwrap
from xparray.structures.arrays import Array2D, slim_from_native

__all__ = ["FitImaging", "model_data_slim_from"]


def model_data_slim_from(model_data, mask):
    """Raw slim values of ``model_data`` (Array2D, raw slim (N,) or raw native) on ``mask``."""
    if isinstance(model_data, Array2D):
        if model_data.mask == mask:
            return model_data.array
        if model_data.shape_native != mask.shape_native:
            raise InputError(
                f"model_data has native shape {model_data.shape_native}, the dataset "
                f"{mask.shape_native}"
            )
        return slim_from_native(model_data.native, mask)
    raw = unwrap(model_data)
    if not is_jax_array(raw):
        raw = np.asarray(raw, dtype=np.float64)
    if raw.shape == (mask.pixels_in_mask,):
        return raw
    if raw.shape == mask.shape_native:
        return slim_from_native(raw, mask)
    raise InputError(
        f"model_data has shape {raw.shape}; give slim ({mask.pixels_in_mask},) values on the "
        f"dataset mask or a native {mask.shape_native} image"
    )


class FitImaging:
    """Fit of ``model_data`` (model image on ``dataset.mask``, e-/s) to an Imaging dataset."""

    __pytree_no_flatten__: tuple[str, ...] = ("dataset",)

    def __init__(self, dataset, model_data=None):
        self.dataset = dataset
        if model_data is not None:
            self._model_data = model_data_slim_from(model_data, dataset.mask)
            if is_jax_array(self._model_data):
                type(self)._register_as_pytree()

    @classmethod
    def _register_as_pytree(cls) -> None:
        """Register ``cls`` with jax.tree_util (dataset static); idempotent, imports jax."""
        from xparray.pytrees import register_instance_pytree

        register_instance_pytree(cls, no_flatten=cls.__pytree_no_flatten__)

    # --------------------------------------------------------------- inputs
    @property
    def mask(self):
        return self.dataset.mask

    @property
    def data(self) -> Array2D:
        return self.dataset.data

    @property
    def noise_map(self) -> Array2D:
        return self.dataset.noise_map

    @property
    def model_data(self) -> Array2D:
        """The model image on the dataset mask (subclasses compute it and pass it in)."""
        raw = self._model_data
        return Array2D(raw, self.mask, xp=jax_numpy() if is_jax_array(raw) else np)

    # ------------------------------------------------------------ raw values
    def _model_raw_and_xp(self):
        raw = self._model_data
        return raw, (jax_numpy() if is_jax_array(raw) else np)

    def _map(self, raw, xp) -> Array2D:
        return Array2D(raw, self.mask, xp=xp)

    # ------------------------------------------------------------------ maps
    @property
    def residual_map(self) -> Array2D:
        """data - model (e-/s)."""
        model, xp = self._model_raw_and_xp()
        return self._map(fit_util.residual_map_from(self.data.array, model, xp=xp), xp)

    @property
    def normalized_residual_map(self) -> Array2D:
        """(data - model) / noise."""
        model, xp = self._model_raw_and_xp()
        residual = fit_util.residual_map_from(self.data.array, model, xp=xp)
        return self._map(
            fit_util.normalized_residual_map_from(residual, self.noise_map.array, xp=xp), xp
        )

    @property
    def chi_squared_map(self) -> Array2D:
        """((data - model) / noise)^2."""
        model, xp = self._model_raw_and_xp()
        residual = fit_util.residual_map_from(self.data.array, model, xp=xp)
        return self._map(fit_util.chi_squared_map_from(residual, self.noise_map.array, xp=xp), xp)

    # --------------------------------------------------------------- scalars
    @property
    def chi_squared(self):
        """Sum of the chi-squared map (from raw arrays: no Array2D per likelihood call)."""
        model, xp = self._model_raw_and_xp()
        residual = fit_util.residual_map_from(self.data.array, model, xp=xp)
        return fit_util.chi_squared_from_residual_map(residual, self.noise_map.array, xp=xp)

    @property
    def noise_normalization(self):
        """sum ln(2 pi sigma^2) over the unmasked pixels (a dataset constant)."""
        # a dataset constant: cached on the dataset, not recomputed on every likelihood call
        cached = getattr(self.dataset, "noise_normalization", None)
        if cached is not None:
            return cached
        return fit_util.noise_normalization_from(np.asarray(self.noise_map.array))

    @property
    def log_likelihood(self):
        """-0.5 (chi^2 + noise normalization): Gaussian log likelihood (see fit_util)."""
        xp = self._model_raw_and_xp()[1]
        return fit_util.log_likelihood_from(self.chi_squared, self.noise_normalization, xp=xp)

    @property
    def figure_of_merit(self):
        """The quantity a search maximises: the log likelihood."""
        return self.log_likelihood

    @property
    def reduced_chi_squared(self):
        """chi^2 per unmasked pixel (PyAutoArray's definition: no parameter count)."""
        return self.chi_squared / self.mask.pixels_in_mask

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dataset={self.dataset!r})"
