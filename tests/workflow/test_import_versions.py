"""`plaintrust import` and framework versions: requirement ids checked against the program's catalogs,
a column of an earlier version's ids refused or (with `@VERSION`) translated, what is left to a person
said in the file and the report, categories from a column, and a dry run that writes nothing."""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import shlex
from pathlib import Path

import openpyxl
import pytest
import yaml

from helpers import TESTS, write
from plaintrust import cli
from plaintrust.actions.importcategories import slug
from plaintrust.errors import ExitCode

HEAD = ["id", "title", "status", "owner", "frequency"]
OWNER = "it@test.example"
ISO_2013 = "--map", "ISO 27001=satisfies.iso27001@iso27001-2013"
PCI_3 = "--map", "PCI DSS=satisfies.pci-dss@pci-dss-3.2.1"


@pytest.fixture
def repo(base_repo: Path) -> Path:
    """The base repository with PCI DSS v4.0.1 as a third framework."""
    program = base_repo / "controls/program.yaml"
    program.write_text(program.read_text() + "  - id: pci-dss\n    catalog: pci-dss-4.0.1\n", encoding="utf-8")
    return base_repo


def _row(control_id: str, *cells: str) -> list[str]:
    return [control_id, f"Control {control_id}", "implemented", OWNER, "monthly", *cells]


def _sheet(folder: Path, kind: str, rows: list[list[str]]) -> Path:
    """The rows as a CSV file or an XLSX workbook (a number-like cell typed as a number, as people do)."""
    if kind == "csv":
        path = folder / "controls.csv"
        with path.open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(rows)
        return path
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([float(c) if re.fullmatch(r"\d+\.\d", c) else c for c in row])
    book.save(folder / "controls.xlsx")
    return folder / "controls.xlsx"


def _import(runner, repo: Path, sheet: Path, *extra: str):
    return runner.invoke(cli.cli, ["import", str(sheet), "--root", str(repo), *extra])


def _tree(repo: Path) -> dict[str, bytes]:
    """Every file of the repository, the pipeline's cache (.plaintrust-cache/) included."""
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}


def _control(repo: Path, control_id: str) -> str:
    return (repo / f"controls/{control_id.lower()}.yaml").read_text(encoding="utf-8")


