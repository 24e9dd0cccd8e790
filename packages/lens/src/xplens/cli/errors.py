"""How the ``xplens`` command reports failures: one line, exit status 2, no traceback.

Bad input (files, shapes, values, options) raises :class:`CLIError` or the library's
:class:`xparray.InputError`; both say what is wrong and how to fix it. ``--debug`` shows
the traceback instead. An interrupted run (Ctrl-C, SIGTERM) exits 130 and says how to
resume; the search's checkpoints and atomic writes mean nothing written is lost.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import traceback
from collections.abc import Callable, Iterator

from xparray import InputError

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "CLIError",
    "one_line",
    "run_guarded",
    "sigterm_as_interrupt",
]

EXIT_USAGE = 2  # bad input or options (argparse uses 2 as well)
EXIT_ERROR = 1  # an unexpected failure (a bug): report it with --debug
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell convention


class CLIError(InputError):
    """Bad command-line input: the message names the problem and the fix."""


def one_line(message: object) -> str:
    """``message`` folded onto one line (library messages may hold newlines)."""
    return " ".join(str(message).split())


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (``kill``) raises KeyboardInterrupt, so a killed run stops
    like Ctrl-C; the previous handler is restored afterwards."""

    def handler(signum, frame):  # pragma: no cover - exercised through a subprocess
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # not the main thread, or a platform without SIGTERM
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_guarded(command: Callable[[], int], debug: bool, resume_hint: str = "") -> int:
    """Run ``command`` and turn failures into an exit status and one line on stderr."""
    try:
        return command()
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        hint = f"; {resume_hint}" if resume_hint else ""
        print(f"\nxplens: interrupted{hint}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (InputError, FileNotFoundError, IsADirectoryError, PermissionError) as err:
        if debug:
            traceback.print_exc()
        print(f"xplens: error: {_describe(err)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug or an unforeseen failure
        if debug:
            traceback.print_exc()
            return EXIT_ERROR
        print(
            f"xplens: unexpected error ({type(err).__name__}): {one_line(err)} "
            "(run again with --debug for the traceback and please report it)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _describe(err: BaseException) -> str:
    if isinstance(err, FileNotFoundError | IsADirectoryError | PermissionError):
        name = err.filename or ""
        what = {
            FileNotFoundError: "file not found",
            IsADirectoryError: "is a folder, not a file",
            PermissionError: "permission denied",
        }[type(err)]
        return f"{name}: {what} (check the path and its permissions)"
    return one_line(err)
