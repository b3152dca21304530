"""`wfm outbound`: size a calling campaign to its deadline, or see what a team reaches by it (wfm.outbound)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wfm.cli.shell import ConfigOpt, JsonOpt, QuietOpt, app, emit, log, wfm_command
from wfm.config import DEFAULT_CONFIG

DEFAULT_CAMPAIGN = Path("configs/campaign.toml")


@app.command("outbound")
@wfm_command
def outbound_command(
    config: ConfigOpt = DEFAULT_CONFIG,
    campaign: Annotated[Path, typer.Option(
        "--campaign", help="Campaign file (TOML): records, attempts, connect rate, handle times, dialler, calling "
                           "hours and days, start and deadline.")] = DEFAULT_CAMPAIGN,
    agents: Annotated[int | None, typer.Option(
        help="A team of this many callers on every calling interval: the reach it makes by the deadline and the "
             "day it finishes (exit 1 when that is after the deadline).", min=1, max=100_000)] = None,
    run: Annotated[Path | None, typer.Option(
        help="A `wfm plan` run folder: blend the campaign into its roster's idle agents first (inbound kept at its "
             "targets), then buy the rest as overtime or extra shifts at least cost.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="CSV to write: per calling interval, the outbound agents and records worked (with "
                            "--run also the inbound requirement and the rostered agents, and a chart beside it, "
                            ".png).")] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Size an outbound campaign: the expected attempts, reach and agent-minutes per record (each attempt
    connects at the connect rate, independently), the agent-hours to work every record by the deadline, per
    day and interval (evenly or front-loaded); with --agents, what that team reaches by the deadline.

    With --run, the campaign is blended into a published week: the roster's idle agents call first, as far as
    every queue's targets allow, and only the rest is bought (overtime, extra shifts) at least cost.

    `wfm outbound --campaign configs/campaign.toml [--run forecasts/runs/2026-11-30]`. Exit 1 when the
    records cannot all be worked by the deadline (--agents too few; --run: no source left).
    """
    from wfm.config import load_config
    from wfm.io import atomic_write_text, to_json
    from wfm.outbound import Blend, load_campaign
    from wfm.outbound import outbound as run_outbound
    from wfm.outbound.report import (
        blend_chart,
        blend_csv,
        blend_to_dict,
        render_blend,
        render_sizing,
        sizing_csv,
        sizing_to_dict,
    )
    from wfm.outputs import check_out_paths, publish_files

    chart = out.with_suffix(".png") if out is not None and run is not None else None
    inputs = {"--config": config, "--campaign": campaign}
    if run is not None:  # never write over the files of the run it reads
        inputs.update({f"--run {name}": run / name for name in ("forecast.csv", "roster.csv", "coverage.csv",
                                                                 "manifest.json")})
    check_out_paths({"--out": out, "the chart beside --out": chart}, inputs)
    cfg = load_config(config)
    camp = load_campaign(campaign)
    result = run_outbound(cfg, camp, agents=agents, run=run)
    blended = isinstance(result, Blend)
    if out is not None:
        if blended:
            publish_files(out.parent, {out.name: blend_csv(result).encode(), chart.name: blend_chart(result)},
                          f"{out.stem}.manifest.json")
        else:
            atomic_write_text(out, sizing_csv(result))
    written = [p for p in (out, chart) if p is not None]
    if json_out:
        doc = blend_to_dict(result) if blended else sizing_to_dict(result)
        emit(to_json({**doc, "out": [str(p) for p in written]}))
    else:
        emit(render_blend(result) if blended else render_sizing(result), quiet=quiet)
        for note in getattr(result, "notes", []):
            log(f"note: {note}", quiet=quiet)
        for path in written:
            log(f"wrote {path}", quiet=quiet)
    raise typer.Exit(result.exit_code)