ISO_ROWS = [
    [*HEAD, "ISO 27001"],
    _row("AC-10", "A.9.2.1, A.9.1.1, A.9.1.2, A.9.2.1"),  # same, merged with all its sources, an id twice
    _row("LG-01", "A.12.4.1"),  # merged, the other two sources missing
    _row("VM-01", "A.12.6.1; A.18.2.3"),  # merged with the split id, whose other part is left
    _row("IS-01", "4.1 10.1"),  # clauses: one kept its number, one changed places
    _row("XX-01", "A.9.9.9"),  # no id of 2013
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_iso_2013_column_is_translated_and_the_rest_left_to_a_person(
    runner, repo: Path, tmp_path: Path, kind: str
) -> None:
    sheet = _sheet(tmp_path, kind, ISO_ROWS)
    result = _import(runner, repo, sheet, *ISO_2013)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert _control(repo, "AC-10").endswith(
        "frequency: monthly\n"
        "# iso27001 imported from ISO/IEC 27001:2013: A.9.2.1 became A.5.16; A.9.1.1 and A.9.1.2 became\n"
        "#   A.5.15.\n"
        "satisfies:\n"
        "  iso27001: [A.5.16, A.5.15]\n"
    )
    assert _control(repo, "LG-01").endswith(
        "frequency: monthly\n"
        "# iso27001 to confirm, not mapped: A.12.4.1 (became part of A.8.15, with A.12.4.2 and A.12.4.3).\n"
    )
    assert _control(repo, "VM-01").endswith(
        "# iso27001 imported from ISO/IEC 27001:2013: A.12.6.1 became A.8.8.\n"
        "# iso27001 to confirm, not mapped: A.18.2.3 (now in A.5.36 too).\n"
        "satisfies:\n"
        "  iso27001: [A.8.8]\n"
    )
    assert _control(repo, "IS-01").endswith(
        "# iso27001 imported from ISO/IEC 27001:2013: 4.1 kept its number; 10.1 became 10.2.\n"
        "satisfies:\n"
        '  iso27001: ["4.1", "10.2"]\n'
    )
    assert not (repo / "controls/xx-01.yaml").exists()
    assert result.stdout == (
        f"{sheet}:6:6: error [import-requirement] row 6: 'A.9.9.9' is not an id of ISO/IEC 27001:2013, which "
        "--map reads the iso27001 column as\n"
        "    hint: did you mean 'A.9.4.5'?\n"
        "import report:\n"
        f"  controls written: 4, into {repo / 'controls'}\n"
        "  mappings translated: 6 (same: 3, merged: 3)\n"
        "  mappings to confirm: 2, not written (a person decides; each control file says so too):\n"
        "    row 3, iso27001: A.12.4.1 became part of A.8.15, with A.12.4.2 and A.12.4.3: map A.8.15 if this "
        "control covers those too\n"
        "    row 4, iso27001: A.18.2.3 is now in A.5.36 too: map A.5.36 if this control covers it\n"
        "  rows refused: 1 (row 6, each with why above)\n"
    )


def test_mappings_left_to_a_person_alone_exit_0(runner, repo: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "csv", [[*HEAD, "ISO 27001"], _row("LG-01", "A.12.4.1, A.12.4.2")])
    result = _import(runner, repo, sheet, *ISO_2013)
    assert result.exit_code == ExitCode.OK, result.output
    assert "  mappings to confirm: 2, not written" in result.stdout
    assert "iso27001 to confirm, not mapped: A.12.4.1" in _control(repo, "LG-01")


PCI_ROWS = [
    [*HEAD, "PCI DSS"],
    _row("AC-10", "8.1.1, 10.2.1"),  # numbers v4.0.1 has too, with another meaning
    _row("LG-01", "10.2.1; 12.10.1"),
    _row("FW-01", "1.1.5"),  # only v3.2.1 has it
    _row("FW-02", "1.1.4 1.1.6 1.1.7"),
]


def test_a_pci_3_2_1_column_read_as_the_current_version_is_refused_and_nothing_written(
    runner, repo: Path, tmp_path: Path
) -> None:
    assert runner.invoke(cli.cli, ["check", "--root", str(repo)]).exit_code == ExitCode.OK  # the cache, as it stays
    before = _tree(repo)
    sheet = _sheet(tmp_path, "csv", PCI_ROWS)
    result = _import(runner, repo, sheet, "--map", "PCI DSS=satisfies.pci-dss")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == (
        f"{sheet}:1:6: error [import-version] column 'PCI DSS' holds PCI DSS v3.2.1 ids: 4 of them exist only in "
        "that version (1.1.5, 1.1.4, 1.1.6 and 1 more), and 8.1.1, 10.2.1 and 12.10.1, which both versions have, "
        "may mean something else in PCI DSS v4.0.1; nothing was written\n"
        "    hint: read the column as PCI DSS v3.2.1 with --map 'PCI DSS=satisfies.pci-dss@pci-dss-3.2.1'\n"
        "import report:\n"
        "  controls written: none, as a column is refused\n"
        "  mappings translated: 0\n"
        "  mappings to confirm: 0\n"
        "  rows refused: 0\n"
        "  columns refused: 1 (each with why above): nothing was written\n"
    )
    assert "nothing was written: a column is refused" in result.stderr
    assert _tree(repo) == before


def test_a_pci_3_2_1_column_read_as_that_version_leaves_every_id_to_a_person(
    runner, repo: Path, tmp_path: Path
) -> None:
    result = _import(runner, repo, _sheet(tmp_path, "csv", PCI_ROWS), *PCI_3)
    assert result.exit_code == ExitCode.OK, result.output
    assert _control(repo, "AC-10") == (
        "id: AC-10\n"
        "title: Control AC-10\n"
        "status: implemented\n"
        f"owner: {OWNER}\n"
        "frequency: monthly\n"
        "# pci-dss to confirm, not mapped: PCI DSS v3.2.1 8.1.1, 10.2.1 (no correspondence to\n"
        "#   PCI DSS v4.0.1 ships).\n"
    )
    assert yaml.safe_load(_control(repo, "FW-02")) == {
        "id": "FW-02",
        "title": "Control FW-02",
        "status": "implemented",
        "owner": OWNER,
        "frequency": "monthly",
    }
    unknown = "no correspondence to PCI DSS v4.0.1 ships: find the requirement it became, and map that"
    assert result.stdout.splitlines() == [
        "import report:",
        f"  controls written: 4, into {repo / 'controls'}",
        "  mappings translated: 0",
        "  mappings to confirm: 8, not written (a person decides; each control file says so too):",
        f"    row 2, pci-dss: PCI DSS v3.2.1 8.1.1: {unknown}",
        f"    row 2, pci-dss: PCI DSS v3.2.1 10.2.1: {unknown}",
        f"    row 3, pci-dss: PCI DSS v3.2.1 10.2.1: {unknown}",
        f"    row 3, pci-dss: PCI DSS v3.2.1 12.10.1: {unknown}",
        f"    row 4, pci-dss: PCI DSS v3.2.1 1.1.5: {unknown}",
        f"    row 5, pci-dss: PCI DSS v3.2.1 1.1.4: {unknown}",
        f"    row 5, pci-dss: PCI DSS v3.2.1 1.1.6: {unknown}",
        f"    row 5, pci-dss: PCI DSS v3.2.1 1.1.7: {unknown}",
        "  rows refused: 0",
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_current_column_with_a_typing_mistake_refuses_that_row_only(
    runner, repo: Path, tmp_path: Path, kind: str
) -> None:
    rows = [[*HEAD, "PCI DSS"], _row("AC-10", "8.4.1, 8.4.2"), _row("AC-11", "12.5.2; 6.4.33"), _row("AC-12", "8.4")]
    sheet = _sheet(tmp_path, kind, rows)
    result = _import(runner, repo, sheet, "--map", "PCI DSS=satisfies.pci-dss")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.splitlines()[:2] == [
        f"{sheet}:3:6: error [import-requirement] row 3: '6.4.33' is not a requirement of PCI DSS v4.0.1 "
        "(Payment Card Industry Data Security Standard) (pci-dss)",
        "    hint: did you mean '6.4.3'?",
    ]
    assert yaml.safe_load(_control(repo, "AC-10"))["satisfies"] == {"pci-dss": ["8.4.1", "8.4.2"]}
    # A number cell of a workbook is read as written.
    assert yaml.safe_load(_control(repo, "AC-12"))["satisfies"] == {"pci-dss": ["8.4"]}
    assert not (repo / "controls/ac-11.yaml").exists()


def test_an_old_id_in_a_current_column_gets_the_hint_check_gives(runner, repo: Path, tmp_path: Path) -> None:
    rows = [[*HEAD, "ISO 27001"], _row("AC-10", "A.5.15, A.5.16"), _row("AC-11", "A.5.18 A.9.2.1")]
    sheet = _sheet(tmp_path, "csv", rows)
    result = _import(runner, repo, sheet, "--map", "ISO 27001=satisfies.iso27001")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.splitlines()[1] == (
        "    hint: 'A.9.2.1' is an id of ISO/IEC 27001:2013: it is A.5.16 in ISO/IEC 27001:2022"
    )


CATEGORY_ROWS = [
    [*HEAD, "Family", "Public summary"],
    _row("AC-10", "Access control", "We check who has access."),
    _row("AC-11", "access-control", "We review access."),
    _row("VM-01", "Vulnerability Management", "We fix known flaws."),
    _row("VM-02", "Vulnerability management", "We scan for flaws."),
    _row("LG-01", "Logging & Monitoring", "We keep logs."),
]
MISSING = (
    "    categories:\n"
    "      - id: vulnerability-management\n"
    "        title: Vulnerability Management\n"
    "      - id: logging-monitoring\n"
    "        title: Logging & Monitoring\n"
)


def test_categories_from_a_column_are_listed_when_site_trust_yaml_lacks_them(
    runner, repo: Path, tmp_path: Path
) -> None:
    trust = (repo / "site/trust.yaml").read_bytes()
    result = _import(runner, repo, _sheet(tmp_path, "csv", CATEGORY_ROWS), "--map", "Family=public.category")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stdout.endswith(
        "  rows refused: 0\n"
        "  categories missing from site/trust.yaml: 2; add them, or run again with --add-categories:\n" + MISSING
    )
    assert (repo / "site/trust.yaml").read_bytes() == trust
    # The controls are written all the same, each with its category as an id.
    categories = [yaml.safe_load(_control(repo, i))["public"]["category"] for i in ("AC-10", "AC-11", "VM-02")]
    assert categories == ["access-control", "access-control", "vulnerability-management"]


def test_add_categories_appends_them_and_keeps_the_rest_of_the_file(runner, repo: Path, tmp_path: Path) -> None:
    trust = (repo / "site/trust.yaml").read_text(encoding="utf-8")
    sheet = _sheet(tmp_path, "csv", CATEGORY_ROWS)
    result = _import(runner, repo, sheet, "--map", "Family=public.category", "--add-categories")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.endswith(
        "  categories added to site/trust.yaml: 2 (vulnerability-management, logging-monitoring)\n"
    )
    assert (repo / "site/trust.yaml").read_text(encoding="utf-8") == trust.replace(
        "  - {id: access-control, title: Access control}\n",
        "  - {id: access-control, title: Access control}\n"
        "  - {id: vulnerability-management, title: Vulnerability Management}\n"
        "  - {id: logging-monitoring, title: Logging & Monitoring}\n",
    )
    check = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert check.exit_code == ExitCode.OK, check.output
    assert "unknown-category" not in check.output


BLOCK_TRUST = """\
# The public profile.
organization: Example Test Co
security_contact: mailto:security@test.example
categories:                  # the order here is the order on the site
  - id: access-control
    title: "Access control"
    description: Who can get in.

# Certifications, when there are some:
# certifications: []
"""


def test_categories_are_added_in_the_style_of_the_first_one(runner, repo: Path, tmp_path: Path) -> None:
    write(repo, "site/trust.yaml", BLOCK_TRUST.replace("\n", "\r\n"))
    sheet = _sheet(tmp_path, "csv", [*CATEGORY_ROWS[:2], _row("VM-01", "Patching: 'monthly'", "We patch.")])
    result = _import(runner, repo, sheet, "--map", "Family=public.category", "--add-categories")
    assert result.exit_code == ExitCode.OK, result.output
    added = "  - id: patching-monthly\r\n    title: \"Patching: 'monthly'\"\r\n"
    after = (repo / "site/trust.yaml").read_bytes().decode("utf-8")
    assert after == BLOCK_TRUST.replace("\n", "\r\n").replace("Who can get in.\r\n", "Who can get in.\r\n" + added)


@pytest.mark.parametrize(
    ("trust", "why"),
    [
        (None, "there is no site/trust.yaml"),
        ("categories: [\n", "site/trust.yaml does not load: fix what `plaintrust check` reports first"),
        (
            "organization: Example Test Co\nsecurity_contact: mailto:security@test.example\n"
            "categories: [{id: people, title: People}]\n",
            "write its `categories` as a list with one `- id: ...` entry per category",
        ),
    ],
)
def test_categories_that_cannot_be_added_are_listed_and_the_file_left_alone(
    runner, repo: Path, tmp_path: Path, trust: str | None, why: str
) -> None:
    if trust is None:
        (repo / "site/trust.yaml").unlink()
    else:
        write(repo, "site/trust.yaml", trust)
    sheet = _sheet(tmp_path, "csv", CATEGORY_ROWS[:2])
    result = _import(runner, repo, sheet, "--map", "Family=public.category", "--add-categories")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stdout.endswith(
        f"  categories missing from site/trust.yaml: 1, not added ({why}); add them by hand:\n"
        "    categories:\n"
        "      - id: access-control\n"
        "        title: Access control\n"
    )
    assert (repo / "site/trust.yaml").exists() is (trust is not None)
    assert trust is None or (repo / "site/trust.yaml").read_text(encoding="utf-8") == trust
    assert (repo / "controls/ac-10.yaml").is_file()


@pytest.mark.parametrize(
    ("value", "known", "expected"),
    [
        ("Vulnerability Management", (), "vulnerability-management"),
        ("Logging & Monitoring", (), "logging-monitoring"),
        ("  Sécurité physique ", (), "securite-physique"),
        ("HR / People (EMEA)", (), "hr-people-emea"),
        ("Access_Control", ("Access_Control",), "Access_Control"),  # a category id already stays
        ("x" * 70, (), "x" * 64),
        ("保安", (), "保安"),  # no letter survives: the value stays, and the schema says why
    ],
)
def test_a_category_value_becomes_an_id(value: str, known: tuple[str, ...], expected: str) -> None:
    assert slug(value, known) == expected


def test_a_dry_run_writes_nothing_and_reports_what_would_be(runner, repo: Path, tmp_path: Path) -> None:
    rows = [
        [*HEAD, "ISO 27001", "PCI DSS", "Family", "Public summary"],
        _row("AC-10", "A.9.2.1", "8.1.1", "Access control", "We check access."),
        _row("VM-01", "A.12.6.1, A.18.2.3", "", "Vulnerability Management", "We patch."),
        _row("VM-02", "A.12.6.7", "", "Vulnerability Management", "We scan."),
    ]
    before = _tree(repo)
    args = (*ISO_2013, *PCI_3, "--map", "Family=public.category", "--add-categories", "--dry-run")
    result = _import(runner, repo, _sheet(tmp_path, "csv", rows), *args)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert _tree(repo) == before
    assert result.stdout.split("import report", 1)[1] == (
        " (dry run: nothing was written):\n"
        f"  controls that would be written: 2, into {repo / 'controls'}\n"
        "  mappings translated: 2 (same: 1, merged: 1)\n"
        "  mappings to confirm: 2, not written (a person decides; each control file says so too):\n"
        "    row 2, pci-dss: PCI DSS v3.2.1 8.1.1: no correspondence to PCI DSS v4.0.1 ships: find the requirement "
        "it became, and map that\n"
        "    row 3, iso27001: A.18.2.3 is now in A.5.36 too: map A.5.36 if this control covers it\n"
        "  rows refused: 1 (row 4, each with why above)\n"
        "  categories that would be added to site/trust.yaml: 1 (vulnerability-management)\n"
    )
    assert "dry run: 2 control(s) would be written into" in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "ISO 27001=satisfies.iso27001@pci-dss-3.2.1",
            "'pci-dss-3.2.1' is not an earlier version of the catalog iso27001-2022 (iso27001); "
            "versions that fit: iso27001-2013",
        ),
        ("ISO 27001=satisfies.iso27001@iso27001-2005", "versions that fit: iso27001-2013"),
        ("ISO 27001=satisfies.iso27001@", "'' is not an earlier version"),
        ("ISO 27001=satisfies.soc2@iso27001-2013", "versions that fit: none (no earlier version of it ships)"),
        (
            "ISO 27001=satisfies.nist@iso27001-2013",
            "controls/program.yaml names no framework 'nist' (frameworks: soc2, iso27001, pci-dss)",
        ),
        ("ISO 27001=title@iso27001-2013", "only a satisfies.FRAMEWORK field takes @VERSION"),
    ],
)
def test_a_version_that_does_not_fit_is_a_usage_error(
    runner, repo: Path, tmp_path: Path, option: str, message: str
) -> None:
    before = _tree(repo)
    result = _import(runner, repo, _sheet(tmp_path, "csv", ISO_ROWS), "--map", option)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert f"--map {option!r}: " in result.stderr and message in result.stderr
    assert _tree(repo) == before


