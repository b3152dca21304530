from __future__ import annotations

import pytest

from wfm.config import load_config, parse_config
from wfm.errors import ConfigError


def test_example_config_loads(example_config):
    cfg = load_config(example_config)
    assert cfg.queue_names == ["retail", "business", "cards"]
    assert cfg.centre.interval_minutes == 15
    assert cfg.roster.requirement == "pooled"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"queues": [{"name": "a"}, {"name": "a"}]}, "queue name 'a' appears twice"),
        ({"queues": [{"name": "a"}], "back_office": {"roles": [{"role": "qa", "headcount": 1}] * 2}},
         "back-office role 'qa' appears twice"),
        ({"queues": []}, "at least one [[queues]] entry is required"),
        ({"queues": [{"name": "a", "servce_level": 0.8}]}, "field 'queues['a'].servce_level': unknown setting"),
        ({"centre": {"interval_minutes": 7}, "queues": [{"name": "a"}]}, "must divide 24 hours exactly"),
        ({"queues": [{"name": "a", "service_level": 1.0}]}, "field 'queues['a'].service_level': Input should be less than 1"),
        ({"queues": [{"name": "a", "service_level": 0.9}]},
         "field 'queues['a']': set service_level and answer_within_s together"),
        ({"queues": [{"name": "a", "answer_within_s": 15}]},
         "field 'queues['a']': set service_level and answer_within_s together"),
        ({"queues": [{"name": "a", "max_abandon": 0.05}]}, "field 'queues['a']': max_abandon needs patience_s"),
    ],
)
def test_config_errors_are_one_line_naming_the_field(data, message):
    with pytest.raises(ConfigError) as exc:
        parse_config(data, source="c.toml")
    text = str(exc.value)
    assert text.startswith("c.toml: ") and message in text and "\n" not in text


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[centre\nname = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_unknown_queue_lookup_names_the_known_ones(example_config):
    cfg = load_config(example_config)
    with pytest.raises(ConfigError, match=r"unknown queue 'mortgages' \(the config has: retail, business, cards\)"):
        cfg.queue("mortgages")


def test_queue_defaults_hide_no_target():
    """An unset cap is no cap: the one default target is 80% within 20 s, marked as a default; shrinkage has no
    default (sizing asks for it, tests/test_staff_targets.py)."""
    q = parse_config({"queues": [{"name": "a"}]}).queues[0]
    assert (q.service_level, q.answer_within_s, q.service_level_is_default) == (0.80, 20.0, True)
    assert (q.asa_s, q.max_occupancy, q.max_abandon, q.patience_s, q.shrinkage) == (None,) * 5
    assert q.aht_s == 300.0  # only for forecast rows without an AHT, which staffing.csv shows in its aht column
    set_ = parse_config({"queues": [{"name": "a", "service_level": 0.8, "answer_within_s": 20}]}).queues[0]
    assert not set_.service_level_is_default


def test_every_queue_setting_and_default_is_in_docs_config_md():
    from pathlib import Path

    from wfm.config import Queue

    text = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text()
    for name, field in Queue.model_fields.items():
        assert f"`{name}`" in text, f"docs/config.md does not list queue setting {name}"
        if field.default is not None and name != "name":
            shown = f"{field.default:g}" if isinstance(field.default, float) else str(field.default)
            assert f"| `{name}` | `{shown}`" in text, f"docs/config.md does not give {name}'s default {shown}"


def test_recovery_rest_rules_default_and_leave_seven_day_contracts_alone():
    """[roster] min_rest_days_per_week and max_consecutive_days are what a what-if recovery keeps when it
    recalls rest days (1 and 6 by default); a contract of up to 7 days a week stays valid (the rules bound the
    recalls, not the roster)."""
    base = {"queues": [{"name": "a"}], "contracts": [{"name": "c", "days_per_week": [1, 7]}]}
    roster = parse_config(base).roster
    assert (roster.min_rest_days_per_week, roster.max_consecutive_days) == (1, 6)
    assert parse_config({**base, "roster": {"min_rest_days_per_week": 2}}).roster.min_rest_days_per_week == 2
    with pytest.raises(ConfigError, match="max_consecutive_days"):
        parse_config({**base, "roster": {"max_consecutive_days": 0}})
