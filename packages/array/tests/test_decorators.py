"""Decorators: result types follow the input grid; transform happens exactly once."""

import warnings

import numpy as np
import pytest

import xparray as aa


class Shifted:
    """A toy profile whose frame is the image frame shifted by ``centre``."""

    def __init__(self, centre=(0.5, -0.5)):
        self.centre = centre
        self.transforms = 0

    def transformed_to_reference_frame_grid_from(self, grid, xp=np):
        self.transforms += 1
        return aa.structures.unwrap(grid) - xp.asarray(self.centre)

    def rotated_grid_from_reference_frame_from(self, grid, xp=np):
        return -grid  # a 180 degree rotation, easy to see

    @aa.decorators.to_array
    @aa.decorators.transform
    def radius(self, grid, xp=np):
        return xp.sqrt((grid.array**2).sum(axis=1))

    @aa.decorators.to_array
    @aa.decorators.transform
    def nested(self, grid, xp=np):
        # a nested decorated call on an already transformed grid must not re-transform
        return self.radius(grid, xp=xp).array * 2.0

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def vector(self, grid, xp=np):
        return grid.array

    @aa.decorators.to_grid
    def moved(self, grid, xp=np):
        return grid.array + 1.0

    @aa.decorators.to_array
    @aa.decorators.over_sample
    @aa.decorators.transform
    def image(self, grid, xp=np):
        return grid.array[:, 1] ** 2


@pytest.fixture
def grid():
    return aa.Grid2D.uniform((3, 3), pixel_scales=1.0, over_sample_size=1)


def test_result_types_follow_the_input(grid):
    p = Shifted()
    irregular = aa.Grid2DIrregular([(0.5, -0.5), (1.5, -0.5)])
    raw = np.array([[0.5, -0.5], [1.5, -0.5]])
    assert type(p.radius(grid)) is aa.Array2D
    assert type(p.radius(irregular)) is aa.ArrayIrregular
    assert type(p.radius(raw)) is np.ndarray
    assert type(p.vector(grid)) is aa.VectorYX2D
    assert type(p.vector(irregular)) is aa.VectorYX2DIrregular
    assert type(p.moved(grid)) is aa.Grid2D
    assert type(p.moved(irregular)) is aa.Grid2DIrregular
    np.testing.assert_allclose(p.radius(raw), [0.0, 1.0])


def test_transform_once_in_nested_calls(grid):
    p = Shifted()
    out = p.nested(aa.Grid2DIrregular([(1.5, -0.5)]))
    assert p.transforms == 1
    np.testing.assert_allclose(out.array, [2.0])


def test_rotate_back(grid):
    out = Shifted(centre=(0.0, 0.0)).vector(aa.Grid2DIrregular([(1.0, 2.0)]))
    np.testing.assert_allclose(out.array, [[-1.0, -2.0]])


def test_over_sample_decorator_bins_sub_pixels():
    # mean of x^2 over a 1" pixel centred on x=c is c^2 + 1/12 (exact for the sub-grid
    # midpoint rule only in the limit; with s sub-pixels it is c^2 + (1 - 1/s^2)/12)
    s = 4
    grid = aa.Grid2D.uniform((1, 3), pixel_scales=1.0, over_sample_size=s)
    out = Shifted(centre=(0.0, 0.0)).image(grid)
    assert type(out) is aa.Array2D
    np.testing.assert_allclose(out.array, np.array([1.0, 0.0, 1.0]) + (1 - 1 / s**2) / 12)


def test_grid_dec_is_a_deprecated_alias():
    with pytest.warns(DeprecationWarning, match="grid_dec"):
        alias = aa.grid_dec
    assert alias is aa.decorators
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert aa.decorators.to_array is alias.to_array
