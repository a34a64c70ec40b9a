"""Tidal: an open, self-hosted, blended contact center."""
