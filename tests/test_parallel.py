"""wfm.parallel on a real Dask LocalCluster (2 processes): results in order and equal to serial, a wfm error
raised as serially, a worker killed mid-run (the job runs again elsewhere, same results), a job lost twice, and
one-line errors for bad options and an unreachable scheduler."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from wfm import parallel
from wfm.errors import InputError


def square(x: int) -> tuple[int, int]:
    return x, x * x


def bad_input(x: int) -> int:
    if x == 3:
        raise InputError(f"job {x}: bad input")
    return x


def die_once(arg: tuple[int, str]) -> tuple[int, int]:
    """Kills its worker process the first time it runs item 2 (a marker file says it did), then works."""
    x, marker = arg
    if x == 2 and not os.path.exists(marker):
        Path(marker).write_text("killed")
        os._exit(1)
    return x, x * x


KILL_MARKER_ENV = "WFM_TEST_KILL_MARKER"


def sweep_point_that_kills_its_worker(task: tuple, plan):
    """The what-if sweep's job, except that the first time it runs the volume=2 point it kills its worker
    process mid-job (a marker file, named by an environment variable the workers inherit, says it did)."""
    from wfm.whatif.run import run_scenario

    scenario, kwargs = task
    marker = os.environ[KILL_MARKER_ENV]
    if kwargs.get("sweep") == {"volume": 2.0} and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(1)
    return run_scenario(plan, scenario, **kwargs)


def die_always(x: int) -> int:
    if x == 1:
        os._exit(1)
    return x


def test_a_local_cluster_gives_the_serial_results_in_order():
    serial = parallel.map_jobs(square, range(12))
    seen = []
    two = parallel.map_jobs(square, range(12), workers=2, progress=lambda d, t: seen.append((d, t)))
    assert two == serial == [(x, x * x) for x in range(12)]
    assert seen[-1] == (12, 12) and len(seen) == 12


def worker_settings(_: int) -> dict:
    import dask

    return {key: dask.config.get(key) for key in parallel.WORKER_CONFIG}


def test_the_workers_run_with_wfms_dask_settings_the_same_as_configs_dask_wfm_yaml():
    # the local cluster's workers see wfm's settings, and the file `dask worker` reads says the same
    import dask
    import yaml

    (seen,) = parallel.map_jobs(worker_settings, [0], workers=2)
    assert seen == parallel.WORKER_CONFIG
    assert seen["distributed.worker.profile.enabled"] is False
    doc = yaml.safe_load((Path(__file__).parents[1] / "configs" / "dask" / "wfm.yaml").read_text())
    with dask.config.set(doc):  # the file's nested keys, flattened as Dask reads them
        assert {key: dask.config.get(key) for key in parallel.WORKER_CONFIG} == parallel.WORKER_CONFIG


def test_a_wfm_error_in_a_job_is_raised_as_serially():
    with pytest.raises(InputError, match="job 3: bad input"):
        parallel.map_jobs(bad_input, range(6), workers=2)


def test_a_worker_killed_mid_run_the_job_runs_again_and_the_results_are_the_same(tmp_path):
    marker = str(tmp_path / "killed")
    out = parallel.map_jobs(die_once, [(x, marker) for x in range(8)], workers=2)
    assert Path(marker).exists()  # a worker did die
    assert out == [(x, x * x) for x in range(8)]


def test_a_worker_killed_mid_sweep_the_sweep_completes_with_the_serial_results(tmp_path, monkeypatch):
    """A what-if sweep on a LocalCluster of 2 processes whose worker dies while it solves one sweep point: the
    point runs again on a worker, and the whole result equals the serial sweep's."""
    from whatif.small import SURGE, small_config, small_forecast, small_roster

    from wfm import whatif as W
    from wfm.whatif.scenario import parse_scenarios

    scen = parse_scenarios({"scenario": [{"name": "surge", **SURGE, "levers": {"overtime": {}}}]})
    args = (small_config(), scen, small_forecast(), small_roster())
    serial = W.whatif(*args, sweep="volume=1:3:0.5")
    marker = tmp_path / "killed"
    monkeypatch.setenv(KILL_MARKER_ENV, str(marker))
    monkeypatch.setattr("wfm.whatif.run._run_shared", sweep_point_that_kills_its_worker)
    seen: list[int] = []
    two = W.whatif(*args, sweep="volume=1:3:0.5", workers=2, progress=lambda d, t: seen.append(d))
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # a worker process did die mid-sweep
    assert two.to_dict() == serial.to_dict()
    assert seen == list(range(1, 7))  # the baseline and 5 points, each counted once


def test_a_job_lost_twice_is_a_failure_and_the_others_are_kept():
    out = parallel.map_jobs(die_always, range(4), workers=2, keep_failures=True)
    assert out[0] == 0 and out[2] == 2 and out[3] == 3
    assert isinstance(out[1], parallel.Failure) and "job 2 of 4 failed twice" in out[1].error
    with pytest.raises(parallel.JobFailed):
        parallel.map_jobs(die_always, range(4), workers=2)


def test_bad_options_and_an_unreachable_scheduler(monkeypatch):
    monkeypatch.delenv(parallel.SCHEDULER_ENV, raising=False)
    with pytest.raises(InputError, match="--workers 0"):
        parallel.map_jobs(square, range(3), workers=0)
    with pytest.raises(InputError, match="--cluster somewhere: give 'local' or a scheduler address"):
        parallel.map_jobs(square, range(3), cluster="somewhere")
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT_S", 2)
    with pytest.raises(InputError, match=r"--cluster tcp://127.0.0.1:9: no Dask scheduler answered within 2 s"):
        parallel.map_jobs(square, range(3), cluster="tcp://127.0.0.1:9")
    monkeypatch.setenv(parallel.SCHEDULER_ENV, "tcp://127.0.0.1:9")
    assert parallel.engine_of(1, None) == "tcp://127.0.0.1:9"


def test_a_worker_with_another_wfm_version_is_refused():
    class Client:
        def run(self, fn, on_error="raise"):
            return {"tcp://10.0.0.5:4000": "0.0.1"}

    with pytest.raises(InputError, match="worker tcp://10.0.0.5:4000 runs wfm 0.0.1"):
        parallel.check_versions(Client(), "tcp://sched:8786")


def test_simulated_replications_in_parts_on_a_local_cluster_equal_the_serial_run():
    """wfm simulate's replications split over a LocalCluster of 2: every table equal to the serial run's (each
    replication's draws are its own)."""
    from tests.simulate import small
    from wfm.simulate import simulate

    cfg, fc = small.config(), small.forecast(days=2)
    one = simulate(cfg, fc, agents=small.agents(days=2), replications=12, seed=3)
    two = simulate(cfg, fc, agents=small.agents(days=2), replications=12, seed=3, workers=2)
    for a, b in ((one.intervals, two.intervals), (one.days, two.days), (one.queues, two.queues)):
        pd.testing.assert_frame_equal(a, b)
    assert one.calls == two.calls

