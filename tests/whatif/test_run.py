"""wfm.whatif.run: ratio while redeployed, whole runs and sweeps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wfm import ratio
from wfm import whatif as W
from wfm.errors import InputError
from wfm.whatif.scenario import parse_scenarios
from whatif.small import (
    SURGE,
    plan,
    run,
    small_config,
    small_forecast,
    small_roster,
)


# --------------------------------------------------------------------------- ratio while redeployed
def test_ratio_during_redeploy_matches_ratio_on_changed_headcounts():
    res = run({**SURGE, "levers": {"back_office": {"people": 3}}})
    moved = res.recovery.back_office_peak
    assert moved == 3
    expected = ratio.ratio(
        ratio.RatioParts(front_line=7 + moved, back_office=4 - moved, centre_headcount=11, management_layers=None)
    )
    got = res.ratio
    assert got.front_line == 10 and got.back_office == 1
    assert got.ratio == expected.ratio and got.status == expected.status
    assert got.back_office_share == pytest.approx(expected.back_office_share)
    assert got.moved_to_phones == 3


# --------------------------------------------------------------------------- whole runs and sweeps
def test_whatif_runs_baseline_and_scenarios_in_order():
    scen = parse_scenarios({"scenario": [{"name": "a", **SURGE}, {"name": "b"}]})
    out = W.whatif(small_config(), scen, small_forecast(), small_roster(), gap=0.0)
    assert out.baseline.name == "baseline" and [s.name for s in out.scenarios] == ["a", "b"]
    comp = out.comparison()
    assert comp["scenario"].tolist() == ["baseline", "a", "a", "b", "b"]
    assert comp["phase"].tolist() == ["", "as published", "after recovery", "as published", "after recovery"]
    assert out.exit_code == 1  # "a" has no levers: still short
    assert out.plan_start == "2026-03-02 00:00" and out.plan_end == "2026-03-04 00:00"


def test_parse_sweep():
    assert W.parse_sweep("volume=1.0:3.0:0.25") == ("volume", [1.0 + 0.25 * i for i in range(9)])
    assert W.parse_sweep("absence=0.1,0.3") == ("absence", [0.1, 0.3])
    for bad, msg in [("volume", "KEY=START:STOP:STEP"), ("speed=1:2:1", "unknown key 'speed'"),
                     ("volume=3:1:0.5", "START <= STOP"), ("absence=0.5:1.5:0.5", "absence=1 is out of range")]:
        with pytest.raises(InputError, match=msg):
            W.parse_sweep(bad)


def test_sweep_same_results_with_any_number_of_workers():
    scen = parse_scenarios({"scenario": [{"name": "surge", **SURGE, "levers": {"overtime": {}, "agency": {"max_agents": 3}}}]})
    one = W.whatif(small_config(), scen, small_forecast(), small_roster(), sweep="volume=1:3:0.5", workers=1)
    two = W.whatif(small_config(), scen, small_forecast(), small_roster(), sweep="volume=1:3:0.5", workers=2)
    assert one.to_dict() == two.to_dict()
    table = one.sweep_table()
    assert table["volume"].tolist() == [1.0, 1.5, 2.0, 2.5, 3.0]
    sl = table["service_level_before"].to_numpy()
    assert (np.diff(sl) <= 1e-12).all() and (np.diff(table["cost"].to_numpy()) >= -1e-3).all()
    assert math.isclose(sl[0], one.baseline.before.service_level)
    no_shock = W.run_scenario(plan(), scen[0].model_copy(update={"volume": []}))
    assert table["cost"].iloc[0] == pytest.approx(no_shock.recovery.cost)
