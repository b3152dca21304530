"""A published week for the blend tests: the bundled example planned into a temporary runs folder (the
repository's forecasts/runs is `make demo`'s output, not part of it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wfm.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    res = CliRunner().invoke(app, ["plan", "--config", str(ROOT / "configs" / "example.toml"), "--history",
                                   str(ROOT / "forecasts" / "history.csv"), "--out", str(out), "--gap", "0.05",
                                   "--quiet"])
    assert res.exit_code == 0, res.stderr
    return out / "2026-11-30"
