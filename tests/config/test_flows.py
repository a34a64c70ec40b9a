"""Call-flow files: every node kind checked, the graph checked, every problem named by line."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from tidal.config import (
    BranchNode,
    CallbackNode,
    CollectNode,
    ConfigError,
    ConfigIssue,
    FlowConfig,
    HangupNode,
    HoursNode,
    MenuNode,
    NodeKind,
    PlayNode,
    QueueNode,
    SetNode,
    TransferNode,
    VoicemailNode,
    load_flow,
    parse_flow,
    validate_flow,
)
from tidal.config._yaml_lines import read_yaml

EXAMPLES = Path(__file__).parents[2] / "examples" / "flows"

# Line numbers below are those of this text; keep them in step when editing it.
FLOW = """\
name: line
start: greet
nodes:
  greet: {play: "Welcome.", next: hours}
  hours:
    hours:
      time_zone: America/New_York
      weekly: {mon: ["08:00", "18:00"], tue: ["08:00", "18:00"], sat: null}
      holidays: ["2026-12-25"]
    open: menu
    closed: vm
    holiday: vm
  menu:
    menu: {prompt: "Press 1 or 2.", timeout: 5, retries: 2}
    options: {"1": account, "2": support}
    invalid: menu
    exhausted: support
  account:
    collect: {prompt: "Account?", min_digits: 6, max_digits: 8, validate: "^[0-9]+$", into: acct}
    next: route
    failed: support
  route:
    branch:
      - when: {field: acct, equals: "123456"}
        next: vip
      - when: {caller_prefix: "+1305"}
        next: support
    default: support
  vip: {set: {priority: 5, tier: gold}, next: support}
  support: {queue: support, callback: offer}
  offer: {callback: {queue: support, prompt: "Press 1 for a callback."}, declined: support}
  vm: {voicemail: {box: main, prompt: "Leave a message."}, next: bye}
  bye: {hangup: true}
