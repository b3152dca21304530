"""CLI runs the tests share: made once per test session, however many xdist workers ask for them (the
bundled example's plan takes half a minute; several test files read it)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = ROOT / "configs" / "example.toml"
EXAMPLE_HISTORY = ROOT / "forecasts" / "history.csv"
# the bundled example planned as tests need it: the config's settings but a 5% gap, which the solve reaches long
# before its time limit (a solve stopped by the clock could give another roster on a slower or busier machine)
EXAMPLE_PLAN_ARGS = ["plan", "--config", str(EXAMPLE_CONFIG), "--history", str(EXAMPLE_HISTORY), "--gap", "0.05"]


@dataclass(frozen=True)
class Invoked:
    """What a CLI run gave (the fields of typer's Result that tests read)."""

    exit_code: int
    stdout: str
    stderr: str


def invoke(args: Sequence[str]) -> Invoked:
    from wfm.cli import app

    res = CliRunner().invoke(app, [str(a) for a in args])
    return Invoked(res.exit_code, res.stdout, res.stderr)


def shared_run(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Invoked]) -> tuple[Invoked, Path]:
    """``make(folder)`` run once per test session, however many xdist workers ask (a file lock; the others wait
    and read its result); what it gave, and its folder. The folder is shared: a test that changes it copies it
    first (:func:`copy_of`)."""
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the session's, shared by its workers
    folder, done = root / f"shared-{name}", root / f"shared-{name}.json"
    with open(root / f"shared-{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            done.write_text(json.dumps(asdict(make(folder))))
    return Invoked(**json.loads(done.read_text())), folder


def copy_of(folder: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    """A private copy of a shared folder, for a test that changes it."""
    mine = factory.mktemp(name) / folder.name
    shutil.copytree(folder, mine, symlinks=True)
    return mine


