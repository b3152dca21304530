"""The recovery by name: every unit the recovery LP bought is given to a person who may work it.

:func:`name_recovery` reads the solved :class:`wfm.whatif.levers.RecoveryRows` back:

1. **rest days**, day after day: each day's recalled shifts are made whole per start (the day's total rounded
   half up, dealt to its starts by largest remainder) and go first to people of the groups the solution drew
   them from (over the whole plan, those no group needs on the next two days first), then, in a second pass,
   to any other person of the contract off that day; always to someone for whom the day keeps every rule of
   :class:`wfm.whatif.people.PersonRules` (rest hours, rest days per week, the month's floor, consecutive
   days); the people of one start take each break at the places of its window in turn (staggered, on the
   planning grid);
2. **overtime**, day after day: each group's extensions (rounded up to whole people) go to its people with the
   least overtime that week first (then a stable per-date order), one extension per side and person; the
   deepest first, before the start, then after the end to the others first, each checked against the
   person's overtime caps (``max_hours_per_day``, ``max_hours_per_week`` per 7-day block) and rest hours
   (``min_rest_hours`` to their neighbouring shifts, recalled ones included);
3. **back office** and **agency**: each day's people per interval, rounded up (back office: within the day's
   hours, the smallest fractions back down first), are cut into contiguous blocks on the phones (a rise opens
   blocks, a fall closes the oldest), each at most ``max_hours_per_day``; a back-office block goes to a
   back-office person free then with hours left that day, its tail to another when nobody can take it whole
   (their day's row runs from their first to their last minute on the phones, the gaps written as breaks); an
   agency block to an agency agent of its own (``AGENCY-<date>-<nn>``).

A unit nobody may work is dropped and counted in the notes: the figures after recovery are always recounted
from the roster after recovery (:func:`recount`), never taken from the LP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm.roster.rows import ROSTER_COLUMNS, count_spans
from wfm.whatif.impact import WhatifBase, parse_roster
from wfm.whatif.levers import DAY, RecoveryRows
from wfm.whatif.people import OFF, People, PersonRules, recall_budget, run_if_working, stable_rank
from wfm.whatif.scenario import Scenario, back_office_people

RECOVERY_COLUMNS = ["person", "date", "lever", "start", "end", "breaks", "hours", "cost"]


@dataclass
class Named:
    """The recovery by name: ``recovery`` (:data:`RECOVERY_COLUMNS`, one row per lever use by a person) and
    ``roster_after`` (roster.csv columns: the published roster less the absent, with the overtime, recalled
    shifts, back-office and agency people on the phones)."""

    recovery: pd.DataFrame
    roster_after: pd.DataFrame
    dropped: dict[str, float] = field(default_factory=dict)  # lever -> hours the MILP bought nobody could work

    @property
    def notes(self) -> list[str]:
        return [f"{lever.replace('_', ' ')}: {h:,.2f} h bought could not be given to anyone within the rules "
                "and were left out" for lever, h in self.dropped.items() if h > 1e-9]


@dataclass
class _Row:
    person: str
    day: int
    lever: str
    start: int  # minutes from the plan's first midnight
    end: int
    breaks: list[tuple[int, int]]
    hours: float
    cost: float


def whole(x: float | None) -> int:
    """People from a continuous lever variable: rounded up (a fraction of a person means one more is
    needed), past solver noise."""
    return int(np.ceil((x or 0.0) - 1e-6))


def largest_remainder_1d(x: np.ndarray) -> np.ndarray:
    """Whole numbers adding to ``x``'s total rounded half up: the floors, plus one where the remainders are
    largest (ties: the earliest)."""
    out = np.floor(x + 1e-6).astype(np.int64)
    extra = int(np.floor(x.sum() + 0.5 + 1e-6)) - int(out.sum())
    if extra > 0:
        out[np.argsort(-(x - out), kind="stable")[:extra]] += 1
    return out


@dataclass(frozen=True)
class _Start:
    """The recalled shifts of one start on one day, over every group of people off: their people, the groups
    with the larger share first."""

    day: int
    shift: Any
    members: np.ndarray


def whole_starts(slots: list) -> list[tuple[_Start, int]]:
    """Whole recalled shifts per day and start: each day's total rounded half up, dealt to its starts by
    largest remainder (ties: the earlier start), so the shifts land where the solution put them; the people of
    every group that works that start, the groups with more of it first."""
    keyed: dict[tuple[int, str, int], list] = {}
    for sl in slots:
        x = max(float(sl.var.varValue or 0.0), 0.0)
        if x > 1e-9:
            keyed.setdefault((sl.day, sl.shift.start_minute, sl.shift.template), []).append((x, sl))
    out = []
    for d in sorted({k[0] for k in keyed}):
        keys = sorted(k for k in keyed if k[0] == d)
        counts = largest_remainder_1d(np.array([sum(x for x, _ in keyed[k]) for k in keys]))
        for k, n in zip(keys, counts.tolist(), strict=True):
            groups = sorted(keyed[k], key=lambda xs: -xs[0])
            members = np.array(list(dict.fromkeys(int(p) for _, sl in groups for p in sl.members)), dtype=np.int64)
            if n > 0:
                out.append((_Start(d, groups[0][1].shift, members), int(n)))
    return out


def _clock(minutes: int) -> str:
    m = int(minutes) % DAY
    return f"{m // 60:02d}:{m % 60:02d}"


def name_recovery(rows: RecoveryRows, scenario: Scenario) -> Named:
    """Give every solved unit of ``rows`` to a person (see the module docstring)."""
    plan, pp, rules = rows.plan, rows.people, rows.rules
    ivl = plan.interval_minutes
    n_d = len(pp.dates)
    st = np.where(pp.absent, OFF, pp.start)
    en = np.where(pp.absent, OFF, pp.end)
    ot_min = np.zeros(st.shape, dtype=np.int64)
    recalled = np.zeros(st.shape, dtype=bool)
    out: list[_Row] = []
    dropped: dict[str, float] = {}
    lv = scenario.levers

    ot_by_day: dict[int, list] = {}
    for g in rows.overtime:
        ot_by_day.setdefault(g.day, []).append(g)
    rest_by_day: dict[int, list] = {}
    for slot, n in whole_starts(rows.rest_slots):
        rest_by_day.setdefault(slot.day, []).append((slot, n))
    month, _ = rules.month_floors(pp.dates)
    ranks = [stable_rank(pp.ids, pp.dates[d]) for d in range(n_d)]
    # whole recalled shifts first (a group's people are few), then overtime (its group's people work that day
    # anyway: many can take an extension that keeps their rest to a recalled shift)
    # each group's own people first, over the whole plan; then what is left to anyone else off that day (whose
    # rest days the groups did not need)
    wanted = np.zeros(st.shape, dtype=np.int64)  # recalled shifts each person's groups have, per day
    for d, todo in rest_by_day.items():
        for slot, _ in todo:
            wanted[slot.members, d] += 1
    later = np.zeros(st.shape, dtype=np.int64)  # ... on the two days after: keep those people for them
    later[:, :-1] += wanted[:, 1:] > 0
    later[:, :-2] += wanted[:, 2:] > 0
    left = []
    for d in range(n_d):
        todo = sorted(rest_by_day.get(d, []), key=lambda sn: (sn[0].shift.start_minute, sn[0].shift.template))
        left += [(d, slot, n, _name_rest(slot, n, d, st, en, recalled, ranks[d], rules, month, pp, lv.rest_days,
                                         out, ivl, own=True, total=n, later=later[:, d])) for slot, n in todo]
    for d, slot, total, n in left:
        if n and (k := _name_rest(slot, n, d, st, en, recalled, ranks[d], rules, month, pp, lv.rest_days, out,
                                  ivl, own=False, total=total)):
            dropped["rest_days"] = dropped.get("rest_days", 0.0) + k * slot.shift.paid_minutes / 60
    for d in range(n_d):
        for g in ot_by_day.get(d, []):
            _name_overtime(g, d, st, en, ot_min, ranks[d], rules, ivl, lv.overtime, pp, out, dropped)
    for lever in ("back_office", "agency"):
        if rows.per_interval.get(lever):
            _name_blocks(rows, lever, getattr(lv, lever), out, dropped)
    return Named(_recovery_frame(out, pp), _roster_after(plan, pp, st, en, out), dropped)


def unchanged(plan: WhatifBase, pp: People) -> Named:
    """No lever used: no recovery rows, and the published roster less the named absent."""
    st = np.where(pp.absent, OFF, pp.start)
    en = np.where(pp.absent, OFF, pp.end)
    return Named(_recovery_frame([], pp), _roster_after(plan, pp, st, en, []))


# --------------------------------------------------------------------------- the rules, person by person
def _rest_ok(st: np.ndarray, en: np.ndarray, p: int, d: int, s: int, e: int, rest: int) -> bool:
    """Shift [s, e) on day d keeps ``rest`` minutes to person p's shifts on the two days either side."""
    n_d = st.shape[1]
    for dd in (d - 2, d - 1):
        if dd >= 0 and st[p, dd] != OFF and s - en[p, dd] < rest:
            return False
    for dd in (d + 1, d + 2):
        if dd < n_d and st[p, dd] != OFF and st[p, dd] - e < rest:
            return False
    return True


