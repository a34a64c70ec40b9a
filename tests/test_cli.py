"""The `tidal` command as users run it: a real process, exit codes, stdout purity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "support-day.yaml"


def tidal(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if home is not None:
        env["TIDAL_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "tidal.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_simulate_json_prints_exactly_one_object_and_is_reproducible() -> None:
    first = tidal("simulate", str(EXAMPLE), "--json")
    assert first.returncode == 0, first.stderr
    figures = json.loads(first.stdout)  # the whole of stdout is one JSON document
    assert first.stdout.count("\n") == 1
    assert set(figures["queues"]) == {"billing", "tech"}
    again = json.loads(tidal("simulate", str(EXAMPLE), "--json").stdout)
    other = json.loads(tidal("simulate", str(EXAMPLE), "--json", "--seed", "8").stdout)
    for result in (figures, again, other):
        result.pop("wall_seconds")
    assert figures == again
    assert other["seed"] == 8 and other != figures


def test_simulate_report_is_one_self_contained_html_file(tmp_path: Path) -> None:
    report = tmp_path / "day.html"
    run = tidal("simulate", str(EXAMPLE), "--report", str(report))
    assert run.returncode == 0, run.stderr
    page = report.read_text()
    for title in (
        "Service level per",
        "Contacts waiting",
        "Agents by state",
        "Wait time distribution",
    ):
        assert title in page
    assert "<script src=" not in page  # plotly.js is inline: the file opens offline
    assert "billing" in run.stdout  # the summary table


BROKEN = {
    "typo in a distribution": (
        "handle_time: {dist: exponential, mean: 180}",
        "handle_time: {dist: exponentail, mean: 180}",
        r"support-day.yaml:\d+ queues\[0\]\.handle_time\.dist: 'exponentail' is not one of",
    ),
    "unknown field": (
        "    patience: {dist: exponential, mean: 120}",
        "    patiense: 5",
        "patiense",
    ),
    "bad duration": ("duration: 8h", "duration: 8 hours", "duration"),
    "voice capacity above one": (
        "    skills: {tech: 8}\n",
        "    skills: {tech: 8}\n    capacity: {voice: 3}\n",
        r"support-day.yaml:\d+ agents\[1\]\.capacity\.voice: a voice contact has the agent to "
        r"itself: capacity must be 0 or 1, got 3",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_scenario_exits_2_naming_the_field(case: str, tmp_path: Path) -> None:
    good, bad, expected = BROKEN[case]
    text = EXAMPLE.read_text()
    assert good in text
    path = tmp_path / "support-day.yaml"
    path.write_text(text.replace(good, bad, 1))
    run = tidal("simulate", str(path), "--json")
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert pytest.importorskip("re").search(expected, " ".join(run.stderr.split()))


def test_missing_scenario_file_exits_2(tmp_path: Path) -> None:
    run = tidal("simulate", str(tmp_path / "nope.yaml"))
    assert run.returncode == 2
    assert "nope.yaml" in run.stderr and "Traceback" not in run.stderr


def test_staff_gives_the_published_erlang_c_answer() -> None:
    run = tidal("staff", "--rate", "200", "--aht", "180", "--target", "0.8", "--threshold", "20",
                "--shrinkage", "0.3", "--json")  # fmt: skip
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    assert list(figures) == [
        "agents",
        "service_level",
        "asa",
        "occupancy",
        "abandon_rate",
        "scheduled",
    ]
    assert figures["agents"] == 14
    assert figures["service_level"] == pytest.approx(0.8884, abs=5e-5)
    assert figures["asa"] == pytest.approx(7.84, abs=5e-3)
    assert figures["abandon_rate"] == 0.0
    assert figures["scheduled"] == 20


def test_staff_with_patience_uses_erlang_a() -> None:
    run = tidal("staff", "--rate", "200", "--aht", "180", "--patience", "60", "--json")
    figures = json.loads(run.stdout)
    assert 0 < figures["abandon_rate"] < 0.1
    assert figures["service_level"] >= 0.8


def test_staff_rejects_bad_numbers_with_exit_2() -> None:
    run = tidal("staff", "--rate", "200", "--aht", "0", "--json")
    assert run.returncode == 2
    assert "aht" in run.stderr and "Traceback" not in run.stderr


def test_demo_writes_its_report_under_tidal_home(tmp_path: Path) -> None:
    run = tidal("demo", "--simulate", home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "demo-report.html").exists()
    assert "demo-report.html" in run.stdout


def test_users_add_reads_the_password_from_stdin_never_argv(tmp_path: Path) -> None:
    def add(*args: str, password: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, TIDAL_HOME=str(tmp_path))
        env.pop("TIDAL_DATABASE_URL", None)
        return subprocess.run(
            [sys.executable, "-m", "tidal.cli", "users", "add", *args],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    run = add("alice", "--role", "supervisor", password="s3cret-horse")
    assert run.returncode == 0, run.stderr
    assert "alice" in run.stdout and "s3cret-horse" not in run.stdout + run.stderr
    from tidal.store import Store

    with Store.open(home=tmp_path) as store:
        user = store.users.verify("alice", "s3cret-horse")
        assert user is not None and user.role == "supervisor"
        assert store.users.verify("alice", "wrong") is None
    assert add("alice", "--role", "agent", password="x").returncode == 2  # duplicate
    bad = add("bob", "--role", "root", password="x")
    assert bad.returncode == 2 and "--role" in bad.stderr
    assert add("carol", "--role", "agent", password="").returncode == 2


def test_leads_import_keeps_good_rows_reports_bad_ones_and_merges_across_lists(
    tmp_path: Path,
) -> None:
    first = tmp_path / "list-a.csv"
    first.write_text(
        "name;phone;mobile;plan\n"
        'Ann;"(212) 555-0100";;gold\n'
        "Bob;555-0101;;silver\n"
        "Cy;1-305-555-0102;+1 305 555 0103;bronze\n"
    )
    run = tidal("leads", "import", str(first), "--campaign", "renewals", "--json", home=tmp_path)
    assert run.returncode == 2  # a row was rejected: reported, the rest imported
    assert json.loads(run.stdout) == {
        "rows": 3, "imported": 2, "merged": 0, "already_in_campaign": 0, "rejected": 1,
    }  # fmt: skip
    assert "row 2, column 'phone': not a valid phone number ('555-0101')" in run.stderr
    second = tmp_path / "list-b.csv"
    second.write_text("name,phone\nAnn,+12125550100\nDi,2125550177\n")
    run = tidal("leads", "import", str(second), "--campaign", "renewals", "--json", home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["already_in_campaign"] == 1
    from tidal.store import Store

    with Store.open(home=tmp_path) as store:
        assert store.leads.count("renewals") == 3
        assert "+13055550103" in store.leads.numbers("renewals")


def test_unwritable_outputs_and_an_unopenable_store_exit_2_without_a_traceback(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    run = tidal("simulate", str(EXAMPLE), "--report", str(blocker / "day.html"))
    assert run.returncode == 2 and "cannot write the report" in run.stderr
    env = dict(os.environ, TIDAL_HOME=str(blocker / "home"))
    env["TIDAL_DATABASE_URL"] = "postgresql://u:secretpw@127.0.0.1:1/x"
    store = subprocess.run(
        [sys.executable, "-m", "tidal.cli", "users", "add", "a", "--role", "admin"],
        input="pw\n", capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert store.returncode == 2 and "cannot open the store" in store.stderr
    assert "secretpw" not in store.stderr and "Traceback" not in store.stderr


def test_leads_import_names_the_line_of_an_unterminated_quote_and_reads_on(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text('name,phone\nAnn,2125550100\n"Bob,2125550101\nCy,2125550102\n')
    run = tidal("leads", "import", str(broken), "--campaign", "c", "--json", home=tmp_path)
    assert run.returncode == 2
    assert json.loads(run.stdout)["imported"] == 2 and json.loads(run.stdout)["rejected"] == 1
    assert "row 2, column 'name': line 3: unterminated quote opened here" in run.stderr


def test_leads_import_reads_a_tab_separated_list(tmp_path: Path) -> None:
    tsv = tmp_path / "list.tsv"
    tsv.write_text("name\tphone\nAnn\t(212) 555-0100\nBob\t305 555 0101\n")
    run = tidal("leads", "import", str(tsv), "--campaign", "c", "--json", home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["imported"] == 2


def test_simulate_shows_campaigns_and_the_regulator_and_refuses_a_bad_pacer(
    tmp_path: Path,
) -> None:
    text = (REPO / "examples" / "outbound-day.yaml").read_text()
    short = tmp_path / "outbound.yaml"
    short.write_text(text.replace("duration: 8h", "duration: 10m"))
    run = tidal("simulate", str(short))
    assert run.returncode == 0, run.stderr
    assert "renewals" in run.stdout
    assert "violations counted by the regulator: dnc 0, calling_window 0, abandon_cap 0" in (
        run.stdout
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("dial_mode: predictive", "dial_mode: predictive\n    pacer: x:Y"))
    refused = tidal("simulate", str(bad), "--json")
    assert refused.returncode == 2
    assert "campaigns[0].pacer" in refused.stderr and refused.stdout == ""


def test_simulating_a_live_center_file_names_each_missing_world_key() -> None:
    center = REPO / "examples" / "live-center.yaml"
    result = tidal("simulate", str(center), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{center}:15 queues[0].arrivals: needed to simulate" in result.stderr
    assert "campaigns[0].outcomes: needed to simulate" in result.stderr
