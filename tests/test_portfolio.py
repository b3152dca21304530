"""`wfm plan --portfolio`: three small generated centres planned serially and on a real LocalCluster of 2
processes give byte-identical run folders (all but manifest.json, whose timings differ by design) and summary;
a centre that fails is its row, not the end of the others; bad portfolio files are one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.bad_input import one_line_exit_2
from wfm.cli import app
from wfm.generate import write_small_centre

NAMES = ("north", "south", "east")


def sites(folder: Path, names=NAMES, extra: str = "") -> Path:
    for k, name in enumerate(names):
        if not (folder / f"{name}.toml").exists():
            write_small_centre(folder, name, seed=10 + k, peak=8.0 + 4 * k)
    text = 'summary = "runs/portfolio.csv"\n'
    for name in names:
        text += (f'[[centres]]\nname = "{name}"\nconfig = "{name}.toml"\nhistory = "{name}-history.csv"\n'
                 f'out = "runs/{name}"\nreplications = 0\n')
    path = folder / "sites.toml"
    path.write_text(text + extra)
    return path


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json" and not p.name.startswith(".")}


def test_a_portfolio_on_a_local_cluster_writes_the_serial_bytes(tmp_path):
    serial_dir, cluster_dir = tmp_path / "serial", tmp_path / "cluster"
    for d in (serial_dir, cluster_dir):
        d.mkdir()
        sites(d)
    one = CliRunner().invoke(app, ["plan", "--portfolio", str(serial_dir / "sites.toml"), "--json"])
    two = CliRunner().invoke(app, ["plan", "--portfolio", str(cluster_dir / "sites.toml"), "--workers", "2",
                                   "--json"])
    assert one.exit_code == 0 and two.exit_code == 0, (one.stderr, two.stderr)
    a, b = files(serial_dir / "runs"), files(cluster_dir / "runs")
    assert set(a) == set(b) and len(a) > 3 * 8
    assert [k for k in a if a[k] != b[k]] == []
    summary = pd.read_csv(serial_dir / "runs" / "portfolio.csv")
    assert list(summary["centre"]) == list(NAMES) and (summary["exit_code"] == 0).all()
    assert (summary["agents"] > 0).all() and (summary["service_level"] >= summary["service_level_target"]).all()
    doc = json.loads(two.stdout)
    assert [c["centre"] for c in doc["centres"]] == list(NAMES) and doc["exit_code"] == 0
    for name in NAMES:  # each centre's own run folder, published whole
        manifest = json.loads((cluster_dir / "runs" / name / "2026-11-30" / "manifest.json").read_text())
        assert manifest["exit_code"] == 0 and "roster.csv" in manifest["files"]


def test_a_centre_that_fails_is_its_row_and_the_others_are_planned(tmp_path):
    path = sites(tmp_path, names=("north", "south"))
    history = tmp_path / "south-history.csv"
    lines = history.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 2)[0] + ",lots,300"
    history.write_text("\n".join(lines) + "\n")
    res = CliRunner().invoke(app, ["plan", "--portfolio", str(path)])
    assert res.exit_code == 2
    summary = pd.read_csv(tmp_path / "runs" / "portfolio.csv", keep_default_na=False)
    north, south = summary.iloc[0], summary.iloc[1]
    assert north["exit_code"] == 0 and (tmp_path / "runs" / "north" / "2026-11-30" / "roster.csv").exists()
    assert south["exit_code"] == 2 and "south-history.csv" in south["error"] and "line 6" in south["error"]
    assert not (tmp_path / "runs" / "south").exists()
    assert "south: exit 2:" in res.stderr


@pytest.mark.parametrize("edit,needles", [
    (lambda t: t.replace('config = "south.toml"', 'config = "nowhere.toml"'),
     ["centre 'south': config", "nowhere.toml is not a file"]),
    (lambda t: t.replace('out = "runs/south"', 'out = "runs/north"'),
     ["centres 'north' and 'south' share the out folder"]),
    (lambda t: t.replace('name = "south"', 'name = "north"'), ["centre name", "north"]),
    (lambda t: t.replace("replications = 0", "replications = -1", 1), ["replications"]),
])
def test_bad_portfolio_files_are_one_line_exit_2(tmp_path, edit, needles):
    path = sites(tmp_path, names=("north", "south"))
    path.write_text(edit(path.read_text()))
    res = CliRunner().invoke(app, ["plan", "--portfolio", str(path)])
    one_line_exit_2(res, "sites.toml", *needles)
    assert not (tmp_path / "runs").exists()


def test_per_centre_options_and_workers_without_a_portfolio_are_refused(tmp_path):
    path = sites(tmp_path, names=("north",))
    one_line_exit_2(CliRunner().invoke(app, ["plan", "--portfolio", str(path), "--weeks", "2"]),
                    "--portfolio: --weeks belong in the portfolio file")
    one_line_exit_2(CliRunner().invoke(app, ["plan", "--workers", "2"]), "--workers and --cluster go with --portfolio")
    one_line_exit_2(CliRunner().invoke(app, ["plan", "--portfolio", str(path), "--workers", "0"]), "--workers")
