"""Call-flow (IVR) interpreter: pure, fed caller events with `now`, returns actions."""

from tidal.core.commands import HangUp
from tidal.core.flows.actions import (
    CollectDigits,
    Enqueue,
    FlowAction,
    HangUpReason,
    OfferCallback,
    PlayPrompt,
    ScheduleCallback,
    SetData,
    Transfer,
    Voicemail,
)
from tidal.core.flows.const import MAX_STEPS
from tidal.core.flows.errors import IllegalFlowEvent, InvalidDigits
from tidal.core.flows.hours import OfficeStatus, office_status
from tidal.core.flows.run import ACCEPTS, CONTAINED, FlowEvent, FlowOutcome, FlowRun, FlowState

__all__ = [
    "ACCEPTS",
    "CONTAINED",
    "MAX_STEPS",
    "CollectDigits",
    "Enqueue",
    "FlowAction",
    "FlowEvent",
    "FlowOutcome",
    "FlowRun",
    "FlowState",
    "HangUp",
    "HangUpReason",
    "IllegalFlowEvent",
    "InvalidDigits",
    "OfferCallback",
    "OfficeStatus",
    "PlayPrompt",
    "ScheduleCallback",
    "SetData",
    "Transfer",
    "Voicemail",
    "office_status",
]
