"""manifest.json: what a run was made from (inputs with their sha256, settings, versions) and what it gave
(models, solver, headline, breaches, the other files' sha256, timings). The only file of a run folder that
varies from run to run (its timestamp and timings)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm import __version__
from wfm.io import json_number
from wfm.plan.pipeline import PlanResult


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(
    result: PlanResult,
    files: Mapping[str, bytes],
    inputs: Mapping[str, str | os.PathLike[str] | None],
    timings: Mapping[str, float],
    command: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """manifest.json: inputs with sha256, wfm version, every setting, models, solver and timings."""
    import matplotlib
    import pulp

    ins: dict[str, Any] = {}
    for role, path in inputs.items():
        if path is None:
            ins[role] = None
            continue
        p = Path(path)
        ins[role] = {"path": str(path), "sha256": sha256_file(p), "bytes": p.stat().st_size}
    r = result.roster
    return {
        "wfm_version": __version__,
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "run": result.name,
        "inputs": ins,
        "settings": {**result.settings, "config": result.config.model_dump(mode="json")},
        "models": result.models(),
        "history": result.forecast.history_summary,
        "solver": {
            "name": r.solver,
            "status": r.status,
            "objective": json_number(r.objective, 6),
            "lower_bound": json_number(r.lower_bound, 6),
            "gap": json_number(r.gap, 6),
            "model_size": dict(r.model_size),
            "solve_seconds": round(float(r.solve_seconds), 3),
        },
        "headline": result.headline,
        "service": result.proof.summary() if result.proof is not None else {},
        "routing": result.calibration.to_dict() if result.calibration is not None else {},
        "paid_hours": result.explained.to_dict() if result.explained is not None else {},
        "breaches": [{"target": b.target, "message": b.message} for b in result.breaches],
        "exit_code": result.exit_code,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        "timings_s": {k: round(float(v), 3) for k, v in timings.items()},
        "versions": {
            "python": ".".join(map(str, sys.version_info[:3])),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "pulp": pulp.__version__ if hasattr(pulp, "__version__") else None,
            "matplotlib": matplotlib.__version__,
        },
    }
