"""The live center's fixtures (a center file, a throwaway store, a manual clock)."""

from tests.live.conftest import center_config, clock, store

__all__ = ["center_config", "clock", "store"]
