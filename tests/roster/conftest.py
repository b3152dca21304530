"""Fixtures of the roster tests: the realistic small week, solved once."""

from __future__ import annotations

import pytest
from roster_cases import config, hourly_forecast

from wfm.roster import roster
from wfm.staffing import staff


@pytest.fixture(scope="session")
def week():
    cfg = config()
    st = staff(hourly_forecast(), cfg)
    return cfg, st, roster(st, cfg)
