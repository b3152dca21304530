"""`wfm roster`: staffing.csv -> roster.csv, coverage.csv and service.csv (wfm.roster)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from wfm.cli.shell import (
    ConfigOpt,
    JsonOpt,
    OutOpt,
    QuietOpt,
    app,
    emit,
    log,
    wfm_command,
)
from wfm.config import DEFAULT_CONFIG
from wfm.errors import InputError


@app.command("roster")
@wfm_command
def roster_command(
    staffing_csv: Annotated[
        Path | None, typer.Argument(help="Staffing CSV from `wfm staff` (timestamp,queue,...,scheduled).")
    ] = None,
    config: ConfigOpt = DEFAULT_CONFIG,
    weeks: Annotated[int, typer.Option(help="Weeks to roster (1 to 6); weekly rules apply per week.")] = 1,
    start: Annotated[
        str | None, typer.Option(help="First roster day, YYYY-MM-DD (default: the first staffing day).")
    ] = None,
    agents: Annotated[
        Path | None, typer.Option(help="agents.csv: agent_id,contract[,unavailable,preferred_shifts].")
    ] = None,
    solver: Annotated[str | None, typer.Option(help="highs (default) or cbc.")] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Solver time limit, seconds (default: config).", min=0.1, max=86_400)
    ] = None,
    gap: Annotated[
        float | None, typer.Option(help="Stop within this relative gap of the bound, e.g. 0.01 (default: config).",
                                   min=0.0, max=0.99)
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Forbid under-coverage: no plan (exit 3) rather than a shortfall.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also print where the paid hours go: workload, queueing margin, "
                           "shrinkage, rounding, over-coverage, ... adding up to the paid hours (--json: 'explain').")
    ] = False,
    suggest_shifts: Annotated[
        bool, typer.Option("--suggest-shifts", help="Try changes to the [[shifts]] (wider start windows, finer "
                           "steps, lengths, new templates): solve each as a roster, print its saving against the "
                           "config as it is and the TOML to paste; the roster is written only with --out.")
    ] = False,
    suggestions: Annotated[
        int | None, typer.Option(help="With --suggest-shifts: how many candidate changes to solve, 1 to 12 "
                                 "(default: all of them); each takes up to --time-limit.")
    ] = None,
    agent: Annotated[
        str | None, typer.Option(help="Print this agent's days of a published roster (see --roster) instead "
                                 "of building one.")
    ] = None,
    roster: Annotated[
        Path, typer.Option(help="With --agent: a roster.csv, a run folder, or a runs folder (its newest run).")
    ] = Path("forecasts/runs"),
    out: OutOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Roster agents on shifts at least cost (MILP), with breaks, days off and named agents.

    `wfm roster staffing.csv --config configs/example.toml --weeks 1 --out roster.csv` writes roster.csv and
    coverage.csv beside it. Exit 1 when some intervals stay under-covered (listed), 3 when --strict cannot
    be met. `wfm roster --agent A0001` prints one agent's week of the newest run in forecasts/runs.
    """
    from tabulate import tabulate

    from wfm import roster as rmod
    from wfm.config import load_config
    from wfm.io import to_json

    if agent is not None:
        if staffing_csv is not None:
            raise InputError("--agent prints a published roster (--roster); give no STAFFING_CSV with it")
        path, week = rmod.read_agent_week(roster, agent)
        if json_out:
            emit(to_json({"agent": agent, "roster": str(path), "days": week.to_dict(orient="records")}))
        else:
            shown = week.copy()
            for col in ("hours", "on_phones"):
                shown[col] = [f"{v:.2f}" if v else "" for v in week[col]]
            emit(f"{agent} in {path}", quiet=quiet)
            emit(tabulate(shown, headers="keys", tablefmt="simple", showindex=False, disable_numparse=True,
                          colalign=("left",) * 6 + ("right", "right")), quiet=quiet)
            emit(f"{int((week['shift'] != 'off').sum())} shifts, {week['hours'].sum():.2f} hours on site, "
                 f"{week['on_phones'].sum():.2f} on the phones", quiet=quiet)
        return
    if staffing_csv is None:
        raise InputError("give STAFFING_CSV (from `wfm staff`) to build a roster, or --agent ID to print one")

    rmod.check_roster_out(out, {"STAFFING_CSV": staffing_csv, "--config": config, "--agents": agents})
    if suggestions is not None and not suggest_shifts:
        raise InputError("--suggestions needs --suggest-shifts")
    cfg = load_config(config)
    watch = sys.stderr.isatty() and not quiet
    progress = rmod.progress_printer(sys.stderr) if watch else None
    if suggest_shifts:
        _suggest(staffing_csv, cfg, agents, start, progress, watch, out, json_out, quiet, suggestions=suggestions,
                 weeks=weeks, solver=solver, time_limit_s=time_limit, gap=gap, strict=strict or None)
        return
    result = rmod.roster_files(staffing_csv, cfg, agents_csv=agents, start=start, progress=progress, weeks=weeks,
                               solver=solver, time_limit_s=time_limit, gap=gap, strict=strict or None,
                               explain=explain)
    if watch:
        sys.stderr.write("\n")
    cov_path = rmod.write_roster(result, out) if out is not None else None
    if json_out:
        emit(to_json({**result.summary(), "out": str(out) if out else None,
                      "coverage": str(cov_path) if cov_path else None, "uncovered": rmod.uncovered_records(result),
                      "notes": list(result.notes),
                      **({"explain": result.explained.to_dict()} if explain else {})}))
    else:
        emit(tabulate(rmod.summary_table(result), tablefmt="plain", disable_numparse=True), quiet=quiet)
        if explain:
            emit("", quiet=quiet)
            emit(rmod.explain_text(result.explained), quiet=quiet)
        if out is not None:
            log(f"wrote {out} ({len(result.assignments)} rows), {cov_path} and {cov_path.parent / 'service.csv'}",
                quiet=quiet)
    if not json_out:
        for note in result.notes:
            log(f"note: {note}", quiet=quiet)
    if len(result.uncovered):
        log(rmod.uncovered_message(result))
    if broken := rmod.violations_message(result):
        log(broken)
    if short := rmod.short_periods_message(result):
        log(short)
    raise typer.Exit(result.exit_code)


