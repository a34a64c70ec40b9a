"""Outbound campaigns: lead lists, the lead lifecycle, dispositions, pacing and the dialer."""

from tidal.core.campaigns.adapt_pacer import AdaptPacer
from tidal.core.campaigns.blending import (
    BlendingPolicy,
    InboundView,
    NoBlendingPolicy,
    ReservePolicy,
)
from tidal.core.campaigns.callbacks import CallbackBook, ScheduledCallback
from tidal.core.campaigns.commands import Dial, PlayMessage, ReleaseCall
from tidal.core.campaigns.dialer import (
    CAMPAIGN_QUEUE_PREFIX,
    IDLE_WORDS,
    MIN_RING_SECONDS,
    PREVIEW_TIMER,
    CampaignSpec,
    Dialer,
    IdleReason,
    campaign_queue,
    campaign_queue_spec,
    campaign_skill,
)
from tidal.core.campaigns.dispositions import (
    SYSTEM_DISPOSITIONS,
    BooksNoCallback,
    Disposition,
    Dispositions,
    UnknownDisposition,
)
from tidal.core.campaigns.events import (
    CampaignState,
    CampaignStateSet,
    DialAnswered,
    DialResult,
    LeadsRecycled,
    PreviewDial,
    PreviewSkipped,
)
from tidal.core.campaigns.leads import (
    LeadImport,
    LeadRow,
    RowError,
    UnreadableRow,
    detect_columns,
    parse_leads,
)
from tidal.core.campaigns.lifecycle import RECYCLABLE, CampaignLead, LeadAction, LeadState
from tidal.core.campaigns.model_pacer import ModelPacer
from tidal.core.campaigns.pacing import (
    Pacer,
    PacerError,
    PacingView,
    PowerPacer,
    ProgressivePacer,
    load_pacer,
)
from tidal.core.campaigns.retry import RetryRules
from tidal.core.campaigns.stats import CampaignStats

__all__ = [
    "CAMPAIGN_QUEUE_PREFIX",
    "IDLE_WORDS",
    "MIN_RING_SECONDS",
    "PREVIEW_TIMER",
    "RECYCLABLE",
    "SYSTEM_DISPOSITIONS",
    "AdaptPacer",
    "BlendingPolicy",
    "BooksNoCallback",
    "CallbackBook",
    "CampaignLead",
    "CampaignSpec",
    "CampaignState",
    "CampaignStateSet",
    "CampaignStats",
    "Dial",
    "DialAnswered",
    "DialResult",
    "Dialer",
    "Disposition",
    "Dispositions",
    "IdleReason",
    "InboundView",
    "LeadAction",
    "LeadImport",
    "LeadRow",
    "LeadState",
    "LeadsRecycled",
    "ModelPacer",
    "NoBlendingPolicy",
    "Pacer",
    "PacerError",
    "PacingView",
    "PlayMessage",
    "PowerPacer",
    "PreviewDial",
    "PreviewSkipped",
    "ProgressivePacer",
    "ReleaseCall",
    "ReservePolicy",
    "RetryRules",
    "RowError",
    "ScheduledCallback",
    "UnknownDisposition",
    "UnreadableRow",
    "campaign_queue",
    "campaign_queue_spec",
    "campaign_skill",
    "detect_columns",
    "load_pacer",
    "parse_leads",
]
