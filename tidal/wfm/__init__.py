"""Queueing formulas for workforce planning: Erlang B, Erlang C, Erlang A and staffing.

Symbols follow the papers: `a` offered load in Erlangs, `n` agents, `t` threshold in
seconds, `aht` mean handle time in seconds, `lam` arrivals per second, `mu` = 1/aht,
`theta` = 1/mean patience.
"""

from tidal.wfm._erlang_a import ErlangAResult, erlang_a
from tidal.wfm._erlang_c import (
    ErlangCResult,
    erlang_b,
    erlang_c_asa,
    erlang_c_metrics,
    erlang_c_service_level,
    erlang_c_wait_probability,
    occupancy,
)
from tidal.wfm._staffing import StaffingResult, staff

__all__ = [
    "ErlangAResult",
    "ErlangCResult",
    "StaffingResult",
    "erlang_a",
    "erlang_b",
    "erlang_c_asa",
    "erlang_c_metrics",
    "erlang_c_service_level",
    "erlang_c_wait_probability",
    "occupancy",
    "staff",
]
