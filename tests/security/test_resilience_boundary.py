"""trust.yaml's `resilience`: the restore test names an internal control, whose id never goes public,
and every published value is held to a form that carries no markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check_and_build, edit, site_snapshot
from plaintrust import cli
from plaintrust.errors import ExitCode

LONG_ID = "BACKUP-RESTORE-DRILL-07"


def named_control(repo: Path, reference: str) -> None:
    edit(repo, "controls/access/ac-01.yaml", "id: AC-01", f"id: {LONG_ID}")
    with (repo / "site/trust.yaml").open("a", encoding="utf-8") as trust:
        trust.write(f"\nresilience:\n  rto: 4h\n  restore_test:\n    control: {reference}\n")


@pytest.mark.parametrize("reference", [LONG_ID, f'"{LONG_ID}"', f"'{LONG_ID}'"])
def test_the_control_named_is_a_reference_not_a_leak(runner, base_repo: Path, reference: str) -> None:
    named_control(base_repo, reference)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    published = b"".join(site_snapshot(base_repo).values())
    assert b"Backups last restored in a test" in published
    assert LONG_ID.encode() not in published and b"drill" not in published.lower()


def test_the_same_id_anywhere_else_in_trust_yaml_is_still_a_leak(runner, base_repo: Path) -> None:
    named_control(base_repo, LONG_ID)
    edit(
        base_repo,
        "site/trust.yaml",
        "organization: Example Test Co",
        f"organization: Example Test Co\ntagline: See {LONG_ID}.",
    )
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert (
            f"site/trust.yaml:2:14: error [internal-value] site/trust.yaml contains the id of control {LONG_ID} "
            "(controls/access/ac-01.yaml)"
        ) in result.output
    assert site_snapshot(base_repo) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status_page", "javascript:alert(1)"),
        ("status_page", '"https://status.test.example/<script>"'),
        ("rto", '"4h<script>alert(1)</script>"'),
        ("rpo", '"15 minutes, honest"'),
    ],
)
def test_values_outside_their_form_are_refused(runner, base_repo: Path, field: str, value: str) -> None:
    with (base_repo / "site/trust.yaml").open("a", encoding="utf-8") as trust:
        trust.write(f"\nresilience:\n  {field}: {value}\n")
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert f"site/trust.yaml:13:{len(field) + 5}: error [schema]" in result.output
    assert site_snapshot(base_repo) == {}


@pytest.mark.parametrize("line_break", ["\u2028", "\u2029", "\x85", "\r"])
def test_odd_line_breaks_cannot_move_the_blank_onto_a_leak(runner, base_repo: Path, line_break: str) -> None:
    """YAML counts these as line breaks; a blank placed by `\\n` alone would land a line too low,
    on the tagline below, and hide the id there."""
    edit(base_repo, "controls/access/ac-01.yaml", "id: AC-01", f"id: {LONG_ID}")
    text = (base_repo / "site/trust.yaml").read_text(encoding="utf-8")
    text += (
        f"# our profile{line_break}# kept in git\nresilience:\n  restore_test:\n    control: {LONG_ID}\n"
        f"tagline:     {LONG_ID} is how we test.\n"
    )  # the same column as the control
    (base_repo / "site/trust.yaml").write_bytes(text.encode("utf-8"))
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert f"error [internal-value] site/trust.yaml contains the id of control {LONG_ID}" in result.output
    assert "tagline" in (base_repo / "site/trust.yaml").read_text(encoding="utf-8").splitlines()[-1]


def test_an_escaped_id_is_read_as_the_id(runner, base_repo: Path) -> None:
    named_control(base_repo, '"\\U00000042ACKUP-RESTORE-DRILL-07"')
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert f"error [internal-value] site/trust.yaml contains the id of control {LONG_ID}" in result.output
