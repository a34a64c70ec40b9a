"""Constants of the call-flow interpreter."""

from __future__ import annotations

from typing import Final

MAX_STEPS: Final = 100
"""Node visits a caller may make before the flow is deemed looping and the call ends."""
