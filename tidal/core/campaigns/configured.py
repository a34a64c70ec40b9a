"""A center file's campaign as the dialer runs it: one translation for every runtime.

The simulator and the live center build the same `CampaignSpec`, pacer and blending
policy from the same configuration, so what `tidal simulate` measures is what the live
dialer decides.
"""

from __future__ import annotations

from typing import Final

from tidal.config import BlendingConfig, CampaignConfig
from tidal.core.campaigns.adapt_pacer import AdaptPacer
from tidal.core.campaigns.blending import BlendingPolicy, NoBlendingPolicy, ReservePolicy
from tidal.core.campaigns.dialer import CampaignSpec
from tidal.core.campaigns.dispositions import Disposition, Dispositions
from tidal.core.campaigns.model_pacer import ModelPacer
from tidal.core.campaigns.pacing import Pacer, PowerPacer, ProgressivePacer, load_pacer
from tidal.core.campaigns.retry import RetryRules
from tidal.core.campaigns.stats import CampaignStats
from tidal.core.compliance import CampaignRules, DialMode
from tidal.core.plugins import PluginError, load_plugin

# The pacer's priors for a campaign whose center file says nothing of its called public
# (a live center): a quarter of dials reach a person, who talks for two and a half
# minutes. The campaign's own calls replace them within its first few dozen answers.
DEFAULT_HUMAN_RATE: Final = 0.25
DEFAULT_TALK_SECONDS: Final = 150.0


def _priors(campaign: CampaignConfig) -> tuple[float, float]:
    """The human-answer rate the pacer starts from (after AMD), and the mean talk time."""
    outcomes = campaign.outcomes
    if outcomes is None:
        human_rate = DEFAULT_HUMAN_RATE
    else:
        amd = campaign.amd
        human_rate = outcomes["human"] * (amd.human_accuracy if amd.enabled else 1.0)
        if amd.enabled:
            human_rate += outcomes["machine"] * (1.0 - amd.machine_accuracy)
        else:
            human_rate += outcomes["machine"]
    talk = campaign.talk_time
    talk_mean = float(talk.mean) if talk is not None and hasattr(talk, "mean") else None
    return human_rate, DEFAULT_TALK_SECONDS if talk_mean is None else talk_mean


def talk_mean(campaign: CampaignConfig) -> float:
    """The mean talk time of the campaign's calls: its world's, else the default prior."""
    return _priors(campaign)[1]


def blending_of(blending: BlendingConfig) -> BlendingPolicy:
    """The center file's blending policy (a built-in, or `module:Class` of the user's)."""
    if blending.policy == "none":
        return NoBlendingPolicy()
    if blending.policy == "reserve":
        return ReservePolicy(blending.reserve)
    policy = load_plugin(blending.policy, "blending policy")
    if not callable(getattr(policy, "outbound_agents", None)):
        raise PluginError(
            f"blending policy {blending.policy!r} has no outbound_agents(view) method"
        )
    return policy  # type: ignore[return-value]


def pacer_of(campaign: CampaignConfig) -> Pacer:
    """The pacer a campaign names, or the one its dial mode implies."""
    name = campaign.pacer
    if name is None:
        name = {"predictive": "model", "power": "power"}.get(campaign.dial_mode, "progressive")
    if name == "progressive":
        return ProgressivePacer()
    if name == "power":
        return PowerPacer(campaign.lines_per_agent)
    if name == "adapt":
        return AdaptPacer()
    if name == "model":
        return ModelPacer()
    return load_pacer(name)


def campaign_spec(campaign: CampaignConfig, pacer: Pacer | None = None) -> CampaignSpec:
    """How the dialer runs a scenario's campaign."""
    retry = campaign.retry
    rules = CampaignRules(
        campaign.name,
        caller_id=campaign.caller_id,
        max_abandon_rate=campaign.max_abandon_rate,
        dial_mode=DialMode(campaign.dial_mode),
        seller_name=campaign.seller_name or campaign.name,
        callback_number=campaign.callback_number or campaign.caller_id,
    )
    delays = Dispositions().with_retry_delays(
        {
            "busy": float(retry.busy),
            "no_answer": float(retry.no_answer),
            "answering_machine": float(retry.machine),
            "dropped": float(retry.dropped),
        }
    )
    own = [
        Disposition(
            d.code,
            d.final,
            d.human_contact,
            d.sale,
            d.dnc_request,
            d.callback,
            None if d.retry_after is None else float(d.retry_after),
        )
        for d in campaign.dispositions
    ]
    dispositions = Dispositions([*delays, *own])
    amd = campaign.amd
    human_rate, talk_mean = _priors(campaign)

    def stats() -> CampaignStats:
        return CampaignStats(prior_human_rate=human_rate, prior_talk=talk_mean)

    return CampaignSpec(
        rules=rules,
        pacer=pacer if pacer is not None else pacer_of(campaign),
        dispositions=dispositions,
        retry=RetryRules(
            max_attempts=retry.max_attempts,
            max_attempts_per_day=retry.max_attempts_per_day,
            number_daily_cap=retry.number_daily_cap,
            number_lifetime_cap=retry.number_lifetime_cap,
        ),
        ring_timeout=float(campaign.no_answer_timeout),
        max_calls_per_second=campaign.trunk.max_calls_per_second,
        max_lines=campaign.trunk.max_lines,
        abandon_target=campaign.abandon_target,
        voicemail_message=(
            f"A message from {rules.seller_name}: please call {rules.callback_number}."
            if amd.on_machine == "leave_message"
            else None
        ),
        preview_seconds=float(campaign.preview_time),
        stats=stats,
    )
