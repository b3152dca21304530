"""`make bench` figures for the one engine (`wfm.parallel`, Dask): a 40-point storm sweep and a portfolio of 8
generated centres (each the bundled example's size), each serially, on a local cluster of 2 processes (target: at least 1.6x faster on 2
cores), and through a scheduler started as separate processes on this machine (`dask scheduler` and two
`dask worker` processes), to show the cluster path end to end. Every run's results must equal the serial ones.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEEDUP_TARGET = 1.6
POINTS = 40
CENTRES = 8


@contextlib.contextmanager
def _external_cluster(folder: Path) -> Iterator[str]:
    """A scheduler and two single-threaded worker processes started with Dask's own command, for one engine's
    run only (idle, they would take CPU from the others'); their address."""
    dask = Path(sys.executable).with_name("dask")
    scheduler_file = folder / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    # as wfm.parallel's local cluster: configs/dask/wfm.yaml's settings (docs/cluster.md)
    env = {**os.environ, "DASK_CONFIG": str(ROOT / "configs" / "dask")}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    procs = [subprocess.Popen([str(dask), "scheduler", "--port", "0", "--dashboard-address", ":0",
                               "--scheduler-file", str(scheduler_file)], **quiet)]
    try:
        deadline = time.time() + 60
        while not scheduler_file.exists() and time.time() < deadline:
            time.sleep(0.2)
        procs.append(subprocess.Popen([str(dask), "worker", "--scheduler-file", str(scheduler_file), "--nworkers",
                                       "2", "--nthreads", "1", "--no-dashboard"], **quiet))
        from distributed import Client

        address = json.loads(scheduler_file.read_text())["address"]
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def run(parts: tuple[str, ...] = ("sweep", "portfolio")) -> None:
    with tempfile.TemporaryDirectory(prefix="wfm-bench-parallel-") as tmp:
        folder = Path(tmp)
        if "sweep" in parts:
            _sweep(folder)
        if "portfolio" in parts:
            _portfolio(folder)


# None: a scheduler and two workers started as separate processes (:func:`_external_cluster`)
ENGINES = (("serial", {}), ("local cluster, 2 processes", {"workers": 2}), ("dask scheduler + 2 dask workers", None))


@contextlib.contextmanager
def _engine(kw: dict | None, folder: Path) -> Iterator[dict]:
    """The keywords that run on one engine; the external cluster runs only while its engine is timed (its
    start is not timed: it is there before `wfm ... --cluster` is run)."""
    if kw is not None:
        yield kw
        return
    with _external_cluster(folder) as address:
        yield {"cluster": address}


def _report(what: str, times: dict[str, float], outputs: dict[str, str]) -> None:
    """Each engine's seconds, speed-up and whether its output is the serial one's (the first differing line
    when it is not), and the target."""
    base = times["serial"]
    print(what)
    for label, secs in times.items():
        same = outputs[label] == outputs["serial"]
        print(f"  {label:32s} {secs:7.1f} s  x{base / secs:4.2f}  identical to serial: {same}")
        if not same:
            for a, b in zip(outputs["serial"].splitlines(), outputs[label].splitlines(), strict=False):
                if a != b:
                    print(f"    serial: {a}\n    {label}: {b}")
                    break
    speed = base / times["local cluster, 2 processes"]
    print(f"  target: at least {SPEEDUP_TARGET}x on 2 cores: {'met' if speed >= SPEEDUP_TARGET else 'MISSED'}")


def _sweep(folder: Path) -> None:
    from wfm import history as hist
    from wfm import whatif as W
    from wfm.config import load_config
    from wfm.whatif.scenario import load_scenarios

    cfg = load_config(ROOT / "configs" / "example.toml")
    storm = load_scenarios(ROOT / "configs" / "storm.toml")[0]
    fc, ro, _ = W.baseline_inputs(cfg, history=hist.read_history(ROOT / "forecasts" / "history.csv"),
                                  horizon_days=7, roster_time_limit_s=60)
    sweep = f"volume=1.0:{1.0 + 0.05 * (POINTS - 1):.2f}:0.05"
    times: dict[str, float] = {}
    tables: dict[str, str] = {}
    for label, engine in ENGINES:
        with _engine(engine, folder) as kw:
            t = time.perf_counter()
            res = W.whatif(cfg, [storm], fc, ro, sweep=sweep, **kw)
            times[label] = time.perf_counter() - t
        tables[label] = res.comparison().to_csv(index=False)
    _report(f"storm sweep {sweep} ({POINTS} points + baseline, the storm's week):", times, tables)


def _portfolio(folder: Path) -> None:
    from wfm.generate import generate_history
    from wfm.io import atomic_write_csv
    from wfm.plan.portfolio import load_portfolio, portfolio

    sites = folder / "sites.toml"
    text = ""
    example = (ROOT / "configs" / "example.toml").read_text()
    for k in range(CENTRES):
        # a client centre the size of the bundled example (three queues, 24x7, about 200 agents), each with its
        # own year of history (its own seed), planned one week ahead to a 5% gap
        name = f"centre{k + 1}"
        (folder / f"{name}.toml").write_text(example.replace('name = "Example Care Centre"', f'name = "{name}"'))
        atomic_write_csv(folder / f"{name}-history.csv", generate_history(seed=200 + k))
        text += (f'[[centres]]\nname = "{name}"\nconfig = "{name}.toml"\nhistory = "{name}-history.csv"\n'
                 f'out = "runs/{name}"\ngap = 0.05\ntime_limit_s = 600\n')
    sites.write_text(text)
    jobs, _ = load_portfolio(sites)
    times: dict[str, float] = {}
    outputs: dict[str, str] = {}
    for label, engine in ENGINES:
        shutil.rmtree(folder / "runs", ignore_errors=True)
        with _engine(engine, folder) as kw:
            t = time.perf_counter()
            table = portfolio(jobs, **kw)
            times[label] = time.perf_counter() - t
        # the summary and every run folder's files but manifest.json (its timings differ by design)
        files = sorted(p for p in (folder / "runs").rglob("*") if p.is_file() and p.name != "manifest.json")
        digest = "\n".join(f"{p.relative_to(folder)} {hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files)
        outputs[label] = table.to_csv(index=False) + digest
    _report(f"portfolio of {CENTRES} generated centres (the bundled example's size and rules, each its own year of "
            "history; one week planned to a 5% gap):", times, outputs)
