"""Descent Lab: the desktop app, and headless commands.

    python main.py [SCENARIO]                  open the window
    python main.py run SCENARIO [--json PATH|-] [--csv PATH]
    python main.py list
    python main.py export SCENARIO -o OUT [...]
    python main.py study SCENARIO [...]
    python main.py network --batch-sizes 16,128,full [...]   small vs large batches, digits

Headless commands never import Qt (``export`` does, to render frames, without showing a window).
Bad input exits with code 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the command line: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default prints usage; keep one line
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="descent-lab", description="See why mini-batches and momentum help.")
    sub = p.add_subparsers(dest="command")

    run = sub.add_parser("run", help="simulate a scenario's runs and print a table")
    run.add_argument("scenario", help="a scenario file or a built-in scenario's name")
    run.add_argument("--json", metavar="PATH", help="write the full record as JSON ('-': stdout)")
    run.add_argument("--csv", metavar="PATH", help="write one row per update as CSV ('-': stdout)")

    sub.add_parser("list", help="list built-in surfaces, optimizers and scenarios")

    exp = sub.add_parser("export", help="render an animation without showing a window")
    exp.add_argument("scenario")
    exp.add_argument("-o", "--output", required=True, help=".mp4, .gif, or a folder for PNGs")
    exp.add_argument("--view", choices=["contour", "surface", "both"], default="contour")
    exp.add_argument("--frames", type=int, default=None, help="number of frames")
    exp.add_argument("--fps", type=float, default=20.0)
    exp.add_argument("--size", default="800x600", help="WIDTHxHEIGHT in pixels")
    exp.add_argument("--overlay", action=argparse.BooleanOptionalAction, default=True)

    st = sub.add_parser("study", help="the batch-size study: many seeds per batch size")
    st.add_argument("scenario")
    st.add_argument("--batch-sizes", default="1,2,5,10,20")
    st.add_argument("--seeds", type=int, default=20)
    st.add_argument("--run", type=int, default=0, help="which run of the scenario to vary")
    st.add_argument("--budget", choices=["updates", "epochs"], default=None,
                    help="same number of updates (default) or of epochs for every batch size")
    st.add_argument("--timing", action="store_true",
                    help="also time one update and one epoch per batch size on this computer")
    st.add_argument("--json", metavar="PATH")

    from core.netcli import add_parser as add_network

    add_network(sub)
    return p


def _command(name: str):
    """The handler of a subcommand; ``export`` is the only one that imports Qt."""
    if name == "export":
        from gui.export import cmd_export

        return cmd_export
    from core import cli

    if name == "network":
        from core.netcli import cmd_network

        return cmd_network
    return {"run": cli.cmd_run, "list": cli.cmd_list, "study": cli.cmd_study}[name]


def cli(argv: Sequence[str] | None = None) -> int:
    """Entry point of the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {"run", "list", "export", "study", "network", "-h", "--help"}
    if not argv or argv[0] not in known:
        return launch(argv[0] if argv else None)
    try:
        args = _parser().parse_args(argv)
        return _command(args.command)(args)
    except UsageError as err:
        print(f"descent-lab: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as err:  # ScenarioError, ExpressionError and friends: bad input
        print(f"descent-lab: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:
        name = f" {err.filename}" if getattr(err, "filename", None) else ""
        print(f"descent-lab: error:{name}: {err.strerror or err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("descent-lab: interrupted", file=sys.stderr)
        return 130


def launch(scenario: str | None = None) -> int:
    """Open the desktop window (optionally with a scenario)."""
    try:
        from gui.app import run_app
    except ImportError as err:
        print(f"descent-lab: error: the desktop app cannot start: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_app(scenario)


def main() -> None:
    """Console/GUI script entry point."""
    sys.exit(cli())


if __name__ == "__main__":
    main()
