"""Static half of the audit: every nested call to an xp-aware callable passes ``xp``.

The dynamic audit (``core``) catches a dropped ``xp=xp`` on every path the examples run
whenever it makes NumPy meet a traced value. A dropped ``xp`` can also be harmless today
and wrong tomorrow (the callee only does arithmetic, or the branch is not exercised), so
this check reads the source of every xp-aware function and method of the three packages
(private ones included) and flags each call that does not pass ``xp`` (as a keyword, a
positional argument in the ``xp`` slot, or ``**kwargs``) to a callee that takes it:

* the callee is resolved through the function's globals (``f(...)``, ``module.f(...)``,
  ``pkg.module.f(...)``) or its class (``self.method(...)``, ``cls.method(...)``);
* a call on any other object (``galaxy.image_2d_from(...)``) counts when the method name is
  xp-aware in every package class that defines it;
* the NumPy-only tail after ``if xp is not np: return ...`` and the body of
  ``if xp is np:`` are skipped (e.g. ``LensCalc.hessian_from``'s finite differences).
"""

from __future__ import annotations

import ast
import collections
import functools
import inspect
import textwrap
import types

from audit import discovery

__all__ = ["Finding", "keyword_xp_calls", "missing_xp_findings", "xp_aware_functions"]

_ARRAY_MODULES = ("xp", "np", "jnp", "numpy", "math")
_JAX_TESTS = ("xp is not np", "is_jax(xp)", "aa.backend.is_jax(xp)", "backend.is_jax(xp)")
_NUMPY_TESTS = ("xp is np", "not is_jax(xp)")


class Finding(str):
    """``module.function: line N: call`` (a str, so lists of findings print readably)."""


def _xp_index(func) -> int | None:
    try:
        params = list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return None
    return params.index("xp") if "xp" in params else None


def _plain(raw):
    raw = raw.__func__ if isinstance(raw, classmethod | staticmethod) else raw
    return inspect.unwrap(raw) if inspect.isfunction(raw) else raw


@functools.cache
def xp_aware_functions() -> tuple[tuple[type | None, types.FunctionType], ...]:
    """``(owner class or None, function)`` of every xp-aware function of the packages."""
    found, seen = [], set()
    for module in discovery.package_modules():
        for obj in vars(module).values():
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                candidates = [(None, obj)]
            elif inspect.isclass(obj):
                candidates = [(obj, raw) for raw in vars(obj).values()]
            else:
                continue
            for owner, raw in candidates:
                func = _plain(raw)
                if inspect.isfunction(func) and _xp_index(func) is not None and func not in seen:
                    seen.add(func)
                    found.append((owner, func))
    return tuple(found)


@functools.cache
def _xp_method_names() -> frozenset[str]:
    """Method names that take ``xp`` in every package class defining them."""
    status = collections.defaultdict(set)
    for module in discovery.package_modules():
        for obj in vars(module).values():
            if inspect.isclass(obj) and getattr(obj, "__module__", None) == module.__name__:
                for name, raw in vars(obj).items():
                    func = _plain(raw)
                    if inspect.isfunction(func):
                        status[name].add(_xp_index(func) is not None)
    return frozenset(n for n, s in status.items() if s == {True} and not n.startswith("__"))


def _static_attribute(classes, name: str):
    for klass in classes:
        if name in vars(klass):
            return vars(klass)[name]
    return None


def _resolve(call: ast.Call, func, owner):
    """The callee object, when it can be found statically (else None)."""
    target, scope = call.func, func.__globals__
    if isinstance(target, ast.Name):
        if target.id == "cls" and owner is not None:
            return owner
        return scope.get(target.id)
    if not isinstance(target, ast.Attribute):
        return None
    base = target.value
    if isinstance(base, ast.Name) and base.id in ("self", "cls") and owner is not None:
        return _static_attribute(owner.__mro__, target.attr)
    if (
        isinstance(base, ast.Call)
        and isinstance(base.func, ast.Name)
        and base.func.id == "super"
        and owner is not None
    ):
        return _static_attribute(owner.__mro__[1:], target.attr)
    try:
        obj = eval(compile(ast.Expression(base), "<callee>", "eval"), dict(scope))  # noqa: S307
    except Exception:  # noqa: BLE001 - not resolvable statically
        return None
    if isinstance(obj, types.ModuleType) or inspect.isclass(obj):
        return getattr(obj, target.attr, None)
    return None


