"""wfm.milp: the one HiGHS wrapper."""

from __future__ import annotations

import gc
import weakref

import pulp

from wfm.milp import solve_highs


def test_a_solved_problem_is_freed():
    # HiGHS keeps its callback where the garbage collector cannot see it; a path from that callback back to the
    # problem (through the start callable) kept every solved model alive (`--suggest-shifts` grew 100 MB a solve)
    prob = pulp.LpProblem("p", pulp.LpMinimize)
    x = prob.add_variable("x", lowBound=0, cat=pulp.LpInteger)
    prob += x
    prob += x >= 1.5
    res = solve_highs(prob, time_limit_s=10, gap=0.0, lp_first=True,
                      start_from_lp=lambda held=prob: {"x": 2.0} if held.status is not None else None)
    assert res.has_solution and res.objective == 2.0 and res.lower_bound == 2.0
    freed = weakref.ref(prob)
    del prob, x
    gc.collect()
    assert freed() is None


def _tiny() -> pulp.LpProblem:
    prob = pulp.LpProblem("p", pulp.LpMinimize)
    x = prob.add_variable("x", lowBound=0, cat=pulp.LpInteger)
    prob += 3 * x
    prob += x >= 2.5
    return prob


def test_a_solve_reports_to_the_ambient_progress_with_its_stage_and_its_own_progress_wins():
    from wfm import milp

    seen: list[dict] = []
    own: list[dict] = []
    with milp.reporting(seen.append):
        with milp.stage("storm: recovery"):
            solve_highs(_tiny(), time_limit_s=10, gap=0.0)
        solve_highs(_tiny(), time_limit_s=10, gap=0.0)
        solve_highs(_tiny(), time_limit_s=10, gap=0.0, progress=own.append)
    solve_highs(_tiny(), time_limit_s=10, gap=0.0)  # outside: nobody hears
    staged = [p for p in seen if "stage" in p]
    assert staged and {p["stage"] for p in staged} == {"storm: recovery"}
    assert staged[-1]["incumbent"] == 9.0  # the final report: 3 x ceil(2.5)
    assert [p for p in seen if "stage" not in p][-1]["incumbent"] == 9.0
    assert own and own[-1]["incumbent"] == 9.0
    assert all("stage" not in p for p in own)


def test_a_scenario_reports_its_recovery_solves_by_name():
    from whatif.small import SURGE, run

    from wfm import milp

    seen: list[dict] = []
    with milp.reporting(seen.append):
        run({**SURGE, "levers": {"overtime": {}}})
    assert {p.get("stage") for p in seen} == {"s: recovery"}


def _two_integers() -> tuple[pulp.LpProblem, pulp.LpVariable, pulp.LpVariable]:
    """min x + y, x + y >= 2.5, x and y whole: LP bound 2.5, optimum 3."""
    prob = pulp.LpProblem("p", pulp.LpMinimize)
    x = prob.add_variable("x", lowBound=0, cat=pulp.LpInteger)
    y = prob.add_variable("y", lowBound=0, cat=pulp.LpInteger)
    prob += x + y
    prob += x + y >= 2.5
    return prob, x, y


def test_a_start_within_the_gap_of_the_lp_bound_is_the_result_with_that_bound_on_every_run():
    # min x + y, x + y >= 2.5, integers: LP bound 2.5, optimum 3. The start x=3, y=1 (cost 4) is within 50% of
    # the bound, so it is the result, with the LP bound: HiGHS's few milliseconds to hand it back (in which it
    # may or may not find 3, or raise its bound, by the machine's speed) change nothing
    for _ in range(5):
        prob, x, y = _two_integers()
        res = solve_highs(prob, time_limit_s=10, gap=0.5, lp_first=True, start_from_lp=lambda: {"x": 3.0, "y": 1.0})
        assert (res.status, res.objective, res.lower_bound) == ("Optimal", 4.0, 2.5)
        assert (x.value(), y.value()) == (3.0, 1.0) and res.gap == 0.375


def test_a_start_within_the_gap_that_breaks_a_constraint_is_never_the_result():
    # the start x=1, y=1 costs 2, under the LP bound 2.5 (so "within the gap"), but breaks x + y >= 2.5: HiGHS's
    # own answer stands (the optimum 3 when it finds it in its few milliseconds), never the start
    prob, x, y = _two_integers()
    res = solve_highs(prob, time_limit_s=10, gap=0.5, lp_first=True, start_from_lp=lambda: {"x": 1.0, "y": 1.0})
    assert (x.value(), y.value()) != (1.0, 1.0)
    assert not res.has_solution or (res.objective == 3.0 and x.value() + y.value() == 3.0)
