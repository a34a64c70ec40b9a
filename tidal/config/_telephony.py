"""The center file's `telephony:` section (CONTRACTS section 7): where SIP and media
listen, the carriers' trunks, and which dialled number reaches which flow or queue."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Final

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tidal.config._errors import Problem, raise_problems
from tidal.config._text import SafeName

DEFAULT_SIP_PORT: Final = 5060


def _host_port(text: str) -> str:
    """`HOST:PORT` with an IP address (SIP here binds and matches addresses, not names)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{text!r} is not HOST:PORT (a port 1-65535)")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise ValueError(f"{host!r} is not an IP address") from None
    return text


def e164_of(text: str) -> str:
    """A number as trunks send it (many shapes) in E.164; ValueError when it is none."""
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else "US")
    except phonenumbers.NumberParseException:
        raise ValueError(f"{text!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError(f"{text!r} is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_SIP_URI = re.compile(
    r"^sips?:(?P<user>[A-Za-z0-9._~+\-]+)@(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(?::(?P<port>\d{1,5}))?$"
)
PHONE_KINDS: Final = ("browser", "registered")


def _phone(text: str) -> str:
    """An agent's phone: the desktop's softphone, a registered one, or a static SIP URI."""
    if text in PHONE_KINDS:
        return text
    found = _SIP_URI.match(text)
    if found is None or (found["port"] is not None and not 1 <= int(found["port"]) <= 65535):
        raise ValueError(f"{text!r} is not a phone: browser, registered, or sip:USER@HOST[:PORT]")
    return text


def sip_target(phone: str) -> tuple[str, str, int] | None:
    """(user, host, port) of a static SIP URI phone; None for browser or registered."""
    found = _SIP_URI.match(phone)
    if found is None:
        return None
    port = found["port"]
    return found["user"], found["host"].strip("[]"), int(port) if port else DEFAULT_SIP_PORT


HostPort = Annotated[str, AfterValidator(_host_port)]
AgentPhone = Annotated[str, AfterValidator(_phone)]
E164 = Annotated[str, AfterValidator(e164_of)]


def split_host_port(text: str) -> tuple[str, int]:
    """(host, port) of a validated `HOST:PORT`."""
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SipSettings(_Model):
    """Where trunks and phones send SIP, and the domain phones register to."""

    listen: HostPort = f"127.0.0.1:{DEFAULT_SIP_PORT}"
    domain: Annotated[str, Field(min_length=1, max_length=253)] = "tidal.local"


class MediaSettings(_Model):
    """The UDP ports rtpengine takes media ports from (two a call leg: RTP and RTCP), and
    where it takes NG commands."""

    ng: HostPort = "127.0.0.1:22222"
    rtp_ports: tuple[
        Annotated[int, Field(ge=1024, le=65535)], Annotated[int, Field(ge=1024, le=65535)]
    ] = (30000, 40000)

    @model_validator(mode="after")
    def _a_range(self) -> MediaSettings:
        low, high = self.rtp_ports
        if high - low < 3:
            raise ValueError(f"rtp_ports [{low}, {high}] must span at least 4 ports, low first")
        return self


class SipTrunk(_Model):
    """A carrier: INVITEs from `peer` are inbound calls; dials go to it."""

    name: SafeName
    peer: HostPort
    max_calls_per_second: float = Field(default=50.0, gt=0)
    max_lines: int = Field(default=2000, ge=1)


class DialledNumber(_Model):
    """A number callers dial (a DID) and where its calls go: a flow or a queue."""

    number: E164
    queue: SafeName | None = None
    flow: SafeName | None = None

    @model_validator(mode="after")
    def _one_target(self) -> DialledNumber:
        if (self.queue is None) == (self.flow is None):
            raise ValueError("a number goes to a queue or to a flow (give exactly one)")
        return self


class TelephonyConfig(_Model):
    """Real SIP: listeners, media ports, trunks and numbers (simulated telephony needs none)."""

    sip: SipSettings = SipSettings()
    media: MediaSettings = MediaSettings()
    trunks: list[SipTrunk] = Field(default_factory=list)
    numbers: list[DialledNumber] = Field(default_factory=list)
    external: bool = False  # the system runs Kamailio and rtpengine; Tidal starts neither

    @model_validator(mode="after")
    def _unique(self) -> TelephonyConfig:
        problems: list[Problem] = []
        for where, values, field in (
            ("trunks", [t.name for t in self.trunks], "name"),
            ("trunks", [t.peer for t in self.trunks], "peer"),
            ("numbers", [n.number for n in self.numbers], "number"),
        ):
            seen: dict[str, int] = {}
            for index, value in enumerate(values):
                if value in seen:
                    message = f"{value!r} is given twice (also {where}[{seen[value]}])"
                    problems.append(Problem((where, index, field), message, value))
                seen.setdefault(value, index)
        raise_problems("TelephonyConfig", problems)
        return self

    def trunk_at(self, host: str, port: int) -> SipTrunk | None:
        """The trunk whose peer sent from this address (source address is its identity)."""
        for trunk in self.trunks:
            if split_host_port(trunk.peer) == (host, port):
                return trunk
        return None

    def route_of(self, number: str) -> DialledNumber | None:
        """Where a dialled number goes, from its E.164 form; None for a number not ours."""
        try:
            wanted = e164_of(number)
        except ValueError:
            return None
        return next((n for n in self.numbers if n.number == wanted), None)
