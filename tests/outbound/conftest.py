"""A published week for the blend tests: the session's plan of the bundled example (tests/plans.py), copied
into a temporary runs folder (the repository's forecasts/runs is `make demo`'s output, not part of it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from plans import copy_of


@pytest.fixture(scope="session")
def run_folder(example_plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    res, runs = example_plan
    assert res.exit_code == 0, res.stderr
    return copy_of(runs, tmp_path_factory, "outbound") / "2026-11-30"
