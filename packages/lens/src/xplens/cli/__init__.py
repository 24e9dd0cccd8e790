"""The ``xplens`` command: ``xplens fit`` (model a lens) and ``xplens simulate`` (mock data).

``main(argv=None)`` is the console-script entry point (``python -m xplens.cli`` works too).
Bad input gives one line on stderr and exit status 2 (``--debug``: the traceback);
Ctrl-C or SIGTERM stops a fit cleanly (exit 130) and the same command resumes it.
"""

from __future__ import annotations

import argparse
import sys

from xplens.cli.errors import EXIT_USAGE, run_guarded, sigterm_as_interrupt

__all__ = ["build_parser", "main"]

_DESCRIPTION = "Strong-lens modelling of imaging data (NumPy or JAX)."
_EPILOG = """examples:
  xplens fit                               fit the bundled reference lens
  xplens fit --example slacs1430+4105      fit a real HST lens (bundled)
  xplens fit --data img.fits --noise-map noise.fits --psf psf.fits --pixel-scale 0.05
  xplens simulate --output mock            write a mock dataset
run 'xplens COMMAND --help' for the options of a command."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors naming the fix (exit status 2, like argparse)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    from xplens import __version__
    from xplens.cli.fit import add_fit_arguments
    from xplens.cli.simulate import add_simulate_arguments

    parser = _Parser(
        prog="xplens",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"xplens {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    fit = commands.add_parser(
        "fit",
        help="fit a lens model to imaging (default: the bundled reference example)",
        description="Fit a lens model; writes samples, summary and figures to the output "
        "folder. Running the same command again resumes an interrupted run.",
    )
    add_fit_arguments(fit)
    fit.add_argument("--debug", action="store_true", help="show tracebacks")
    simulate = commands.add_parser(
        "simulate",
        help="write a mock dataset (data, noise map, PSF, true model)",
        description="Simulate imaging of a lens (preset or model file) with al.SimulatorImaging.",
    )
    add_simulate_arguments(simulate)
    simulate.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``xplens`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    with sigterm_as_interrupt():
        if args.command == "fit":
            from xplens.cli.fit import run_fit

            return run_guarded(
                lambda: run_fit(args),
                args.debug,
                resume_hint="run the same command again to resume from the last checkpoint",
            )
        from xplens.cli.simulate import run_simulate

        return run_guarded(lambda: run_simulate(args), args.debug)
