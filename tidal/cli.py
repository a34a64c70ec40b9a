"""The `tidal` command line (CONTRACTS section 1).

Exit status: 0 on success, 2 on bad input (the message names the file, line or
field), 1 on an internal error.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from tidal.dnc import CsvRow


def _switches_without_a_type() -> None:
    """Typer shows `<bool>` beside every flag (`--json <bool>`), which reads as if the
    flag took a value: a switch shows no type, as click and every CLI has it."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag and self.metavar is None else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_switches_without_a_type()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Tidal: an open, self-hosted, blended contact center.",
)
stderr = Console(stderr=True)
# Piped output has no terminal width; 120 columns keeps the summary tables whole.
stdout = Console() if sys.stdout.isatty() else Console(width=120)

EXIT_BAD_INPUT = 2


@app.callback()
def _private_files() -> None:
    """Every file a command creates is its owner's alone (umask 077), whatever the shell's."""
    from tidal.config import private_umask

    private_umask()


def _bad_input(message: str) -> NoReturn:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def tidal_home() -> Path:
    """Where Tidal keeps its files: `$TIDAL_HOME`, default `./.tidal`."""
    return Path(os.environ.get("TIDAL_HOME", ".tidal"))


def _run_simulation(scenario_path: Path, seed: int | None, quiet: bool) -> Any:
    from tidal.config import ConfigError, load_scenario
    from tidal.sim import Simulation, UnsupportedScenario

    try:
        scenario = load_scenario(scenario_path, simulate=True)
        simulation = Simulation(scenario, seed=seed, base_dir=scenario_path.parent)
    except ConfigError as error:
        _bad_input(str(error))
    except UnsupportedScenario as error:
        _bad_input(f"{scenario_path.name}: {error}")
    progress = Progress(
        TextColumn("[bold]simulating[/] {task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}% of simulated time"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=quiet,
    )
    with progress:
        task = progress.add_task(scenario.name, total=1.0)
        simulation.progress = lambda fraction: progress.update(task, completed=fraction)
        return simulation.run()


def _print_summary(figures: dict[str, Any]) -> None:
    from tidal.sim.summary import (
        AGENT_HEADERS,
        CAMPAIGN_HEADERS,
        QUEUE_HEADERS,
        agent_rows,
        campaign_rows,
        queue_rows,
    )

    tables = [
        (f"{figures['scenario']} (seed {figures['seed']})", QUEUE_HEADERS, queue_rows(figures)),
        (None, AGENT_HEADERS, agent_rows(figures)),
    ]
    if figures["campaigns"]:
        tables.insert(1, (None, CAMPAIGN_HEADERS, campaign_rows(figures)))
    for title, headers, rows in tables:
        table = Table(title=title)
        for i, header in enumerate(headers):
            table.add_column(header, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*row)
        stdout.print(table)
    if figures["campaigns"]:
        found = ", ".join(f"{kind} {count}" for kind, count in figures["violations"].items())
        stdout.print(f"violations counted by the regulator: {found}")
    stdout.print(
        f"{figures['events_processed']:,} events, "
        f"{figures['simulated_seconds'] / 3600:.1f} simulated hours "
        f"in {figures['wall_seconds']:.2f} s"
    )


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    seed: Annotated[int | None, typer.Option(help="Override the scenario's seed.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object on stdout, nothing else.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write an HTML report with charts to this file.")
    ] = None,
) -> None:
    """Run a scenario in simulated time and report its figures."""
    result = _run_simulation(scenario, seed, quiet=False)
    figures = result.as_json()
    if report is not None:
        from tidal.sim.report import write_report

        try:
            write_report(result, report)
        except OSError as error:
            _bad_input(f"{report}: cannot write the report ({error.strerror or error})")
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        _print_summary(figures)
    if report is not None:
        stderr.print(f"report written to {report}")


