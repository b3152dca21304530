"""`make bench`: speed and memory figures, printed, never asserted in unit tests.

Each stage has a module here exposing ``run() -> None`` that prints its figures; `python -m wfm.bench`
runs them in pipeline order (or only those named: `python -m wfm.bench erlang roster`).
"""

STAGES = ["erlang", "forecast", "roster", "suggest", "whatif", "simulate", "plan", "review", "capacity", "outbound", "parallel", "grid"]
