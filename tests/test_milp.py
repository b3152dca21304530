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
