"""Structures on the JAX path: lazy pytree registration, jit round trips, vmap, no retrace."""

import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import xparray as aa


def test_numpy_path_never_registers_and_jax_path_registers_once():
    code = (
        "import sys, numpy as np, xparray as aa\n"
        "from xparray.pytrees import is_registered\n"
        "g = aa.Grid2D.uniform((4, 4), 0.1)\n"
        "assert not is_registered(aa.Grid2D) and 'jax' not in sys.modules\n"
        "import jax.numpy as jnp\n"
        "g2 = aa.Grid2D(jnp.asarray(g.array), g.mask)\n"
        "assert is_registered(aa.Grid2D)\n"
        "aa.Grid2D(jnp.asarray(g.array), g.mask)  # a second build must not re-register\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture
def mask():
    return aa.Mask2D.circular((9, 9), radius=3.0, pixel_scales=0.5)


def _structures(mask):
    n = mask.pixels_in_mask
    rng = np.random.default_rng(1)
    return [
        aa.Array2D(jnp.asarray(rng.normal(size=n)), mask),
        aa.ArrayIrregular(jnp.asarray(rng.normal(size=5))),
        aa.Grid2D(jnp.asarray(mask.grid_slim), mask, over_sample_size=2),
        aa.Grid2DIrregular(jnp.asarray(rng.normal(size=(5, 2)))),
        aa.VectorYX2D(jnp.asarray(rng.normal(size=(n, 2))), mask),
        aa.VectorYX2DIrregular(jnp.asarray(rng.normal(size=(5, 2)))),
    ]


def test_jit_identity_round_trip_of_every_structure(mask):
    for s in _structures(mask):
        out = jax.jit(lambda x: x)(s)
        assert type(out) is type(s)
        assert isinstance(out.array, jax.Array) and out.array.dtype == jnp.float64
        np.testing.assert_array_equal(np.asarray(out.array), np.asarray(s.array))
        for attr in ("mask", "over_sampler"):
            if hasattr(s, attr):
                assert getattr(out, attr) is getattr(s, attr)


def test_arithmetic_under_jit_keeps_type(mask):
    s = _structures(mask)[0]
    out = jax.jit(lambda a: 2.0 * a + a**2 - a / 3.0)(s)
    assert type(out) is aa.Array2D
    x = np.asarray(s.array)
    np.testing.assert_allclose(np.asarray(out.array), 2 * x + x**2 - x / 3.0, rtol=1e-14)


def test_no_retrace_for_new_values_of_the_same_structure(mask):
    traces = []

    @jax.jit
    def f(arr):
        traces.append(1)
        return (arr * 2.0).sum()

    a = _structures(mask)[0]
    f(a)
    f(a + 1.0)
    f(aa.Array2D(jnp.ones(mask.pixels_in_mask), aa.Mask2D(mask.mask, 0.5)))  # equal mask
    assert len(traces) == 1


class Toy:
    def __init__(self, centre):
        self.centre = centre

    def transformed_to_reference_frame_grid_from(self, grid, xp=np):
        return aa.structures.unwrap(grid) - xp.asarray(self.centre)

    @aa.decorators.to_array
    @aa.decorators.over_sample
    @aa.decorators.transform
    def image(self, grid, xp=np):
        return xp.exp(-(grid.array**2).sum(axis=1))


def test_decorators_under_jit_and_vmap_match_numpy(mask):
    grid = aa.Grid2D.from_mask(mask, over_sample_size=3)
    centres = np.array([[0.0, 0.0], [0.3, -0.2], [-1.0, 0.5]])
    expected = np.stack([Toy(tuple(c)).image(grid).array for c in centres])

    def f(c):
        return Toy((c[0], c[1])).image(grid, xp=jnp).array

    got = jax.jit(jax.vmap(f))(jnp.asarray(centres))
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)
    single = jax.jit(lambda c: Toy((c[0], c[1])).image(grid, xp=jnp))(jnp.asarray(centres[1]))
    assert type(single) is aa.Array2D


def test_numpy_xp_on_a_jax_grid_is_a_clear_error(mask):
    grid = aa.Grid2D(jnp.asarray(mask.grid_slim), mask)
    with pytest.raises(aa.BackendError, match="xp=numpy on a JAX-backed grid"):
        Toy((0.0, 0.0)).image(grid)


def test_adaptive_over_sampling_binning_matches_numpy_under_jit(mask):
    grid = aa.Grid2D.from_mask(mask, over_sample_size=1)
    sizes = aa.over_sample_size_via_radial_bins_from(grid, [6, 3, 1], [0.6, 1.5])
    grid = grid.with_over_sample_size(sizes)
    expected = Toy((0.1, 0.0)).image(grid).array
    got = jax.jit(lambda c: Toy((c, 0.0)).image(grid, xp=jnp).array)(0.1)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)