def _suggest(staffing_csv: Path, cfg: Any, agents: Path | None, start: str | None, progress: Any, watch: bool,
             out: Path | None, json_out: bool, quiet: bool, **settings: Any) -> None:
    """`wfm roster --suggest-shifts`: the baseline and the candidates solved (wfm.roster.suggest), a table and
    the TOML to paste; the baseline roster written only with --out."""
    from tabulate import tabulate

    from wfm import roster as rmod
    from wfm.io import to_json
    from wfm.roster import suggest as smod

    if settings["suggestions"] is None:
        settings.pop("suggestions")

    def announce(i: int, n: int, text: str) -> None:
        sys.stderr.write(f"\n[{i}/{n}] {text}\n" if i else f"baseline: {text}\n")

    found = smod.suggest_shifts_files(staffing_csv, cfg, agents_csv=agents, start=start, progress=progress,
                                      announce=announce if watch else None, **settings)
    if watch:
        sys.stderr.write("\n")
    result = found.baseline
    cov_path = rmod.write_roster(result, out) if out is not None else None
    if json_out:
        emit(to_json({**found.to_dict(), "out": str(out) if out else None,
                      "coverage": str(cov_path) if cov_path else None}))
    else:
        rows = smod.suggestions_table(found)
        emit("\n".join(smod.baseline_lines(found)), quiet=quiet)
        emit(tabulate(rows[1:], headers=rows[0], tablefmt="simple", disable_numparse=True), quiet=quiet)
        emit("", quiet=quiet)
        emit(smod.paste_text(found).rstrip("\n"), quiet=quiet)
        if out is not None:
            log(f"wrote {out} ({len(result.assignments)} rows), {cov_path} and {cov_path.parent / 'service.csv'}",
                quiet=quiet)
    if len(result.uncovered):
        log(rmod.uncovered_message(result))
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- ratio