def test_a_header_never_carries_a_version(runner, repo: Path, tmp_path: Path) -> None:
    rows = [[*HEAD, "satisfies.iso27001@iso27001-2013"], _row("AC-10", "A.9.2.1")]
    result = _import(runner, repo, _sheet(tmp_path, "csv", rows))
    assert result.exit_code == ExitCode.OK, result.output
    assert "columns not imported: 'satisfies.iso27001@iso27001-2013'" in result.stderr
    assert "satisfies" not in yaml.safe_load(_control(repo, "AC-10"))


def test_with_another_format_standard_output_holds_only_the_diagnostics(runner, repo: Path, tmp_path: Path) -> None:
    rows = [[*HEAD, "ISO 27001"], _row("AC-10", "A.5.16"), _row("AC-11", "A.5.99")]
    result = _import(
        runner, repo, _sheet(tmp_path, "csv", rows), "--map", "ISO 27001=satisfies.iso27001", "--format", "json"
    )
    assert result.exit_code == ExitCode.FINDINGS
    assert [d["rule"] for d in json.loads(result.stdout)["diagnostics"]] == ["import-requirement"]
    assert "import report:" in result.stderr


REALISTIC = [
    [
        "Control ID",
        "Title",
        "Status",
        "Owner",
        "Frequency",
        "SOC 2",
        "ISO 27001:2013",
        "PCI DSS 3.2.1",
        "Family",
        "Public summary",
    ],
    [
        "AC-10",
        "Access reviews",
        "Implemented",
        OWNER,
        "Quarterly",
        "CC6.2; CC6.3",
        "A.9.2.1, A.9.2.5, A.9.2.6, A.9.2.2",
        "8.1.3",
        "Access Control",
        "Managers check who has access.",
    ],
    [
        "AC-11",
        "Multi-factor sign-in",
        "Implemented",
        OWNER,
        "Continuous",
        "CC6.1",
        "A.9.4.2",
        "8.3.1",
        "Access Control",
        "Staff sign in with a second factor.",
    ],
    [
        "LG-01",
        "Central logging",
        "Partially implemented",
        OWNER,
        "Continuous",
        "CC7.2",
        "A.12.4.1, A.12.4.2, A.12.4.3",
        "10.1; 10.2.1; 10.5.5",
        "Logging & Monitoring",
        "We keep logs in one place.",
    ],
    [
        "VM-01",
        "Patching",
        "Implemented",
        OWNER,
        "Monthly",
        "CC7.1",
        "A.12.6.1 A.18.2.3",
        "6.2",
        "Vulnerability Management",
        "We install fixes each month.",
    ],
    [
        "VM-02",
        "Scans",
        "Implemented",
        OWNER,
        "Quarterly",
        "CC7.1",
        "A.12.6.1",
        "11.2.1; 11.2.2",
        "Vulnerability Management",
        "We scan for flaws.",
    ],
    ["BC-01", "Backups", "Implemented", OWNER, "Daily", "CC9.1", "A.12.3.1", "", "Resilience", "We back up data."],
    [
        "HR-01",
        "Awareness training",
        "Planned",
        OWNER,
        "Annually",
        "CC1.4; CC2.2",
        "A.7.2.2",
        "12.6; 12.6.1",
        "People",
        "Staff learn to spot scams.",
    ],
    [
        "IR-01",
        "Incident response plan",
        "Implemented",
        OWNER,
        "Annually",
        "CC7.3; CC7.4",
        "A.16.1.1, A.16.1.5",
        "12.10.1",
        "Incident Response",
        "We have a plan for incidents.",
    ],
]


