"""``python -m xplens.cli``: the ``xplens`` command."""

from xplens.cli import main

raise SystemExit(main())
