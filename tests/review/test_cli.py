"""`wfm review` through the CLI: the printout, --json, the files in RUN/review/, accuracy.csv, --trend, exit codes
and one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from tests.bad_input import CONFIG, one_line_exit_2
from wfm.cli import app

from .test_review import RUN, forecast_as_actuals


def runs(tmp_path: Path) -> Path:
    folder = tmp_path / "runs" / "2026-11-30"
    shutil.copytree(RUN, folder)
    return folder


def invoke(*args: str):
    return CliRunner().invoke(app, ["review", *args, "--config", str(CONFIG), "--replications", "1"])


def test_review_prints_writes_its_files_and_records_the_week_once(tmp_path):
    run = runs(tmp_path)
    acts = forecast_as_actuals(tmp_path, volume=1.1)
    res = invoke(str(run), "--actuals", str(acts))
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert out.startswith("Review of run 2026-11-30, 2026-11-30 to 2026-12-06: 7 day(s) with actuals; service "
                          "estimated")
    total_day = next(x for x in out.splitlines() if x.startswith("total") and " day " in x).split()
    assert total_day[5] == "9.1%" and total_day[7] == "-9.1%"
    for section in ("AHT accuracy", "Forecast error by day", "Forecast error by hour of day",
                    "Staffing against need", "Service level, planned against estimated", "What caused the miss"):
        assert section in out
    files = sorted(p.name for p in (run / "review").iterdir())
    assert files == ["forecast.png", "review.json", "review.manifest.json", "review.txt", "service.png"]
    assert (run / "review" / "review.txt").read_text().rstrip() == out.rstrip()
    acc = pd.read_csv(run.parent / "accuracy.csv")
    assert list(acc["queue"]) == ["business", "cards", "retail", "total"] and set(acc["run"]) == {"2026-11-30"}
    assert acc.loc[acc["queue"] == "total", "wape_day"].item() == 0.0909
    # the same review again replaces its rows, byte for byte the same files
    before = {p.name: p.read_bytes() for p in (run / "review").iterdir()}
    assert invoke(str(run), "--actuals", str(acts)).exit_code == 0
    assert {p.name: p.read_bytes() for p in (run / "review").iterdir()} == before
    assert len(pd.read_csv(run.parent / "accuracy.csv")) == 4


def test_review_json_has_every_level_and_the_service_figures(tmp_path):
    run = runs(tmp_path)
    acts = forecast_as_actuals(tmp_path, volume=1.1)
    doc = json.loads(invoke(str(run), "--actuals", str(acts), "--json", "--no-record").stdout)
    for q in ("retail", "business", "cards", "total"):
        for level in ("interval", "30min", "day"):
            item = doc["forecast"][q][level]
            assert {"wape", "bias", "mase", "noise_floor_wape"} <= set(item)
        assert doc["forecast"][q]["interval"]["wape"] == 0.0909
        s = doc["service"][q]
        assert {"planned", "estimated", "days"} <= set(s) and len(s["days"]) == 7
    assert doc["service_source"] == "estimated" and doc["exit_code"] == 0
    assert not (run.parent / "accuracy.csv").exists()


def test_exit_1_when_the_forecast_is_less_accurate_than_max_wape_and_the_trend(tmp_path):
    run = runs(tmp_path)
    cfg = tmp_path / "strict.toml"
    cfg.write_text(Path(CONFIG).read_text() + "\n[review]\nmax_wape = 0.05\nwape_level = \"day\"\n")
    acts = forecast_as_actuals(tmp_path, volume=1.1)
    res = CliRunner().invoke(app, ["review", str(run), "--actuals", str(acts), "--config", str(cfg),
                                   "--replications", "1"])
    assert res.exit_code == 1, res.output
    assert "alert: retail forecast WAPE per day 9.1% is above the [review] max_wape 5.0%" in res.stdout
    res = CliRunner().invoke(app, ["review", "--trend", str(run.parent), "--config", str(cfg)])
    assert res.exit_code == 1 and "2026-11-30" in res.stdout
    assert (run.parent / "accuracy.png").read_bytes()[:4] == b"\x89PNG"


def test_review_bad_input_is_one_line(tmp_path):
    run = runs(tmp_path)
    acts = forecast_as_actuals(tmp_path)
    one_line_exit_2(invoke(str(tmp_path / "nope"), "--actuals", str(acts)), "nope: not a folder")
    one_line_exit_2(invoke(str(run), "--actuals", str(acts), "--out", str(run)), "is the run folder itself")
    one_line_exit_2(invoke("--trend", str(run.parent), str(run)), "give the runs folder alone")
    one_line_exit_2(invoke("--trend", str(tmp_path)), "no reviews recorded yet")
    one_line_exit_2(invoke(str(run)), "give a run folder and --actuals FILE")
    (run / "manifest.json").unlink()
    one_line_exit_2(invoke(str(run), "--actuals", str(acts)), "not a wfm plan run folder (no manifest.json)")