@app.command()
def staff(
    rate: Annotated[float, typer.Option(help="Calls per hour.")],
    aht: Annotated[float, typer.Option(help="Average handle time, seconds.")],
    target: Annotated[float, typer.Option(help="Service-level target, e.g. 0.8.")] = 0.8,
    threshold: Annotated[float, typer.Option(help="Service-level threshold, seconds.")] = 20.0,
    patience: Annotated[
        float | None, typer.Option(help="Mean caller patience, seconds (Erlang A).")
    ] = None,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time not on the phones.")] = 0.3,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Fewest agents that meet a service-level target (Erlang C, or Erlang A with patience)."""
    from tidal.wfm import staff as staff_for

    try:
        result = staff_for(rate, aht, target, threshold, patience=patience, shrinkage=shrinkage)
    except ValueError as error:
        _bad_input(str(error))
    figures = result.as_json()
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
        return
    model = "Erlang A" if patience is not None else "Erlang C"
    stdout.print(
        f"{model}: [bold]{figures['agents']}[/] agents on the phones "
        f"({figures['scheduled']} scheduled with {shrinkage:.0%} shrinkage)\n"
        f"service level {figures['service_level']:.1%} in {threshold:g} s, "
        f"ASA {figures['asa']:.1f} s, occupancy {figures['occupancy']:.1%}, "
        f"abandon rate {figures['abandon_rate']:.1%}"
    )


def _load_center(config: Path | None) -> Any:
    from tidal.config import ConfigError
    from tidal.live.server import load_center

    try:
        return load_center(config)
    except ConfigError as error:
        _bad_input(str(error))
    except OSError as error:
        _bad_input(f"{config}: {error.strerror or error}")


def _serve(
    center: Any,
    store: Any,
    host: str,
    port: int,
    telephony: str | None,
    speed: float,
    base_dir: Path | None = None,
) -> None:
    import logging

    from tidal.api import UploadLimitError
    from tidal.config import ConfigError
    from tidal.live.server import UnknownTelephony, serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        serve(
            center,
            store,
            host=host,
            port=port,
            telephony=telephony,
            speed=speed,
            home=tidal_home(),
            base_dir=base_dir,
        )
    except (UnknownTelephony, ConfigError, UploadLimitError) as error:
        _bad_input(str(error))
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int, typer.Option(help="TCP port to listen on.", min=1, max=65535)]
SpeedOption = Annotated[
    float,
    typer.Option(help="Simulated telephony plays the day this many times faster.", min=0.01),
]


@app.command()
def serve(
    config: Annotated[
        Path | None, typer.Option(help="The center file (queues, agents, campaigns).")
    ] = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8080,
    telephony: Annotated[
        str | None, typer.Option(help="sim, none or sip (default $TIDAL_TELEPHONY, else sim).")
    ] = None,
    speed: SpeedOption = 1.0,
) -> None:
    """Run the live server: the center in real time, the API and the web pages."""
    center = _load_center(config)
    store = _open_store()
    stdout.print(f"[bold]Tidal[/] {center.name} on http://{host}:{port}/  (store {store.url})")
    _serve(center, store, host, port, telephony, speed, None if config is None else config.parent)


