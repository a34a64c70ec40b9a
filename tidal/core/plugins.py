"""User code named in a center file as `module:Class`: pacers and blending policies.

One loader, so every plugin is found, built and refused the same way; the runtimes turn
a `PluginError` into their own error (a scenario issue, a refused config).
"""

from __future__ import annotations

import importlib

from tidal.core.errors import CoreError


class PluginError(CoreError):
    """A `module:Class` that cannot be imported, built, or is not what was asked for."""


def load_plugin(spec: str, what: str) -> object:
    """Build `module:Class` with no arguments; `what` names it in errors ("pacer")."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise PluginError(f"{what} {spec!r} is not of the form module:Class")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise PluginError(f"{what} {spec!r}: cannot import {module_name!r} ({error})") from error
    cls = getattr(module, class_name, None)
    if cls is None:
        raise PluginError(f"{what} {spec!r}: module {module_name!r} has no {class_name!r}")
    try:
        return cls()
    except Exception as error:
        raise PluginError(f"{what} {spec!r}: {class_name}() failed ({error})") from error
