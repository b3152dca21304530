from __future__ import annotations

from pathlib import Path

import pytest
from plans import EXAMPLE_PLAN_ARGS, Invoked, invoke, shared_run
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = ROOT / "configs" / "example.toml"


@pytest.fixture(scope="session")
def example_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Invoked, Path]:
    """``wfm plan`` of the bundled example (:data:`EXAMPLE_PLAN_ARGS`) into a runs folder, made once per session
    and shared by every xdist worker: what it printed, and the runs folder (read it; copy it to change it)."""
    res, folder = shared_run(tmp_path_factory, "example-plan",
                             lambda folder: invoke([*EXAMPLE_PLAN_ARGS, "--out", folder / "runs"]))
    return res, folder / "runs"


@pytest.fixture(scope="session")
def week():
    """The realistic small week of tests/roster_cases.py, sized and solved once (tests/test_roster.py and
    tests/roster/ read it; none changes it)."""
    from roster_cases import config, hourly_forecast

    from wfm.roster import roster
    from wfm.staffing import staff

    cfg = config()
    st = staff(hourly_forecast(), cfg)
    return cfg, st, roster(st, cfg)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_config() -> Path:
    return EXAMPLE_CONFIG
