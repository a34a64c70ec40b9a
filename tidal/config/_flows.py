"""Call flows (IVR): the nodes a caller passes on the way to a queue, checked as a graph.

A flow file names its `start` node and a mapping of `nodes`; each node has exactly one
kind key (`play`, `menu`, `collect`, ...) plus the names of the nodes it leads to. Besides
the fields of every node, the whole graph is checked: every name must exist, every node
must be reachable from `start`, and no loop may trap a caller away from every terminal
node (queue, callback, transfer, hangup, or a voicemail that ends the call).
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from tidal.config._documents import read_mapping
from tidal.config._durations import Duration
from tidal.config._errors import (
    ConfigError,
    ConfigIssue,
    Loc,
    Problem,
    closest,
    did_you_mean,
    format_path,
    raise_problems,
    read_config_text,
    show_value,
)
from tidal.config._text import SafeName
from tidal.config._yaml_lines import YamlDocument

DTMF_KEYS: Final = "0123456789*#"
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: Final[tuple[DayName, ...]] = get_args(DayName)  # index = date.weekday()
END_OF_DAY: Final = time.max  # "24:00": open until midnight
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_NUMBER_PREFIX = re.compile(r"\+\d{1,15}")
_NODE_EXAMPLE = '{play: "Thank you for calling.", next: menu}'


class NodeKind(StrEnum):
    """The kind key of a flow node, as written in YAML."""

    PLAY = "play"
    MENU = "menu"
    COLLECT = "collect"
    HOURS = "hours"
    BRANCH = "branch"
    SET = "set"
    QUEUE = "queue"
    CALLBACK = "callback"
    VOICEMAIL = "voicemail"
    TRANSFER = "transfer"
    HANGUP = "hangup"


_KIND_NAMES: Final = tuple(kind.value for kind in NodeKind)
_KINDS_TEXT: Final = ", ".join(_KIND_NAMES)
_TERMINALS_TEXT: Final = "a queue, callback, transfer, hangup or a voicemail that ends the call"


def _custom(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "{reason}", {"reason": message})


def _data_text(value: object) -> object:
    """Contact data is text: numbers and booleans written unquoted are kept as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _dtmf_key(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9:
        return str(value)  # YAML reads an unquoted 1 as a number
    if isinstance(value, str) and (len(value) != 1 or value not in DTMF_KEYS):
        raise _custom("dtmf_key", f"{value!r} is not a DTMF key (one of 0-9, *, #)")
    return value


def _dtmf_options(value: object) -> object:
    """Menu options keyed by one DTMF key each; unquoted digits become text."""
    if not isinstance(value, dict):
        return value
    problems = [
        Problem((str(key),), f"{show_value(key)} is not a DTMF key (one of 0-9, *, #)", key)
        for key in value
        if isinstance(key, bool) or len(str(key)) != 1 or str(key) not in DTMF_KEYS
    ]
    raise_problems("options", problems)
    return {str(key): target for key, target in value.items()}


def _check_terminator(key: str | None) -> str | None:
    if key is not None and key.isdigit():
        raise _custom(
            "terminator", f"{key!r} is a digit and cannot end digit entry; use '#' or '*'"
        )
    return key


def _check_number(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _custom(
            "phone_number",
            f'quote the number, e.g. "+{value}" (unquoted, YAML reads it as a plain number)',
        )
    if isinstance(value, str) and not _E164.fullmatch(value):
        raise _custom("phone_number", f"{value!r} is not an E.164 number like +18005550100")
    return value


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        where = f" at position {error.pos}" if error.pos is not None else ""
        raise _custom(
            "regex", f"{pattern!r} is not a valid regular expression ({error.msg}{where})"
        ) from None
    return pattern


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = did_you_mean(name, available_timezones()) or " (use an IANA name like Europe/Paris)"
        raise _custom("time_zone", f"{name!r} is not a time zone{hint}") from None
    return name


def _check_hangup(value: bool) -> bool:
    if not value:
        raise _custom("hangup", "write hangup: true (a hangup node always ends the call)")
    return value


def _clock(value: object, loc: Loc, closing: bool, problems: list[Problem]) -> time | None:
    """A wall-clock time "HH:MM" ("24:00" only to close); unquoted YAML times arrive as minutes."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 18:00 as the base-60 number 1080.
        written = f"{value // 60:02d}:{value % 60:02d}" if 0 <= value <= 24 * 60 else "HH:MM"
        message = (
            f'quote the time, e.g. "{written}" (unquoted, YAML reads it as the number {value})'
        )
        problems.append(Problem(loc, message, value))
        return None
    if isinstance(value, str):
        text = value.strip()
        if closing and text == "24:00":
            return END_OF_DAY
        match = _CLOCK.fullmatch(text)
        if match is not None:
            return time(int(match.group(1)), int(match.group(2)))
    limit = "00:00-24:00" if closing else "00:00-23:59"
    problems.append(
        Problem(loc, f'{show_value(value)} is not a time like "08:00" ({limit})', value)
    )
    return None


def _day_hours(value: object) -> object:
    """One day's opening hours: ["08:00", "18:00"] or several such pairs; null means closed."""
    if value is None:
        return value
    shape = (
        'expected ["08:00", "18:00"], a list of such pairs (e.g. a lunch break) '
        f"or null for closed, got {show_value(value)}"
    )
    if not isinstance(value, list) or not value:
        raise _custom("day_hours", shape)
    single = all(not isinstance(item, list) for item in value)
    pairs: list[tuple[Loc, object]] = (
        [((), value)] if single else [((index,), item) for index, item in enumerate(value)]
    )
    problems: list[Problem] = []
    spans: list[tuple[time, time]] = []
    for loc, pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            problems.append(Problem(loc, shape, pair))
            continue
        opens = _clock(pair[0], (*loc, 0), False, problems)
        closes = _clock(pair[1], (*loc, 1), True, problems)
        if opens is not None and closes is not None:
            if opens >= closes:
                message = (
                    f"opens at {opens:%H:%M} but closes at {pair[1]} (closing must be later; "
                    'split hours past midnight as ["22:00", "24:00"] and ["00:00", "06:00"])'
                )
                problems.append(Problem(loc, message, pair))
            spans.append((opens, closes))
    raise_problems("day hours", problems)
    return tuple(sorted(spans))


NodeName = SafeName
Name = SafeName
Prompt = Annotated[str, Field(min_length=1)]
"""A prompt id the media server knows, or text for it to speak (TTS)."""
DataText = Annotated[str, BeforeValidator(_data_text)]
DtmfKey = Annotated[str, BeforeValidator(_dtmf_key)]
Timeout = Annotated[Duration, Field(gt=0)]
DayHours = Annotated[tuple[tuple[time, time], ...], BeforeValidator(_day_hours)]
PhoneNumber = Annotated[str, BeforeValidator(_check_number)]
Exit = tuple[Loc, str]
"""Where a node names another node (relative to the node) and the name it gives."""


class _FlowModel(BaseModel):
    """Every part of a flow file: frozen, no unknown keys, typos named as such."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True)

    @model_validator(mode="wrap")
    @classmethod
    def _known_fields(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        """Name an unknown key with the field it is probably a typo of, and check the rest."""
        fields = [field.alias or name for name, field in cls.model_fields.items()]
        allowed = {*fields, *cls.model_fields}
        if not isinstance(data, dict) or all(key in allowed for key in data):
            return handler(data)
        problems = [
            Problem((key,), _unknown_field(key, fields), key) for key in data if key not in allowed
        ]
        # A field missing because its name was misspelt is said once, as the unknown key.
        misspelt = {(closest(str(key), fields),) for key in data if key not in allowed}
        try:
            handler({key: value for key, value in data.items() if key in allowed})
        except ValidationError as error:
            for detail in error.errors():
                located = _located(detail, data)
                if located is not None and not (
                    detail["type"] == "missing" and located[0] in misspelt
                ):
                    problems.append(Problem(*located, detail["input"]))
        raise_problems(cls.__name__, problems)
        return None  # not reached: there was at least one unknown key


def _unknown_field(key: object, fields: Sequence[str]) -> str:
    hint = did_you_mean(str(key), fields)
    if not hint:
        hint = f" (fields here: {', '.join(fields)})"
    return f"unknown field {show_value(key)}{hint}"


# -- node specs ------------------------------------------------------------------------


class MenuSpec(_FlowModel):
    """What a menu says, and how long and how many more times it waits for a key."""

    prompt: Prompt
    timeout: Timeout = 5.0
    retries: int = Field(default=2, ge=0)


class CollectSpec(_FlowModel):
    """Digits to collect (an account number, a PIN) and what makes them acceptable."""

    prompt: Prompt
    min_digits: int = Field(default=1, ge=1)
    max_digits: int = Field(default=20, ge=1)
    timeout: Timeout = 5.0
    terminator: Annotated[DtmfKey | None, AfterValidator(_check_terminator)] = "#"
    retries: int = Field(default=2, ge=0)
    pattern: Annotated[str, AfterValidator(_check_regex)] | None = Field(
        default=None, alias="validate"
    )
    into: Name

    @model_validator(mode="after")
    def _lengths(self) -> CollectSpec:
        if self.min_digits > self.max_digits:
            message = f"min_digits ({self.min_digits}) is more than max_digits ({self.max_digits})"
            raise_problems("CollectSpec", [Problem(("min_digits",), message, self.min_digits)])
        return self


class WeeklyHours(_FlowModel):
    """Opening hours per weekday in local time; a day left out or null is closed."""

    mon: DayHours | None = None
    tue: DayHours | None = None
    wed: DayHours | None = None
    thu: DayHours | None = None
    fri: DayHours | None = None
    sat: DayHours | None = None
    sun: DayHours | None = None

    def on(self, weekday: int) -> tuple[tuple[time, time], ...]:
        """The [opens, closes) spans of a weekday numbered as `date.weekday()` (0 = Monday)."""
        spans: tuple[tuple[time, time], ...] | None = getattr(self, DAY_NAMES[weekday])
        return spans or ()


class HoursSpec(_FlowModel):
    """Office hours: a weekly schedule in one time zone, and the holidays it is closed."""

    time_zone: Annotated[str, AfterValidator(_check_zone)]
    weekly: WeeklyHours
    holidays: tuple[date, ...] = ()


class Condition(_FlowModel):
    """A test on the contact: a data field's value, or the caller's number prefix."""

    field: Name | None = None
    equals: DataText | None = None
    one_of: Annotated[tuple[DataText, ...], Field(min_length=1)] | None = Field(
        default=None, alias="in"
    )
    caller_prefix: str | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        problems: list[Problem] = []
        if (self.field is None) == (self.caller_prefix is None):
            given = "both" if self.field is not None else "neither"
            message = f"give either field (with equals or in) or caller_prefix ({given})"
            problems.append(Problem((), message))
        elif self.field is not None and (self.equals is None) == (self.one_of is None):
            given = "both" if self.equals is not None else "neither"
            problems.append(Problem(("field",), f"give field with equals or with in ({given})"))
        elif self.caller_prefix is not None and (self.equals, self.one_of) != (None, None):
            loc = ("equals",) if self.equals is not None else ("in",)
            problems.append(Problem(loc, "equals and in go with field, not with caller_prefix"))
        if self.caller_prefix is not None and not _NUMBER_PREFIX.fullmatch(self.caller_prefix):
            message = f"{self.caller_prefix!r} is not the start of an E.164 number, like +1305"
            problems.append(Problem(("caller_prefix",), message, self.caller_prefix))
        raise_problems("Condition", problems)
        return self


class BranchRule(_FlowModel):
    """One test of a branch node and where a contact that passes it goes."""

    when: Condition
    next: NodeName


class CallbackSpec(_FlowModel):
    """An offer to call the caller back, keeping their place in `queue`."""

    queue: Name
    prompt: Prompt
    accept_key: DtmfKey = "1"
    timeout: Timeout = 5.0


class VoicemailSpec(_FlowModel):
    """Which mailbox a message is left in, and the greeting played before the beep."""

    box: Name
    prompt: Prompt | None = None


# -- nodes -----------------------------------------------------------------------------


class _Node(_FlowModel):
    """A node of any kind: where it may lead, and whether the flow may end there."""

    kind: ClassVar[NodeKind]

    def exits(self) -> list[Exit]:
        """Every field that names another node, with the name it gives."""
        return []

    @property
    def terminal(self) -> bool:
        """Whether the flow may end here (the contact leaves the IVR)."""
        return False

    def _named(self, *fields: str) -> list[Exit]:
        named = ((field, getattr(self, field)) for field in fields)
        return [((field,), target) for field, target in named if target is not None]


class PlayNode(_Node):
    """Play a prompt (no barge-in), then go on."""

    kind: ClassVar[NodeKind] = NodeKind.PLAY
    play: Prompt
    next: NodeName

    def exits(self) -> list[Exit]:
        """The node after the prompt."""
        return self._named("next")


class MenuNode(_Node):
    """Ask for one key; a wrong key or silence is retried, then the menu gives up."""

    kind: ClassVar[NodeKind] = NodeKind.MENU
    menu: MenuSpec
    options: Annotated[dict[str, NodeName], BeforeValidator(_dtmf_options), Field(min_length=1)]
    invalid: NodeName | None = None  # None: say the menu again
    no_input: NodeName | None = None  # None: say the menu again
    exhausted: NodeName

    def exits(self) -> list[Exit]:
        """Each option's node, then where misses and giving up lead."""
        options = [(("options", key), target) for key, target in self.options.items()]
        return options + self._named("invalid", "no_input", "exhausted")


class CollectNode(_Node):
    """Collect digits into the contact's data; retried when missing or invalid."""

    kind: ClassVar[NodeKind] = NodeKind.COLLECT
    collect: CollectSpec
    next: NodeName
    failed: NodeName

    def exits(self) -> list[Exit]:
        """Where valid digits go, and where a caller goes after the last retry."""
        return self._named("next", "failed")


class HoursNode(_Node):
    """Go one way in office hours, another when closed or on a holiday."""

    kind: ClassVar[NodeKind] = NodeKind.HOURS
    hours: HoursSpec
    open: NodeName
    closed: NodeName
    holiday: NodeName | None = None  # None: holidays go where closed goes

    def exits(self) -> list[Exit]:
        """The open, closed and holiday branches."""
        return self._named("open", "closed", "holiday")


class BranchNode(_Node):
    """Go to the first rule's node whose condition holds, else to `default`."""

    kind: ClassVar[NodeKind] = NodeKind.BRANCH
    branch: Annotated[tuple[BranchRule, ...], Field(min_length=1)]
    default: NodeName

    def exits(self) -> list[Exit]:
        """Every rule's node, then the default."""
        rules = [(("branch", index, "next"), rule.next) for index, rule in enumerate(self.branch)]
        return rules + self._named("default")


class SetNode(_Node):
    """Attach data to the contact (language, priority, ...) for routing and agents."""

    kind: ClassVar[NodeKind] = NodeKind.SET
    set: Annotated[dict[Name, DataText], Field(min_length=1)]
    next: NodeName

    @field_validator("set")
    @classmethod
    def _priority_is_a_number(cls, values: dict[str, str]) -> dict[str, str]:
        priority = values.get("priority")
        if priority is not None and not re.fullmatch(r"-?\d+", priority):
            problem = Problem(("priority",), f"priority must be a whole number, got {priority!r}")
            raise_problems("SetNode.set", [problem])
        return values

    def exits(self) -> list[Exit]:
        """The node after the data is set."""
        return self._named("next")


class QueueNode(_Node):
    """Leave the flow into an ACD queue (terminal); may name a callback offer for waiters."""

    kind: ClassVar[NodeKind] = NodeKind.QUEUE
    queue: Name
    priority: int | None = None  # None: the contact's `priority` data, else 0
    callback: NodeName | None = None  # a callback node the queue may offer while waiting

    @property
    def terminal(self) -> bool:
        """A queued contact has left the IVR."""
        return True

    def exits(self) -> list[Exit]:
        """The callback offer the queue may resume the flow at."""
        return self._named("callback")


class CallbackNode(_Node):
    """Offer a callback that keeps the place in line (terminal once accepted or declined)."""

    kind: ClassVar[NodeKind] = NodeKind.CALLBACK
    callback: CallbackSpec
    accepted: NodeName | None = None  # None: hang up after booking the callback
    declined: NodeName | None = None  # None: wait in the callback's queue

    @property
    def terminal(self) -> bool:
        """Without `accepted`/`declined`, an answer books the callback or queues the caller."""
        return True

    def exits(self) -> list[Exit]:
        """Where a caller goes after accepting or declining."""
        return self._named("accepted", "declined")


class VoicemailNode(_Node):
    """Record a message in a mailbox; without `next` the call ends after the recording."""

    kind: ClassVar[NodeKind] = NodeKind.VOICEMAIL
    voicemail: VoicemailSpec
    next: NodeName | None = None

    @property
    def terminal(self) -> bool:
        """Only a voicemail that ends the call is an end of the flow."""
        return self.next is None

    def exits(self) -> list[Exit]:
        """The node after the recording, if any."""
        return self._named("next")


class TransferNode(_Node):
    """Send the call to an outside number (terminal)."""

    kind: ClassVar[NodeKind] = NodeKind.TRANSFER
    transfer: PhoneNumber

    @property
    def terminal(self) -> bool:
        """The call has left the center."""
        return True


class HangupNode(_Node):
    """End the call (terminal)."""

    kind: ClassVar[NodeKind] = NodeKind.HANGUP
    hangup: Annotated[bool, AfterValidator(_check_hangup)]

    @property
    def terminal(self) -> bool:
        """The call is over."""
        return True


NODE_TYPES: Final[Mapping[NodeKind, type[_Node]]] = {
    node_type.kind: node_type
    for node_type in (
        PlayNode,
        MenuNode,
        CollectNode,
        HoursNode,
        BranchNode,
        SetNode,
        QueueNode,
        CallbackNode,
        VoicemailNode,
        TransferNode,
        HangupNode,
    )
}
_NODE_FIELDS: Final = frozenset(name for cls in NODE_TYPES.values() for name in cls.model_fields)


def _kinds_in(node: dict[Any, Any]) -> list[NodeKind]:
    """The kind keys of a raw node; `callback` beside `queue` is the queue's offer, not a kind."""
    kinds = [NodeKind(key) for key in node if key in NODE_TYPES]
    if NodeKind.QUEUE in kinds and NodeKind.CALLBACK in kinds:
        kinds.remove(NodeKind.CALLBACK)
    return kinds


def _node(value: object) -> object:
    """Choose a node's model by its one kind key, so errors name fields of that kind only."""
    if isinstance(value, _Node):
        return value
    if not isinstance(value, dict):
        raise _custom("node", f"expected a node like {_NODE_EXAMPLE}, got {show_value(value)}")
    kinds = _kinds_in(value)
    if len(kinds) == 1:
        return NODE_TYPES[kinds[0]].model_validate(value)
    if kinds:
        message = (
            f"a node has exactly one kind; this one is both {kinds[0].value!r} "
            f"and {kinds[1].value!r}"
        )
        raise_problems("node", [Problem((kinds[1].value,), message, value[kinds[1].value])])
    for key in value:
        meant = did_you_mean(str(key), _KIND_NAMES)
        if key not in _NODE_FIELDS and meant:
            raise_problems("node", [Problem((key,), f"unknown node kind {key!r}{meant}", key)])
    found = ", ".join(str(key) for key in value) or "nothing"
    raise_problems("node", [Problem((), f"a node needs one of {_KINDS_TEXT} (found {found})")])
    return value  # not reached: raise_problems raised


FlowNode = Annotated[
    PlayNode
    | MenuNode
    | CollectNode
    | HoursNode
    | BranchNode
    | SetNode
    | QueueNode
    | CallbackNode
    | VoicemailNode
    | TransferNode
    | HangupNode,
    BeforeValidator(_node),
]


class FlowConfig(_FlowModel):
    """A call flow (IVR): named nodes from `start` to a queue, callback, transfer or hangup."""

    name: Name
    start: NodeName
    nodes: Annotated[dict[NodeName, FlowNode], Field(min_length=1)]

    @model_validator(mode="after")
    def _sound_graph(self) -> FlowConfig:
        raise_problems("FlowConfig", _graph_problems(self.start, self.nodes))
        return self

    def node(self, name: str) -> FlowNode:
        """The node called `name` (KeyError if there is none)."""
        try:
            return self.nodes[name]
        except KeyError:
            raise KeyError(f"flow {self.name!r} has no node named {name!r}") from None


# -- the graph -------------------------------------------------------------------------

_Graph = Mapping[str, _Node | None]
"""Nodes by name; None stands for a node that failed validation (where it leads is unknown)."""


def _graph_problems(start: str | None, nodes: _Graph) -> list[Problem]:
    """Unknown node names, nodes `start` cannot reach, and loops no caller can leave."""
    problems = _reference_problems(nodes)
    if start is None or not nodes:
        return problems
    if start not in nodes:
        message = f"unknown node {start!r}{did_you_mean(start, nodes)} (nodes: {', '.join(nodes)})"
        return [*problems, Problem(("start",), message, start)]
    reachable = _reachable(start, nodes)
    # Past a node that failed validation, what is reachable is unknown: say nothing then.
    if all(nodes[name] is not None for name in reachable):
        problems.extend(
            Problem(("nodes", name), f"node {name!r} is not reachable from start {start!r}", name)
            for name in nodes
            if name not in reachable
        )
    return problems + _loop_problems([name for name in nodes if name in reachable], nodes)


def _reference_problems(nodes: _Graph) -> list[Problem]:
    problems: list[Problem] = []
    for name, node in nodes.items():
        if node is None:
            continue
        for loc, target in node.exits():
            if target not in nodes:
                message = f"unknown node {target!r}{did_you_mean(target, nodes)}"
                problems.append(Problem(("nodes", name, *loc), message, target))
        if isinstance(node, QueueNode) and node.callback is not None:
            offered = nodes.get(node.callback)
            if offered is not None and not isinstance(offered, CallbackNode):
                message = (
                    f"node {node.callback!r} is a {offered.kind} node; "
                    "callback must name a callback node"
                )
                problems.append(Problem(("nodes", name, "callback"), message, node.callback))
    return problems


def _targets(name: str, nodes: _Graph) -> list[str]:
    node = nodes[name]
    return [] if node is None else [target for _, target in node.exits() if target in nodes]


def _reachable(start: str, nodes: _Graph, within: Iterable[str] | None = None) -> list[str]:
    """Nodes reachable from `start` (itself included), in the order they are found."""
    allowed = set(nodes if within is None else within)
    found = [start]
    seen = {start}
    waiting = deque([start])
    while waiting:
        for target in _targets(waiting.popleft(), nodes):
            if target not in seen and target in allowed:
                seen.add(target)
                found.append(target)
                waiting.append(target)
    return found


def _loop_problems(reachable: Sequence[str], nodes: _Graph) -> list[Problem]:
    """One problem per loop that cannot reach a terminal node, at the edge that closes it."""
    leaves = {name for name in reachable if nodes[name] is None or _is_terminal(nodes[name])}
    grew = True
    while grew:
        grew = False
        for name in reachable:
            if name not in leaves and any(t in leaves for t in _targets(name, nodes)):
                leaves.add(name)
                grew = True
    trapped = [name for name in reachable if name not in leaves]
    reported: set[str] = set()
    problems: list[Problem] = []
    for name in trapped:
        if name in reported:
            continue
        cycle = _shortest_cycle(name, trapped, nodes)
        if cycle is None:
            continue  # it leads into a loop reported at that loop's own node
        loop = set(_reachable(name, nodes, trapped))
        reported.update(other for other in loop if name in _reachable(other, nodes, trapped))
        node = nodes[name]
        assert node is not None  # a failed node counts as a leaf
        loc = next(loc for loc, target in node.exits() if target == cycle[1])
        message = f"loop without exit: {' -> '.join(cycle)} never reaches {_TERMINALS_TEXT}"
        problems.append(Problem(("nodes", name, *loc), message, cycle[1]))
    return problems


def _is_terminal(node: _Node | None) -> bool:
    return node is not None and node.terminal


def _shortest_cycle(name: str, within: Sequence[str], nodes: _Graph) -> list[str] | None:
    """The shortest path from `name` back to itself inside `within`, both ends included."""
    allowed = set(within)
    came_from: dict[str, str] = {}
    waiting = deque([name])
    while waiting:
        current = waiting.popleft()
        for target in _targets(current, nodes):
            if target == name:
                path = [current]
                while path[-1] != name:
                    path.append(came_from[path[-1]])
                return [*reversed(path), name]
            if target in allowed and target not in came_from:
                came_from[target] = current
                waiting.append(target)
    return None


def _partial_graph(data: object) -> tuple[str | None, _Graph] | None:
    """The graph of a flow that failed validation: its valid nodes, and None for the rest."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), dict):
        return None
    graph: dict[str, _Node | None] = {}
    for name, raw in data["nodes"].items():
        if not isinstance(name, str):
            continue
        try:
            node = _node(raw)
        except (ValidationError, PydanticCustomError):
            node = None
        graph[name] = node if isinstance(node, _Node) else None
    start = data.get("start")
    return (start if isinstance(start, str) else None), graph


# -- loading ---------------------------------------------------------------------------


def load_flow(path: str | os.PathLike[str]) -> FlowConfig:
    """Read and validate a call-flow file; a ConfigError lists every problem with its line."""
    text, filename = read_config_text(path)
    return parse_flow(text, filename)


def parse_flow(text: str, filename: str = "<flow>") -> FlowConfig:
    """Validate call-flow YAML text; `filename` is only used to name the file in issues."""
    document, issues = read_mapping(text, filename, "name:, start:, nodes:")
    try:
        flow = validate_flow(document.data, filename, document)
    except ConfigError as error:
        issues.extend(error.issues)
    if issues:
        raise ConfigError(sorted(issues, key=lambda issue: issue.line or 0))
    return flow


def validate_flow(
    data: object, filename: str, document: YamlDocument | None = None, prefix: Loc = ()
) -> FlowConfig:
    """Validate a parsed flow found at `prefix` of a document (e.g. a scenario's flows[0])."""
    try:
        return FlowConfig.model_validate(data)
    except ValidationError as error:
        details = error.errors()
    problems = [located for detail in details if (located := _located(detail, data)) is not None]
    partial = _partial_graph(data)
    if partial is not None:
        problems.extend((p.loc, p.message) for p in _graph_problems(*partial))
    issues: list[ConfigIssue] = []
    for loc, message in problems:
        full = (*prefix, *loc)
        line = None if document is None else _line_of(document, full)
        issue = ConfigIssue(filename, line, format_path(full), message)
        if issue not in issues:
            issues.append(issue)
    raise ConfigError(sorted(issues, key=lambda issue: issue.line or 0))


def _located(detail: ErrorDetails, data: object) -> tuple[Loc, str] | None:
    """A pydantic error of a flow in the loader's plain words; None for a redundant one."""
    from tidal.config._loader import _translate  # at call time: the loader imports scenarios

    loc: Loc = tuple(detail["loc"])
    kind = detail["type"]
    if kind.startswith("date_"):
        return loc, f"expected a date like 2026-12-25, got {show_value(detail['input'])}"
    context = detail.get("ctx") or {}
    written = detail["input"]
    if kind == "too_short" and isinstance(written, list) and len(written) >= context["min_length"]:
        return None  # pydantic counts only the valid items; the invalid ones have their errors
    return _translate(detail, loc, data)


def _line_of(document: YamlDocument, loc: Loc) -> int | None:
    """The line of `loc`; a menu key written unquoted (1:) is a number in the line table."""
    if loc in document.lines:
        return document.lines[loc]
    as_written = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in loc)
    if as_written in document.lines:
        return document.lines[as_written]
    return document.line_of(loc)