def test_a_realistic_spreadsheet_imports_and_check_finds_no_unknown_requirement(
    runner, repo: Path, tmp_path: Path
) -> None:
    args = ("--map", "Control ID=id", "--map", "SOC 2=satisfies.soc2", "--map", "Family=public.category")
    versions = ("--map", "ISO 27001:2013=satisfies.iso27001@iso27001-2013")
    versions += ("--map", "PCI DSS 3.2.1=satisfies.pci-dss@pci-dss-3.2.1")
    result = _import(runner, repo, _sheet(tmp_path, "xlsx", REALISTIC), *args, *versions, "--add-categories")
    assert result.exit_code == ExitCode.OK, result.output
    assert f"  controls written: {len(REALISTIC) - 1}, into" in result.stdout
    check = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert check.exit_code == ExitCode.OK, check.output
    assert "unknown-requirement" not in check.output and "unknown-category" not in check.output


HOW_TO = TESTS.parent / "docs/content/how-to/import-spreadsheet.md"


def test_the_how_to_example_session_is_what_import_prints(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's session, run here: the spreadsheet, each command and its output, and the file shown."""
    section = HOW_TO.read_text(encoding="utf-8").split("## An example session", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL)
    (base_repo / "controls.csv").write_text(blocks[0][1], encoding="utf-8")
    monkeypatch.chdir(base_repo)
    sessions = [(command, output) for (kind, command), (_, output) in itertools.pairwise(blocks) if kind == "sh"]
    assert len(sessions) == 3
    for number, (command, output) in enumerate(sessions):
        if number == 2:  # the page fixes the typing mistake before the real run
            edit = (base_repo / "controls.csv").read_text(encoding="utf-8").replace(",A12.6.1,", ",A.12.6.1,")
            (base_repo / "controls.csv").write_text(edit, encoding="utf-8")
        result = runner.invoke(cli.cli, shlex.split(command)[1:])
        assert result.output == output, command
    shown = blocks[-1][1]
    assert (base_repo / "controls/vm-01.yaml").read_text(encoding="utf-8") == shown


def test_the_how_to_comment_example_is_what_import_writes(runner, repo: Path, tmp_path: Path) -> None:
    section = HOW_TO.read_text(encoding="utf-8").split("## Requirement ids, and older versions", 1)[1]
    shown = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)[0]
    rows = [[*HEAD, "ISO 27001", "PCI DSS"], _row("AC-10", "A.9.1.1, A.9.1.2, A.9.2.1, A.12.4.1", "8.1.1, 10.2.1")]
    result = _import(runner, repo, _sheet(tmp_path, "csv", rows), *ISO_2013, *PCI_3)
    assert result.exit_code == ExitCode.OK, result.output
    assert _control(repo, "AC-10").endswith("frequency: monthly\n" + shown)


