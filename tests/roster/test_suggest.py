"""wfm.roster.suggest (`wfm roster --suggest-shifts`): candidate shift changes solved and ranked by saving.

The hand case: a centre needing 3 agents 10:00-14:00 every day of the week, one contract of 3-5 days and 12-40
paid hours, and only an 8-hour shift (no breaks). Each day needs 3 shifts covering 10:00-14:00, so the best
roster is 3 x 7 = 21 shifts of 8 h: 168 paid hours, 84 of them over the requirement. A 4-hour shift starting
10:00 (3-5 days of it give 12-20 h, inside the contract) covers the same with 21 x 4 = 84 h: it saves exactly
84 h. A 7-hour shift saves 21 x 1 = 21 h; a 9-hour one costs 21 h more; wider start windows save nothing.
Every solve is to optimality (gap 0), so the figures are exact.
"""

from __future__ import annotations

import copy
import json
import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from bad_input import one_line_exit_2
from roster_cases import hours_needed, requirement_staffing

from wfm.cli import app
from wfm.config import load_config, parse_config
from wfm.errors import InputError
from wfm.io import atomic_write_csv
from wfm.roster import check_roster_config, roster, tour_types
from wfm.roster.suggest import (
    MAX_SUGGESTIONS,
    _judge,
    _longer,
    _shorter,
    candidates,
    fixes,
    over_by_template,
    suggest_shifts,
)

FLEX_TOML = """\
[centre]
name = "Flex"
interval_minutes = 60

[[queues]]
name = "q"
service_level = 0.8
answer_within_s = 20
shrinkage = 0.0
aht_s = 300

[[contracts]]
name = "flex"
days_per_week = [3, 5]
paid_hours_per_week = [12, 40]

[[shifts]]
name = "day"
contracts = ["flex"]
start = ["08:00", "10:00"]
start_step_minutes = 60
length_minutes = 480

[roster]
time_limit_s = 30
gap = 0.0
start_band_minutes = 60
"""

SHIFTS = 3 * 7  # 3 agents 10:00-14:00, 7 days
EXAMPLE = Path(__file__).resolve().parents[2] / "configs" / "example.toml"


def flex_staffing():
    return requirement_staffing(hours_needed(*[(day, 10, 14, 3) for day in range(7)]))


@pytest.fixture(scope="module")
def flex():
    cfg = parse_config(tomllib.loads(FLEX_TOML), source="flex.toml")
    return cfg, suggest_shifts(flex_staffing(), cfg, suggestions=MAX_SUGGESTIONS)


def by_key(found):
    return {s.candidate.key: s for s in found.suggestions}


def test_a_four_hour_template_saves_the_hours_known_by_hand(flex):
    _, found = flex
    assert found.baseline.paid_hours == SHIFTS * 8 == 168
    best = found.suggestions[0]
    assert best is found.best
    assert best.candidate.key == "flex_4h:new"
    assert best.roster.paid_hours == SHIFTS * 4
    assert best.saved_hours == SHIFTS * (8 - 4) == 84
    assert best.saved_share == pytest.approx(0.5)
    assert best.cost_saved == pytest.approx(84.0)
    assert best.verdict == "saves"  # 84 h below the baseline's lower bound of 168
    assert found.baseline.lower_bound == pytest.approx(168.0)


def test_every_candidate_is_ranked_by_its_solved_saving(flex):
    _, found = flex
    got = {k: (s.saved_hours, s.verdict) for k, s in by_key(found).items()}
    assert got == {
        "flex_4h:new": (84.0, "saves"),
        "day:shorter": (SHIFTS * 1.0, "saves"),
        "day:earlier": (0.0, "no saving"),
        "day:later": (0.0, "no saving"),
        "day:longer": (-SHIFTS * 1.0, "costs more"),
    }
    # what each plan takes of its change: every 4-hour shift starts 10:00; no shift can start after 10:00 and
    # still cover 10:00-14:00 with the fewest shifts, so the later window goes unused
    uses = {k: s.uses for k, s in by_key(found).items()}
    assert uses["flex_4h:new"] == {"template": "flex_4h", "shifts": SHIFTS, "first": "10:00", "last": "10:00"}
    assert uses["day:later"]["shifts"] == 0 and uses["day:shorter"]["shifts"] == SHIFTS
    saved = [s.objective_saved for s in found.suggestions]
    assert saved == sorted(saved, reverse=True)
    assert found.candidates == 5


def test_the_pasted_toml_parses_and_reproduces_each_candidate(flex):
    cfg, found = flex
    data = tomllib.loads(FLEX_TOML)
    for s in found.suggestions:
        pasted = tomllib.loads(s.candidate.paste())
        changed = copy.deepcopy(data)
        for table, items in pasted.items():
            for item in items:
                names = [x["name"] for x in changed[table]]
                if item["name"] in names:
                    changed[table][names.index(item["name"])] = item
                else:
                    changed[table].append(item)
        again = roster(flex_staffing(), parse_config(changed, source="pasted.toml"))
        assert again.paid_hours == s.roster.paid_hours, s.candidate.key
        assert again.objective == pytest.approx(s.roster.objective)


