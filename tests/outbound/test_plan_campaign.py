"""`wfm plan` with a campaign: blended into the week it plans (outbound.csv and its chart in the run folder,
named in the manifest, the progress in summary.md), the inbound intervals kept at the roster's requirement
(read from the files), and a campaign left short as a breach (exit 1), named in the config's [outbound]."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from wfm.cli import app
from wfm.generate import write_small_centre

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ROOT / "configs" / "campaign.toml"
FAST = ["--gap", "0.05", "--replications", "0"]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The bundled campaign in the week of a centre of about 40 agents open every day 08:00-20:00 on 15 minutes
    (8 s; docs/outbound.md's example plans it into the bundled example's week, `make check-docs`)."""
    tmp = tmp_path_factory.mktemp("campaign")
    config, history = write_small_centre(tmp, "centre", seed=3, peak=30, interval_minutes=15, seven_days=True,
                                         back_office=4)
    out = tmp / "runs"
    res = CliRunner().invoke(app, ["plan", "--config", str(config), "--history", str(history), "--out", str(out),
                                   "--campaign", str(CAMPAIGN), "--json", *FAST])
    return {"res": res, "folder": out / "2026-11-30"}


def test_the_campaign_is_blended_into_the_planned_week(planned):
    res, folder = planned["res"], planned["folder"]
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    ob = doc["outbound"]
    assert ob["campaign"] == "card activation" and ob["exit_code"] == 0
    assert ob["idle_agent_hours_used"] + ob["extra_agent_hours"] >= ob["required_agent_hours"] - 1e-6
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {"outbound.csv", "outbound.png"} <= set(manifest["files"])
    assert manifest["inputs"]["campaign"]["path"] == str(CAMPAIGN)
    frame = pd.read_csv(folder / "outbound.csv", parse_dates=["timestamp"])
    cov = pd.read_csv(folder / "coverage.csv", parse_dates=["timestamp"]).set_index("timestamp")
    inside = frame[frame["timestamp"].isin(cov.index)]
    mine = cov.loc[inside["timestamp"]]
    assert len(inside) == 6 * 44  # Monday to Saturday of the planned week, 09:00-20:00 in 15 minutes
    assert (inside["rostered"].to_numpy() == mine["rostered"].to_numpy()).all()
    assert (inside["rostered"].to_numpy() - inside["outbound_idle"].to_numpy()
            >= mine["required_scheduled"].to_numpy() - 1e-9).all()
    assert frame["records"].sum() == pytest.approx(1927, abs=0.5)  # rows rounded to 3 decimals
    summary = (folder / "summary.md").read_text()
    assert "## Outbound campaign: card activation" in summary and "| 2026-12-11 |" in summary
    assert "[outbound.csv](outbound.csv)" in summary and "![The campaign in the week](outbound.png)" in summary


def test_a_campaign_named_in_the_config_and_left_short_is_a_breach(tmp_path):
    """[outbound] campaign = "c.toml" (beside the config) at a small centre open every day: no extra shifts, no
    overtime and far more records than the idle agents can call. The plan is written, exit 1, and with --quiet
    the breach alone is printed (on stderr)."""
    (tmp_path / "c.toml").write_text(CAMPAIGN.read_text().replace("records = 1927", "records = 50000")
                                     + "\n[campaign.extra]\nshifts = []\novertime_max_hours = 0\n")
    config, history = write_small_centre(tmp_path, "centre", seed=3, seven_days=True)
    config.write_text(config.read_text() + '\n[outbound]\ncampaign = "c.toml"\n')
    out = tmp_path / "runs"
    res = CliRunner().invoke(app, ["plan", "--config", str(config), "--history", str(history), "--out", str(out),
                                   *FAST, "--quiet"])
    assert res.exit_code == 1, res.stderr
    assert res.stdout == ""
    assert re.fullmatch(r"Breached: outbound: campaign 'card activation': [\d,.]+ calling hours short by 2026-12-11, "
                        r"reach [\d.]+% of the records \(all worked: [\d.]+%\)\n", res.stderr), res.stderr
    folder = out / "2026-11-30"
    assert "Short by" in (folder / "summary.md").read_text()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["inputs"]["campaign"]["path"] == str(tmp_path / "c.toml")