# --- review findings ------------------------------------------------------------------------------


def test_a_dry_run_with_a_cache_already_there_leaves_it_as_it_was(runner, repo: Path, tmp_path: Path) -> None:
    assert runner.invoke(cli.cli, ["check", "--root", str(repo)]).exit_code == ExitCode.OK
    # An evidence file touched since: a run that trusts the cache would hash it again and save that.
    evidence = repo / "evidence/files/mfa-policy.json"
    os.utime(evidence, (evidence.stat().st_atime - 3600, evidence.stat().st_mtime - 3600))
    before = _tree(repo)
    assert any(name.startswith(".plaintrust-cache/") for name in before)
    result = _import(runner, repo, _sheet(tmp_path, "csv", ISO_ROWS), *ISO_2013, "--dry-run")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert _tree(repo) == before


COPY = """\
id: iso27001-2022
name: Our own list of ISO controls
groups:
  - {id: annex-a, title: Annex A}
requirements:
  - {id: A.5.15, group: annex-a, title: Who may get in}
  - {id: A.5.16, group: annex-a, title: Who is who}
"""


@pytest.fixture
def copied(repo: Path) -> Path:
    """The repository with a custom catalog for iso27001 whose id copies the shipped one's."""
    write(repo, "frameworks/iso-copy.yaml", COPY)
    program = repo / "controls/program.yaml"
    program.write_text(
        program.read_text().replace("catalog: iso27001-2022", "catalog: frameworks/iso-copy.yaml"), encoding="utf-8"
    )
    return repo


