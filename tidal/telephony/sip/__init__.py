"""Real SIP telephony: the rtpengine NG client and rtpengine itself (the media plane).

The B2BUA that turns the core's commands into SIP legs, and Kamailio's generated
configuration, join here; Python never relays a media packet.
"""

from tidal.telephony.sip._ng import NgClient, NgError, NgTimeout, Offered
from tidal.telephony.sip._rtpengine import (
    RtpEngineFailed,
    RtpEngineSettings,
    RunningRtpEngine,
    rtpengine_argv,
    start_rtpengine,
)

__all__ = [
    "NgClient",
    "NgError",
    "NgTimeout",
    "Offered",
    "RtpEngineFailed",
    "RtpEngineSettings",
    "RunningRtpEngine",
    "rtpengine_argv",
    "start_rtpengine",
]