def _returned_tuple_length(callee) -> int | None:
    """Length of the tuple literal every ``return`` of ``callee`` gives (None if unknown)."""
    tree = function_tree(_plain(callee)) if callee is not None else None
    if tree is None:
        return None
    lengths = {
        len(node.value.elts) if isinstance(node.value, ast.Tuple) else None
        for node in ast.walk(tree)
        if isinstance(node, ast.Return)
    }
    return lengths.pop() if len(lengths) == 1 else None


def _positional_count(call: ast.Call, func, owner) -> int | None:
    """Number of positional arguments, ``*f(...)`` counted from ``f``'s returned tuple."""
    count = 0
    for arg in call.args:
        if not isinstance(arg, ast.Starred):
            count += 1
            continue
        if not isinstance(arg.value, ast.Call):
            return None
        length = _returned_tuple_length(_resolve(arg.value, func, owner))
        if length is None:
            return None
        count += length
    return count


def _passes_xp(call: ast.Call, index: int, bound: bool, func, owner) -> bool:
    # ``**kwargs`` does not count: in an xp-aware function ``xp`` is a named parameter,
    # never inside ``kwargs``
    if any(k.arg == "xp" for k in call.keywords):
        return True
    count = _positional_count(call, func, owner)
    if count is None:
        return True  # unknown: give the benefit of the doubt (the dynamic audit still runs)
    return count + (1 if bound else 0) > index


def _call_problem(call: ast.Call, func, owner) -> bool:
    """True when ``call`` reaches an xp-aware callee without passing ``xp``."""
    target = call.func
    callee = _resolve(call, func, owner)
    if callee is not None:
        # ``self.m(...)``, ``cls.m(...)``, ``super().m(...)`` and bound classmethods pass
        # their first argument implicitly
        bound = inspect.ismethod(callee) or (
            isinstance(target, ast.Attribute)
            and (
                (isinstance(target.value, ast.Name) and target.value.id in ("self", "cls"))
                or isinstance(target.value, ast.Call)
            )
            and not isinstance(callee, staticmethod)
        )
        if inspect.isclass(callee):  # a constructor: xp of __init__, self implicit
            callee, bound = vars(callee).get("__init__") or callee.__init__, True
        plain = _plain(callee.__func__ if inspect.ismethod(callee) else callee)
        if not inspect.isfunction(plain):
            return False
        index = _xp_index(plain)
        return index is not None and not _passes_xp(call, index, bound, func, owner)
    if isinstance(target, ast.Attribute) and target.attr in _xp_method_names():
        base = target.value
        if isinstance(base, ast.Name) and base.id in _ARRAY_MODULES:
            return False
        return not any(k.arg == "xp" for k in call.keywords)
    return False


def function_tree(func) -> ast.FunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return None
    node = ast.parse(source).body[0]
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _jax_only_return(statement) -> bool:
    return (
        isinstance(statement, ast.If)
        and ast.unparse(statement.test) in _JAX_TESTS
        and bool(statement.body)
        and isinstance(statement.body[-1], ast.Return)
    )


def missing_xp_findings(owner, func, tree: ast.FunctionDef | None = None) -> list[Finding]:
    """Calls inside ``func`` (source, or the given ``tree``) that drop ``xp``."""
    tree = function_tree(func) if tree is None else tree
    if tree is None:
        return []
    first_line = func.__code__.co_firstlineno
    findings: list[Finding] = []

    def visit(node) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and _call_problem(sub, func, owner):
                line = first_line + sub.lineno - 1
                findings.append(
                    Finding(
                        f"{func.__module__}.{func.__qualname__}: line {line}: {ast.unparse(sub)}"
                    )
                )

    def visit_block(statements) -> None:
        for statement in statements:
            if _jax_only_return(statement):
                visit(statement.test)
                visit_block(statement.body)
                return  # what follows runs on NumPy only
            if isinstance(statement, ast.If) and ast.unparse(statement.test) in _NUMPY_TESTS:
                visit_block(statement.orelse)
                continue
            visit(statement)

    visit_block(tree.body)
    return findings


def keyword_xp_calls(tree: ast.FunctionDef) -> list[ast.Call]:
    """Every call in ``tree`` that passes ``xp=`` as a keyword (mutation targets)."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and any(k.arg == "xp" for k in node.keywords)
    ]
