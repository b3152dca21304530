"""The `wfm` command line's shell: the Typer app, the shared options, output and the error handling.

Each command parses options, loads inputs (wfm.io / wfm.config), calls the library function of the
same name, writes outputs atomically and prints a table (or JSON with --json). No arithmetic here.
Errors: library code raises WfmError subclasses; `wfm_command` turns them into `Error: <message>`
on stderr and the exit code the README documents. Anything else is a bug: one line and a hint to
rerun with --debug for the traceback.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from wfm import __version__
from wfm.errors import WfmError

app = typer.Typer(
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
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (results are deterministic for a seed).")]

_state: dict[str, Any] = {"debug": bool(os.environ.get("WFM_DEBUG"))}

F = TypeVar("F", bound=Callable[..., Any])


def wfm_command(fn: F) -> F:
    """Run a command body, mapping WfmError to `Error: ...` + its exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WfmError as exc:
            typer.echo(f"Error: {exc}", err=True)
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
                f"Error: internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback",
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
