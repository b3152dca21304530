"""Simulate: a discrete-event check of a roster (or of agents per interval) against a forecast, call by call.

Where the Erlang figures assume each interval is in steady state on its own, the simulation carries the queue
across intervals, shifts and breaks, routes calls between the queues a staff group serves (``fifo`` or a
``priority`` order), draws shrinkage, and repeats the horizon ``replications`` times, giving each figure with
a 95% confidence interval. docs/simulate.md describes the model; in short:

- arrivals: Poisson per queue with the interval's rate (volume / interval length), constant within an interval;
- service: exponential, or lognormal with a given CV, with the mean of the queue's AHT in the arrival interval;
- patience: exponential with the queue's ``patience_s`` (none: the caller never hangs up);
- agents: rostered (on shift, off break) less shrinkage (``fixed``: as the Erlang figures count it, or
  ``binomial``), or agents taking calls as given; a drop at an interval boundary ends no call in progress;
- one continuous timeline: the horizon's last day first as a warm-up, then the horizon, then its first day as a
  cool-down until every horizon call is answered or has abandoned; only horizon calls are counted, in the
  interval they arrive in;
- definitions as :mod:`wfm.erlang`: service level = answered within ``answer_within_s`` / offered (abandoned
  calls are misses), ASA = mean wait of answered calls, abandon rate = abandoned / offered.

The package, in the order data flows through it:

- :mod:`~wfm.simulate.inputs`: the forecast on the interval grid, agents per interval (roster.csv or an
  agents CSV), the priority order;
- :mod:`~wfm.simulate.calls`: one replication's calls (numpy Generator, vectorised);
- :mod:`~wfm.simulate.kernel`: the event loop (numba);
- :mod:`~wfm.simulate.engine`: replications of one staff group on plain arrays, shrinkage;
- :mod:`~wfm.simulate.stats`: means and confidence intervals;
- :mod:`~wfm.simulate.run`: :func:`simulate`, its result, files and printout.
"""

from __future__ import annotations

from wfm.simulate.engine import Counts, generators, on_phones, simulate_group
from wfm.simulate.inputs import (
    Demand,
    Supply,
    default_priority,
    demand,
    is_roster_file,
    priority_order,
    read_agents_per_interval,
    read_supply,
    supply_from_agents,
    supply_from_roster,
)
from wfm.simulate.run import (
    SimulationResult,
    check_simulation_out,
    progress_printer,
    render,
    simulate,
    simulate_files,
    write_simulation,
)

__all__ = [
    "Counts", "Demand", "SimulationResult", "Supply", "default_priority", "demand", "generators", "is_roster_file",
    "on_phones", "priority_order", "progress_printer", "read_agents_per_interval", "read_supply", "render",
    "simulate", "simulate_files", "simulate_group", "supply_from_agents", "supply_from_roster",
    "check_simulation_out", "write_simulation",
]
