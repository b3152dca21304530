"""Which wfm stage may import which: the import layers, as data.

A *stage* is a top-level module or package of wfm (`wfm.roster.model` belongs to stage `roster`). ``LAYERS`` lists
the stages lowest first; a stage may import any stage of a lower layer, and a stage of its own layer only when
the pair is in ``SAME_LAYER``. Data flows one way, so there are no cycles between stages.

tests/test_layers.py enforces this on every `wfm/**/*.py`; `make docs` renders it as the table in
docs/architecture.md, so the page and the test cannot disagree.
"""

from __future__ import annotations

LAYERS: list[list[str]] = [
    ["errors", "layers"],  # layers: this table, data only
    ["clock", "outputs", "io", "hours", "config", "run_folder", "parallel"],  # hours: [centre.open], the opening hours  # outputs: writing safely (sets, temps, out-over-input, exit 73/74)
    ["milp", "erlang", "erlang_bounded", "history"],  # erlang_bounded: Erlang A past the switch-over
    ["forecast", "routing"],  # routing: each queue's service when a staff group's agents serve its queues
    ["staffing"],
    ["roster"],
    ["horizon"],  # a roster against a forecast's dates (what-if and simulate): above roster, whose rows it reads
    ["ratio", "simulate"],  # both read roster.csv through the roster stage's one reader, so they sit above roster
    ["charts", "report"],  # report: plan.xlsx, report.html and the agents' calendars, from a run's frames
    ["whatif", "capacity", "outbound"],  # capacity: months ahead, on staffing and the MILP solver; outbound: campaigns beside the inbound roster
    ["plan"],
    ["review"],  # plan against actuals: reads a plan's run folder
    ["docs", "docs_images", "cli", "bench", "generate"],  # docs_images: the docs' screenshots (make docs-images)
]

# (importer, imported) pairs allowed inside one layer
SAME_LAYER: set[tuple[str, str]] = {
    ("config", "clock"),
    ("config", "io"),
    ("io", "clock"),
    ("io", "outputs"),
    ("run_folder", "outputs"),
    ("config", "hours"),
    ("hours", "clock"),
    ("erlang", "erlang_bounded"),
    ("docs", "cli"),
    ("bench", "generate"),
}


def layer_of(stage: str) -> int | None:
    """The layer number of ``stage``, or None when LAYERS does not place it."""
    for number, layer in enumerate(LAYERS):
        if stage in layer:
            return number
    return None


def allowed(importer: str, imported: str) -> bool:
    """May stage ``importer`` import stage ``imported``? Unknown stages are never allowed."""
    if importer == imported:
        return True
    a, b = layer_of(importer), layer_of(imported)
    if a is None or b is None:
        return False
    return b < a or (a == b and (importer, imported) in SAME_LAYER)
