"""Descent Lab: the desktop app, and headless commands.

    python main.py [--lang en|zh_TW] [SCENARIO]   open the window (in English / 繁體中文)
    python main.py run SCENARIO [--json PATH|-] [--csv PATH]
    python main.py list
    python main.py export SCENARIO -o OUT [...]
    python main.py study SCENARIO [...]
    python main.py network --batch-sizes 16,128,full [...]   small vs large batches, digits

Headless commands never import Qt (``export`` and ``network --export-plane OUT`` do, to render
frames, without showing a window).
Bad input exits with code 2 and one line on stderr; Ctrl-C exits with 130 and SIGTERM with 143
(nothing half-written is left), a closed stdout pipe quietly with 141. Limits: ``--help``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the command line: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default prints usage; keep one line
        raise UsageError(message)


def _limits() -> dict[str, str]:
    from core import limits as lim

    return {k: f"{v:,}" if isinstance(v, int) and v >= 10_000 else f"{v:g}"
            for k, v in vars(lim).items() if k.isupper()}


def _epilog(*paragraphs: str) -> str:
    """Help text after the options: each paragraph wrapped to 79 columns."""
    import textwrap

    return "\n\n".join(textwrap.fill(p, 79) for p in paragraphs)


def _parser() -> argparse.ArgumentParser:
    L = _limits()
    files = (f"Scenario files: at most {L['MAX_FILE_BYTES']} bytes, nesting at most "
             f"{L['MAX_NESTING']} levels, {L['MAX_RUNS']} runs, {L['MAX_STEPS']} updates per "
             f"run and {L['MAX_TOTAL_STEPS']} over all runs (the record takes about 100 bytes "
             f"per update), N ≤ {L['MAX_EXAMPLES']} examples.")
    common = ("Bad input prints one line on stderr and exits with code 2. Long work shows "
              "progress and the time left on stderr when it is a terminal; Ctrl-C stops "
              "cleanly (exit code 130, SIGTERM 143) and leaves any old output file untouched.")
    fmt = argparse.RawDescriptionHelpFormatter
    commands = (f"run: at most {L['MAX_BATCH_INDICES']} batch example indices in one output "
                f"(--no-batches leaves them out). export: {L['MIN_SIDE']}..{L['MAX_SIDE']} "
                f"pixels a side, 1..{L['MAX_FRAMES']} frames, at most "
                f"{L['MAX_EXPORT_PIXELS']} pixels in all. study: at most {L['MAX_SEEDS']} "
                f"seeds per batch size, {L['MAX_STUDY_RUNS']} runs in all. Details: "
                "COMMAND --help.")
    p = _Parser(prog="descent-lab", description="See why mini-batches and momentum help. "
                "Without a command: open the window, main.py [--lang en|zh_TW] [SCENARIO] "
                "(--lang: English or 繁體中文; default: View → Language, else the system's).",
                epilog=_epilog(files, commands, common), formatter_class=fmt)
    sub = p.add_subparsers(dest="command")

    run = sub.add_parser(
        "run", help="simulate a scenario's runs and print a table", formatter_class=fmt,
        epilog=_epilog(files, "Outputs are written atomically (a symbolic link's target is "
                       "replaced, read-only files are refused). --json streams: memory does "
                       "not grow with the output. The batches written (updates × batch size, "
                       f"all runs) are at most {L['MAX_BATCH_INDICES']} example indices; "
                       "--no-batches leaves them out.", common))
    run.add_argument("scenario", help="a scenario file or a built-in scenario's name")
    run.add_argument("--json", metavar="PATH", help="write the full record as JSON ('-': stdout)")
    run.add_argument("--csv", metavar="PATH", help="write one row per update as CSV ('-': stdout)")
    run.add_argument("--no-batches", action="store_true",
                     help="leave out the example indices of every update's batch (JSON 'batch', "
                          "CSV column 'batch'): N × updates numbers per run")

    sub.add_parser("list", help="list built-in surfaces, optimizers and scenarios")

    exp = sub.add_parser(
        "export", help="render an animation without showing a window", formatter_class=fmt,
        epilog=_epilog(
            f"Limits: {L['MIN_SIDE']}..{L['MAX_SIDE']} pixels a side, 1..{L['MAX_FRAMES']} "
            f"frames, at most {L['MAX_FPS']} fps ({L['GIF_MAX_FPS']} for GIF), frames × "
            f"width × height at most {L['MAX_EXPORT_PIXELS']} pixels in all. PNG frames go "
            "into a new or empty folder.", files, common))
    exp.add_argument("scenario")
    exp.add_argument("-o", "--output", required=True,
                     help=".mp4, .gif, or a new (or empty) folder for PNGs")
    exp.add_argument("--view", choices=["contour", "surface", "both"], default="contour")
    exp.add_argument("--frames", type=int, default=None,
                     help=f"number of frames (1..{L['MAX_FRAMES']}; default: one per update, "
                          "at most 300)")
    exp.add_argument("--fps", type=float, default=20.0,
                     help=f"frames per second (at most {L['MAX_FPS']}, GIF {L['GIF_MAX_FPS']})")
    exp.add_argument("--size", default="800x600",
                     help=f"WIDTHxHEIGHT in pixels ({L['MIN_SIDE']}..{L['MAX_SIDE']} each)")
    exp.add_argument("--overlay", action=argparse.BooleanOptionalAction, default=True)

    st = sub.add_parser(
        "study", help="the batch-size study: many seeds per batch size", formatter_class=fmt,
        epilog=_epilog(f"Limits: at most {L['MAX_SEEDS']} seeds per batch size and "
                       f"{L['MAX_STUDY_RUNS']} runs in all (batch sizes × seeds).", files,
                       common))
    st.add_argument("scenario")
    st.add_argument("--batch-sizes", default="1,2,5,10,20")
    st.add_argument("--seeds", type=int, default=20,
                    help=f"shuffle seeds per batch size (1..{L['MAX_SEEDS']})")
    st.add_argument("--run", type=int, default=0, help="which run of the scenario to vary")
    st.add_argument("--budget", choices=["updates", "epochs"], default=None,
                    help="same number of updates (default) or of epochs for every batch size")
    st.add_argument("--claims", action="store_true",
                    help="also check the lecture's batch claims: equal updates and equal "
                         "epochs side by side, η/2 and 2η, the flat minimum, a verdict per "
                         "claim (about 4× the time)")
    st.add_argument("--timing", action="store_true",
                    help="also time one update and one epoch per batch size on this computer")
    st.add_argument("--json", metavar="PATH", help="write the results as JSON ('-': stdout)")

    from core.netcli import add_parser as add_network

    add_network(sub)
    return p


def _command(name: str):
    """The handler of a subcommand; only ``export`` and ``network --export-plane`` import
    Qt."""
    if name == "export":
        from gui.export.cli import cmd_export

        return cmd_export
    from core import cli

    if name == "network":
        from core.netcli import cmd_network

        def network(args: argparse.Namespace) -> int:
            if args.export_plane is not None:  # renders the plane's frames: imports Qt
                from gui.export.network import cmd_network_export

                return cmd_network_export(args)
            return cmd_network(args)

        return network
    return {"run": cli.cmd_run, "list": cli.cmd_list, "study": cli.cmd_study}[name]


def _say(message: object) -> None:
    """One line on stderr, control characters escaped (file contents cannot drive the
    terminal)."""
    from core.files import printable

    with contextlib.suppress(OSError, ValueError):
        print(f"descent-lab: {printable(message)}", file=sys.stderr)


def _quiet_stdout() -> None:
    """After a broken pipe: send what is left for stdout to /dev/null (no second error when
    Python flushes stdout at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


LANGUAGE_CODES = ("en", "zh_TW")


def _take_lang(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--lang CODE`` / ``--lang=CODE`` before the window's scenario: (the code, the other
    arguments). Raises :class:`UsageError` for a language the window does not have."""
    lang, rest, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--lang" or a.startswith("--lang="):
            if "=" in a:
                lang = a.split("=", 1)[1]
            elif i + 1 < len(argv):
                i += 1
                lang = argv[i]
            else:
                raise UsageError("--lang needs a language: en or zh_TW")
            code = lang.replace("-", "_")
            lang = next((c for c in LANGUAGE_CODES if c.lower() == code.lower()), None)
            if lang is None:
                raise UsageError(f"--lang: no such language {argv[i]!r} (choose en or zh_TW)")
        else:
            rest.append(a)
        i += 1
    return lang, rest


def cli(argv: Sequence[str] | None = None) -> int:
    """Entry point of the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {"run", "list", "export", "study", "network", "-h", "--help"}
    if not argv or argv[0] not in known:
        try:
            lang, rest = _take_lang(argv)
        except UsageError as err:
            _say(f"error: {err}")
            return EXIT_BAD_INPUT
        if len(rest) > 1:
            _say(f"error: one scenario at most (got {len(rest)}); usage: "
                 "main.py [--lang en|zh_TW] [SCENARIO]")
            return EXIT_BAD_INPUT
        return launch(rest[0] if rest else None, lang)
    from core.progress import Interrupted, stop_on_signals

    try:
        with stop_on_signals("raise"):
            args = _parser().parse_args(argv)
            code = _command(args.command)(args)
            sys.stdout.flush()
            return code
    except Interrupted as err:
        _say(err)
        return err.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:  # e.g. `run --json - | head`: stop quietly, as Unix tools do
        _quiet_stdout()
        return 141
    except UsageError as err:
        _say(f"error: {err}")
        return EXIT_BAD_INPUT
    except MemoryError:  # e.g. under a memory limit (ulimit -v): one line, not a traceback
        _say("error: out of memory (a smaller scenario needs less: fewer runs or updates)")
        return EXIT_BAD_INPUT
    except ValueError as err:  # ScenarioError, ExpressionError and friends: bad input
        _say(f"error: {err}")
        return EXIT_BAD_INPUT
    except OSError as err:
        name = f"{err.filename}: " if getattr(err, "filename", None) else ""
        _say(f"error: {name}{err.strerror or err}")
        return EXIT_BAD_INPUT


def launch(scenario: str | None = None, lang: str | None = None) -> int:
    """Open the desktop window (optionally with a scenario, in language ``lang``)."""
    try:
        from gui.app import run_app
    except ImportError as err:
        print(f"descent-lab: error: the desktop app cannot start: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run_app(scenario, lang=lang)


def main() -> None:
    """Console/GUI script entry point."""
    sys.exit(cli())


if __name__ == "__main__":
    main()