def test_the_fixes_are_the_hours_whose_over_coverage_drops(flex):
    _, found = flex
    best = found.suggestions[0]
    before, after = found.over_by_hour, best.over_by_hour
    assert before.sum() == pytest.approx(SHIFTS * 4)  # every 8-hour shift is 4 h over
    assert after.sum() == pytest.approx(0.0)
    assert found.required_by_hour[10:14].tolist() == [SHIFTS] * 4
    assert best.fixes  # the 4-hour shifts leave no hour over
    for f in best.fixes:
        h0 = int(f["from"][:2])
        hours = [(h0 + i) % 24 for i in range((int(f["to"][:2]) - h0) % 24 or 24)]
        assert f["over_before"] == pytest.approx(before[hours].sum()) and f["over_before"] > 0
        assert f["over_after"] == 0.0
    drops = before - after
    named = sum(((int(f["to"][:2]) - int(f["from"][:2])) % 24 or 24) for f in best.fixes)
    assert named == 3 and min(f["over_before"] for f in best.fixes) >= np.sort(drops)[-3]


def test_fixes_join_adjacent_hours_across_midnight():
    before = np.zeros(24)
    after = np.zeros(24)
    before[[23, 0, 5, 12]] = [10.0, 8.0, 6.0, 1.0]
    required = np.full(24, 20.0)
    got = fixes(before, after, required)
    assert got == [
        {"from": "23:00", "to": "01:00", "over_before": 18.0, "over_after": 0.0, "required": 40.0},
        {"from": "05:00", "to": "06:00", "over_before": 6.0, "over_after": 0.0, "required": 20.0},
    ]
    assert fixes(before, before, required) == []  # nothing drops, nothing named


def test_the_verdict_compares_with_the_bounds(flex):
    _, found = flex
    r = found.baseline
    base = replace(r, objective=100.0, lower_bound=95.0)
    cand = found.suggestions[0].candidate
    cases = [
        (replace(r, objective=97.0, lower_bound=90.0), "within solver tolerance"),  # 3 saved < 5 open
        (replace(r, objective=94.0, lower_bound=90.0), "saves"),  # below every baseline roster
        (replace(r, objective=103.0, lower_bound=98.0), "within solver tolerance"),
        (replace(r, objective=105.0, lower_bound=101.0), "costs more"),
    ]
    for plan, verdict in cases:
        judged = _judge(base, cand, plan, found.over_by_hour, found.required_by_hour)
        assert judged.verdict == verdict
        assert judged.objective_saved == pytest.approx(100.0 - plan.objective)


@pytest.mark.parametrize("n", [0, MAX_SUGGESTIONS + 1, -1])
def test_the_count_is_bounded(flex, n):
    cfg, _ = flex
    with pytest.raises(InputError, match=f"--suggestions must be 1 to {MAX_SUGGESTIONS}, got {n}"):
        suggest_shifts(flex_staffing(), cfg, suggestions=n)


def test_the_example_candidates_keep_the_contracts_whole():
    cfg = load_config(EXAMPLE)
    found = candidates(cfg, np.ones(24), {"day": 30.0, "night": 20.0, "part": 10.0})
    keys = [c.key for c in found]
    assert len(found) == MAX_SUGGESTIONS == len(set(keys))
    # full-time is 5 x 8 h = 40 h: 7 or 9 paid hours never add up, so day and night keep their length ...
    assert not {"day:shorter", "day:longer", "night:shorter", "night:longer"} & set(keys)
    # ... and the part-time 5-hour shift may become 4 h (16 or 20 h a week) or 6 h (18 or 24 h): 13 candidates
    assert "part:shorter" in keys
    longer = _longer(cfg, 2, cfg.shifts[2])
    assert longer.key == "part:longer" and longer.config.shifts[2].length_minutes == 360
    assert _longer(cfg, 0, cfg.shifts[0]) is None and _shorter(cfg, 1, cfg.shifts[1]) is None
    # tried by kind, then the template on site for the most over-coverage first; the 13th (part:longer) left out
    assert keys == ["part_time_4h:new", "day:compressed", "night:compressed", "day:later", "part:later",
                    "part:shorter", "day:earlier", "night:earlier", "part:earlier", "night:step", "part:step",
                    "night:after_midnight"]
    assert [c.over for c in found[:4]] == [60.0, 30.0, 20.0, 30.0]
    for c in found:
        shifts = check_roster_config(c.config)
        assert {t.contract for t in tour_types(c.config, shifts)} == {"full_time", "part_time"}


