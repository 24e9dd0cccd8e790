"""The NumPy <-> JAX parity audit of every public xp-aware entry point (issue 6).

``discovery`` finds the entry points by introspection, ``profiles`` turns the profile
registry into cases, ``examples`` holds the explicit example calls of everything else and
the reasoned exclusions, ``core`` runs and compares (NumPy, ``jax.jit``, ``jax.vmap``,
``jax.grad``), ``pytree_checks`` checks flatten/unflatten and no-recompile, and ``plugin``
prints the one-line summary at the end of the pytest session.

Import with ``workspace_tests`` on ``sys.path`` (the ``test_audit_*`` files put it there:
pytest runs in importlib mode, which does not).
"""
