"""The summary tables of a run, as text cells: shared by the terminal and the HTML report."""

from __future__ import annotations

from typing import Any

QUEUE_HEADERS = [
    "queue",
    "offered",
    "answered",
    "abandoned",
    "service level",
    "ASA s",
    "abandon rate",
    "AHT s",
    "max wait s",
]
AGENT_HEADERS = ["group", "agents", "hours logged in", "occupancy", "talk fraction"]


def queue_rows(figures: dict[str, Any]) -> list[list[str]]:
    """One row per queue of a `--json` figures object."""
    return [
        [
            name,
            str(q["offered"]),
            str(q["answered"]),
            str(q["abandoned"]),
            f"{q['service_level']:.1%}",
            f"{q['asa']:.1f}",
            f"{q['abandon_rate']:.1%}",
            f"{q['aht']:.1f}",
            f"{q['max_wait']:.0f}",
        ]
        for name, q in figures["queues"].items()
    ]


def agent_rows(figures: dict[str, Any]) -> list[list[str]]:
    """One row per agent group of a `--json` figures object."""
    return [
        [
            name,
            str(a["count"]),
            f"{a['logged_in_seconds'] / 3600:.1f}",
            f"{a['occupancy']:.1%}",
            f"{a['talk_fraction']:.1%}",
        ]
        for name, a in figures["agents"].items()
    ]


CAMPAIGN_HEADERS = [
    "campaign",
    "dials",
    "people",
    "connects",
    "abandon rate",
    "contact rate",
    "conversions",
    "connects/agent h",
    "DNC blocked",
    "window blocked",
]


def campaign_rows(figures: dict[str, Any]) -> list[list[str]]:
    """One row per outbound campaign of a `--json` figures object."""
    return [
        [
            name,
            str(c["dials"]),
            str(c["human_answers"]),
            str(c["connects"]),
            f"{c['abandon_rate']:.2%}",
            f"{c['contact_rate']:.1%}",
            str(c["conversions"]),
            f"{c['connects_per_agent_hour']:.1f}",
            str(c["dnc_blocked"]),
            str(c["window_blocked"]),
        ]
        for name, c in figures["campaigns"].items()
    ]
