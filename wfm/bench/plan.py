"""`wfm plan` on the bundled example (configs/example.toml + forecasts/history.csv), as `make demo` runs it.

Runs the real command in a subprocess (imports included) into a temporary runs folder, then prints the wall
time and the per-stage timings from the run's manifest.json, the solver's status and gap, and peak memory.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run() -> None:
    config = ROOT / "configs" / "example.toml"
    history = ROOT / "forecasts" / "history.csv"
    with tempfile.TemporaryDirectory() as tmp:
        code = "import sys; from wfm.cli import main; sys.argv[0] = 'wfm'; main()"
        cmd = [sys.executable, "-c", code, "plan", "--config", str(config), "--history", str(history),
               "--out", tmp, "--quiet"]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            print(f"wfm plan failed (exit {proc.returncode}): {proc.stderr.strip()}")
            return
        folder = next(p for p in Path(tmp).iterdir() if p.is_dir() and not p.name.startswith("."))
        m = json.loads((folder / "manifest.json").read_text())
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = m["timings_s"]
    s = m["solver"]
    h = m["headline"]
    print(f"wfm plan, bundled example, {m['settings']['weeks']} week from {m['run']}: {wall:.1f} s wall "
          f"(exit {proc.returncode}), child CPU {child.ru_utime + child.ru_stime:.1f} s, "
          f"peak RSS {child.ru_maxrss / 1024:.0f} MB")
    stages = ("load", "forecast", "staffing", "roster", "ratio", "files")
    print("  stages (s): " + ", ".join(f"{k} {t[k]:.2f}" for k in stages if k in t))
    gap = "n/a" if s["gap"] is None else f"{s['gap']:.2%}"
    print(f"  solver {s['name']}: {s['status']}, gap {gap}, {s['model_size'].get('integer_variables', '?')} "
          f"integer variables, time limit {m['settings']['time_limit_s']:g} s")
    print(f"  {h['rostered_agents']} agents rostered, coverage {h['coverage']:.1%}, ratio {h['ratio']}")