"""


def issues_of(text: str, filename: str = "flow.yaml") -> list[ConfigIssue]:
    with pytest.raises(ConfigError) as caught:
        parse_flow(text, filename)
    return caught.value.issues


def only_issue(text: str) -> str:
    issues = issues_of(text)
    assert len(issues) == 1, [str(issue) for issue in issues]
    return str(issues[0])


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def add_node(text: str, node: str) -> str:
    """The flow with one more node, reached from `vip` (so it is not unreachable)."""
    text = edit(text, "vip: {set: {priority: 5, tier: gold}, next: support}", "vip: " + node)
    return text


# -- valid flows -----------------------------------------------------------------------


def test_base_text_is_valid_and_typed() -> None:
    flow = parse_flow(FLOW)
    assert flow.name == "line"
    assert flow.start == "greet"
    kinds = {name: node.kind for name, node in flow.nodes.items()}
    assert kinds == {
        "greet": NodeKind.PLAY,
        "hours": NodeKind.HOURS,
        "menu": NodeKind.MENU,
        "account": NodeKind.COLLECT,
        "route": NodeKind.BRANCH,
        "vip": NodeKind.SET,
        "support": NodeKind.QUEUE,
        "offer": NodeKind.CALLBACK,
        "vm": NodeKind.VOICEMAIL,
        "bye": NodeKind.HANGUP,
    }


def test_fields_of_each_node_kind() -> None:
    flow = parse_flow(FLOW)
    greet = flow.node("greet")
    assert isinstance(greet, PlayNode) and (greet.play, greet.next) == ("Welcome.", "hours")
    hours = flow.node("hours")
    assert isinstance(hours, HoursNode)
    assert hours.hours.weekly.on(0) == ((time(8), time(18)),)
    assert hours.hours.weekly.on(5) == ()  # sat: null
    assert hours.hours.weekly.on(6) == ()  # sun left out
    assert hours.hours.holidays == (date(2026, 12, 25),)
    menu = flow.node("menu")
    assert isinstance(menu, MenuNode)
    assert menu.options == {"1": "account", "2": "support"}
    assert (menu.menu.timeout, menu.menu.retries, menu.invalid, menu.no_input) == (
        5.0,
        2,
        "menu",
        None,
    )
    account = flow.node("account")
    assert isinstance(account, CollectNode)
    assert account.collect.pattern == "^[0-9]+$"
    assert account.collect.terminator == "#"  # the default
    route = flow.node("route")
    assert isinstance(route, BranchNode)
    assert route.branch[0].when.field == "acct" and route.branch[0].when.equals == "123456"
    assert route.branch[1].when.caller_prefix == "+1305"
    vip = flow.node("vip")
    assert isinstance(vip, SetNode) and vip.set == {"priority": "5", "tier": "gold"}
    support = flow.node("support")
    assert isinstance(support, QueueNode) and support.callback == "offer"
    offer = flow.node("offer")
    assert isinstance(offer, CallbackNode) and offer.callback.accept_key == "1"
    assert isinstance(flow.node("vm"), VoicemailNode)
    assert isinstance(flow.node("bye"), HangupNode)


def test_unquoted_menu_keys_durations_and_transfer() -> None:
    text = edit(FLOW, '{"1": account, "2": support}', "{1: account, 2: support, '#': xfer}")
    text = edit(text, "timeout: 5,", "timeout: 5s,")
    text += '  xfer: {transfer: "+18005550100"}\n'
    flow = parse_flow(text)
    menu = flow.node("menu")
    assert isinstance(menu, MenuNode) and menu.options == {
        "1": "account",
        "2": "support",
        "#": "xfer",
    }
    xfer = flow.node("xfer")
    assert isinstance(xfer, TransferNode) and xfer.transfer == "+18005550100"


def test_split_day_and_midnight() -> None:
    text = edit(FLOW, 'tue: ["08:00", "18:00"]', 'tue: [["08:00", "12:00"], ["13:00", "24:00"]]')
    hours = parse_flow(text).node("hours")
    assert isinstance(hours, HoursNode)
    assert hours.hours.weekly.on(1) == ((time(8), time(12)), (time(13), time.max))


def test_branch_in_list() -> None:
    text = edit(FLOW, 'equals: "123456"', "in: [123456, 654321]")
    route = parse_flow(text).node("route")
    assert isinstance(route, BranchNode)
    assert route.branch[0].when.one_of == ("123456", "654321")


@pytest.mark.parametrize("name", ["support-line.yaml", "multi-language.yaml"])
def test_examples_are_valid(name: str) -> None:
    flow = load_flow(EXAMPLES / name)
    assert flow.name == name.removesuffix(".yaml")


def test_support_line_example_has_what_it_shows() -> None:
    flow = load_flow(EXAMPLES / "support-line.yaml")
    kinds = {node.kind for node in flow.nodes.values()}
    assert {NodeKind.MENU, NodeKind.HOURS, NodeKind.CALLBACK, NodeKind.VOICEMAIL} <= kinds
    hours = next(node for node in flow.nodes.values() if isinstance(node, HoursNode))
    assert hours.hours.holidays and hours.holiday is not None


def test_multi_language_example_has_what_it_shows() -> None:
    flow = load_flow(EXAMPLES / "multi-language.yaml")
    kinds = {node.kind for node in flow.nodes.values()}
    assert {NodeKind.MENU, NodeKind.SET, NodeKind.COLLECT, NodeKind.BRANCH} <= kinds
    first = flow.node(flow.start)
    assert isinstance(first, MenuNode)
    assert all(isinstance(flow.node(target), SetNode) for target in first.options.values())


# -- node kinds ------------------------------------------------------------------------


def test_misspelled_kind() -> None:
    text = edit(FLOW, '{play: "Welcome."', '{plya: "Welcome."')
    assert (
        only_issue(text)
        == "flow.yaml:4 nodes.greet.plya: unknown node kind 'plya' (did you mean 'play'?)"
    )


def test_two_kinds_in_one_node() -> None:
    text = edit(FLOW, '{play: "Welcome.", next: hours}', '{play: "Hi", hangup: true, next: hours}')
    assert only_issue(text) == (
        "flow.yaml:4 nodes.greet.hangup: a node has exactly one kind; "
        "this one is both 'play' and 'hangup'"
    )


def test_node_without_kind() -> None:
    text = edit(FLOW, '{play: "Welcome.", next: hours}', "{next: hours}")
    assert only_issue(text) == (
        "flow.yaml:4 nodes.greet: a node needs one of play, menu, collect, hours, branch, set, "
        "queue, callback, voicemail, transfer, hangup (found next)"
    )


def test_node_that_is_not_a_mapping() -> None:
    text = edit(FLOW, '{play: "Welcome.", next: hours}', '"Welcome."')
    assert only_issue(text) == (
        "flow.yaml:4 nodes.greet: expected a node like "
        "{play: \"Thank you for calling.\", next: menu}, got 'Welcome.'"
    )


def test_unknown_field_of_a_node_names_the_near_miss_not_a_missing_field() -> None:
    text = edit(FLOW, '{play: "Welcome.", next: hours}', '{play: "Welcome.", nxt: hours}')
    issues = [str(issue) for issue in issues_of(text)]
    assert issues[0] == "flow.yaml:4 nodes.greet.nxt: unknown field 'nxt' (did you mean 'next'?)"
    assert not any("required field missing" in issue for issue in issues)


def test_unknown_field_inside_a_spec_lists_the_fields() -> None:
    text = edit(FLOW, "timeout: 5, retries: 2}", "timeout: 5, retries: 2, colour: red}")
    assert only_issue(text) == (
        "flow.yaml:14 nodes.menu.menu.colour: unknown field 'colour' "
        "(fields here: prompt, timeout, retries)"
    )


def test_unknown_field_does_not_hide_other_problems_beside_it() -> None:
    text = edit(FLOW, "timeout: 5, retries: 2}", "timeout: 0, retries: 2, retry: 3}")
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:14 nodes.menu.menu.retry: unknown field 'retry' (did you mean 'retries'?)",
        "flow.yaml:14 nodes.menu.menu.timeout: must be > 0 (got 0)",
    ]


def test_missing_required_field() -> None:
    text = edit(FLOW, "    exhausted: support\n", "")
    assert only_issue(text) == "flow.yaml:13 nodes.menu.exhausted: required field missing"


def test_hangup_must_be_true() -> None:
    text = edit(FLOW, "{hangup: true}", "{hangup: false}")
    assert only_issue(text) == (
        "flow.yaml:33 nodes.bye.hangup: write hangup: true (a hangup node always ends the call)"
    )


def test_transfer_number() -> None:
    unquoted = add_node(FLOW, "{transfer: 18005550100}")
    assert only_issue(unquoted).startswith(
        'flow.yaml:29 nodes.vip.transfer: quote the number, e.g. "+18005550100"'
    )
    local = add_node(FLOW, '{transfer: "555-0100"}')
    assert only_issue(local) == (
        "flow.yaml:29 nodes.vip.transfer: '555-0100' is not an E.164 number like +18005550100"
    )


def test_set_priority_must_be_a_whole_number() -> None:
    text = edit(FLOW, "priority: 5,", "priority: high,")
    assert only_issue(text) == (
        "flow.yaml:29 nodes.vip.set.priority: priority must be a whole number, got 'high'"
    )


def test_prompt_must_not_be_empty() -> None:
    text = edit(FLOW, '{play: "Welcome."', '{play: ""')
    assert only_issue(text) == "flow.yaml:4 nodes.greet.play: must not be empty"


# -- times, zones, digits and patterns -------------------------------------------------


def test_unquoted_time() -> None:
    text = edit(FLOW, 'mon: ["08:00", "18:00"]', 'mon: ["08:00", 18:00]')
    assert only_issue(text) == (
        'flow.yaml:8 nodes.hours.hours.weekly.mon[1]: quote the time, e.g. "18:00" '
        "(unquoted, YAML reads it as the number 1080)"
    )


def test_bad_times() -> None:
    text = edit(FLOW, 'mon: ["08:00", "18:00"]', 'mon: ["8am", "25:00"]')
    text = edit(text, 'tue: ["08:00", "18:00"]', 'tue: ["18:00", "08:00"]')
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:8 nodes.hours.hours.weekly.mon[0]: '8am' is not a time like \"08:00\" "
        "(00:00-23:59)",
        "flow.yaml:8 nodes.hours.hours.weekly.mon[1]: '25:00' is not a time like \"08:00\" "
        "(00:00-24:00)",
        "flow.yaml:8 nodes.hours.hours.weekly.tue: opens at 18:00 but closes at 08:00 "
        '(closing must be later; split hours past midnight as ["22:00", "24:00"] and '
        '["00:00", "06:00"])',
    ]


def test_day_hours_shape() -> None:
    text = edit(FLOW, 'mon: ["08:00", "18:00"]', 'mon: ["08:00"]')
    assert only_issue(text).startswith(
        'flow.yaml:8 nodes.hours.hours.weekly.mon: expected ["08:00", "18:00"], a list of such'
    )


def test_misspelled_weekday() -> None:
    text = edit(FLOW, "sat: null", "sa: null")
    assert only_issue(text) == (
        "flow.yaml:8 nodes.hours.hours.weekly.sa: unknown field 'sa' (did you mean 'sat'?)"
    )


def test_bad_time_zone() -> None:
    text = edit(FLOW, "America/New_York", "America/New_Yrok")
    assert only_issue(text) == (
        "flow.yaml:7 nodes.hours.hours.time_zone: 'America/New_Yrok' is not a time zone "
        "(did you mean 'America/New_York'?)"
    )
    text = edit(FLOW, "America/New_York", "Mars/Olympus_Mons")
    assert only_issue(text).endswith("is not a time zone (use an IANA name like Europe/Paris)")


def test_bad_holiday() -> None:
    text = edit(FLOW, '["2026-12-25"]', '["2026-02-30"]')
    assert only_issue(text) == (
        "flow.yaml:9 nodes.hours.hours.holidays[0]: expected a date like 2026-12-25, "
        "got '2026-02-30'"
    )


def test_impossible_unquoted_date_is_an_issue_not_a_crash() -> None:
    text = edit(FLOW, '["2026-12-25"]', "[2026-02-30]")
    assert only_issue(text).startswith("flow.yaml:9: invalid YAML: '2026-02-30' is not a valid")


def test_bad_regex() -> None:
    text = edit(FLOW, 'validate: "^[0-9]+$"', 'validate: "^[0-9+$"')
    assert only_issue(text) == (
        "flow.yaml:19 nodes.account.collect.validate: '^[0-9+$' is not a valid regular "
        "expression (unterminated character set at position 1)"
    )


def test_min_digits_above_max_digits() -> None:
    text = edit(FLOW, "min_digits: 6, max_digits: 8", "min_digits: 9, max_digits: 8")
    assert only_issue(text) == (
        "flow.yaml:19 nodes.account.collect.min_digits: min_digits (9) is more than max_digits (8)"
    )


def test_menu_keys_must_be_dtmf() -> None:
    text = edit(FLOW, '{"1": account, "2": support}', '{"1": account, "A": support, 12: support}')
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:15 nodes.menu.options.A: 'A' is not a DTMF key (one of 0-9, *, #)",
        "flow.yaml:15 nodes.menu.options.12: 12 is not a DTMF key (one of 0-9, *, #)",
    ]


def test_terminator_and_accept_key_must_be_dtmf() -> None:
    text = edit(FLOW, "into: acct}", 'into: acct, terminator: "5"}')
    text = edit(text, 'prompt: "Press 1 for a callback."', 'prompt: "Press 1.", accept_key: "x"')
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:19 nodes.account.collect.terminator: '5' is a digit and cannot end digit "
        "entry; use '#' or '*'",
        "flow.yaml:31 nodes.offer.callback.accept_key: 'x' is not a DTMF key (one of 0-9, *, #)",
    ]


def test_condition_needs_one_test() -> None:
    text = edit(FLOW, '{field: acct, equals: "123456"}', "{field: acct}")
    text = edit(text, '{caller_prefix: "+1305"}', '{caller_prefix: "1305", field: acct}')
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:24 nodes.route.branch[0].when.field: give field with equals or with in "
        "(neither)",
        "flow.yaml:26 nodes.route.branch[1].when: give either field (with equals or in) or "
        "caller_prefix (both)",
        "flow.yaml:26 nodes.route.branch[1].when.caller_prefix: '1305' is not the start of an "
        "E.164 number, like +1305",
    ]


# -- the graph -------------------------------------------------------------------------


def test_reference_to_a_missing_node() -> None:
    text = edit(FLOW, '"2": support}', '"2": suport}')
    assert only_issue(text) == (
        "flow.yaml:15 nodes.menu.options.2: unknown node 'suport' (did you mean 'support'?)"
    )


def test_references_everywhere_are_checked() -> None:
    text = edit(FLOW, "next: vip", "next: vipp")
    text = edit(text, "    default: support\n", "    default: nowhere\n")
    text = edit(text, "closed: vm", "closed: voicemail")
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:11 nodes.hours.closed: unknown node 'voicemail'",
        "flow.yaml:25 nodes.route.branch[0].next: unknown node 'vipp' (did you mean 'vip'?)",
        "flow.yaml:28 nodes.route.default: unknown node 'nowhere'",
        "flow.yaml:29 nodes.vip: node 'vip' is not reachable from start 'greet'",
    ]


def test_missing_start() -> None:
    text = edit(FLOW, "start: greet\n", "")
    assert only_issue(text) == "flow.yaml:1 start: required field missing"


def test_start_names_no_node() -> None:
    text = edit(FLOW, "start: greet", "start: greeting")
    issues = issues_of(text)
    assert str(issues[0]) == (
        "flow.yaml:2 start: unknown node 'greeting' (did you mean 'greet'?) "
        "(nodes: greet, hours, menu, account, route, vip, support, offer, vm, bye)"
    )
    assert len(issues) == 1  # nothing is called unreachable when there is no start


def test_unreachable_node() -> None:
    text = FLOW + "  orphan: {play: Hello, next: bye}\n"
    assert only_issue(text) == (
        "flow.yaml:34 nodes.orphan: node 'orphan' is not reachable from start 'greet'"
    )


def test_callback_offer_of_a_queue_must_be_a_callback_node() -> None:
    text = edit(FLOW, "callback: offer}", "callback: bye}")
    text = edit(text, "declined: support}", "declined: support}\n  x: {queue: x, callback: offer}")
    text = edit(text, "vip: {set: {priority: 5, tier: gold}, next: support}", "vip: {queue: q}")
    issues = [str(issue) for issue in issues_of(text)]
    assert (
        "flow.yaml:30 nodes.support.callback: node 'bye' is a hangup node; "
        "callback must name a callback node" in issues
    )


def test_play_loop_without_exit() -> None:
    text = edit(FLOW, "closed: vm", "closed: closed_a")
    text += "  closed_a: {play: A, next: closed_b}\n  closed_b: {play: B, next: closed_a}\n"
    assert only_issue(text) == (
        "flow.yaml:34 nodes.closed_a.next: loop without exit: closed_a -> closed_b -> closed_a "
        "never reaches a queue, callback, transfer, hangup or a voicemail that ends the call"
    )


def test_self_loop_without_exit() -> None:
    text = edit(FLOW, "closed: vm", "closed: again")
    text += "  again: {play: Closed., next: again}\n"
    assert only_issue(text).startswith(
        "flow.yaml:34 nodes.again.next: loop without exit: again -> again never reaches"
    )


def test_loop_through_set_and_branch_nodes() -> None:
    text = edit(FLOW, "closed: vm", "closed: mark")
    text += (
        "  mark: {set: {seen: yes}, next: check}\n"
        "  check: {branch: [{when: {field: seen, equals: no}, next: check}], default: mark}\n"
    )
    assert only_issue(text).startswith(
        "flow.yaml:34 nodes.mark.next: loop without exit: mark -> check -> mark never reaches"
    )


def test_menu_retrying_itself_is_not_a_trap_when_it_gives_up_to_an_exit() -> None:
    text = edit(FLOW, "    invalid: menu\n", "    invalid: menu\n    no_input: menu\n")
    parse_flow(text)


def test_menu_whose_every_way_loops_is_a_trap() -> None:
    text = edit(FLOW, "closed: vm", "closed: night")
    text += (
        '  night: {menu: {prompt: "Press 1."}, options: {"1": night_msg}, exhausted: night}\n'
        "  night_msg: {play: Still closed., next: night}\n"
    )
    assert only_issue(text).startswith(
        "flow.yaml:34 nodes.night.exhausted: loop without exit: night -> night never reaches"
    )


def test_voicemail_without_next_ends_the_call() -> None:
    text = edit(FLOW, "next: bye}", "}")
    text = edit(text, "  bye: {hangup: true}\n", "")
    parse_flow(text)


def test_voicemail_leading_back_into_a_loop_is_a_trap() -> None:
    text = edit(FLOW, "next: bye}", "next: vm}")
    text = edit(text, "  bye: {hangup: true}\n", "")
    assert only_issue(text).startswith(
        "flow.yaml:32 nodes.vm.next: loop without exit: vm -> vm never reaches"
    )


def test_graph_problems_come_with_field_problems() -> None:
    text = edit(FLOW, "timeout: 5,", "timeout: -1,")  # the menu node is invalid
    text = edit(text, "next: vip", "next: vipp")
    text += "  orphan: {play: Hello, next: bye}\n"
    # The menu node is invalid, so where it leads is unknown: no reachability verdicts.
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:14 nodes.menu.menu.timeout: duration must be >= 0 (got -1)",
        "flow.yaml:25 nodes.route.branch[0].next: unknown node 'vipp' (did you mean 'vip'?)",
    ]


def test_graph_problems_after_a_broken_unreachable_node() -> None:
    text = FLOW + "  orphan: {play: 5, next: bye}\n  lost: {play: Hi, next: bye}\n"
    assert [str(issue) for issue in issues_of(text)] == [
        "flow.yaml:34 nodes.orphan.play: expected text, got 5",
        "flow.yaml:34 nodes.orphan: node 'orphan' is not reachable from start 'greet'",
        "flow.yaml:35 nodes.lost: node 'lost' is not reachable from start 'greet'",
    ]


# -- the file --------------------------------------------------------------------------


def test_yaml_syntax_error() -> None:
    text = edit(FLOW, "  bye: {hangup: true}", "  bye: {hangup: true")
    assert only_issue(text).startswith("flow.yaml:34: invalid YAML:")


def test_top_level_must_be_a_mapping() -> None:
    assert only_issue("- a\n- b\n") == (
        "flow.yaml:1: the top level must be a mapping (name:, start:, nodes:), not a list"
    )
    assert only_issue("") == (
        "flow.yaml: the top level must be a mapping (name:, start:, nodes:), not an empty file"
    )


def test_duplicate_node_name() -> None:
    text = FLOW + "  bye: {hangup: true}\n"
    assert only_issue(text) == "flow.yaml:34 nodes.bye: key written twice (first on line 33)"


def test_misspelled_top_level_field() -> None:
    text = edit(FLOW, "nodes:", "nodse:")
    assert only_issue(text) == "flow.yaml:3 nodse: unknown field 'nodse' (did you mean 'nodes'?)"


def test_load_flow_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    with pytest.raises(ConfigError) as caught:
        load_flow(missing)
    assert str(caught.value) == f"{missing}: no such file"


def test_load_flow_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "line.yaml"
    path.write_text(edit(FLOW, '"2": support}', '"2": suport}'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_flow(path)
    assert caught.value.issues[0].file == str(path)
    assert caught.value.issues[0].line == 15


# -- embedding in a larger file (a scenario's `flows:`) --------------------------------


def test_validate_flow_at_a_prefix_of_another_document() -> None:
    flow_lines = edit(FLOW, '"2": support}', '"2": suport}').splitlines()
    body = "\n".join(
        "    " + line if index else "  - " + line for index, line in enumerate(flow_lines)
    )
    document = read_yaml("name: day\nflows:\n" + body + "\n")
    assert isinstance(document.data, dict)
    with pytest.raises(ConfigError) as caught:
        validate_flow(document.data["flows"][0], "day.yaml", document, ("flows", 0))
    assert [str(issue) for issue in caught.value.issues] == [
        "day.yaml:17 flows[0].nodes.menu.options.2: unknown node 'suport' (did you mean 'support'?)"
    ]


def test_validate_flow_accepts_good_data() -> None:
    document = read_yaml(FLOW)
    assert validate_flow(document.data, "x.yaml", document) == parse_flow(FLOW)


def test_flow_config_is_a_pydantic_field() -> None:
    class Holder(BaseModel):
        flows: list[FlowConfig]

    data = read_yaml(FLOW).data
    assert Holder.model_validate({"flows": [data]}).flows[0].name == "line"
    assert isinstance(data, dict)
    data["start"] = "nowhere"
    with pytest.raises(ValidationError) as caught:
        Holder.model_validate({"flows": [data]})
    (error,) = caught.value.errors()
    assert error["loc"] == ("flows", 0, "start")
    assert str(error["msg"]).startswith("unknown node 'nowhere'")


def test_flow_config_is_frozen() -> None:
    flow = parse_flow(FLOW)
    with pytest.raises(ValidationError):
        flow.start = "menu"
