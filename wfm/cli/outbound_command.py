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
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="CSV to write: per calling interval, the outbound agents and records worked.")] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Size an outbound campaign: the expected attempts, reach and agent-minutes per record (each attempt
    connects at the connect rate, independently), the agent-hours to work every record by the deadline, per
    day and interval (evenly or front-loaded); with --agents, what that team reaches by the deadline.

    `wfm outbound --campaign configs/campaign.toml`. Exit 1 when --agents cannot work every record by the
    deadline.
    """
    from wfm.config import load_config
    from wfm.io import atomic_write_text, to_json
    from wfm.outbound import load_campaign
    from wfm.outbound import outbound as run_outbound
    from wfm.outbound.report import render_sizing, sizing_csv, sizing_to_dict
    from wfm.outputs import check_out_paths

    check_out_paths({"--out": out}, {"--config": config, "--campaign": campaign})
    cfg = load_config(config)
    camp = load_campaign(campaign)
    result = run_outbound(cfg, camp, agents=agents)
    if out is not None:
        atomic_write_text(out, sizing_csv(result))
    if json_out:
        emit(to_json({**sizing_to_dict(result), "out": None if out is None else str(out)}))
    else:
        emit(render_sizing(result), quiet=quiet)
        if out is not None:
            log(f"wrote {out}", quiet=quiet)
    raise typer.Exit(result.exit_code)
