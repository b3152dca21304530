"""Independent jobs on one engine: Dask's own scheduler (dask.distributed), from a laptop to a cluster.

:func:`map_jobs` runs ``fn`` on each item and returns the results in the items' order, identical to a serial
run: every job carries its own inputs, seeds and solver settings, so where it runs cannot change what it gives.

- **Serial** with one worker and no cluster (the default): no Dask at all.
- **A local cluster** with ``workers`` > 1 or ``cluster="local"``: a ``LocalCluster`` of ``workers`` processes,
  one thread each (HiGHS and numba want their own process), started for the call and closed after it.
- **A cluster**: ``cluster="tcp://host:8786"``, or the ``DASK_SCHEDULER_ADDRESS`` environment variable when no
  ``cluster`` is given: an existing scheduler (``dask scheduler``) and its workers (``dask worker tcp://...``).
  Every worker must run this wfm version: a mismatch is refused before any job (exit 2). A scheduler that does
  not answer within :data:`CONNECT_TIMEOUT_S` is exit 2 naming the address.

**Faults.** A job whose worker dies is run again on another worker (Dask's own rescheduling, with the
scheduler's ``allowed-failures`` at 1 on a local cluster); a job that raises is retried once (``retries=1``).
A job lost twice is a :class:`JobFailed` (exit 75: try again), or, with ``keep_failures``, a
:class:`Failure` in its place among the results, so the other jobs' results are kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from wfm.errors import InputError, WfmError

T = TypeVar("T")
R = TypeVar("R")
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
CONNECT_TIMEOUT_S = 10
Progress = Callable[[int, int], None]  # (jobs done, jobs in all)
# Dask settings for the processes that run wfm's jobs; configs/dask/wfm.yaml holds the same for `dask scheduler`
# and `dask worker` (a test checks the two agree), docs/cluster.md says why:
# - Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536 (glibc hands freed memory back to the system
#   from 64 KiB): on wfm's allocation-heavy jobs (pandas frames, PuLP models) that more than doubled each job's
#   time (a what-if sweep point: 6 s serially, 14 s in a worker). Unset: glibc's own threshold.
# - Dask's housekeeping wakes every process 50 times a second (the event loop's tick), reads each process's
#   memory 10 times a second and samples the running job's stack 100 times a second (the dashboard's profile).
#   An idle scheduler and two workers used 18% of a core; two busy workers ran each centre of a portfolio 10-20%
#   slower than one process alone. wfm's jobs run for seconds to minutes: a tick each second, memory read each
#   second (a worker near its memory limit is still paused, then restarted, a second later at most) and no
#   profiling cost nothing that matters, and each job runs as fast as it runs alone.
WORKER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
}


class JobFailed(WfmError):
    """A job failed twice (its worker died, or it raised something other than a wfm error)."""

    exit_code = 75


@dataclass(frozen=True)
class Failure:
    """A job that failed twice, in its place among :func:`map_jobs`'s results (``keep_failures``)."""

    index: int
    error: str  # one line

    def __str__(self) -> str:
        return self.error


def engine_of(workers: int, cluster: str | None) -> str | None:
    """Where jobs run: None (serial), ``"local"`` or a scheduler address. Checks the options (exit 2)."""
    if workers < 1:
        raise InputError(f"--workers {workers}: give 1 or more")
    if cluster is None:
        cluster = os.environ.get(SCHEDULER_ENV) or None
    if cluster is None:
        return "local" if workers > 1 else None
    cluster = cluster.strip()
    if cluster == "local":
        return "local"
    if not cluster.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        raise InputError(f"--cluster {cluster}: give 'local' or a scheduler address such as tcp://host:8786")
    return cluster


def map_jobs(fn: Callable[..., R], items: Iterable[T], *, workers: int = 1, cluster: str | None = None,
             progress: Progress | None = None, keep_failures: bool = False, shared: Any = None) -> list[R | Failure]:
    """``[fn(item) for item in items]`` on the engine :func:`engine_of` picks (module docstring); results in
    the items' order. A wfm error a job raises (bad input found in it) is raised here as it would be serially.
    ``shared``: what every job reads (a plan, a config), sent to each worker once: ``fn(item, shared)``."""
    jobs: Sequence[T] = list(items)
    where = engine_of(workers, cluster)
    if where is None or not jobs:
        out = []
        for k, item in enumerate(jobs):
            out.append(fn(item) if shared is None else fn(item, shared))
            if progress is not None:
                progress(k + 1, len(jobs))
        return out
    with _client(where, workers) as client:
        return _run(client, fn, jobs, progress, keep_failures, shared)


class _client:  # noqa: N801 - a context manager named for what it gives
    """A Dask client: on a LocalCluster made for the call, or on the scheduler at ``where``."""

    def __init__(self, where: str, workers: int):
        self.where, self.workers = where, workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        import dask
        from distributed import Client, LocalCluster

        if self.where == "local":
            # a job lost with its worker runs once more; one job at a time per worker (saturation 1), so only the
            # job running when a worker dies counts that death, not one merely queued behind it
            with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                                  "distributed.scheduler.worker-saturation": 1.0, **WORKER_CONFIG}):
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=50)
            self.client = Client(self.cluster)
            return self.client
        try:
            self.client = Client(self.where, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"--cluster {self.where}: no Dask scheduler answered within {CONNECT_TIMEOUT_S} s "
                             f"({type(exc).__name__})") from None
        check_versions(self.client, self.where)
        return self.client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _wfm_version() -> str:
    from wfm import __version__

    return __version__


def check_versions(client: Any, where: str) -> None:
    """Refuse (exit 2) a cluster with no workers or a worker running another wfm version."""
    from wfm import __version__

    versions = client.run(_wfm_version, on_error="ignore")  # a worker lost meanwhile is not asked
    if not versions:
        raise InputError(f"--cluster {where}: the scheduler has no workers (start some: dask worker {where})")
    for worker, version in sorted(versions.items()):
        if version != __version__:
            raise InputError(f"--cluster {where}: worker {worker} runs wfm {version}, this is wfm {__version__}; "
                             "install the same wfm on every worker")


def _run(client: Any, fn: Callable[..., R], jobs: Sequence[T], progress: Progress | None,
         keep_failures: bool, shared: Any = None) -> list[R | Failure]:
    from distributed import as_completed

    if shared is None:
        futures = client.map(fn, jobs, pure=False, retries=1)
    else:  # sent once to every worker, not pickled into every job
        try:
            common = client.scatter(shared, broadcast=True, hash=False)
        except Exception:  # noqa: BLE001 - a worker lost while it is sent: send it with each job instead
            common = shared
        futures = client.map(fn, jobs, [common] * len(jobs), pure=False, retries=1)
    index = {f.key: k for k, f in enumerate(futures)}
    out: list[Any] = [None] * len(jobs)
    done = 0
    for future in as_completed(futures):
        k = index[future.key]
        try:
            out[k] = future.result()
        except WfmError:
            for f in futures:
                f.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - a lost worker (KilledWorker) or a bug in the job, twice
            text = f"job {k + 1} of {len(jobs)} failed twice: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            if not keep_failures:
                for f in futures:
                    f.cancel()
                raise JobFailed(text) from None
            out[k] = Failure(k, text)
        done += 1
        if progress is not None:
            progress(done, len(jobs))
    return out