def test_over_coverage_is_shared_among_the_templates_on_the_phones(flex):
    cfg, found = flex
    assert over_by_template(found.baseline, cfg) == {"day": pytest.approx(SHIFTS * 4)}
    best = found.suggestions[0]
    assert sum(over_by_template(best.roster, best.candidate.config).values()) == pytest.approx(0.0)


def test_a_compressed_week_pairs_the_template_with_the_contract_change():
    cfg = load_config(EXAMPLE)
    c = next(c for c in candidates(cfg, np.ones(24)) if c.key == "day:compressed")
    assert [(b.table, b.name, b.action) for b in c.blocks] == [
        ("contracts", "full_time", "replace"), ("shifts", "day_4x10h", "add")]
    assert "full_time days_per_week 5 -> [4, 5]" in c.change
    pasted = tomllib.loads(c.paste())
    assert pasted["contracts"][0]["days_per_week"] == [4, 5]
    assert pasted["shifts"][0]["length_minutes"] == 660  # 10 paid hours and the day's unpaid hour
    tours = [t for t in tour_types(c.config, check_roster_config(c.config)) if t.template == "day_4x10h"]
    assert tours and all(sum(t.days) == 4 and t.paid_hours == 40 for t in tours)
    day = [t for t in tour_types(c.config, check_roster_config(c.config)) if t.template == "day"]
    assert day and all(sum(t.days) == 5 for t in day)  # 4 x 8 h is not 40 h: the day shift stays 5 days


def test_a_night_shift_gets_a_template_after_midnight():
    cfg = load_config(EXAMPLE)
    c = next(c for c in candidates(cfg, np.ones(24)) if c.key == "night:after_midnight")
    late = c.config.shifts[-1]
    assert (late.name, late.start, late.start_step_minutes, late.length_minutes) == (
        "night_late", ("00:00", "02:00"), 60, 540)
    assert [t.name for t in c.config.shifts] == ["day", "night", "part", "night_late"]


# --------------------------------------------------------------------------- the command
@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "flex.toml").write_text(FLEX_TOML)
    atomic_write_csv(tmp_path / "staffing.csv", flex_staffing())
    return tmp_path


def test_cli_prints_the_table_and_writes_nothing_without_out(runner, files):
    res = runner.invoke(app, ["roster", "staffing.csv", "-c", "flex.toml", "--suggest-shifts"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[:2] == [
        "baseline: 168.0 paid hours, cost 168.00, lower bound 168.00, gap 0.00% (highs Optimal); over-coverage 84.0 "
        "agent-hours a week (100.0% of the 84.0 required)",
        "candidates: 5 of 5 solved, ranked by the objective saved; a saving below the baseline's gap (0.00) is "
        "within solver tolerance"]
    assert lines[4].split()[:9] == ["1", "new", "flex_4h:", "4", "h", "for", "flex,", "starts", "10:00"]
    assert lines[4].split()[9:15] == ["84.0", "84.0", "50.0%", "84.00", "0.00%", "saves"]
    assert "# 1. new flex_4h: 4 h for flex, starts 10:00 (21 shifts of flex_4h use it, starting 10:00)\n# a new [[shifts]] block, after the others\n" \
           '[[shifts]]\nname = "flex_4h"\n' in res.stdout
    assert sorted(p.name for p in files.iterdir()) == ["flex.toml", "staffing.csv"]


def test_cli_json_and_out_write_the_baseline_roster(runner, files):
    res = runner.invoke(app, ["roster", "staffing.csv", "-c", "flex.toml", "--suggest-shifts", "--suggestions", "2",
                              "--json", "--out", "r.csv"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["baseline"]["paid_hours"] == 168.0 and data["candidates"] == 5
    assert [s["key"] for s in data["suggestions"]] == ["flex_4h:new", "day:later"]  # the first two kinds
    top = data["suggestions"][0]
    assert (top["saved_hours"], top["verdict"], top["paid_hours"]) == (84.0, "saves", 84.0)
    assert tomllib.loads(top["toml"])["shifts"][0]["length_minutes"] == 240
    assert data["out"] == "r.csv"
    rows = (files / "r.csv").read_text().splitlines()
    assert len(rows) == 1 + SHIFTS and all(",day," in row for row in rows[1:])  # the config as it is


@pytest.mark.parametrize(("args", "needle"), [
    (["--suggest-shifts", "--suggestions", "0"], "--suggestions must be 1 to 12, got 0"),
    (["--suggest-shifts", "--suggestions", "13"], "--suggestions must be 1 to 12, got 13"),
    (["--suggestions", "3"], "--suggestions needs --suggest-shifts"),
])
def test_cli_bad_counts_exit_2(runner, files, args, needle):
    res = runner.invoke(app, ["roster", "staffing.csv", "-c", "flex.toml", *args, "--out", "r.csv"])
    one_line_exit_2(res, needle)
    assert not (files / "r.csv").exists()
