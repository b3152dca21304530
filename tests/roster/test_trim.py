"""The start's trim (wfm.roster.trim): the agents the period targets do not need are removed, and no more.

On a two-queue centre judged per day: a start given one full-timer too many is trimmed back to no more than
the start's cost, every period target on the MILP's own curves and max_share kept; and the trimmed start is a
local optimum of its own moves (trimming it again removes nothing; every single removal tried from the
outside breaks a rule or does not pay)."""

from __future__ import annotations

import importlib

import numpy as np
import pulp
from test_period import two_queue_centre

from wfm.roster import check_roster_config, horizon_requirement
from wfm.roster.coverage import period_curves
from wfm.roster.model import build_model
from wfm.roster.trim import _Judge, _removals, trim_tours

solve_module = importlib.import_module("wfm.roster.solve")


def _start(monkeypatch, trim: bool):
    cfg, st = two_queue_centre("objective")
    _, idx, required, horizon = horizon_requirement(st, cfg, None, 1)
    m = build_model(required, idx, cfg, check_roster_config(cfg), 1, False, None, None,
                    period_curves(horizon, cfg, idx))
    m.prob.solve(pulp.HiGHS(msg=False, mip=False))  # the LP relaxation, as the solver starts from it
    for var in m.prob.variables():
        var.varValue = var.varValue or 0.0
    if not trim:
        monkeypatch.setattr(solve_module, "trim_tours", lambda m, counts: None)
    assert solve_module.period_start(m, 30.0, 0.02) is not None
    monkeypatch.undo()
    counts = {name: {k: solve_module._int(v) for k, v in getattr(m, name).items()} for name in ("w", "x", "z", "y")}
    return m, counts


def _objective(m, counts):
    rostered = solve_module.rostered_from_counts(m, {"x": counts["x"], "y": counts["y"]}).astype(np.int64)
    paid = sum(m.tours[k[0]].cost * n for k, n in counts["w"].items())
    return paid + m.config.roster.under_penalty * np.maximum(m.required - rostered, 0).sum(), rostered


def _padded(m, counts, rostered):
    """The start with one more agent of its most used full-time tour type (the same shifts and breaks as one
    already there): an agent the targets certainly do not need."""
    key = max((k for k, n in counts["w"].items() if n > 0 and m.tours[k[0]].contract == "full_time"),
              key=lambda k: (counts["w"][k], k))
    _, changes = _removals(m, (key,), counts, rostered)
    padded = {name: dict(v) for name, v in counts.items()}
    padded["w"][key] += 1
    for name, k in changes:
        padded[name][k] += 1
    return padded


def test_trim_removes_an_agent_too_many_and_keeps_every_target(monkeypatch):
    m, start = _start(monkeypatch, trim=False)
    cost, rostered = _objective(m, start)
    padded = _padded(m, start, rostered)
    assert _objective(m, padded)[0] > cost
    trimmed = trim_tours(m, padded)
    assert trimmed is not None and sum(trimmed["w"].values()) <= sum(start["w"].values())
    after, rostered = _objective(m, trimmed)
    assert after <= cost + 1e-9
    judge = _Judge(m)
    assert judge.ok(rostered, None)  # every period target on the MILP's own curves
    assert judge.share_broken(trimmed["w"], []) is None
    for name in ("w", "x", "z", "y"):
        assert min(trimmed[name].values(), default=0) >= 0


def test_trimmed_start_is_a_local_optimum_of_its_moves(monkeypatch):
    m, start = _start(monkeypatch, trim=True)
    _, rostered = _objective(m, start)
    judge = _Judge(m)
    assert judge.ok(rostered, None) and judge.share_broken(start["w"], []) is None
    assert trim_tours(m, start) is None
    for key, n in start["w"].items():
        if n <= 0 or judge.share_broken(start["w"], [key]):
            continue
        move = _removals(m, (key,), start, rostered)
        if move is not None and judge.ok(rostered - move[0], None):
            saved = m.tours[key[0]].cost - judge.penalty_change(rostered, rostered - move[0],
                                                               np.arange(len(rostered)))
            assert saved <= 1e-9
