"""Outbound campaigns (``wfm outbound``): what a calling campaign's records cost to work, sized to its deadline
or worked by a given team (docs/outbound.md)."""

from __future__ import annotations

from wfm.config import CentreConfig
from wfm.outbound.campaign import CampaignFile, load_campaign, record_work
from wfm.outbound.sizing import Sizing, size

__all__ = ["CampaignFile", "Sizing", "load_campaign", "outbound", "record_work", "size"]


def outbound(config: CentreConfig, campaign: CampaignFile, *, agents: int | None = None) -> Sizing:
    """The campaign sized to its deadline, or worked by a team of ``agents`` (reach by the deadline, finish
    day)."""
    return size(config, campaign.campaign, agents=agents, source=campaign.source or "campaign")