def test_a_custom_catalog_that_copies_a_shipped_id_has_no_earlier_version_to_read_as(
    runner, copied: Path, tmp_path: Path
) -> None:
    before = _tree(copied)
    result = _import(runner, copied, _sheet(tmp_path, "csv", ISO_ROWS), *ISO_2013)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert (
        "'iso27001-2013' is not an earlier version of the catalog frameworks/iso-copy.yaml (iso27001); "
        "versions that fit: none (no earlier version of it ships)"
    ) in result.stderr
    assert _tree(copied) == before


def test_a_custom_catalog_that_copies_a_shipped_id_never_gets_an_earlier_versions_words(
    runner, copied: Path, tmp_path: Path
) -> None:
    rows = [[*HEAD, "ISO 27001"], _row("AC-10", "A.9.2.1, A.9.1.1"), _row("AC-11", "A.5.16")]
    result = _import(runner, copied, _sheet(tmp_path, "csv", rows), "--map", "ISO 27001=satisfies.iso27001")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "import-version" not in result.stdout and "ISO/IEC 27001:2013" not in result.stdout
    assert result.stdout.startswith(
        f"{tmp_path / 'controls.csv'}:2:6: error [import-requirement] row 2: 'A.9.2.1' is not a requirement of "
        "Our own list of ISO controls (iso27001)\n"
    )
    assert yaml.safe_load(_control(copied, "AC-11"))["satisfies"] == {"iso27001": ["A.5.16"]}


