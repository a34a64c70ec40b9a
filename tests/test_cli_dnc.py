"""`tidal dnc ...` end to end: import real files, then check and scrub, as a user would."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.test_cli import tidal


def _registry_files(folder: Path) -> Path:
    """A full list for 212 and 305, a zipped change list with adds, deletes and a bad line."""
    folder.mkdir()
    (folder / "full-212.txt").write_text("212,5550100\n212,5550101\n2125550102\n")
    (folder / "full-305.txt").write_text("305,5550100\n")
    changes = "212,5550101,D,2026-11-20\n212,5550103,A,2026-11-20\n21,555,add\n305,5550104,add\n"
    with zipfile.ZipFile(folder / "changes.zip", "w") as archive:
        archive.writestr("changes/2026-11-20.txt", changes)
    return folder


def test_import_check_and_scrub_give_exact_answers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    files = _registry_files(tmp_path / "registry")
    imported = tidal("dnc", "import", str(files), "--json", home=home)
    assert imported.returncode == 2, imported.stderr  # one bad line: reported, rest loaded
    assert "changes.zip:changes/2026-11-20.txt:3" in imported.stderr
    report = json.loads(imported.stdout)
    assert report["error_count"] == 1

    checked = tidal("dnc", "check", "+12125550100", "(212) 555-0101", "1-212-555-0102",
                    "212.555.0103", "3055550104", "3055550199", "555-0100", "--json",
                    home=home)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    answers = json.loads(checked.stdout)
    assert answers == {
        "+12125550100": {"blocked": True, "reasons": ["registry"]},  # full list
        "+12125550101": {"blocked": False, "reasons": []},  # deleted by the change list
        "+12125550102": {"blocked": True, "reasons": ["registry"]},  # ten-digit format
        "+12125550103": {"blocked": True, "reasons": ["registry"]},  # added by the change list
        "+13055550104": {"blocked": True, "reasons": ["registry"]},
        "+13055550199": {"blocked": False, "reasons": []},
        "555-0100": {"blocked": True, "reasons": ["invalid"]},
    }
    # An area code never loaded cannot be trusted: stale.
    stale = json.loads(tidal("dnc", "check", "4155550100", "--json", home=home).stdout)
    assert stale == {"+14155550100": {"blocked": True, "reasons": ["registry_stale"]}}

    leads = tmp_path / "leads.csv"
    leads.write_text(
        "name;phone;note\n"
        'Ann;"+1 (212) 555-0100";registered\n'
        "Bob;212-555-0101;deleted from registry\n"
        "Cy;12125550103;added by change list\n"
        "Di;not a number;invalid\n"
        "Ed;(305) 555-0199;free\n"
    )
    clean = tmp_path / "clean.csv"
    scrubbed = tidal("dnc", "scrub", str(leads), "--out", str(clean), "--json", home=home)
    assert scrubbed.returncode == 0, scrubbed.stderr
    figures = json.loads(scrubbed.stdout)
    assert set(figures) == {"rows", "kept", "blocked", "invalid", "seconds"}
    assert (figures["rows"], figures["kept"], figures["blocked"], figures["invalid"]) == (
        5,
        2,
        2,
        1,
    )
    assert "row 4" in scrubbed.stderr and "not a number" in scrubbed.stderr
    kept = clean.read_text().splitlines()
    assert kept[0] == "name;phone;note"
    assert [line.split(";")[0] for line in kept[1:]] == ["Bob", "Ed"]


def test_internal_list_and_consent_are_audited_and_change_the_answers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    files = _registry_files(tmp_path / "registry")
    tidal("dnc", "import", str(files), home=home)
    assert tidal("dnc", "add", "3055550199", "--source", "complaint", home=home).returncode == 0
    granted = tidal("dnc", "consent", "2125550100", "--kind", "purchase", "--source", "order 9",
                    home=home)  # fmt: skip
    assert granted.returncode == 0, granted.stderr
    answers = json.loads(
        tidal("dnc", "check", "3055550199", "2125550100", "--json", home=home).stdout
    )
    assert answers == {
        "+13055550199": {"blocked": True, "reasons": ["internal"]},
        "+12125550100": {"blocked": False, "reasons": ["ebr"]},
    }
    audit = [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]
    assert [e["action"] for e in audit] == ["internal_dnc_added", "consent_granted"]
    assert audit[1]["details"]["kind"] == "purchase"
    assert tidal("dnc", "revoke", "2125550100", home=home).returncode == 0
    again = json.loads(tidal("dnc", "check", "2125550100", "--json", home=home).stdout)
    assert again["+12125550100"]["blocked"] is True


def test_bad_input_exits_2(tmp_path: Path) -> None:
    assert tidal("dnc", "import", str(tmp_path / "missing"), home=tmp_path).returncode == 2
    assert tidal("dnc", "scrub", str(tmp_path / "missing.csv"), home=tmp_path).returncode == 2
    run = tidal("dnc", "add", "12345", home=tmp_path)
    assert run.returncode == 2 and "12345" in run.stderr
    run = tidal("dnc", "consent", "2125550100", "--kind", "verbal", "--source", "x", home=tmp_path)
    assert run.returncode == 2 and "--kind" in run.stderr
    csv = tmp_path / "x.csv"
    csv.write_text("name,email\nAnn,a@example.com\n")
    run = tidal("dnc", "scrub", str(csv), home=tmp_path)
    assert run.returncode == 2 and "email" in run.stderr


def test_a_damaged_archive_is_bad_input(tmp_path: Path) -> None:
    archive = tmp_path / "registry.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip")
    run = tidal("dnc", "import", str(archive), home=tmp_path / "home")
    assert run.returncode == 2
    assert "registry.zip" in run.stderr and "Traceback" not in run.stderr


def test_a_late_consent_and_a_removal_keep_the_reason_and_the_server_time(tmp_path: Path) -> None:
    home = tmp_path / "home"
    claimed = "2026-01-05T10:00:00-05:00"
    late = tidal("dnc", "consent", "2125550100", "--kind", "written", "--source", "form 3",
                 "--at", claimed, "--reason", "found in the archive", home=home)  # fmt: skip
    assert late.returncode == 0, late.stderr
    assert tidal("dnc", "add", "3055550199", home=home).returncode == 0
    removed = tidal("dnc", "remove", "3055550199", "--reason", "added by mistake", home=home)
    assert removed.returncode == 0, removed.stderr
    granted, _, lifted = [
        json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()
    ]
    assert granted["details"]["granted_at"] == "2026-01-05T10:00:00-05:00"
    assert granted["details"]["reason"] == "found in the archive"
    assert granted["at"] != granted["details"]["granted_at"]  # the time it was recorded
    assert lifted["action"] == "internal_dnc_removed"
    assert lifted["details"]["reason"] == "added by mistake"
