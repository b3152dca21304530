"""A small centre for the simulation's behaviour tests: a config, a forecast and agents per interval or a
roster, as frames and as files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wfm.config import CentreConfig, parse_config

DAY = "2026-03-02"

CONFIG_TOML = """\
[centre]
name = "Small"
interval_minutes = 15

[[queues]]
name = "sales"
service_level = 0.8
answer_within_s = 20
shrinkage = 0.0
patience_s = 120
aht_s = 240

[[queues]]
name = "care"
service_level = 0.9
answer_within_s = 10
shrinkage = 0.0
aht_s = 300
"""


def config(**queue_changes: dict) -> CentreConfig:
    """The small centre; ``queue_changes`` maps a queue name to settings to change."""
    import tomllib

    data = tomllib.loads(CONFIG_TOML)
    for q in data["queues"]:
        q.update(queue_changes.get(q["name"], {}))
    return parse_config(data, source="small.toml")


def timestamps(days: int = 1) -> pd.DatetimeIndex:
    return pd.date_range(DAY, periods=days * 96, freq="15min", name="timestamp")


def forecast(days: int = 1, sales: float = 20.0, care: float = 10.0, open_hours: tuple[int, int] = (8, 12)) -> pd.DataFrame:
    """Calls per 15 minutes in opening hours (08:00-12:00 by default), none outside them."""
    ts = timestamps(days)
    hour = ts.hour
    open_ = (hour >= open_hours[0]) & (hour < open_hours[1])
    frames = [pd.DataFrame({"timestamp": ts, "queue": name, "volume": np.where(open_, vol, 0.0), "aht": np.nan})
              for name, vol in (("sales", sales), ("care", care))]
    return pd.concat(frames, ignore_index=True)


def agents(days: int = 1, count: int = 10, column: str = "agents") -> pd.DataFrame:
    ts = timestamps(days)
    return pd.DataFrame({"timestamp": ts, column: np.where((ts.hour >= 8) & (ts.hour < 12), count, 0)})


def roster(n_agents: int = 10, breaks: dict[int, str] | None = None, date: str = DAY) -> pd.DataFrame:
    """``n_agents`` on 08:00-12:00; ``breaks`` maps an agent number to its breaks cell."""
    breaks = breaks or {}
    return pd.DataFrame({
        "agent_id": [f"A{i}" for i in range(n_agents)], "contract": "full_time", "date": date, "shift": "day",
        "start": "08:00", "end": "12:00", "breaks": [breaks.get(i, "") for i in range(n_agents)],
    })


def write(folder: Path, frame: pd.DataFrame, name: str) -> Path:
    from wfm.io import atomic_write_csv

    return atomic_write_csv(folder / name, frame)
