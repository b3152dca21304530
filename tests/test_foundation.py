"""The shared helpers every stage uses: the clock parser, largest-remainder rounding, JSON numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.clock import clock_minutes, format_clock, parse_clock
from wfm.io import json_number
from wfm.milp import largest_remainder


@pytest.mark.parametrize(
    ("text", "kwargs", "minutes"),
    [("00:00", {}, 0), ("9:05", {}, 545), ("23:59", {}, 1439), ("24:00", {}, None), ("24:00", {"end_of_day": True}, 1440),
     ("24:01", {"end_of_day": True}, None), ("25:00", {}, None), ("23:99", {}, None), ("12:5", {}, None),
     ("8am", {}, None), ("36:30", {"offset": True}, 2190), (" 07:30 ", {}, 450)],
)
def test_clock_minutes(text, kwargs, minutes):
    assert clock_minutes(text, **kwargs) == minutes


def test_parse_clock_names_where():
    with pytest.raises(ValueError, match=r"^shift 'day' start: '25:00' is not a time HH:MM \(00:00 to 23:59\)$"):
        parse_clock("25:00", "shift 'day' start")


@given(st.integers(0, 10 * 1440))
def test_format_clock_round_trips_the_time_of_day(minutes):
    assert clock_minutes(format_clock(minutes)) == minutes % 1440


def test_largest_remainder_known_cases():
    assert largest_remainder(np.array([0.5, 0.5, 1.0]), 3).tolist() == [1, 1, 1]
    assert largest_remainder(np.array([1.0, 1.0, 1.0]), 2).tolist() == [1, 1, 0]  # ties: the first
    assert largest_remainder(np.array([0.0, 0.0]), 3).tolist() == [3, 0]  # nothing to share: all on the first
    assert largest_remainder(np.array([[1.6, 1.6, 0.8]])).tolist() == [[2, 1, 1]]  # floor(4.0) = 4


@given(st.lists(st.floats(0, 50), min_size=1, max_size=8), st.integers(0, 200))
@settings(max_examples=200)
def test_largest_remainder_sums_to_the_total_and_stays_within_one(values, total):
    out = largest_remainder(np.array(values), total)
    assert out.sum() == total and (out >= 0).all()
    if sum(values) > 0:
        share = np.array(values) * total / sum(values)
        assert (np.abs(out - share) < 1 + 1e-9).all()


def test_json_number():
    assert json_number(1.23456, 2) == 1.23
    assert json_number(-0.00001, 2) == 0.0 and math.copysign(1, json_number(-0.00001, 2)) == 1
    assert json_number(math.inf) is None and json_number(math.nan) is None and json_number(None) is None
