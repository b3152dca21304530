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
