"""One router per resource of the HTTP API (docs/live.md)."""
