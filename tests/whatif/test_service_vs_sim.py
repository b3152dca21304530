"""The what-if's service figures (assess_cover) against the discrete-event simulator in overload, and the
abandoned calls from the same pooled routing model as the service level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import routing
from wfm.config import parse_config
from wfm.simulate import simulate
from wfm.staffing import group_load, pool_queues, staff
from wfm.whatif import abandoned_calls, assess_cover, make_plan

CONFIG = {
    "centre": {"name": "Overload", "interval_minutes": 15, "front_line_headcount": 60},
    "queues": [
        {"name": "retail", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.0, "patience_s": 180,
         "aht_s": 300},
        {"name": "business", "service_level": 0.9, "answer_within_s": 15, "shrinkage": 0.0, "patience_s": 240,
         "aht_s": 420},
    ],
    "staff_groups": [{"name": "front_line", "routing": "objective", "objectives": {"retail": 20.0, "business": 5.0}}],
    "contracts": [{"name": "full_time", "days_per_week": 5, "paid_hours_per_week": [40, 40]}],
    "shifts": [{"name": "day", "contracts": ["full_time"], "start": ["08:00", "08:00"], "length_minutes": 480,
                "breaks": []}],
    "back_office": {"roles": [{"role": "planning", "headcount": 1}]},
}
HOURS = 6
VOLUME = {"retail": 150.0, "business": 50.0}  # per 15 minutes: 73 erlangs offered


def overload_case(agents: int):
    config = parse_config(CONFIG, source="overload.toml")
    ts = pd.date_range("2026-03-02 08:00", periods=4 * HOURS, freq="15min")
    forecast = pd.DataFrame([{"timestamp": t, "queue": q, "volume": v, "aht": float(config.queue(q).aht_s)}
                             for t in ts for q, v in VOLUME.items()])
    roster = pd.DataFrame({"agent_id": ["A1"], "contract": ["full_time"], "date": ["2026-03-02"],
                           "start": ["08:00"], "end": ["14:00"], "shift": ["day"], "breaks": [""]})
    plan = make_plan(config, forecast, roster)
    staffing = staff(forecast, config, 15)
    rostered = np.full(len(ts), float(agents))
    impact = assess_cover(staffing, rostered, np.zeros(len(ts)), plan)
    sim = simulate(config, forecast, agents=pd.DataFrame({"timestamp": ts, "agents": agents}), replications=40,
                   seed=7)
    return plan, staffing, impact, sim


@pytest.mark.parametrize("agents", [56, 64])  # 73 erlangs offered: 1.30 and 1.14 times the agents
def test_service_level_and_abandoned_calls_agree_with_the_simulator_in_overload(agents):
    """Objective routing, overloaded for six hours. Measured (40 replications): wfm 18.4% / 43.8% service level
    (56 / 64 agents), the simulator 16.2% / 41.6%, the routing model alone 30.1% / 52.3%; abandoned calls 1,223
    / 673 against 1,227 / 721. Asserted: service level within 3 points overall (2.2 measured; the gap is
    business, the queue with the short objective: 36% against 27% at 56 agents) and retail's within 2,
    abandoned calls within 8%."""
    plan, staffing, impact, sim = overload_case(agents)
    q = sim.queues.set_index("queue")
    sim_sl = float((q["service_level"] * q["offered"]).sum() / q["offered"].sum())
    assert impact.service_level == pytest.approx(sim_sl, abs=0.03)
    assert impact.abandoned == pytest.approx(float(q["abandoned"].sum()), rel=0.08)
    bq = impact.by_queue.set_index("queue")
    assert bq.loc["retail", "service_level"] == pytest.approx(q.loc["retail", "service_level"], abs=0.02)
    pool = pool_queues(staffing, plan.config, None, timestamps=plan.timestamps, interval_minutes=15)
    load = group_load(pool, plan.config)
    alone = routing.group_metrics(load, np.full(len(plan.timestamps), float(agents)))
    assert (load.volume * alone.service_level).sum() / load.volume.sum() > sim_sl + 0.08  # what was corrected


def test_abandoned_calls_come_from_the_pooled_routing_model():
    """Away from overload (80 agents for 73 erlangs) the abandoned calls are the group's routing model's
    per-queue abandonment (wfm.routing.group_metrics with the agents the queues share) times their calls,
    not a fixed split of the agents between the queues; a queue without patience is n/a (NaN) per queue."""
    plan, staffing, impact, _ = overload_case(80)
    pool = pool_queues(staffing, plan.config, None, timestamps=plan.timestamps, interval_minutes=15)
    load = group_load(pool, plan.config)
    m = routing.group_metrics(load, np.full(len(plan.timestamps), 80.0))
    expected = (load.volume * m.abandon_rate).sum(axis=0)
    ab, calls = abandoned_calls(staffing, np.full(len(plan.timestamps), 80.0), plan)
    assert np.allclose(ab, expected) and np.allclose(calls, 200.0)
    assert np.allclose(impact.intervals["abandoned"], expected)
    assert impact.intervals["service_level"].to_numpy() == pytest.approx((load.volume * m.service_level).sum(0) / 200)
    cfg = plan.config.model_copy(update={"queues": [plan.config.queues[0],
                                                    plan.config.queues[1].model_copy(update={"patience_s": None})]})
    plan2 = make_plan(cfg, plan.forecast, plan.roster)
    imp2 = assess_cover(staff(plan.forecast, cfg, 15), np.full(len(plan.timestamps), 80.0),
                        np.zeros(len(plan.timestamps)), plan2)
    bq = imp2.by_queue.set_index("queue")
    assert np.isnan(bq.loc["business", "abandoned"]) and bq.loc["retail", "abandoned"] > 0
    assert imp2.abandoned == pytest.approx(bq.loc["retail", "abandoned"])