@app.command()
def demo(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8080,
    speed: SpeedOption = 1.0,
    simulate: Annotated[
        bool, typer.Option("--simulate", help="Simulate a day and write its HTML report instead.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="With --simulate: the report file (default $TIDAL_HOME).")
    ] = None,
) -> None:
    """Run the demo center live: SQLite, simulated callers and agents, demo logins.

    Kept under $TIDAL_HOME (default ./.tidal): tidal.db, audit.jsonl, demo-logins.json.
    """
    if simulate:
        _simulate_demo(report)
        return
    from tidal.live.demo import seed_demo

    center = _load_center(None)
    store = _open_store()
    logins = seed_demo(store, center, tidal_home())
    table = Table(title="demo logins", show_edge=False)
    for column in ("user", "role", "password", "page"):
        table.add_column(column)
    pages = {"admin": "/admin", "supervisor": "/wallboard", "agent": "/agent"}
    for login in logins:
        password = login.password or "(set earlier; not kept in this home)"
        table.add_row(login.name, str(login.role), password, pages[str(login.role)])
    stdout.print(f"\n[bold green]Tidal demo:[/] http://{host}:{port}/", soft_wrap=True)
    stdout.print(table)
    stdout.print("simulated callers and ten simulated agents are working; Ctrl-C stops.\n")
    _serve(center, store, host, port, "sim", speed)


def _simulate_demo(report: Path | None) -> None:
    """Simulate the demo center for a day and write its HTML report."""
    from tidal.sim.report import write_report

    scenario = resources.files("tidal.sim").joinpath("data/demo.yaml")
    with resources.as_file(scenario) as path:
        result = _run_simulation(path, None, quiet=False)
    target = report if report is not None else tidal_home() / "demo-report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_report(result, target)
    _print_summary(result.as_json())
    stdout.print(f"\n[bold green]demo report:[/] file://{target.resolve()}", soft_wrap=True)


dnc_app = typer.Typer(
    no_args_is_help=True, help="The Do-Not-Call registry, internal lists and consent."
)
app.add_typer(dnc_app, name="dnc")


def _dnc_home() -> tuple[Path, Path]:
    home = tidal_home()
    return home / "dnc" / "registry", home / "audit.jsonl"


def _compliance() -> tuple[Any, Any]:
    """The gate with the registry under $TIDAL_HOME and the lists replayed from the audit log."""
    from tidal.config import load_calling_rules
    from tidal.core.compliance import CallingWindows, Compliance
    from tidal.dnc import AuditLog, AuditLogError, Registry

    registry_root, audit_path = _dnc_home()
    compliance = Compliance(Registry(registry_root), CallingWindows(load_calling_rules()))
    log = AuditLog(audit_path)
    try:
        log.load_into(compliance)
    except AuditLogError as error:
        _bad_input(str(error))
    return compliance, log


def _number(raw: str) -> int:
    from tidal.core.compliance import nanp_number

    number = nanp_number(raw)
    if number is None:
        _bad_input(f"{raw!r} is not a valid US/NANP phone number")
    return number


def _actor() -> str:
    return f"cli:{os.environ.get('USER', 'unknown')}"


@dnc_app.command("import")
def dnc_import(
    path: Annotated[Path, typer.Argument(help="A registry file, a .zip, or a folder of them.")],
    whole_registry: Annotated[
        bool,
        typer.Option(
            "--whole-registry",
            help="The full lists are the entire national registry: area codes absent "
            "from them are emptied and every area code counts as refreshed.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Load national-registry downloads (full lists and change lists)."""
    from tidal.dnc import DncError, Registry, import_registry

    if not path.exists():
        _bad_input(f"{path}: no such file or folder")
    registry_root, _ = _dnc_home()
    progress = Progress(
        TextColumn("[bold]importing[/] {task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    with progress:
        task = progress.add_task(path.name, total=None)
        try:
            report = import_registry(
                Registry(registry_root),
                path,
                now=datetime.now(UTC),
                progress=lambda done, total: progress.update(task, completed=done, total=total),
                whole_registry=whole_registry,
            )
        except DncError as error:  # e.g. a damaged zip archive
            _bad_input(f"{path}: {error}")
    for error in report.errors:
        stderr.print(f"{error.file}:{error.line}: {error.message}: {error.text!r}", highlight=False)
    if report.error_count > len(report.errors):
        stderr.print(f"... {report.error_count - len(report.errors)} more bad lines")
    if as_json:
        sys.stdout.write(json.dumps(report.as_json()) + "\n")
    else:
        stdout.print(
            f"{report.lines:,} lines from {report.files} file(s): {report.numbers_added:,} "
            f"registered, {report.numbers_deleted:,} deleted, "
            f"{len(report.area_codes)} area code(s), {report.error_count} bad line(s) skipped"
        )
    if report.error_count:
        raise typer.Exit(EXIT_BAD_INPUT)


@dnc_app.command("check")
def dnc_check(
    numbers: Annotated[list[str], typer.Argument(help="Phone numbers in any common format.")],
    campaign: Annotated[
        str | None, typer.Option(help="Also apply this campaign's internal list.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Whether numbers may be called as far as Do-Not-Call lists go, and why."""
    from tidal.core.compliance import e164

    compliance, _ = _compliance()
    now = datetime.now(UTC)
    answers: dict[str, dict[str, Any]] = {}
    for raw in numbers:
        decision = compliance.check_number(raw, now, campaign)
        key = raw if decision.number is None else e164(decision.number)
        reasons = [str(r) for r in decision.reasons] or list(decision.grounds)
        answers[key] = {"blocked": not decision.allowed, "reasons": reasons}
    if as_json:
        sys.stdout.write(json.dumps(answers) + "\n")
        return
    table = Table()
    for header in ("number", "may call", "why"):
        table.add_column(header)
    for key, answer in answers.items():
        verdict = "[red]no[/]" if answer["blocked"] else "[green]yes[/]"
        table.add_row(key, verdict, ", ".join(answer["reasons"]))
    stdout.print(table)


@dnc_app.command("scrub")
def dnc_scrub(
    leads: Annotated[Path, typer.Argument(help="Lead list (CSV with a header row).")],
    column: Annotated[str | None, typer.Option(help="Name of the phone column.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the callable rows here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Keep the rows whose number may be called (registry, internal lists, consent)."""
    import numpy as np

    from tidal.dnc import ScrubError, scrub_csv

    if not leads.is_file():
        _bad_input(f"{leads}: no such file")
    compliance, _ = _compliance()
    now = datetime.now(UTC)
    try:
        report = scrub_csv(
            leads,
            column=column,
            registry=compliance.registry,
            internal=np.array(compliance.lists.internal_numbers(), dtype=np.int64),
            exempt=np.array(compliance.lists.exempt_numbers(now), dtype=np.int64),
            now=now,
            out=out,
        )
    except ScrubError as error:
        message = str(error)
        _bad_input(message if message.startswith(str(leads)) else f"{leads}: {message}")
    except OSError as error:
        _bad_input(f"{error.filename or out}: cannot write ({error.strerror or error})")
    for row, value in report.invalid_rows:
        stderr.print(f"{leads}: row {row}: {value!r} is not a valid phone number", highlight=False)
    if report.invalid > len(report.invalid_rows):
        stderr.print(f"... {report.invalid - len(report.invalid_rows)} more invalid rows")
    if as_json:
        sys.stdout.write(json.dumps(report.as_json()) + "\n")
    else:
        reasons = ", ".join(f"{k} {v:,}" for k, v in report.blocked_reasons.items() if v)
        stdout.print(
            f"{report.rows:,} rows: {report.kept:,} kept, {report.blocked:,} blocked"
            f"{f' ({reasons})' if reasons else ''}, {report.invalid:,} invalid "
            f"in {report.seconds:.2f} s" + (f"; callable rows in {out}" if out else "")
        )


@dnc_app.command("add")
def dnc_add(
    numbers: Annotated[list[str], typer.Argument(help="Numbers to put on the internal list.")],
    campaign: Annotated[
        str | None, typer.Option(help="Only this campaign's list (default: company-wide).")
    ] = None,
    source: Annotated[str, typer.Option(help="Why: complaint, request, ...")] = "admin",
) -> None:
    """Put numbers on the internal Do-Not-Call list (audited)."""
    compliance, log = _compliance()
    parsed = [_number(raw) for raw in numbers]
    now = datetime.now(UTC)
    for number in parsed:
        compliance.add_internal_dnc(
            number, at=now, actor=_actor(), source=source, campaign=campaign
        )
    log.append(compliance.drain_audit())
    stdout.print(f"{len(parsed)} number(s) added to the {campaign or 'company-wide'} list")


@dnc_app.command("remove")
def dnc_remove(
    numbers: Annotated[list[str], typer.Argument(help="Numbers to take off the internal list.")],
    campaign: Annotated[str | None, typer.Option(help="That campaign's list.")] = None,
    reason: Annotated[
        str | None, typer.Option(help="Why the opt-out is lifted (kept in the audit trail).")
    ] = None,
) -> None:
    """Take numbers off an internal list (an administrator's correction; audited)."""
    compliance, log = _compliance()
    parsed = [_number(raw) for raw in numbers]
    now = datetime.now(UTC)
    found = sum(
        compliance.remove_internal_dnc(n, at=now, actor=_actor(), campaign=campaign, reason=reason)
        for n in parsed
    )
    log.append(compliance.drain_audit())
    stdout.print(f"{found} of {len(parsed)} number(s) removed")


@dnc_app.command("consent")
def dnc_consent(
    number: Annotated[str, typer.Argument(help="The consenting number.")],
    kind: Annotated[str, typer.Option(help="written | purchase | inquiry")],
    source: Annotated[str, typer.Option(help="Where it is recorded: form id, order id ...")],
    at: Annotated[
        str | None, typer.Option(help="When it was given (ISO 8601 with offset); default now.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Why it is recorded late (kept in the audit trail).")
    ] = None,
) -> None:
    """Record written consent or an established business relationship (audited)."""
    from tidal.core.compliance import ConsentKind

    try:
        consent_kind = ConsentKind(kind)
    except ValueError:
        _bad_input(f"--kind: {kind!r} is not one of {', '.join(k.value for k in ConsentKind)}")
    now = when = datetime.now(UTC)
    if at is not None:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            _bad_input(f"--at: {at!r} is not an ISO 8601 date-time")
        if when.tzinfo is None:
            _bad_input(f"--at: {at!r} needs a UTC offset, e.g. 2026-11-23T10:00:00-05:00")
    compliance, log = _compliance()
    consent = compliance.grant_consent(
        _number(number),
        consent_kind,
        at=when,
        actor=_actor(),
        source=source,
        recorded_at=now,
        reason=reason,
    )
    log.append(compliance.drain_audit())
    expiry = consent.expires_at()
    stdout.print(
        f"recorded {kind}; " + (f"lapses {expiry:%Y-%m-%d}" if expiry else "until revoked")
    )


@dnc_app.command("revoke")
def dnc_revoke(number: Annotated[str, typer.Argument(help="The number.")]) -> None:
    """Revoke a number's consents and business relationships (audited)."""
    compliance, log = _compliance()
    revoked = compliance.revoke_consent(_number(number), at=datetime.now(UTC), actor=_actor())
    log.append(compliance.drain_audit())
    stdout.print(f"{revoked} consent(s) revoked")


users_app = typer.Typer(
    no_args_is_help=True, help="People who sign in: admins, supervisors, agents."
)
app.add_typer(users_app, name="users")


def _open_store() -> Any:
    """The store under $TIDAL_HOME (or $TIDAL_DATABASE_URL); exit 2 naming what is wrong."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, OperationalError

    from tidal.store import Store

    try:
        return Store.open(home=tidal_home())
    except (OSError, OperationalError, ArgumentError) as error:
        url = os.environ.get("TIDAL_DATABASE_URL")
        where = str(tidal_home() / "tidal.db")
        if url:
            try:
                where = make_url(url).render_as_string(hide_password=True)
            except ArgumentError:
                where = "TIDAL_DATABASE_URL (not a database URL)"
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        _bad_input(f"cannot open the store at {where}: {reason}")


def _read_password() -> str:
    """From a prompt on a terminal (typed twice), else the first line of stdin; never argv."""
    if sys.stdin.isatty():
        password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _audit_user_change(store: Any, action: str, **details: Any) -> None:
    """Record a change to a user in both audit trails, as the API does."""
    from tidal.core.compliance.audit import AuditEntry
    from tidal.dnc import AuditLog

    entry = AuditEntry(at=datetime.now(UTC), action=action, actor=_actor(), details=details)
    AuditLog(tidal_home() / "audit.jsonl").append([entry])
    store.audit.append(entry)


def _role(raw: str, where: str) -> Any:
    """The role named `raw`, or exit 2 naming `where` and the roles there are."""
    from tidal.store import Role

    try:
        return Role(raw)
    except ValueError:
        _bad_input(f"{where}: {raw!r} is not one of {', '.join(r.value for r in Role)}")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The sign-in name.")],
    role: Annotated[str, typer.Option(help="admin | supervisor | agent")],
) -> None:
    """Create a user; the password is read from stdin or a prompt, and stored argon2-hashed."""
    from tidal.store import DuplicateUserError

    chosen = _role(role, "--role")
    password = _read_password()
    if not password:
        _bad_input("the password is empty (give it on stdin or at the prompt)")
    with _open_store() as store:
        try:
            user = store.users.add(name, chosen, password)
        except DuplicateUserError:
            _bad_input(f"a user named {name!r} already exists (names ignore case)")
        except ValueError as error:
            _bad_input(str(error))
        _audit_user_change(store, "user_created", name=user.name, role=user.role.value)
    stdout.print(f"user {user.name!r} added with role {user.role}")


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Every user: name, role, whether disabled, when created."""
    from tidal.store import every_page

    with _open_store() as store:
        users = list(every_page(lambda limit, offset: store.users.list(limit, offset)))
    rows = [
        {
            "name": u.name,
            "role": u.role.value,
            "disabled": u.disabled,
            "created_at": u.created_at.isoformat(),
        }
        for u in users
    ]
    if as_json:
        sys.stdout.write(json.dumps({"users": rows}) + "\n")
        return
    table = Table("name", "role", "disabled", "created")
    for row in rows:
        table.add_row(row["name"], row["role"], "yes" if row["disabled"] else "", row["created_at"])
    stdout.print(table)


def _change_user(name: str, action: str, said: str, **changes: Any) -> None:
    """Apply one change to a user, audit it, and say what was done; exit 2 naming a refusal."""
    from tidal.store import DuplicateUserError, LastAdminError, UnknownUserError

    with _open_store() as store:
        try:
            if action == "user_deleted":
                user = store.users.delete(name)
            elif action == "user_signed_out":
                user = store.users.sign_out_everywhere(name)
            else:
                user = store.users.update(name, **changes)
        except UnknownUserError:
            _bad_input(f"no user {name!r}")
        except (LastAdminError, DuplicateUserError) as error:
            _bad_input(str(error))
        except ValueError as error:
            _bad_input(str(error))
        shown = {k: ("reset" if k == "password" else v) for k, v in changes.items()}
        details: dict[str, Any] = {"name": user.name}
        if shown:
            details["changes"] = shown
        _audit_user_change(store, action, **details)
    stdout.print(f"user {user.name!r} {said}")


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Stop a user signing in; every token they hold stops working (within a second)."""
    _change_user(name, "user_changed", "disabled and signed out everywhere", disabled=True)


@users_app.command("enable")
def users_enable(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Let a disabled user sign in again (their old tokens stay revoked)."""
    _change_user(name, "user_changed", "enabled", disabled=False)


@users_app.command("delete")
def users_delete(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Remove a user (their agent profile stays, without a user)."""
    _change_user(name, "user_deleted", "deleted")


@users_app.command("set-role")
def users_set_role(
    name: Annotated[str, typer.Argument(help="The user.")],
    role: Annotated[str, typer.Argument(help="admin | supervisor | agent")],
) -> None:
    """Change what a user may do (the last enabled admin keeps the role)."""
    chosen = _role(role, "ROLE")
    _change_user(name, "user_changed", f"now has role {chosen.value}", role=chosen)


@users_app.command("reset-password")
def users_reset_password(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Set a new password (from stdin or a prompt, never argv); signs the user out everywhere."""
    password = _read_password()
    if not password:
        _bad_input("the password is empty (give it on stdin or at the prompt)")
    _change_user(
        name, "user_changed", "has a new password (signed out everywhere)", password=password
    )


@users_app.command("sign-out")
def users_sign_out(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Sign a user out everywhere: every token issued so far stops working."""
    _change_user(name, "user_signed_out", "signed out everywhere")


leads_app = typer.Typer(no_args_is_help=True, help="Lead lists of outbound campaigns.")
app.add_typer(leads_app, name="leads")


def _read_csv(path: Path) -> tuple[list[str], list[CsvRow]]:
    """Header and rows of a CSV file in any common dialect (sniffed as `dnc scrub` does)."""
    from tidal.dnc import read_csv_rows

    header, rows = read_csv_rows(path.read_text(encoding="utf-8-sig"))
    if header is None:
        _bad_input(f"{path}: the file is empty (a header row is needed)")
    return header, rows


@leads_app.command("import")
def leads_import(
    leads: Annotated[Path, typer.Argument(help="Lead list: CSV with a header row.")],
    campaign: Annotated[str, typer.Option(help="The campaign the leads belong to.")],
    column: Annotated[
        list[str] | None, typer.Option(help="A phone column (repeat for several).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Import leads; rejected rows are reported (row, column, reason), the rest are kept."""
    from tidal.core.campaigns import parse_leads

    if not leads.is_file():
        _bad_input(f"{leads}: no such file")
    try:
        header, rows = _read_csv(leads)
    except (UnicodeDecodeError, csv.Error) as error:
        _bad_input(f"{leads}: cannot read it as CSV text ({error})")
    with _open_store() as store:
        try:
            result = parse_leads(
                header, rows, phone_columns=column or (), existing=store.leads.numbers(campaign)
            )
        except ValueError as error:
            _bad_input(f"{leads}: {error}")
        added = store.leads.add_many(
            campaign, [([n for _, n in lead.numbers], lead.data) for lead in result.leads]
        )
    for error in result.errors:
        stderr.print(f"{leads}: {error}", highlight=False, soft_wrap=True)
    figures = {
        "rows": result.rows,
        "imported": added,
        "merged": result.merged,
        "already_in_campaign": result.known,
        "rejected": len(result.rejected_rows),
    }
    if as_json:
        sys.stdout.write(json.dumps(figures) + "\n")
    else:
        stdout.print(
            f"{campaign}: {added} leads imported from {result.rows} rows "
            f"({result.merged} merged, {result.known} already in the campaign, "
            f"{figures['rejected']} rejected)"
        )
    if result.errors:
        raise typer.Exit(EXIT_BAD_INPUT)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