def _name_overtime(g, d, st, en, ot_min, rank, rules: PersonRules, ivl, lever, pp: People, out, dropped) -> None:
    members = [int(p) for p in g.members if st[p, d] != OFF]
    day_cap = int(round(lever.max_hours_per_day * 60))
    week_cap = int(round(lever.max_hours_per_week * 60))
    blk = slice(7 * (d // 7), 7 * (d // 7) + 7)

    def order(ps: list[int]) -> list[int]:
        return sorted(ps, key=lambda p: (int(ot_min[p, blk].sum()), int(rank[p]), p))

    def depths(chain) -> list[int]:
        counts = [whole(v.varValue) for v in chain]
        return [sum(1 for c in counts if c > j) for j in range(counts[0] if counts else 0)]

    taken: dict[str, set[int]] = {"pre": set(), "post": set()}
    rate = lever.cost_per_hour
    for side, chain in (("pre", g.pre), ("post", g.post)):
        for want in depths(chain):
            free = [p for p in members if p not in taken[side]]  # one extension per side and person
            pool = order([p for p in free if p not in taken["pre"]]) + order([p for p in free if p in taken["pre"]])
            given = 0
            for p in pool:
                k = want
                while k > 0:
                    mins = k * ivl
                    ok = (ot_min[p, d] + mins <= day_cap and ot_min[p, blk].sum() + mins <= week_cap)
                    s, e = (st[p, d] - mins, en[p, d]) if side == "pre" else (st[p, d], en[p, d] + mins)
                    if ok and _rest_ok(st, en, p, d, s, e, rules.min_rest_minutes):
                        break
                    k -= 1
                if k <= 0:
                    continue
                mins = k * ivl
                lo, hi = (st[p, d] - mins, st[p, d]) if side == "pre" else (en[p, d], en[p, d] + mins)
                out.append(_Row(str(pp.ids[p]), d, "overtime", int(lo), int(hi), [], mins / 60, rate * mins / 60))
                if side == "pre":
                    st[p, d] -= mins
                else:
                    en[p, d] += mins
                taken[side].add(p)
                ot_min[p, d] += mins
                given = k
                break
            if given < want:
                dropped["overtime"] = dropped.get("overtime", 0.0) + (want - given) * ivl / 60


def _name_rest(slot, n, d, st, en, recalled, rank, rules: PersonRules, month, pp: People, lever, out, ivl: int,
               *, own: bool, total: int, later: np.ndarray | None = None) -> int:
    """Give ``n`` of the ``total`` shifts of ``slot`` (the others were given in the first pass) to its group's
    people (``own``) or to the contract's others off that day; returns the shifts nobody could take. The
    people of one slot take each break at the places of its window in turn."""
    sh = slot.shift
    s = d * DAY + sh.start_minute
    e = s + sh.length_minutes
    first = {int(p) for p in slot.members}
    if own:  # those no group needs on the next two days first
        pool = sorted(first, key=lambda p: (int(later[p]) if later is not None else 0, int(recalled[p].sum()),
                                            int(rank[p]), p))
    else:
        others = np.flatnonzero((pp.contract == lever.contract) & ~pp.unavailable[:, d])
        pool = sorted((int(p) for p in others if int(p) not in first),
                      key=lambda p: (int(recalled[p].sum()), int(rank[p]), p))
    given = 0
    for p in pool:
        if given == n:
            break
        if st[p, d] != OFF or pp.works[p, d] or not _may_recall(st, p, d, rules, month, pp):
            continue
        if not _rest_ok(st, en, p, d, s, e, rules.min_rest_minutes):
            continue
        i = total - n + given  # this slot's i-th person: staggered breaks
        breaks = []
        for minutes, _paid, lo, hi in sh.breaks:
            places = list(range(lo, hi + 1, ivl))
            o = places[(i * len(places)) // total]
            breaks.append((s + o, s + o + minutes))
        st[p, d], en[p, d] = s, e
        recalled[p, d] = True
        paid = sh.paid_minutes / 60
        out.append(_Row(str(pp.ids[p]), d, "rest_days", s, e, breaks, paid, lever.cost_per_hour * paid))
        given += 1
    return n - given


def _may_recall(st: np.ndarray, p: int, d: int, rules: PersonRules, month: np.ndarray, pp: People) -> bool:
    """Working day ``d`` keeps person p's rest days per block and month and their consecutive days."""
    row = st[p] != OFF
    row[d] = True
    block_left, month_left = recall_budget(pp.contract[p:p + 1], pp.dates, rules, row[None, :])
    if block_left[0, d // 7] < 0 or month_left[0, month[d]] < 0:
        return False
    return run_if_working(row, d) <= rules.max_consecutive_days


# --------------------------------------------------------------------------- back office and agency
def _blocks(counts: np.ndarray) -> list[tuple[int, int]]:
    """A count per interval cut into contiguous blocks [first, last + 1): a rise opens blocks, a fall closes
    the oldest open ones."""
    open_: list[int] = []
    out: list[tuple[int, int]] = []
    prev = 0
    for i, c in enumerate(list(counts) + [0]):
        if c > prev:
            open_ += [i] * (c - prev)
        elif c < prev:
            for _ in range(prev - c):
                out.append((open_.pop(0), i))
        prev = c
    return sorted(out)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, those that touch joined into one."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _name_blocks(rows: RecoveryRows, lever: str, settings, out: list[_Row], dropped: dict[str, float]) -> None:
    plan = rows.plan
    ivl, n_t = plan.interval_minutes, len(plan.timestamps)
    x = np.zeros(n_t)
    for t, v in rows.per_interval[lever].items():
        x[t] = max(float(v.varValue or 0.0), 0.0)
    counts = np.ceil(x - 1e-6).astype(np.int64)  # whole(): a fraction of a person is one more
    cap = max(int(round(settings.max_hours_per_day * 60)) // ivl, 0)  # intervals a person may work a day
    day_of = plan.day_of
    names = back_office_people(settings, plan.config) if lever == "back_office" else []
    if lever == "back_office":  # rounded up within each day's hours: the smallest fractions go back down first
        room = cap * len(names)
        for d in range(len(plan.dates)):
            idx = np.flatnonzero(day_of == d)
            over = int(counts[idx].sum()) - max(room, int(np.floor(x[idx].sum() + 1e-6)))
            if over > 0:
                up = idx[counts[idx] > np.floor(x[idx] + 1e-6)]
                counts[up[np.argsort(x[up] - np.floor(x[up] + 1e-6), kind="stable")[:over]]] -= 1
    origin = int((plan.start - plan.start.normalize()) / pd.Timedelta(minutes=1)) // ivl
    rate = settings.cost_per_hour
    for d in range(len(plan.dates)):
        idx = np.flatnonzero(day_of == d)
        if not len(idx) or not counts[idx].any():
            continue
        pieces: list[tuple[int, int]] = []
        for a, b in _blocks(counts[idx]):
            while a < b:  # at most max_hours_per_day each
                step = min(b - a, cap) if cap else 0
                if step <= 0:
                    break
                pieces.append((a, a + step))
                a += step
        lost = int(counts[idx].sum()) - sum(b - a for a, b in pieces)
        base = idx[0] + origin  # interval number of the day's first interval from the plan's first midnight
        if lever == "agency":
            for k, (a, b) in enumerate(sorted(pieces)):
                who = f"AGENCY-{plan.dates[d]:%Y-%m-%d}-{k + 1:02d}"
                s, e = (base + a) * ivl, (base + b) * ivl
                out.append(_Row(who, d, "agency", s, e, [], (e - s) / 60, rate * (e - s) / 60))
        else:
            used = {n: 0 for n in names}
            busy: dict[str, list[tuple[int, int]]] = {n: [] for n in names}
            for a, b in sorted(pieces):
                while a < b:  # a piece nobody can take whole is shared: its head to one, its tail to another
                    free = [n for n in names if used[n] < cap and all(b1 <= a or b0 >= a + 1 for b0, b1 in busy[n])]
                    if not free:
                        lost += b - a
                        break
                    cont = [n for n in free if busy[n] and busy[n][-1][1] == a]
                    who = cont[0] if cont else max(free, key=lambda n: (cap - used[n], -names.index(n)))
                    k = min(b - a, cap - used[who])
                    nxt = min([b0 for b0, _ in busy[who] if b0 > a], default=b)  # up to their next block
                    k = min(k, nxt - a)
                    used[who] += k
                    if busy[who] and busy[who][-1][1] == a:
                        busy[who][-1] = (busy[who][-1][0], a + k)
                    else:
                        busy[who].append((a, a + k))
                        busy[who].sort()
                    a += k
            for who in names:
                for a, b in _merged(busy[who]):
                    s, e = (base + a) * ivl, (base + b) * ivl
                    out.append(_Row(who, d, "back_office", s, e, [], (e - s) / 60, rate * (e - s) / 60))
        if lost:
            dropped[lever] = dropped.get(lever, 0.0) + lost * ivl / 60


# --------------------------------------------------------------------------- the files
def _recovery_frame(out: list[_Row], pp: People) -> pd.DataFrame:
    recs = []
    for r in sorted(out, key=lambda r: (r.day, r.lever, r.person, r.start)):
        recs.append({
            "person": r.person,
            "date": f"{pp.dates[r.day]:%Y-%m-%d}",
            "lever": r.lever,
            "start": _clock(r.start),
            "end": _clock(r.end),
            "breaks": ";".join(f"{_clock(a)}-{_clock(b)}" for a, b in r.breaks),
            "hours": round(r.hours, 4),
            "cost": round(r.cost, 4),
        })
    return pd.DataFrame(recs, columns=RECOVERY_COLUMNS)


def _roster_after(plan: WhatifBase, pp: People, st: np.ndarray, en: np.ndarray, out: list[_Row]) -> pd.DataFrame:
    """The published rows less the absent, with overtime start/end, plus recalled shifts and phone blocks."""
    frame = plan.roster.drop(columns=["_line"], errors="ignore").reset_index(drop=True).astype(str)
    frame = frame.reindex(columns=ROSTER_COLUMNS, fill_value="")
    keep = np.zeros(len(frame), dtype=bool)
    starts = frame["start"].to_numpy(object).copy()
    ends = frame["end"].to_numpy(object).copy()
    p_i, d_i = np.nonzero(pp.row >= 0)
    for p, d in zip(p_i.tolist(), d_i.tolist(), strict=True):
        r = pp.row[p, d]
        if pp.absent[p, d]:
            continue
        keep[r] = True
        if st[p, d] != pp.start[p, d]:
            starts[r] = _clock(st[p, d])
        if en[p, d] != pp.end[p, d]:
            ends[r] = _clock(en[p, d])
    frame["start"], frame["end"] = starts, ends
    rows = [frame[keep]]
    extra = []
    contract = dict(zip(pp.ids.tolist(), pp.contract.tolist(), strict=True))
    for r in out:
        if r.lever == "rest_days":
            extra.append([r.person, contract[r.person], f"{pp.dates[r.day]:%Y-%m-%d}", "recalled",
                          _clock(r.start), _clock(r.end), ";".join(f"{_clock(a)}-{_clock(b)}" for a, b in r.breaks)])
    phones: dict[tuple[str, int, str], list[tuple[int, int]]] = {}
    for r in out:
        if r.lever in ("back_office", "agency"):
            phones.setdefault((r.person, r.day, r.lever), []).append((r.start, r.end))
    for (who, d, lever), spans in phones.items():
        spans = _merged(spans)
        gaps = ";".join(f"{_clock(b)}-{_clock(a2)}" for (_, b), (a2, _) in zip(spans[:-1], spans[1:], strict=True))
        extra.append([who, lever, f"{pp.dates[d]:%Y-%m-%d}", "phones", _clock(spans[0][0]), _clock(spans[-1][1]), gaps])
    if extra:
        rows.append(pd.DataFrame(extra, columns=ROSTER_COLUMNS))
    after = pd.concat(rows, ignore_index=True)
    return after.sort_values(["agent_id", "date"], kind="stable").reset_index(drop=True)


def recount(plan: WhatifBase, roster_after: pd.DataFrame, weights: dict[str, float], seats: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """Agent equivalents and people on the phones per interval from a roster after recovery: the roster's own
    people (capped by ``seats``) plus back-office and agency people weighted by ``weights`` (their contract's
    ``1 / handle_time_factor``). The plan is cyclic, as the published roster's count."""
    rows = parse_roster(roster_after, "the roster after recovery")
    w = np.array([weights.get(c, 1.0) for c in rows.contract], dtype=float)
    lever = np.isin(rows.contract, list(weights))
    own = count_spans(rows.start, rows.end, (~lever).astype(float), rows.break_start, rows.break_end,
                      (~lever).astype(float)[rows.break_row], plan.start, len(plan.timestamps), plan.interval_minutes)
    ext = count_spans(rows.start, rows.end, np.where(lever, w, 0.0), rows.break_start, rows.break_end,
                      np.where(lever, w, 0.0)[rows.break_row], plan.start, len(plan.timestamps), plan.interval_minutes)
    heads = count_spans(rows.start, rows.end, lever.astype(float), rows.break_start, rows.break_end,
                        lever.astype(float)[rows.break_row], plan.start, len(plan.timestamps), plan.interval_minutes)
    own = np.round(own, 9)
    return np.minimum(own, seats) + np.round(ext, 9), np.minimum(own, seats) + np.round(heads, 9)
