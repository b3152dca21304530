"""`wfm whatif` at a terminal (a real pseudo-terminal): each recovery's solve redraws one progress line naming
its scenario and stage, as `wfm plan` and `wfm roster` do; through a pipe, or with --quiet, none."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from wfm.io import atomic_write_csv
from whatif.small import SMALL_TOML, SURGE, small_forecast, small_roster

SCENARIO = """[[scenario]]
name = "surge"
[[scenario.volume]]
multiplier = 3.0
start = "day 1"
end = "day 3"
[scenario.levers.overtime]
"""


def _centre(folder: Path) -> list[str]:
    assert SURGE["volume"][0]["multiplier"] == 3.0  # the scenario above is the lever tests' surge
    (folder / "small.toml").write_text(SMALL_TOML)
    (folder / "storm.toml").write_text(SCENARIO)
    atomic_write_csv(folder / "forecast.csv", small_forecast())
    small_roster().to_csv(folder / "roster.csv", index=False)
    return [sys.executable, "-c", "import sys; from wfm.cli import main; sys.argv[0] = 'wfm'; main()", "whatif", "--config", str(folder / "small.toml"), "--scenarios",
            str(folder / "storm.toml"), "--roster", str(folder / "roster.csv"), "--forecast",
            str(folder / "forecast.csv"), "--time-limit", "5"]


def _run_on_a_terminal(cmd: list[str]) -> tuple[int, str]:
    """Run ``cmd`` with stderr on a pseudo-terminal (stdout a pipe); its exit code and what the terminal got."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "COLUMNS": "120"})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        seen += chunk
    proc.stdout.read()
    os.close(leader)
    return proc.wait(timeout=120), seen.decode(errors="replace")


def test_each_recovery_solve_shows_its_scenario_and_stage_at_a_terminal(tmp_path):
    cmd = _centre(tmp_path)
    code, terminal = _run_on_a_terminal(cmd)
    assert code in (0, 1), terminal
    assert "surge: recovery: best " in terminal and " gap " in terminal
    assert "scenarios: 2/2 done" in terminal
    quiet_code, quiet = _run_on_a_terminal([*cmd, "--quiet"])
    assert quiet_code == code and "recovery: best" not in quiet
    piped = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert piped.returncode == code and "recovery: best" not in piped.stderr