def test_a_translated_id_the_catalog_lacks_refuses_its_row() -> None:
    from plaintrust import crosswalks
    from plaintrust.actions.importmap import Target, judge
    from plaintrust.actions.spreadsheet import Draft
    from plaintrust.diagnostics import Location

    item = Draft(2, {"id": "AC-10", "satisfies": {"iso27001": ["A.9.2.1", "A.9.1.1", "A.9.1.2"]}}, {})
    target = Target("iso27001-2022", "A trimmed catalog", frozenset({"A.5.15"}))
    read_as = {"iso27001": crosswalks.retired("iso27001-2013")}
    mapped = judge(item, lambda framework: Location("sheet.csv", 2, 6), {"iso27001": target}, read_as)
    assert [d.message for d in mapped.problems] == [
        "row 2: 'A.9.2.1' became 'A.5.16', which is not a requirement of A trimmed catalog (iso27001)"
    ]


def test_the_summary_line_names_the_categories_missing_when_they_fail_the_import(
    runner, repo: Path, tmp_path: Path
) -> None:
    result = _import(runner, repo, _sheet(tmp_path, "csv", CATEGORY_ROWS), "--map", "Family=public.category")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stderr.endswith(
        f"wrote 5 control(s) into {repo / 'controls'}; 2 categories missing from site/trust.yaml (listed below)\n"
    )
    assert "no problems found" not in result.output


def test_two_category_cells_that_would_be_one_id_refuse_the_later_row(runner, repo: Path, tmp_path: Path) -> None:
    rows = [
        [*HEAD, "Family"],
        _row("DV-01", "C++"),
        _row("DV-02", "C#"),
        _row("DV-03", "c++"),  # the same cell in another case
        _row("AC-10", "Access Control"),
        _row("AC-11", "access_control"),
    ]
    sheet = _sheet(tmp_path, "csv", rows)
    result = _import(runner, repo, sheet, "--map", "Family=public.category")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.splitlines()[:2] == [
        f"{sheet}:3:6: error [import-row] row 3: category 'C#' becomes the id 'c', as 'C++' on row 2 does: "
        "two categories would be one",
        "    hint: write both alike if they are one category, or tell them apart with letters or digits",
    ]
    assert "  rows refused: 1 (row 3, each with why above)" in result.stdout
    assert not (repo / "controls/dv-02.yaml").exists()
    assert yaml.safe_load(_control(repo, "DV-03"))["public"]["category"] == "c"
    assert yaml.safe_load(_control(repo, "AC-11"))["public"]["category"] == "access-control"


@pytest.mark.parametrize("style", ["flow", "block"])
def test_a_category_cell_that_reads_as_null_or_a_number_stays_a_string(
    runner, repo: Path, tmp_path: Path, style: str
) -> None:
    if style == "block":
        write(repo, "site/trust.yaml", BLOCK_TRUST)
    rows = [[*HEAD, "Family"], _row("AC-10", "NULL"), _row("AC-11", "2024"), _row("AC-12", "true")]
    sheet = _sheet(tmp_path, "csv", rows)
    shown = _import(runner, repo, sheet, "--map", "Family=public.category", "--dry-run")
    assert shown.stdout.endswith(
        '    categories:\n      - id: "null"\n        title: "NULL"\n      - id: "2024"\n        title: "2024"\n'
        '      - id: "true"\n        title: "true"\n'
    )
    result = _import(runner, repo, sheet, "--map", "Family=public.category", "--add-categories")
    assert result.exit_code == ExitCode.OK, result.output
    categories = yaml.safe_load((repo / "site/trust.yaml").read_text(encoding="utf-8"))["categories"]
    assert [(c["id"], c["title"]) for c in categories[1:]] == [("null", "NULL"), ("2024", "2024"), ("true", "true")]
    assert yaml.safe_load(_control(repo, "AC-10"))["public"]["category"] == "null"


def test_a_current_id_in_a_column_read_as_an_earlier_version_is_named_as_current(
    runner, repo: Path, tmp_path: Path
) -> None:
    rows = [[*HEAD, "ISO 27001"], _row("AC-10", "A.9.2.1, A.5.16")]
    result = _import(runner, repo, _sheet(tmp_path, "csv", rows), *ISO_2013)
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.splitlines()[:2] == [
        f"{tmp_path / 'controls.csv'}:2:6: error [import-requirement] row 2: 'A.5.16' is not an id of "
        "ISO/IEC 27001:2013, which --map reads the iso27001 column as",
        "    hint: it is already an id of ISO/IEC 27001:2022: it belongs in a column read as the current version "
        "(--map without @iso27001-2013)",
    ]


