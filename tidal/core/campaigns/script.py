"""A campaign's call script with the lead's fields filled in.

`{field}` takes the lead's field of that name (as the list's header spelt it, any case);
`{{` and `}}` are literal braces. A field the lead does not have stays visibly as
`{field}`, so a typo in the script shows on the first call instead of vanishing, and no
script can raise: the agent always gets text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

_PLACEHOLDER: Final = re.compile(r"\{\{|\}\}|\{([^{}\n]{1,64})\}")


def render_script(template: str, fields: Mapping[str, object]) -> str:
    """The script as the agent reads it for this lead."""
    by_key = {str(key).strip().casefold(): value for key, value in fields.items()}

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        value = by_key.get(match.group(1).strip().casefold())
        return token if value is None or value == "" else str(value)

    return _PLACEHOLDER.sub(fill, template)
