"""The NumPy <-> JAX parity audit of every public xp-aware entry point (issue 6).

* ``discovery``: finds the entry points by introspection (public functions and methods
  with an ``xp`` parameter; profile classes by walking ``GeometryProfile`` subclasses).
* ``profiles``: turns ``xpgalaxy.profiles.registry`` examples into cases (every public
  xp-aware method of every profile class).
* ``examples`` (+ ``inputs``, ``cases_array``, ``cases_galaxy``, ``cases_lens``): the
  explicit example calls of every other entry point, and the reasoned ``EXCLUSIONS``.
* ``core``: runs a case (NumPy, ``jax.jit``, ``jax.vmap``, ``jax.grad``) and compares.
* ``coverage``: what is discovered but not covered; ``static_check``: nested calls that
  drop ``xp``; ``pytree_checks``: round trips and no recompilation.
* ``plugin``: the one-line summary at the end of the pytest session.

To cover a new xp-aware function: add an entry (``qualified name -> fn(p, xp)``) to a case
in ``cases_*.py``, or a reason to ``EXCLUSIONS``. A new profile class needs a
``ProfileExample`` in its family's registry table (nothing here).

Import with ``workspace_tests`` on ``sys.path`` (the ``test_audit_*`` files put it there:
pytest runs in importlib mode, which does not).
"""
