"""Outbound campaigns (``wfm outbound``): what a calling campaign's records cost to work, sized to its deadline,
worked by a given team, or blended into a published week's idle agents with the rest bought at least cost
(docs/outbound.md)."""

from __future__ import annotations

import os

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.outbound.blend import Blend, blend, read_week
from wfm.outbound.campaign import CampaignFile, load_campaign, record_work
from wfm.outbound.sizing import Sizing, size

__all__ = ["Blend", "CampaignFile", "Sizing", "blend", "load_campaign", "outbound", "read_week", "record_work",
           "size"]


def outbound(config: CentreConfig, campaign: CampaignFile, *, agents: int | None = None,
             run: str | os.PathLike[str] | None = None) -> Sizing | Blend:
    """The campaign sized to its deadline; worked by a team of ``agents`` (reach by the deadline, finish day);
    or blended into the published week of ``run`` (a `wfm plan` run folder): its idle agents first, then the
    least-cost extra hours."""
    source = campaign.source or "campaign"
    if run is not None:
        if agents is not None:
            raise InputError("give --agents or --run, not both (a team of its own, or the run's idle agents)")
        return blend(config, campaign.campaign, read_week(config, run), source=source)
    return size(config, campaign.campaign, agents=agents, source=source)


