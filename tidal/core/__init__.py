"""The sans-I/O brain of Tidal: events in, commands out, no clock and no I/O."""

from tidal.core.agent_state import TRANSITIONS, Agent, AgentAction, AgentState
from tidal.core.center import AGENT_STATES, Center
from tidal.core.commands import (
    CancelTimer,
    Command,
    Connect,
    HangUp,
    OfferToAgent,
    Play,
    RecordAgentSession,
    RecordInteraction,
    StartTimer,
)
from tidal.core.contact import CONTACT_TRANSITIONS, Contact, ContactAction, ContactState
from tidal.core.errors import (
    CoreError,
    DuplicateId,
    IllegalTransition,
    UnknownAgent,
    UnknownContact,
    UnknownQueue,
)
from tidal.core.events import (
    AgentLoggedIn,
    AgentLoggedOut,
    AgentNotReady,
    AgentReady,
    CallEnded,
    CallerAbandoned,
    ContactArrived,
    Event,
    OfferAccepted,
    OfferDeclined,
    TimerFired,
    WrapUpDone,
)
from tidal.core.pools import ReadyPool, Strategy
from tidal.core.queue import ContactQueue, ExpansionStep, QueueSpec
from tidal.core.records import AgentSessionRecord, InteractionRecord
from tidal.core.routing import PoolRouter, Router
from tidal.core.values import AgentId, Channel, ContactId, Direction, Outcome, SkillLevels

__all__ = [
    "AGENT_STATES",
    "CONTACT_TRANSITIONS",
    "TRANSITIONS",
    "Agent",
    "AgentAction",
    "AgentId",
    "AgentLoggedIn",
    "AgentLoggedOut",
    "AgentNotReady",
    "AgentReady",
    "AgentSessionRecord",
    "AgentState",
    "CallEnded",
    "CallerAbandoned",
    "CancelTimer",
    "Center",
    "Channel",
    "Command",
    "Connect",
    "Contact",
    "ContactAction",
    "ContactArrived",
    "ContactId",
    "ContactQueue",
    "ContactState",
    "CoreError",
    "Direction",
    "DuplicateId",
    "Event",
    "ExpansionStep",
    "HangUp",
    "IllegalTransition",
    "InteractionRecord",
    "OfferAccepted",
    "OfferDeclined",
    "OfferToAgent",
    "Outcome",
    "Play",
    "PoolRouter",
    "QueueSpec",
    "ReadyPool",
    "RecordAgentSession",
    "RecordInteraction",
    "Router",
    "SkillLevels",
    "StartTimer",
    "Strategy",
    "TimerFired",
    "UnknownAgent",
    "UnknownContact",
    "UnknownQueue",
    "WrapUpDone",
]
