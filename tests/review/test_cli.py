"""`wfm review` through the CLI: the table, --json, and one-line errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.bad_input import CONFIG, one_line_exit_2
from wfm.cli import app

from .test_run import actuals, run_folder


def test_review_prints_the_table_and_json(tmp_path):
    run, fc = run_folder(tmp_path)
    acts = actuals(tmp_path, fc, 1.1)
    res = CliRunner().invoke(app, ["review", str(run), "--actuals", str(acts), "--config", str(CONFIG)])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "Forecast against actuals, 2026-11-30 to 2026-12-06"
    total_day = next(x for x in lines if x.startswith("total") and " day " in x).split()
    assert total_day[5:8] == ["9.1%", total_day[6], "-9.1%"] and total_day[8] == "0.91"
    doc = json.loads(CliRunner().invoke(app, ["review", str(run), "--actuals", str(acts), "--config", str(CONFIG),
                                              "--json"]).stdout)
    assert doc["forecast"]["retail"]["interval"]["wape"] == 0.0909
    assert doc["forecast"]["total"]["day"]["bias"] == -0.0909 and doc["notes"] == []


def test_review_bad_input_is_one_line(tmp_path):
    run, fc = run_folder(tmp_path)
    acts = actuals(tmp_path, fc, 1.0)
    res = CliRunner().invoke(app, ["review", str(tmp_path / "nope"), "--actuals", str(acts), "--config", str(CONFIG)])
    one_line_exit_2(res, "nope: not a folder")
    (run / "manifest.json").unlink()
    res = CliRunner().invoke(app, ["review", str(run), "--actuals", str(acts), "--config", str(CONFIG)])
    one_line_exit_2(res, "not a wfm plan run folder (no manifest.json)")