def test_add_categories_refused_by_a_column_says_so(runner, repo: Path, tmp_path: Path) -> None:
    rows = [[*HEAD, "PCI DSS", "Family"], *(_row(f"FW-0{n}", i, "Network") for n, i in enumerate(("1.1.5", "1.1.6")))]
    sheet = _sheet(tmp_path, "csv", rows)
    result = _import(
        runner, repo, sheet, "--map", "PCI DSS=satisfies.pci-dss", "--map", "Family=public.category", "--add-categories"
    )
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.endswith(
        "  columns refused: 1 (each with why above): nothing was written\n"
        "  categories missing from site/trust.yaml: 1, not added, as a column is refused:\n"
        "    categories:\n"
        "      - id: network\n"
        "        title: Network\n"
    )
    assert "--add-categories" not in result.stdout


@pytest.mark.parametrize(
    ("header", "ids", "message"),
    [
        (
            "PCI DSS",
            ("1.1.5", "8.4.1", "8.1.1, 12.3.1"),
            "column 'PCI DSS' holds 1 PCI DSS v3.2.1 id (1.1.5) beside ids only PCI DSS v4.0.1 has, and 8.1.1 and "
            "12.3.1, which both versions have, may mean something else in PCI DSS v4.0.1",
        ),
        (
            "ISO 27001",
            ("A.9.2.1", "A.5.16", "4.1, 10.1"),
            "column 'ISO 27001' holds 1 ISO/IEC 27001:2013 id (A.9.2.1) beside ids only ISO/IEC 27001:2022 has, "
            "and 10.1, which both versions have, means something else in ISO/IEC 27001:2022",
        ),
    ],
)
def test_a_column_with_a_few_old_ids_warns_about_the_ids_both_versions_have(
    runner, repo: Path, tmp_path: Path, header: str, ids: tuple[str, ...], message: str
) -> None:
    rows = [[*HEAD, header], *(_row(f"AC-1{n}", cell) for n, cell in enumerate(ids))]
    sheet = _sheet(tmp_path, "csv", rows)
    framework = "pci-dss" if header == "PCI DSS" else "iso27001"
    result = _import(runner, repo, sheet, "--map", f"{header}=satisfies.{framework}")
    assert result.exit_code == ExitCode.FINDINGS  # the old id's row is refused; the warning fails nothing
    assert result.stdout.splitlines()[0] == f"{sheet}:1:6: warning [import-version] {message}"
    assert "columns refused" not in result.stdout
    assert (repo / "controls/ac-12.yaml").is_file()


def test_an_old_id_in_lower_case_gets_the_earlier_version_hint(runner, repo: Path, tmp_path: Path) -> None:
    rows = [[*HEAD, "ISO 27001"], _row("AC-10", "A.5.15, a.9.2.1")]
    result = _import(runner, repo, _sheet(tmp_path, "csv", rows), "--map", "ISO 27001=satisfies.iso27001")
    assert result.stdout.splitlines()[1] == (
        "    hint: 'A.9.2.1' is an id of ISO/IEC 27001:2013: it is A.5.16 in ISO/IEC 27001:2022"
    )


def test_the_map_help_lists_every_version_that_ships(runner) -> None:
    from plaintrust import crosswalks

    shown = "".join(runner.invoke(cli.cli, ["import", "--help"]).output.split())  # click wraps at hyphens too
    assert f"earlierversion({','.join(crosswalks.NAMES)})" in shown


def test_a_merged_id_needs_no_split_partner_and_a_split_id_wholly_written_is_translated(
    runner, repo: Path, tmp_path: Path
) -> None:
    rows = [
        [*HEAD, "ISO 27001"],
        _row("VM-02", "A.12.6.1"),  # the main source of A.8.8: A.18.2.3 went only partly into it
        _row("CP-01", "A.18.2.3, A.18.2.2, A.12.6.1"),  # both parts of A.18.2.3 are written from the others
    ]
    result = _import(runner, repo, _sheet(tmp_path, "csv", rows), *ISO_2013)
    assert result.exit_code == ExitCode.OK, result.output
    assert _control(repo, "VM-02").endswith(
        "# iso27001 imported from ISO/IEC 27001:2013: A.12.6.1 became A.8.8.\nsatisfies:\n  iso27001: [A.8.8]\n"
    )
    assert _control(repo, "CP-01").endswith(
        "# iso27001 imported from ISO/IEC 27001:2013: A.18.2.2 and A.18.2.3 became A.5.36; A.12.6.1 and\n"
        "#   A.18.2.3 became A.8.8.\n"
        "satisfies:\n"
        "  iso27001: [A.5.36, A.8.8]\n"
    )
    assert "  mappings translated: 4 (merged: 3, split: 1)\n  mappings to confirm: 0\n" in result.stdout
