"""``wfm plan``: the whole job, forecast -> staffing -> roster -> ratio, into one run folder (cron-safe).

- :mod:`~wfm.plan.pipeline`: :func:`plan`, the stages on plain data, and the targets it checks;
- :mod:`~wfm.plan.run`: :func:`run`, lock + load + plan + publish, and the run folder's files;
- :mod:`~wfm.plan.publish`: the lock and the atomic folder swap;
- :mod:`~wfm.plan.manifest`, :mod:`~wfm.plan.summary`: manifest.json, summary.md and the headline table.
"""

from wfm.plan.manifest import manifest, sha256_file
from wfm.plan.pipeline import (
    MAX_WEEKS,
    Breach,
    PlanResult,
    Progress,
    assess,
    default_start,
    last_weeks_actuals,
    plan,
    roster_settings,
)
from wfm.plan.publish import LOCK_NAME, clean_leftovers, publish_folder, run_lock
from wfm.plan.run import CSV_FLOAT_FORMAT, RUN_FILES, PlanRun, run, run_files, write_run
from wfm.plan.summary import StageProgress, headline_table, summary_markdown

__all__ = [
    "CSV_FLOAT_FORMAT", "LOCK_NAME", "MAX_WEEKS", "RUN_FILES", "Breach", "PlanResult", "PlanRun", "Progress",
    "StageProgress", "assess", "clean_leftovers", "default_start", "headline_table", "last_weeks_actuals",
    "manifest", "plan", "publish_folder", "roster_settings", "run", "run_files", "run_lock", "sha256_file",
    "summary_markdown", "write_run",
]
