"""Model / Collection composition: defaults, ties, fixing, vector <-> instance maps."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from xparray.errors import InputError
from xparray.inference import (
    Collection,
    GaussianPrior,
    LogUniformPrior,
    Model,
    ModelInstance,
    UniformPrior,
    defaults,
    register_default_priors,
)


class Sph:
    """Dummy spherical profile: a tuple argument and a scalar with class default priors."""

    default_priors = {
        "centre": lambda: GaussianPrior(0.0, 0.1),
        "radius": lambda: UniformPrior(0.0, 2.0),
    }
    parameter_labels = {"radius": "r", "centre": "c"}

    def __init__(self, centre=(0.0, 0.0), radius=1.0, label="sph"):
        self.centre = centre
        self.radius = radius
        self.label = label


class Ell(Sph):
    """Subclass: inherits the centre/radius priors through the MRO, adds per-component ones."""

    default_priors = {
        "ell_comps_0": lambda: UniformPrior(-0.5, 0.5),
        "ell_comps_1": lambda: UniformPrior(-0.4, 0.4),
    }

    def __init__(self, centre=(0.0, 0.0), ell_comps=(0.0, 0.0), radius=1.0, label="ell"):
        super().__init__(centre, radius, label)
        self.ell_comps = ell_comps


class NoPriors:
    def __init__(self, alpha, beta=2.5):
        self.alpha = alpha
        self.beta = beta


class Galaxy:
    def __init__(self, redshift, **profiles):
        self.redshift = redshift
        self.profiles = profiles
        for name, profile in profiles.items():
            setattr(self, name, profile)


class Holder:
    """A fixed value the serialiser rebuilds from its constructor-named attributes."""

    def __init__(self, value):
        self.value = value


def attribute_at(instance, path):
    """Read a parameter back from a built instance (``centre_0`` -> ``centre[0]``)."""
    obj = instance
    for name in path[:-1]:
        obj = getattr(obj, name)
    name = path[-1]
    if hasattr(obj, name):
        return getattr(obj, name)
    base, _, index = name.rpartition("_")
    return getattr(obj, base)[int(index)]


def lens_model():
    lens = Model(Galaxy, redshift=0.5, mass=Ell, light=Model(Sph, radius=LogUniformPrior(0.1, 3)))
    source = Model(Galaxy, redshift=1.0, light=Sph)
    return Collection(galaxies=Collection(lens=lens, source=source))


# ------------------------------------------------------------------ defaults


def test_inference_default_priors_from_class_and_mro():
    model = Model(Ell)
    # centre (key "centre", per component) and radius come from Sph via the MRO
    assert isinstance(model.centre_0, GaussianPrior) and isinstance(model.centre_1, GaussianPrior)
    assert model.centre_0 is not model.centre_1
    # per-component keys give different priors
    assert (model.ell_comps_0.upper_limit, model.ell_comps_1.upper_limit) == (0.5, 0.4)
    assert isinstance(model.radius, UniformPrior)
    # no default prior for ``label``: fixed to the signature default
    assert model.label == "ell"


def test_inference_model_counts_and_orders_parameters_by_creation():
    model = Model(Ell)
    assert model.prior_count == 5
    assert model.paths == (
        ("centre_0",),
        ("centre_1",),
        ("ell_comps_0",),
        ("ell_comps_1",),
        ("radius",),
    )
    ids = [p.id for p in model.priors_ordered_by_id]
    assert ids == sorted(ids)


def test_inference_missing_default_prior_without_default_value_is_an_error():
    with pytest.raises(InputError, match="'alpha'"):
        Model(NoPriors)
    model = Model(NoPriors, alpha=UniformPrior(0, 1))
    assert model.prior_count == 1 and model.beta == 2.5


def test_inference_register_default_priors_per_class_and_global(monkeypatch):
    monkeypatch.setattr(defaults, "_BY_CLASS", {})
    monkeypatch.setattr(defaults, "_BY_NAME", {})
    register_default_priors({"alpha": UniformPrior(-1.0, 1.0)})
    first, second = Model(NoPriors), Model(NoPriors)
    # a Prior in the table is copied: every model gets its own parameter
    assert first.alpha is not second.alpha and first.alpha.lower_limit == -1.0
    register_default_priors({NoPriors: {"beta": lambda: GaussianPrior(2.0, 0.5)}})
    model = Model(NoPriors)
    assert isinstance(model.beta, GaussianPrior) and model.prior_count == 2
    with pytest.raises(InputError, match="'gamma'"):
        register_default_priors({"gamma": 3.0})


def test_inference_unknown_keyword_is_refused_unless_kwargs():
    with pytest.raises(InputError, match="'radiuss'|radiuss"):
        Model(Sph, radiuss=1.0)
    galaxy = Model(Galaxy, redshift=0.5, bulge=Sph, disk=Model(Sph, radius=0.3))
    assert galaxy.prior_count == 3 + 2
    built = galaxy.instance_from_prior_medians()
    assert isinstance(built.bulge, Sph) and built.disk.radius == 0.3


# ------------------------------------------------------------------ fixing and tying


def test_inference_fixing_reduces_prior_count_and_appears_in_instance():
    model = Model(Sph)
    assert model.prior_count == 3
    model.radius = 1.7
    assert model.prior_count == 2
    model.centre = (0.1, -0.2)
    assert model.prior_count == 0
    instance = model.instance_from_vector(np.array([]))
    assert instance.centre == (0.1, -0.2) and instance.radius == 1.7


def test_inference_tying_counts_once_and_builds_equal_values():
    model = lens_model()
    n = model.prior_count
    lens, source = model.galaxies.lens, model.galaxies.source
    source.light.centre = lens.mass.centre  # tuple-level tie: both components
    assert model.prior_count == n - 2
    source.light.radius = lens.light.radius  # scalar tie
    assert model.prior_count == n - 3
    assert source.light.radius is lens.light.radius
    vector = np.linspace(0.1, 0.9, model.prior_count)
    instance = model.instance_from_vector(vector)
    g = instance.galaxies
    assert g.source.light.centre == g.lens.mass.centre
    assert g.source.light.radius == g.lens.light.radius


def test_inference_component_tie_and_fix():
    a, b = Model(Sph), Model(Sph)
    b.centre_0 = a.centre_0
    b.centre_1 = 0.25
    model = Collection(a=a, b=b)
    assert model.prior_count == 3 + 1
    instance = model.instance_from_vector(np.array([0.1, 0.2, 0.3, 0.4]))
    assert instance.b.centre == (0.1, 0.25)
    assert instance.a.centre == (0.1, 0.2)
    assert "tied to a.centre_0" in model.info


def test_inference_tuple_assignment_wrong_length_is_refused():
    model = Model(Sph)
    with pytest.raises(InputError, match="centre"):
        model.centre = (0.0, 0.0, 0.0)
    with pytest.raises(InputError, match="centre"):
        model.centre = UniformPrior()


def test_inference_tuple_view_gives_component_attributes():
    model = Model(Sph)
    view = model.centre
    assert isinstance(view, tuple) and len(view) == 2
    assert view.centre_0 is model.centre_0 and view[1] is model.centre_1


# ------------------------------------------------------------------ vectors


def test_inference_vector_instance_round_trip_by_path():
    model = lens_model()
    rng = np.random.default_rng(3)
    vector = model.vector_from_unit_vector(rng.random(model.prior_count))
    instance = model.instance_from_vector(vector)
    read = [attribute_at(instance, path) for path in model.paths]
    np.testing.assert_array_equal(read, vector)
    assert isinstance(instance, ModelInstance)
    assert isinstance(instance.galaxies.lens.mass, Ell)
    assert isinstance(instance.galaxies.lens.mass.centre, tuple)


def test_inference_unit_vector_maps_through_each_prior():
    model = lens_model()
    unit = np.random.default_rng(4).random(model.prior_count)
    vector = model.vector_from_unit_vector(unit)
    expected = [p.value_for(u) for p, u in zip(model.priors_ordered_by_id, unit)]
    np.testing.assert_allclose(vector, expected, rtol=1e-14)
    np.testing.assert_allclose(model.unit_vector_from_vector(vector), unit, rtol=1e-9)
    via_unit = model.instance_from_unit_vector(unit)
    np.testing.assert_allclose([attribute_at(via_unit, p) for p in model.paths], vector)


def test_inference_prior_medians_and_random_instance():
    model = lens_model()
    medians = model.instance_from_prior_medians()
    expected = [p.median for p in model.priors_ordered_by_id]
    np.testing.assert_allclose([attribute_at(medians, p) for p in model.paths], expected)
    # LogUniform(0.1, 3) median is the geometric mean
    assert medians.galaxies.lens.light.radius == pytest.approx(math.sqrt(0.3))
    a, b = model.random_instance(seed=5), model.random_instance(seed=5)
    va = [attribute_at(a, p) for p in model.paths]
    assert va == [attribute_at(b, p) for p in model.paths]
    for prior, value in zip(model.priors_ordered_by_id, va):
        assert prior.lower_limit <= value <= prior.upper_limit


def test_inference_log_prior_list_matches_scipy():
    # the LogUniformPrior is created before Model makes the centre priors, so it comes first
    model = Model(Sph, radius=LogUniformPrior(0.1, 3.0))
    assert model.paths == (("radius",), ("centre_0",), ("centre_1",))
    vector = np.array([1.3, 0.05, -0.02])
    expected = [
        stats.loguniform(0.1, 3.0).logpdf(1.3),
        stats.norm(0.0, 0.1).logpdf(0.05),
        stats.norm(0.0, 0.1).logpdf(-0.02),
    ]
    np.testing.assert_allclose(model.log_prior_list_from_vector(vector), expected, rtol=1e-12)
    # outside the LogUniform support: the finite stand-in, not -inf
    assert model.log_prior_list_from_vector(np.array([5.0, 0.0, 0.0]))[0] == -1.0e100


def test_inference_wrong_vector_length_is_refused():
    model = Model(Sph)
    with pytest.raises(InputError, match="3 free parameters"):
        model.instance_from_vector(np.zeros(2))


# ------------------------------------------------------------------ collections


def test_inference_collection_order_indexing_and_iteration():
    model = Collection(b=Model(Sph), a=Model(Sph, radius=0.5), c=UniformPrior(1.0, 2.0))
    assert [name for name, _ in model.items()] == ["b", "a", "c"]
    assert model[1] is model.a and model["c"] is model.c and len(model) == 3
    instance = model.instance_from_prior_medians()
    assert instance.keys() == ("b", "a", "c")
    values = list(instance)
    assert values[0] is instance.b and values[2] == 1.5 and instance[1] is instance.a
    assert model.paths[-1] == ("c",)


def test_inference_collection_of_list_and_dict():
    model = Collection([Model(Sph), Model(Sph)], extra={"inner": Model(Sph, radius=0.1)})
    assert list(model.items())[0][0] == "0"
    assert model.prior_count == 3 + 3 + 2
    instance = model.instance_from_prior_medians()
    assert instance.extra.inner.radius == 0.1 and len(list(instance)) == 3


def test_inference_nested_paths_and_labels():
    model = lens_model()
    assert ("galaxies", "lens", "mass", "ell_comps_1") in model.paths
    assert ("galaxies", "source", "light", "radius") in model.paths
    labels = dict(zip(model.paths, model.parameter_labels))
    assert labels[("galaxies", "source", "light", "radius")] == "r"
    assert labels[("galaxies", "source", "light", "centre_1")] == "c_1"
    assert labels[("galaxies", "lens", "mass", "ell_comps_0")] == "ell_comps_0"


# ------------------------------------------------------------------ info / serialisation


def test_inference_info_lists_paths_priors_and_fixed_values():
    model = lens_model()
    model.galaxies.lens.mass.radius = 1.25
    info = model.info
    assert info.startswith(f"Total Free Parameters = {model.prior_count}\n")
    for name in ("galaxies", "lens", "source", "mass", "light", "ell_comps_1", "redshift"):
        assert name in info
    assert "Ell (N=4)" in info and "Galaxy" in info
    assert "1.25" in info and "'ell'" in info
    for prior in model.priors_ordered_by_id:
        assert prior.info() in info


def test_inference_to_dict_from_dict_round_trip_keeps_ties_and_order():
    model = lens_model()
    model.galaxies.source.light.centre = model.galaxies.lens.mass.centre
    model.galaxies.lens.mass.label = Holder(np.array([1.0, 2.0]))
    model.galaxies.source.extra = -math.inf
    text = json.dumps(model.to_dict(), allow_nan=False)
    again = Collection.from_dict(json.loads(text))
    assert isinstance(again, Collection)
    assert again.prior_count == model.prior_count
    assert again.paths == model.paths
    for p, q in zip(model.priors_ordered_by_id, again.priors_ordered_by_id):
        assert type(p) is type(q) and p.parameters() == q.parameters()
    assert again.galaxies.source.light.centre_0 is again.galaxies.lens.mass.centre_0
    vector = np.linspace(0.2, 0.8, model.prior_count)
    a, b = model.instance_from_vector(vector), again.instance_from_vector(vector)
    assert [attribute_at(a, p) for p in model.paths] == [attribute_at(b, p) for p in again.paths]
    np.testing.assert_array_equal(b.galaxies.lens.mass.label.value, [1.0, 2.0])
    assert b.galaxies.source.extra == -math.inf


def test_inference_unserialisable_fixed_value_fails_on_load_only():
    model = Model(Sph, label=lambda: None)
    data = json.loads(json.dumps(model.to_dict()))
    with pytest.raises(InputError, match="unserialisable"):
        Model.from_dict(data)


def test_inference_building_never_imports_jax():
    code = (
        "import sys, numpy as np\n"
        "from xparray.inference import Model, UniformPrior, Collection\n"
        "class A:\n"
        "    def __init__(self, x=(0.0, 0.0)):\n"
        "        self.x = x\n"
        "m = Collection(a=Model(A, x=(UniformPrior(), UniformPrior())))\n"
        "m.instance_from_vector(np.array([0.1, 0.2]))\n"
        "m.instance_from_unit_vector(np.array([0.1, 0.2]))\n"
        "assert 'jax' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_inference_copy_and_pickle_keep_ties_but_not_identity():
    import pickle

    model = lens_model()
    model.galaxies.source.light.radius = model.galaxies.lens.light.radius
    for again in (model.copy(), pickle.loads(pickle.dumps(model))):
        assert again.prior_count == model.prior_count and again.paths == model.paths
        g = again.galaxies
        assert g.source.light.radius is g.lens.light.radius
        assert g.lens.light.radius is not model.galaxies.lens.light.radius
    assert not hasattr(model, "no_such_parameter")
