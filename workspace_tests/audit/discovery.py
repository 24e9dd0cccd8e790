"""Find, by introspection, what the audit must cover.

* :func:`entry_points`: every public function and method of xparray, xpgalaxy and xplens
  whose signature has an ``xp`` parameter, as ``{qualified name: function}``. Public means
  no path component of the module and no name starting with ``_`` (``__init__`` of a
  public class counts: a constructor taking ``xp`` is an entry point). A method is named
  after the class that defines it, so an inherited method is one entry point. Methods of
  profile classes are left to :func:`profile_classes` (they depend on the concrete class).
* :func:`profile_classes`: every concrete subclass of ``GeometryProfile`` defined in the
  packages (the abstract bases listed in ``PROFILE_BASES`` excluded).
* :func:`profile_methods`: the public xp-aware methods of one profile class.
* :func:`pytree_classes`: every class that declares ``__pytree_no_flatten__`` or is a
  structure (``AbstractNDArray`` subclass).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import ModuleType

PACKAGES = ("xparray", "xpgalaxy", "xplens")


def _public_module(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split("."))


@functools.cache
def package_modules() -> tuple[ModuleType, ...]:
    """Every module of the three packages, imported (so every subclass is defined)."""
    modules = []
    for pkg in PACKAGES:
        root = importlib.import_module(pkg)
        modules.append(root)
        for info in pkgutil.walk_packages(root.__path__, pkg + "."):
            if info.name.rsplit(".", 1)[-1] == "__main__":  # runs a program when imported
                continue
            modules.append(importlib.import_module(info.name))
    return tuple(modules)


def _in_packages(obj) -> bool:
    return getattr(obj, "__module__", "").split(".")[0] in PACKAGES


def _takes_xp(func: Callable) -> bool:
    try:
        return "xp" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def qualified_name(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _class_methods(cls: type):
    """(name, function) of every public xp-aware method reachable on ``cls`` (MRO order)."""
    for name in dir(cls):
        if name.startswith("_") and name != "__init__":
            continue
        raw = inspect.getattr_static(cls, name)
        func = raw.__func__ if isinstance(raw, classmethod | staticmethod) else raw
        if inspect.isfunction(func) and _in_packages(func) and _takes_xp(func):
            yield name, func


def is_profile_class(obj) -> bool:
    from xpgalaxy.profiles.geometry import GeometryProfile

    return inspect.isclass(obj) and issubclass(obj, GeometryProfile)


def entry_points() -> dict[str, Callable]:
    """``{qualified name: function}`` of every public xp-aware callable (profiles aside)."""
    found: dict[str, Callable] = {}
    for module in package_modules():
        if not _public_module(module.__name__):
            continue
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) and _takes_xp(obj):
                found[qualified_name(obj)] = obj
            elif inspect.isclass(obj) and not is_profile_class(obj):
                for _, func in _class_methods(obj):
                    found[qualified_name(func)] = func
    return dict(sorted(found.items()))


def profile_bases() -> tuple[type, ...]:
    """The abstract profile bases: geometry classes and the bases exported by ag.lp / ag.mp."""
    import xpgalaxy as ag
    from xpgalaxy.profiles import geometry

    return (
        geometry.GeometryProfile,
        geometry.SphProfile,
        geometry.EllProfile,
        ag.lp.LightProfile,
        ag.mp.MassProfile,
    )


def _subclasses(cls: type):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def profile_classes() -> list[type]:
    """Every concrete profile class defined in the packages (sorted by qualified name)."""
    package_modules()
    from xpgalaxy.profiles.geometry import GeometryProfile

    bases = set(profile_bases())
    classes = {c for c in _subclasses(GeometryProfile) if _in_packages(c) and c not in bases}
    return sorted(classes, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def profile_methods(cls: type) -> dict[str, Callable]:
    """``{method name: function}`` of the public xp-aware methods of profile ``cls``."""
    return {name: func for name, func in _class_methods(cls) if name != "__init__"}


def profile_module_helpers() -> dict[str, Callable]:
    """Public xp-aware module-level functions of the profile modules (formula helpers)."""
    return {
        name: func
        for name, func in entry_points().items()
        if func.__module__.startswith("xpgalaxy.profiles.") and "." not in func.__qualname__
    }


def pytree_classes() -> list[type]:
    """Classes that become JAX pytrees: ``__pytree_no_flatten__`` declared, or structures."""
    import xparray as aa

    found = set()
    for module in package_modules():
        for obj in vars(module).values():
            if not inspect.isclass(obj) or not _in_packages(obj) or obj.__name__.startswith("_"):
                continue
            if hasattr(obj, "__pytree_no_flatten__") or issubclass(obj, aa.AbstractNDArray):
                found.add(obj)
    found.discard(aa.AbstractNDArray)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")
