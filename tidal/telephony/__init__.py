"""Telephony adapters behind one protocol: `sim` (simulated callers) now, `sip` next."""

from tidal.telephony._protocol import Host, NoTelephony, Telephony

__all__ = ["Host", "NoTelephony", "Telephony"]
