"""Typed errors. Library stages raise these; the CLI turns them into one line and an exit code.

Exit codes (documented in the README):
    0 ok; 1 ran, but a target is breached (a result, not an error, so no exception);
    2 bad input, config or usage; 3 no feasible plan or solver failure;
    73 an output cannot be created (sysexits EX_CANTCREAT: permission, read-only file system);
    74 writing an output failed (EX_IOERR: no space left on the device, quota, I/O error), the previous file intact;
    75 run locked by another run.
"""

from __future__ import annotations


class WfmError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is what the CLI exits with."""

    exit_code: int = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(WfmError):
    """A data file is missing, malformed or holds impossible values (names file, row, field)."""

    exit_code = 2


class ConfigError(WfmError):
    """A config or scenario file is malformed or contradicts itself."""

    exit_code = 2


class InsufficientHistory(InputError):
    """Too little history to fit or backtest what was asked."""

    exit_code = 2


class InfeasibleRoster(WfmError):
    """No roster satisfies the hard rules (or the solver failed to return any plan)."""

    exit_code = 3


class RunLocked(WfmError):
    """Another run holds the lock on the output folder."""

    exit_code = 75


class OutputError(WfmError):
    """An output cannot be created (73, sysexits ``EX_CANTCREAT``) or writing it failed part-way (74,
    ``EX_IOERR``: no space left, quota, I/O error). The message names the file; the previous one is intact."""

    EX_CANTCREAT = 73
    EX_IOERR = 74
    exit_code = EX_IOERR

    def __init__(self, message: str, exit_code: int = EX_IOERR):
        super().__init__(message)
        self.exit_code = exit_code
