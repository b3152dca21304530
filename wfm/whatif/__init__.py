"""What-if runs (``wfm whatif``): shocks to the plan, their impact on the published roster, and the cheapest
recovery with the levers a centre really pulls.

Pipeline for each scenario (the baseline is the scenario with no shocks and no levers):

1. **Shock the forecast** (:func:`apply_shocks`): volume x multiplier (or + added calls) and AHT x multiplier
   over a window, per queue or all, with a linear ramp-up before the window and a linear decay after it.
2. **Size it** with the centre's targets (:func:`wfm.staffing.staff`): ``required`` per interval is the
   number of rostered agents needed (the queues' ``scheduled``, summed), exactly as for a roster.
3. **Impact on the published roster as it stands** (:func:`assess_cover`): on-phone people per interval (on
   shift, not on a break) less the people named absent (:mod:`wfm.whatif.people`: round(share x n) of the n
   rostered each day, by a stable hash of person and date), capped by the seats left by a capacity cut.
   Service level, ASA and abandoned calls come from one model, the staff group's (queues pooled under its
   routing, Erlang A where queues have a patience, shrinkage applied), held to the agents' capacity where the
   calls offered exceed it (a fluid model of an overloaded queue with abandonment). An interval is **short**
   when its on-phone agents are below ``required``.
4. **Recovery** (:func:`recover`, each lever an ``add_<lever>`` function in :data:`LEVERS`): a linear programme
   (PuLP + HiGHS) in two stages: most calls answered within target (each short interval's late calls as a
   convex piecewise-linear function of the agents added, from the model above), then least cost keeping those
   agents. Levers:

   - ``back_office``: back-office people on the phones within daily hours (and days), each counting as
     ``1 / handle_time_factor`` of an agent, at most ``max_hours_per_day`` each;
   - ``rest_days``: recalled rest days, each a whole extra shift (a template of the lever's contract) for a
     person off that day who may give it up (rest hours, rest days per week, the month's floor, consecutive
     days);
   - ``overtime``: published shifts extended before the start or after the end, at most
     ``max_hours_per_day`` per person and day and ``max_hours_per_week`` per 7-day block, keeping rest hours;
   - ``agency``: up to ``max_agents`` extra agents at once within daily hours;
   - ``reoptimise``: re-roster the same agents (:func:`wfm.roster.roster`, whole cyclic weeks) for the
     shocked forecast and use the new shifts from ``from_day`` on, at ``cost_per_changed_shift`` per shift
     added or dropped; the levers then run on it, and the better of keeping and re-rostering wins (fewest
     agent-intervals short, then cost).

   Every lever person on the phones takes a seat: a capacity cut limits levers too. The solution is then
   given to people by name (:mod:`wfm.whatif.naming`: ``recovery.csv`` and ``roster_after.csv``, each rule
   checked per person), and every figure after recovery is recounted from them.
5. **Ratio** while back office is on the phones: :func:`wfm.ratio.move_to_phones` with the peak number of
   back-office people on the phones at once.

Deterministic: the same inputs give the same plan (HiGHS branch and bound is deterministic), however many worker processes
run the scenarios of a sweep.

Modules: ``scenario`` (the scenario file), ``shocks``, ``impact`` (the base every scenario shares and
:func:`assess_cover`), ``people`` (the roster per person, named absence, the per-person rules), ``levers``
(``add_<lever>`` and ``LEVERS``), ``recovery`` (:func:`recover`, :func:`reoptimise`), ``naming`` (the
recovery by name, :func:`wfm.whatif.naming.recount`), ``report`` (text, JSON, tables), ``inputs`` (:func:`load_inputs`: files or the
forecast and roster stages), ``run`` (:func:`run_scenario`, :func:`whatif`, sweeps).
"""

from __future__ import annotations

from wfm.roster.rows import ROSTER_COLUMNS
from wfm.whatif.impact import (
    Impact,
    WhatifBase,
    abandoned_calls,
    assess_cover,
    interval_index,
    make_plan,
    parse_roster,
    rostered,
    row_presence,
)
from wfm.whatif.inputs import (
    baseline_history,
    baseline_inputs,
    load_inputs,
    read_forecast,
    read_published_roster,
)
from wfm.whatif.levers import LABELS, LEVERS, Lever, RecoveryRows
from wfm.whatif.recovery import Recovery, changed_shifts, recover, reoptimise
from wfm.whatif.report import render, render_scenario, render_sweep
from wfm.whatif.run import (
    SWEEP_KEYS,
    ScenarioResult,
    WhatIfResult,
    parse_sweep,
    redeploy_ratio,
    run_scenario,
    select_scenarios,
    swept,
    whatif,
    write_recovery_dirs,
)
from wfm.whatif.scenario import Scenario, load_scenarios, parse_scenarios, parse_when
from wfm.whatif.shocks import Shocked, apply_shocks, shock_shape

__all__ = [
    "LABELS",
    "LEVERS",
    "ROSTER_COLUMNS",
    "SWEEP_KEYS",
    "Impact",
    "Lever",
    "Recovery",
    "RecoveryRows",
    "Scenario",
    "ScenarioResult",
    "Shocked",
    "WhatIfResult",
    "WhatifBase",
    "abandoned_calls",
    "apply_shocks",
    "assess_cover",
    "baseline_history",
    "baseline_inputs",
    "changed_shifts",
    "interval_index",
    "load_inputs",
    "load_scenarios",
    "make_plan",
    "rostered",
    "parse_roster",
    "parse_scenarios",
    "parse_sweep",
    "parse_when",
    "read_forecast",
    "read_published_roster",
    "recover",
    "redeploy_ratio",
    "render",
    "render_scenario",
    "render_sweep",
    "reoptimise",
    "row_presence",
    "run_scenario",
    "select_scenarios",
    "write_recovery_dirs",
    "shock_shape",
    "swept",
    "whatif",
]
