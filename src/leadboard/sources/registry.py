"""Every ATS kind Leadboard reads, and the connector class that reads it.

One line a kind: ``kind → "module:Class"``, imported on first use so that listing the kinds costs
nothing. The kind is the postings' ``source`` and the ``ats`` column of the board registry.

>>> "workday" in KINDS and "greenhouse" in KINDS
True
>>> connector_class("greenhouse").__name__
'GreenhouseConnector'
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadboard.sources.base import AtsConnector

CONNECTORS: dict[str, str] = {
    "greenhouse": "leadboard.sources.greenhouse:GreenhouseConnector",
    "lever": "leadboard.sources.lever:LeverConnector",
    "ashby": "leadboard.sources.ashby:AshbyConnector",
    "workday": "leadboard.sources.workday:WorkdayConnector",
    "smartrecruiters": "leadboard.sources.smartrecruiters:SmartRecruitersConnector",
    "recruitee": "leadboard.sources.recruitee:RecruiteeConnector",
    "workable": "leadboard.sources.workable:WorkableConnector",
    "personio": "leadboard.sources.personio:PersonioConnector",
    "bamboohr": "leadboard.sources.bamboohr:BambooHRConnector",
    "teamtailor": "leadboard.sources.teamtailor:TeamtailorConnector",
    "rippling": "leadboard.sources.rippling:RipplingConnector",
    "gem": "leadboard.sources.gem:GemConnector",
    "breezy": "leadboard.sources.breezy:BreezyConnector",
    "pinpoint": "leadboard.sources.pinpoint:PinpointConnector",
    "eightfold": "leadboard.sources.eightfold:EightfoldConnector",
    "oracle_hcm": "leadboard.sources.oracle_hcm:OracleHcmConnector",
    "successfactors": "leadboard.sources.successfactors:SuccessFactorsConnector",
    "comeet": "leadboard.sources.comeet:ComeetConnector",
    "hibob": "leadboard.sources.hibob:HiBobConnector",
    "jobvite": "leadboard.sources.jobvite:JobviteConnector",
    "icims": "leadboard.sources.icims:IcimsConnector",
}
KINDS: tuple[str, ...] = tuple(CONNECTORS)


@cache
def connector_class(kind: str) -> type[AtsConnector]:
    """The connector class of ``kind``; ``KeyError`` for a kind Leadboard does not read."""
    module_name, _, class_name = CONNECTORS[kind].partition(":")
    return getattr(import_module(module_name), class_name)
