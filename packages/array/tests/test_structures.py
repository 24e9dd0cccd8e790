"""Structures: composition, arithmetic, slim/native views, constructors."""

import operator

import numpy as np
import pytest

import xparray as aa


@pytest.fixture
def mask():
    m = np.ones((7, 7), bool)
    m[2:5, 2:5] = False  # the 7x7 world with a 3x3 unmasked centre
    return aa.Mask2D(m, pixel_scales=1.0)


def test_array_2d_slim_and_native(mask):
    arr = aa.Array2D(np.arange(9.0), mask)
    assert arr.shape == (9,) and isinstance(arr.array, np.ndarray)
    native = arr.native
    assert native.shape == (7, 7) and native[2, 2] == 0.0 and native[4, 4] == 8.0
    assert native[0, 0] == 0.0
    again = aa.Array2D(native, mask)
    np.testing.assert_array_equal(again.array, arr.array)


def test_constructor_unwraps_nested_structures(mask):
    arr = aa.Array2D(np.arange(9.0), mask)
    nested = aa.Array2D(aa.Array2D(arr, mask), mask)
    assert isinstance(nested.array, np.ndarray)
    np.testing.assert_array_equal(nested.array, arr.array)


def test_wrong_shape_is_refused(mask):
    with pytest.raises(aa.InputError, match="slim shape"):
        aa.Array2D(np.ones(5), mask)


@pytest.mark.parametrize(
    "op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]
)
def test_arithmetic_returns_same_type(mask, op):
    a = aa.Array2D(np.arange(1.0, 10.0), mask)
    b = aa.Array2D(np.full(9, 2.0), mask)
    for other, raw in ((b, b.array), (2.0, 2.0), (np.full(9, 2.0), np.full(9, 2.0))):
        out = op(a, other)
        assert type(out) is aa.Array2D and out.mask is mask
        np.testing.assert_allclose(out.array, op(a.array, raw))
        rout = op(other, a)
        assert type(rout) is aa.Array2D
        np.testing.assert_allclose(rout.array, op(raw, a.array))
    assert type(-a) is aa.Array2D and type(abs(-a)) is aa.Array2D
    np.testing.assert_allclose(abs(-a).array, a.array)


def test_comparisons_and_reductions_are_raw(mask):
    a = aa.Array2D(np.arange(9.0), mask)
    assert isinstance(a > 3, np.ndarray) and (a > 3).sum() == 5
    assert a.sum() == 36.0 and a.max() == 8.0 and a.min() == 0.0
    assert isinstance(a[2], float | np.floating)


def test_constructors():
    z = aa.Array2D.zeros((2, 3), pixel_scales=0.1)
    o = aa.Array2D.ones((2, 3), pixel_scales=0.1)
    f = aa.Array2D.full(2.5, (2, 3), pixel_scales=0.1)
    assert z.shape == (6,) and z.sum() == 0.0 and o.sum() == 6.0 and f.sum() == 15.0
    nm = aa.Array2D.no_mask([[1.0, 2.0], [3.0, 4.0]], pixel_scales=1.0)
    np.testing.assert_array_equal(nm.array, [1.0, 2.0, 3.0, 4.0])


def test_grid_2d_uniform_matches_mask_centres(mask):
    grid = aa.Grid2D.uniform((3, 3), pixel_scales=1.0, over_sample_size=1)
    np.testing.assert_allclose(grid.array[0], [1.0, -1.0])
    np.testing.assert_allclose(grid.native[2, 2], [-1.0, 1.0])
    g7 = aa.Grid2D.from_mask(mask)
    assert g7.shape == (9, 2)
    np.testing.assert_allclose(g7.array[4], [0.0, 0.0])
    np.testing.assert_allclose(g7.array[0], [1.0, -1.0])


def test_grid_arithmetic_keeps_type_and_mask(mask):
    g = aa.Grid2D.from_mask(mask)
    shifted = g - 1.0
    assert type(shifted) is aa.Grid2D and shifted.mask is mask
    assert shifted.over_sampler is g.over_sampler


def test_irregular_structures():
    g = aa.Grid2DIrregular([(1.0, 2.0), (3.0, 4.0)])
    assert g.shape == (2, 2) and g.in_list == [(1.0, 2.0), (3.0, 4.0)]
    with pytest.raises(aa.InputError):
        aa.Grid2DIrregular(np.ones((3, 3)))
    a = aa.ArrayIrregular([1.0, 2.0])
    assert type(a * 2) is aa.ArrayIrregular
    v = aa.VectorYX2DIrregular([[3.0, 4.0]])
    np.testing.assert_allclose(v.magnitudes, [5.0])


def test_vector_yx_2d(mask):
    v = aa.VectorYX2D(np.ones((9, 2)), mask)
    assert v.native.shape == (7, 7, 2) and type(v + v) is aa.VectorYX2D
    np.testing.assert_allclose(v.magnitudes, np.sqrt(2.0))


def test_numpy_interop(mask):
    a = aa.Array2D(np.arange(9.0), mask)
    np.testing.assert_array_equal(np.asarray(a), np.arange(9.0))
