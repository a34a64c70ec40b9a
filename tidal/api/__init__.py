"""The HTTP API of the live contact center (docs/live.md): REST routes, the stream, metrics.

`create_app(runtime, home)` builds the FastAPI application over a `tidal.live`
runtime; `current_user` and `require(*roles)` are the dependencies that guard routes.
"""

from tidal.api._app import create_app
from tidal.api._auth import Principal, TokenIssuer, current_user, load_secret, require
from tidal.api._limits import UploadLimitError
from tidal.api._runtime import Bus, Message, MessageFilter, Runtime, Subscription
from tidal.api._stream import message_filter

__all__ = [
    "Bus",
    "Message",
    "MessageFilter",
    "Principal",
    "Runtime",
    "Subscription",
    "TokenIssuer",
    "UploadLimitError",
    "create_app",
    "current_user",
    "load_secret",
    "message_filter",
    "require",
]
