"""The `wfm` command line's shell: the Typer app, the shared options, output and the error handling.

Each command parses options, loads inputs (wfm.io / wfm.config), calls the library function of the
same name, writes outputs atomically and prints a table (or JSON with --json). No arithmetic here.
Errors: library code raises WfmError subclasses; `wfm_command` turns them into `Error: <message>`
on stderr and the exit code the README documents. Anything else is a bug: one line and a hint to
rerun with --debug for the traceback.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer import Abort, BadParameter
from typer.core import TyperGroup

from wfm import __version__
from wfm.errors import WfmError

# Click's base of usage errors (typer vendors Click from 0.29 on and exports only BadParameter)
ClickException = next(c for c in BadParameter.__mro__ if c.__name__ == "ClickException")


class OneLineGroup(TyperGroup):
    """The app's command group: a usage error (bad option value, unknown option, missing argument) is one
    line, ``Error: --gap: 1.5 is not in [0, 0.99] (see 'wfm plan --help')``, exit 2, like every other error;
    Click's own three-line usage block is kept for ``--help``."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                sys.exit(exc.exit_code)
            typer.echo(f"Error: {one_line(usage_message(exc, argv))}", err=True)
            sys.exit(exc.exit_code)
        except Abort:
            typer.echo("Error: aborted", err=True)
            sys.exit(1)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # `wfm ... | head`: the reader left; not an error of ours
                sys.exit(1)
            raise
        sys.exit(rv if isinstance(rv, int) else 0)


def one_line(text: str) -> str:
    """``text`` as one printable line: control characters, line and paragraph separators (a cell holding
    ``\\x1e`` or ``\\u2028`` would split an error in two for any reader using Python's ``splitlines``) are
    written as escapes."""
    return "".join(ch if ch == " " or (ch.isprintable() and unicodedata.category(ch)[0] not in "CZ")
                   or unicodedata.category(ch) == "Zs" else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


_PHRASES = (  # typer's value messages, as wfm words them
    (r"^Input should be a valid number.*", "is not a number"),
    (r"^Input should be a valid integer.*", "is not a whole number"),
    (r"^Input should be a valid boolean.*", "is not true or false"),
    (r"^Input should be less than or equal to (.+)$", r"must be at most \1"),
    (r"^Input should be greater than or equal to (.+)$", r"must be at least \1"),
    (r"^Input should be less than (.+)$", r"must be less than \1"),
    (r"^Input should be greater than (.+)$", r"must be greater than \1"),
)


def usage_message(exc: ClickException, argv: Sequence[str]) -> str:
    """One line for a usage error: the option, the value given, what is wrong, and where help is."""
    ctx = getattr(exc, "ctx", None)
    where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    param = getattr(exc, "param", None)
    if not isinstance(exc, BadParameter) or param is None or type(exc).__name__ == "MissingParameter":
        return f"{exc.format_message().rstrip('.')}{where}"
    name = max(param.opts, key=len) if getattr(param, "opts", None) else param.name
    text = exc.message.strip().removeprefix("Value error, ").rstrip(".")
    for pattern, repl in _PHRASES:
        if re.match(pattern, text):
            text = re.sub(pattern, repl, text)
            break
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if text.startswith("must be") and low is not None and high is not None:
        text = f"is not in [{low:g}, {high:g}]"
    value = _given_value(argv, getattr(param, "opts", []) or [])
    if value is not None and text.startswith(f"{value!r} "):  # "'foo' is not one of ..." names it already
        text = text[len(repr(value)) + 1:]
    shown = f"{value} " if value is not None else ""
    return f"{name}: {shown}{text}{where}"


def _given_value(argv: Sequence[str], opts: Sequence[str]) -> str | None:
    """The value typed after an option (``--gap 1.5`` or ``--gap=1.5``); the last one wins, as in Click."""
    found = None
    for i, arg in enumerate(argv):
        for opt in opts:
            if arg == opt and i + 1 < len(argv):
                found = argv[i + 1]
            elif arg.startswith(opt + "=") and opt.startswith("--"):
                found = arg[len(opt) + 1:]
    return found


app = typer.Typer(
    cls=OneLineGroup,
    name="wfm",
    help="Workforce planning for contact centres: forecast, staff (Erlang C/A), roster (MILP), ratio, what-if.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INTERNAL = 70

# --------------------------------------------------------------------------- shared options
ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="Centre config (TOML).")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write the result here (atomically).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable JSON result on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success (for cron).")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (results are deterministic for a seed).", min=0)]
WorkersOpt = Annotated[int, typer.Option(
    help="Run the independent jobs on a local Dask cluster of this many processes (same results as 1).", min=1)]
ClusterOpt = Annotated[str | None, typer.Option(
    help="Where the jobs run: 'local' (a local Dask cluster of --workers processes) or a Dask scheduler's address, "
         "tcp://host:8786 (default: $DASK_SCHEDULER_ADDRESS, else local when --workers > 1).")]


def jobs_progress(label: str, quiet: bool = False):
    """``progress(done, total)`` printing ``label: done/total`` on one line at a terminal (stderr), else None."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{label}: {done}/{total} done" + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show

_state: dict[str, Any] = {"debug": bool(os.environ.get("WFM_DEBUG"))}

F = TypeVar("F", bound=Callable[..., Any])


def wfm_command(fn: F) -> F:
    """Run a command body, mapping WfmError to `Error: ...` + its exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                if not _state["debug"]:  # numpy's "invalid value in divide" with a source path is no help to
                    warnings.simplefilter("ignore", RuntimeWarning)  # a planner; --debug shows them
                return fn(*args, **kwargs)
        except WfmError as exc:
            typer.echo(f"Error: {one_line(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            typer.echo("Error: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug, not a user error
            if _state["debug"] or type(exc).__module__.split(".")[0] in ("typer", "click"):
                raise
            typer.echo(
                one_line(f"Error: internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback"),
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def emit(text: str = "", *, quiet: bool = False) -> None:
    """Print a line to stdout unless quiet."""
    if not quiet:
        typer.echo(text)


def log(text: str, *, quiet: bool = False) -> None:
    """Progress and notes go to stderr so stdout stays clean for --json."""
    if not quiet:
        typer.echo(text, err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wfm {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Workforce planning for contact centres."""
    _state["debug"] = debug or bool(os.environ.get("WFM_DEBUG"))


# =========================================================================== commands
# Each command lives in its own section below, in pipeline order:
# forecast, staff, roster, ratio, whatif, simulate, plan.


# --------------------------------------------------------------------------- forecast
