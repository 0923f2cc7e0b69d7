"""`compare.impact` on two folders (no git): each change gives exactly the items it should, and
nothing else. Both folders start as the tiny base repository; the test edits the head."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import BASE, OVERDUE, OVERDUE_NOTICE, copy_tree, edit, write
from plaintrust.evidence import ledger
from plaintrust.impact import compare, snapshot
from plaintrust.impact.report import FAIL_ON, SECTIONS, Detail, Finding, Impact, Item, Side
from plaintrust.load.watchregion import region
from plaintrust.load.watchregion import watch as watch_of

TODAY = dt.date(2026, 11, 22)
CUSTOM_CATALOG = BASE.parent / "valid" / "custom-catalog"  # the base with a catalog file of its own
AC01 = "controls/access/ac-01.yaml"
MFA = "evidence/access/mfa-policy.yaml"
MFA_FILE = "evidence/files/mfa-policy.json"
MFA_SHA = "08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230"
SUMMARY = "Every person on our team signs in with a hardware key. A password alone is never enough."
PRACTICE = "practice access-control Every person on our team signs in with a hardware key. A pa…"
PRACTICE_TITLE = "Practice 'Every person on our team signs in with a hardware key. A pa…' (Access control)"
ISO = """\
  - framework: iso27001
    kind: ISO/IEC 27001:2022
    auditor: Example Certification Body
    issued: 2023-10-20
    expires: 2026-10-19
    report: public
    file: iso.pdf
"""
ACME = """\
subprocessors:
  - name: Acme Mail
    purpose: Sends our notification emails
    location: EU
    data: Names and email addresses
    url: https://mail.acme.example
    added: 2026-11-01
"""
OKTA = """\
resource "okta_policy" "signin" {
  name = "sign-in"
}
# plaintrust:start AC-01
resource "okta_policy_rule" "mfa" {
  factor = "webauthn"
}
# plaintrust:end
"""


class _Hex12:
    """Equal to any short sha256 (12 hex digits): for digests of rendered HTML a test does not rebuild."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and re.fullmatch("[0-9a-f]{12}", other) is not None

    def __repr__(self) -> str:
        return "HEX12"


HEX12: Any = _Hex12()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    copy_tree(BASE, tmp_path / "base")
    return tmp_path / "base"


@pytest.fixture
def head(tmp_path: Path) -> Path:
    copy_tree(BASE, tmp_path / "head")
    return tmp_path / "head"


def impact(base: Path, head: Path) -> Impact:
    return compare.impact(
        snapshot.take(base, Side("main", "b" * 40, TODAY), TODAY),
        snapshot.take(head, Side("working tree", None), TODAY),
    )


def only(found: Impact, **sections: tuple[Item, ...]) -> None:
    """The named sections hold exactly these items; every other section is empty."""
    assert {name: found.items(name) for name in SECTIONS} == {name: sections.get(name, ()) for name in SECTIONS}


def both(base: Path, head: Path, rel: str, text: str) -> None:
    for repo in (base, head):
        write(repo, rel, text)


def pin(repo: Path, record: str, file: str) -> None:
    """Append the ledger line `evidence pin` would write for one file."""
    raw = (repo / "evidence" / file).read_bytes()
    moment = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    pins = [(record, file, hashlib.sha256(raw).hexdigest(), len(raw))]
    ledger.append(repo, ledger.next_entries(ledger.read(repo), pins, moment))


def with_controls(repo: Path, watches: str) -> None:
    edit(repo, AC01, "evidence: [mfa-policy]\n", f"evidence: [mfa-policy]\nwatches: {watches}\n")


def test_nothing_changed_is_empty(base: Path, head: Path) -> None:
    found = impact(base, head)
    assert found.empty
    assert tuple(found.sections) == SECTIONS
    assert (found.leaks, found.errors, found.notes) == ((), (), ())
    assert (found.base, found.head, found.today) == (Side("main", "b" * 40, TODAY), Side("working tree", None), TODAY)


def test_status_drop_moves_requirements_and_the_public_practice(base: Path, head: Path) -> None:
    edit(head, AC01, "status: implemented", "status: planned")
    why = Detail("why", None, "AC-01 is now failed: AC-01 is planned")
    found = impact(base, head)
    only(
        found,
        controls=(
            Item(
                "changed",
                "AC-01",
                "Multi-factor authentication for workforce access",
                (Detail("status", "implemented", "planned"),),
                path=AC01,
                line=3,
            ),
        ),
        requirements=(
            Item(
                "changed",
                "iso27001 A.5.17",
                "Managing authentication information",
                (Detail("status", "met", "not met"), why),
                drop=True,
            ),
            Item(
                "changed",
                "iso27001 A.8.5",
                "Secure authentication technologies and procedures",
                (Detail("status", "met", "not met"), why),
                drop=True,
            ),
            Item(
                "changed",
                "soc2 CC6.1",
                "Logical access security over protected information assets",
                (Detail("status", "partially met", "not met"), why),
                drop=True,
            ),
        ),
        public=(
            Item(
                "changed",
                PRACTICE,
                PRACTICE_TITLE,
                (Detail("status", "Implemented", "In progress"),),
                area="practice",
                drop=True,
                path=AC01,
                line=11,
            ),
        ),
    )
    assert found.failing(("public-change", "status-drop", "leak")) == ("public-change", "status-drop")


def test_a_summary_edit_is_one_public_claim(base: Path, head: Path) -> None:
    """The practice has no title, so its summary names it: the control behind it pairs the two."""
    edited = "Each person on our team signs in with a hardware key. A password alone is never enough."
    edit(head, AC01, SUMMARY, edited)
    only(
        impact(base, head),
        controls=(
            Item(
                "changed",
                "AC-01",
                "Multi-factor authentication for workforce access",
                (Detail("public.summary", SUMMARY, edited),),
                path=AC01,
                line=13,
            ),
        ),
        public=(
            Item(
                "changed",
                "practice access-control Each person on our team signs in with a hardware key. A pas…",
                "Practice 'Each person on our team signs in with a hardware key. A pas…' (Access control)",
                (Detail("summary", SUMMARY, edited),),
                area="practice",
                path=AC01,
                line=11,
            ),
        ),
    )


def test_a_practice_given_a_title_keeps_its_identity(base: Path, head: Path) -> None:
    edit(head, AC01, "  summary:", "  title: Hardware keys for every sign-in\n  summary:")
    found = impact(base, head)
    assert found.items("public") == (
        Item(
            "changed",
            "practice access-control Hardware keys for every sign-in",
            "Practice 'Hardware keys for every sign-in' (Access control)",
            (Detail("title", None, "Hardware keys for every sign-in"),),
            area="practice",
            path=AC01,
            line=11,
        ),
    )


def test_a_new_subprocessor(base: Path, head: Path) -> None:
    write(head, "site/trust.yaml", (head / "site/trust.yaml").read_text() + ACME)
    details = (
        Detail("purpose", None, "Sends our notification emails"),
        Detail("location", None, "EU"),
        Detail("data", None, "Names and email addresses"),
        Detail("url", None, "https://mail.acme.example"),
        Detail("added", None, "2026-11-01"),
        Detail("effective", None, "2026-11-01"),
    )
    found = impact(base, head)
    only(
        found,
        public=(
            Item(
                "added",
                "subprocessor Acme Mail",
                "Subprocessor 'Acme Mail'",
                details,
                area="subprocessor",
                path="site/trust.yaml",
                line=12,
            ),
        ),
    )
    assert found.failing(("status-drop", "leak")) == ()


@pytest.mark.parametrize(
    ("before", "after", "status", "drop"),
    [
        ("2026-10-19", "2029-10-19", ("expired", "valid"), False),
        ("2029-10-19", "2026-10-19", ("valid", "expired"), True),
    ],
    ids=["renewed", "expired"],
)
def test_a_certification_renewed_or_expired(
    base: Path, head: Path, before: str, after: str, status: tuple[str, str], drop: bool
) -> None:
    for repo, expires in ((base, before), (head, after)):
        edit(repo, "site/trust.yaml", "    expected: 2027-03\n", "    expected: 2027-03\n" + ISO)
        edit(repo, "site/trust.yaml", "expires: 2026-10-19", f"expires: {expires}")
        write(repo, "site/iso.pdf", "%PDF-1.4 certificate")
    only(
        impact(base, head),
        public=(
            Item(
                "changed",
                "certification ISO/IEC 27001:2022",
                "Certification 'ISO/IEC 27001:2022'",
                (Detail("status", *status), Detail("expires", before, after)),
                area="certification",
                drop=drop,
                path="site/trust.yaml",
                line=11,
            ),
        ),
    )


def test_a_notice_added(base: Path, head: Path) -> None:
    write(head, OVERDUE_NOTICE, OVERDUE)
    details = (
        Detail("title", None, "Slow data exports"),
        Detail("status", None, "identified"),
        Detail("severity", None, "low"),
        Detail("published", None, "2026-11-20T09:00:00Z"),
        Detail("updated", None, "2026-11-20T09:00:00Z"),
        Detail("next_update_by", None, "2026-11-21T09:00:00Z"),
        Detail("update_overdue_since", None, "2026-11-21T09:00:00Z"),
        Detail("affected", None, "Customers who export projects as a ZIP file."),
        Detail("text sha256", None, HEX12),
    )
    only(
        impact(base, head),
        public=(
            Item(
                "added",
                "notice updates/2026-11-20-slow-exports/",
                "Notice 'Slow data exports'",
                details,
                area="notice",
                path=OVERDUE_NOTICE,
            ),
        ),
    )


def test_evidence_added_removed_re_pinned_and_the_ledger_lines(base: Path, head: Path) -> None:
    for repo in (base, head):
        pin(repo, "mfa-policy", "files/mfa-policy.json")
    changed = '{"policy": "mfa-required", "factors": ["webauthn", "totp"]}\n'
    changed_sha = hashlib.sha256(changed.encode()).hexdigest()
    write(head, MFA_FILE, changed)
    edit(head, MFA, MFA_SHA, changed_sha)
    pin(head, "mfa-policy", "files/mfa-policy.json")
    sso_sha = hashlib.sha256(b"{}\n").hexdigest()
    write(head, "evidence/files/sso.json", "{}\n")
    write(
        head,
        "evidence/access/sso-config.yaml",
        "id: sso-config\ntitle: SSO settings export\nkind: configuration\ncollected: 2026-11-20\n"
        f"refresh: quarterly\nclassification: confidential\nfiles:\n  - path: files/sso.json\n    sha256: {sso_sha}\n",
    )
    pin(head, "sso-config", "files/sso.json")
    both(base, head, "evidence/access/old-export.yaml", OLD_EXPORT)
    (head / "evidence/access/old-export.yaml").unlink()
    only(
        impact(base, head),
        evidence=(
            Item(
                "re-pinned",
                "mfa-policy",
                "Identity provider MFA policy export",
                (Detail("files/mfa-policy.json", MFA_SHA[:12], changed_sha[:12]),),
                path=MFA,
                line=7,
            ),
            Item(
                "removed",
                "old-export",
                "An old export",
                (Detail("files/mfa-policy.json", MFA_SHA[:12], None),),
                path="evidence/access/old-export.yaml",
            ),
            Item(
                "added",
                "sso-config",
                "SSO settings export",
                (Detail("files/sso.json", None, sso_sha[:12]),),
                path="evidence/access/sso-config.yaml",
            ),
        ),
        ledger=(
            Item(
                "added",
                "entry 2",
                "mfa-policy files/mfa-policy.json",
                (Detail("sha256", None, changed_sha[:12]),),
                path="evidence/ledger.jsonl",
                line=2,
            ),
            Item(
                "added",
                "entry 3",
                "sso-config files/sso.json",
                (Detail("sha256", None, sso_sha[:12]),),
                path="evidence/ledger.jsonl",
                line=3,
            ),
        ),
    )


OLD_EXPORT = f"""\
id: old-export
title: An old export
kind: configuration
collected: 2026-10-01
refresh: annual
classification: internal
files:
  - path: files/mfa-policy.json
    sha256: {MFA_SHA}
"""


def test_evidence_fields_changed(base: Path, head: Path) -> None:
    edit(head, MFA, "refresh: quarterly", "refresh: monthly")
    assert impact(base, head).items("evidence") == (
        Item(
            "changed",
            "mfa-policy",
            "Identity provider MFA policy export",
            (Detail("refresh", "quarterly", "monthly"),),
            path=MFA,
            line=5,
        ),
    )


def test_an_edited_ledger_line_is_a_rewrite(base: Path, head: Path) -> None:
    for repo in (base, head):
        pin(repo, "mfa-policy", "files/mfa-policy.json")
        pin(repo, "mfa-policy", "files/mfa-policy.json")
    lines = (head / ledger.PATH).read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("2026-11-20T09:00:00Z", "2026-11-19T09:00:00Z")
    write(head, ledger.PATH, "".join(lines))
    found = impact(base, head)
    assert found.items("ledger") == (
        Item(
            "rewritten",
            "chain",
            "1 of the base's 2 ledger entries changed in place (from line 2)",
            (Detail("entries", "2", "2"),),
            path="evidence/ledger.jsonl",
            line=2,
        ),
        Item(
            "changed",
            "entry 2",
            "mfa-policy files/mfa-policy.json",
            (Detail("time", "2026-11-20T09:00:00Z", "2026-11-19T09:00:00Z"),),
            path="evidence/ledger.jsonl",
            line=2,
        ),
    )


def test_a_vanished_ledger_line_is_a_rewrite_too(base: Path, head: Path) -> None:
    for repo in (base, head):
        pin(repo, "mfa-policy", "files/mfa-policy.json")
    pin(base, "mfa-policy", "files/mfa-policy.json")
    assert impact(base, head).items("ledger") == (
        Item(
            "rewritten",
            "chain",
            "1 of the base's 2 ledger entries vanished (from line 2)",
            (Detail("entries", "2", "1"),),
            path="evidence/ledger.jsonl",
            line=2,
        ),
        Item(
            "removed",
            "entry 2",
            "mfa-policy files/mfa-policy.json",
            (Detail("sha256", MFA_SHA[:12], None),),
            path="evidence/ledger.jsonl",
            line=2,
        ),
    )


def _ledger_of(count: int) -> list[str]:
    """`count` ledger lines as `evidence pin` writes them (their chain is not what is compared here)."""
    return [
        json.dumps({"file": f"files/f{n}.csv", "record": f"r{n}", "seq": n, "sha256": f"{n:064x}"}, sort_keys=True)
        for n in range(1, count + 1)
    ]


def test_one_line_edited_in_a_long_ledger_is_one_change_and_nothing_added(base: Path, head: Path) -> None:
    lines = _ledger_of(232)
    write(base, ledger.PATH, "\n".join(lines) + "\n")
    lines[4] = lines[4].replace('"r5"', '"r5-edited"')
    write(head, ledger.PATH, "\n".join(lines) + "\n")
    assert impact(base, head).items("ledger") == (
        Item(
            "rewritten",
            "chain",
            "1 of the base's 232 ledger entries changed in place (from line 5)",
            (Detail("entries", "232", "232"),),
            path="evidence/ledger.jsonl",
            line=5,
        ),
        Item(
            "changed",
            "entry 5",
            "r5-edited files/f5.csv",
            (Detail("record", "r5", "r5-edited"),),
            path="evidence/ledger.jsonl",
            line=5,
        ),
    )


def test_a_line_deleted_inserted_and_appended_in_a_long_ledger(base: Path, head: Path) -> None:
    """A middle line gone, one slipped in among the base's and one appended: each named, the
    rewrite counting only the base's line that vanished and the one inserted among them."""
    lines = _ledger_of(232)
    write(base, ledger.PATH, "\n".join(lines) + "\n")
    extra = _ledger_of(234)
    edited = [*lines[:9], *lines[10:100], extra[232], *lines[100:], extra[233]]
    write(head, ledger.PATH, "\n".join(edited) + "\n")
    sha = lambda n: f"{n:064x}"[:12]  # noqa: E731 - a local shorthand
    assert impact(base, head).items("ledger") == (
        Item(
            "rewritten",
            "chain",
            "1 of the base's 232 ledger entries vanished; 1 entry was inserted among them (from line 10)",
            (Detail("entries", "232", "233"),),
            path="evidence/ledger.jsonl",
            line=10,
        ),
        Item("removed", "entry 10", "r10 files/f10.csv", (Detail("sha256", sha(10), None),), path=ledger.PATH, line=10),
        Item(
            "added", "entry 233", "r233 files/f233.csv", (Detail("sha256", None, sha(233)),), path=ledger.PATH, line=100
        ),
        Item(
            "added", "entry 234", "r234 files/f234.csv", (Detail("sha256", None, sha(234)),), path=ledger.PATH, line=233
        ),
    )


@pytest.mark.parametrize(
    ("edit_lines", "title"),
    [
        (
            lambda lines: [*lines[:2], lines[2].replace('"r3"', '"x"'), *lines[3:6], *lines[7:]],
            "2 of the base's 10 ledger entries changed or vanished (1 changed in place, 1 vanished) (from line 3)",
        ),
        (
            lambda lines: [*lines[:4], _ledger_of(11)[10], *lines[4:]],
            "1 entry was inserted among the base's 10 ledger entries (from line 5)",
        ),
    ],
    ids=["changed-and-vanished", "inserted"],
)
def test_the_rewrite_counts_what_became_of_the_base_lines(base: Path, head: Path, edit_lines: Any, title: str) -> None:
    lines = _ledger_of(10)
    write(base, ledger.PATH, "\n".join(lines) + "\n")
    write(head, ledger.PATH, "\n".join(edit_lines(lines)) + "\n")
    [rewritten, *_] = impact(base, head).items("ledger")
    assert (rewritten.change, rewritten.title) == ("rewritten", title)


def test_swapped_ledger_lines_are_one_move_with_a_key_of_its_own(base: Path, head: Path) -> None:
    lines = _ledger_of(6)
    write(base, ledger.PATH, "\n".join(lines) + "\n")
    write(head, ledger.PATH, "\n".join([*lines[:3], lines[4], lines[3], lines[5]]) + "\n")
    found = impact(base, head).items("ledger")
    assert found == (
        Item(
            "rewritten",
            "chain",
            "1 of the base's 6 ledger entries moved (from line 4)",
            (Detail("entries", "6", "6"),),
            path=ledger.PATH,
            line=4,
        ),
        Item("moved", "entry 5", "r5 files/f5.csv", (Detail("line", "5", "4"),), path=ledger.PATH, line=4),
    )


def test_moves_are_counted_apart_from_what_changed_or_vanished(base: Path, head: Path) -> None:
    """The last entry cut and pasted higher up, one edited in place, one gone; keys unique even
    when a line appended claims the seq of the one gone."""
    lines = _ledger_of(10)
    write(base, ledger.PATH, "\n".join(lines) + "\n")
    forged = lines[6].replace('"r7"', '"forged"')
    edited = [lines[0], lines[9], lines[1].replace('"r2"', '"x"'), *lines[2:6], *lines[7:9], forged]
    write(head, ledger.PATH, "\n".join(edited) + "\n")
    found = impact(base, head).items("ledger")
    assert found[0].title == (
        "3 of the base's 10 ledger entries changed, vanished or moved (1 changed in place, 1 vanished, 1 moved)"
        " (from line 2)"
    )
    assert [(i.change, i.key) for i in found[1:]] == [
        ("changed", "entry 2"),
        ("removed", "entry 7"),
        ("added", "entry 7 (line 10)"),
        ("moved", "entry 10"),
    ]
    assert len({i.key for i in found}) == len(found)


def test_lines_appended_to_a_long_ledger_are_added_alone(base: Path, head: Path) -> None:
    lines = _ledger_of(232)
    write(base, ledger.PATH, "\n".join(lines[:230]) + "\n")
    write(head, ledger.PATH, "\n".join(lines) + "\n")
    assert [(i.change, i.key, i.line) for i in impact(base, head).items("ledger")] == [
        ("added", "entry 231", 231),
        ("added", "entry 232", 232),
    ]


def test_a_policy_version_bump(base: Path, head: Path) -> None:
    edit(head, "policies/access-control.md", 'version: "1.0"', 'version: "1.1"')
    edit(head, "policies/access-control.md", "Each person gets", "Every person gets")
    found = impact(base, head)
    old, new = (s.result.model.policies_by_id["access-control"].text_sha256 for s in _sides(base, head))
    only(
        found,
        policies=(
            Item(
                "changed",
                "access-control",
                "Access control policy",
                (Detail("version", "1.0", "1.1"), Detail("text", old[:12], new[:12])),
                path="policies/access-control.md",
                line=4,
            ),
        ),
    )


def _sides(base: Path, head: Path) -> tuple[snapshot.Snapshot, snapshot.Snapshot]:
    return (snapshot.take(base, Side("main", None), TODAY), snapshot.take(head, Side("working tree", None), TODAY))


def test_a_watched_file_glob(base: Path, head: Path) -> None:
    for repo in (base, head):
        with_controls(repo, "['infra/github/*.json']")
        write(repo, "infra/github/main.json", "{}\n")
        write(repo, "infra/github/dev.json", "{}\n")
        write(repo, "infra/github/nested/deep.json", "{}\n")
    write(head, "infra/github/main.json", '{"reviews": 2}\n')
    write(head, "infra/github/new.json", "{}\n")
    (head / "infra/github/dev.json").unlink()
    write(head, "infra/github/nested/deep.json", '{"ignored": "* does not cross a folder"}\n')

    def touched(path: str, was: str | None, now: str | None) -> Item:
        key = f"AC-01 infra/github/*.json: {path}"
        sha = Detail("sha256", digest(was), digest(now))
        return Item("touched", key, f"{path} (watched by AC-01 as infra/github/*.json)", (sha,), path=path)

    only(
        impact(base, head),
        anchors=(
            touched("infra/github/dev.json", "{}\n", None),
            touched("infra/github/main.json", "{}\n", '{"reviews": 2}\n'),
            touched("infra/github/new.json", None, "{}\n"),
        ),
    )


def test_a_watched_single_file(base: Path, head: Path) -> None:
    for repo in (base, head):
        with_controls(repo, "[infra/identity/okta.tf]")
        write(repo, "infra/identity/okta.tf", OKTA)
    edit(head, "infra/identity/okta.tf", 'name = "sign-in"', 'name = "signin"')
    only(
        impact(base, head),
        anchors=(
            Item(
                "touched",
                "AC-01 infra/identity/okta.tf",
                "infra/identity/okta.tf (watched by AC-01)",
                (Detail("sha256", digest(OKTA), digest(OKTA.replace('name = "sign-in"', 'name = "signin"'))),),
                path="infra/identity/okta.tf",
            ),
        ),
    )


@pytest.mark.parametrize("spec", ["infra/identity/okta.tf#AC-01", "infra/identity/okta.tf#L5-L7"])
def test_an_edit_outside_a_region_touches_nothing(base: Path, head: Path, spec: str) -> None:
    for repo in (base, head):
        with_controls(repo, f"['{spec}']")
        write(repo, "infra/identity/okta.tf", OKTA)
    edit(head, "infra/identity/okta.tf", 'name = "sign-in"', 'name = "signin"')
    assert impact(base, head).empty


@pytest.mark.parametrize(
    ("spec", "words", "line"),
    [("infra/identity/okta.tf#AC-01", "region AC-01", 5), ("infra/identity/okta.tf#L5-L7", "lines 5-7", 5)],
)
def test_an_edit_inside_a_region_touches_it(base: Path, head: Path, spec: str, words: str, line: int) -> None:
    for repo in (base, head):
        with_controls(repo, f"['{spec}']")
        write(repo, "infra/identity/okta.tf", OKTA)
    edit(head, "infra/identity/okta.tf", 'factor = "webauthn"', 'factor = "password"')
    edited = OKTA.replace('factor = "webauthn"', 'factor = "password"')
    watch = watch_of(spec)
    only(
        impact(base, head),
        anchors=(
            Item(
                "touched",
                f"AC-01 {spec}",
                f"infra/identity/okta.tf ({words}, watched by AC-01)",
                (Detail("sha256", digest(region(OKTA, watch)), digest(region(edited, watch))),),
                path="infra/identity/okta.tf",
                line=line,
            ),
        ),
    )


def test_a_new_internal_value_in_the_site_is_a_leak(base: Path, head: Path) -> None:
    both(base, head, "site/index.md", "# Trust\n\nWrite to us.\n")
    write(head, "site/index.md", "# Trust\n\nWrite to it-security@test.example for help.\n")
    found = impact(base, head)
    message = (
        "site/index.md contains the owner of control AC-01 (controls/access/ac-01.yaml): 'it-security@test.example'"
    )
    assert found.leaks == (Finding("site/index.md", 3, 10, "internal-value", message),)
    assert found.errors == ()
    assert not found.empty
    assert found.failing(("public-change", "leak")) == ("public-change", "leak")  # the page changes too


def test_a_leak_the_base_had_already_is_not_new(base: Path, head: Path) -> None:
    both(base, head, "site/index.md", "# Trust\n\nWrite to it-security@test.example for help.\n")
    edit(head, "site/index.md", "# Trust\n", "# Trust\n\nMoved down a line.\n")
    assert impact(base, head).leaks == ()


def test_new_errors_at_the_head(base: Path, head: Path) -> None:
    edit(head, AC01, "evidence: [mfa-policy]", "evidence: [mfa-policy, no-such-record]")
    found = impact(base, head)
    assert [(f.path, f.rule) for f in found.errors] == [(AC01, "unknown-evidence")]
    assert found.leaks == ()


def test_a_head_without_a_program_compares_no_requirements_and_fails_closed(base: Path, head: Path) -> None:
    (head / "controls/program.yaml").unlink()
    found = impact(base, head)
    assert found.items("requirements") == ()
    assert found.notes == ()
    assert found.unjudged == (
        "controls/program.yaml is missing at the head: a status drop or a public change there cannot be seen.",
    )
    assert [(f.path, f.rule) for f in found.errors] == [("controls/program.yaml", "missing-file")]
    assert found.failing(FAIL_ON) == ("public-change", "status-drop")


def test_a_base_without_a_program_is_a_note_not_a_failure(base: Path, head: Path) -> None:
    (base / "controls/program.yaml").unlink()
    found = impact(base, head)
    assert found.notes == ("Requirements were not compared: the base has no usable controls/program.yaml.",)
    assert (found.unjudged, found.failing(FAIL_ON)) == ((), ())


BROKEN = "\nbogus: [\n"


def test_a_drop_hidden_by_breaking_the_files_still_fails(base: Path, head: Path) -> None:
    """The reviewer's case: a status drop, and the program and the trust profile broken at the head.
    Nothing can be compared, so both gates are met and the reasons are named."""
    edit(head, AC01, "status: implemented", "status: planned")
    for rel in ("controls/program.yaml", "site/trust.yaml"):
        write(head, rel, (head / rel).read_text() + BROKEN)
    found = impact(base, head)
    assert found.unjudged == (
        "controls/program.yaml fails to load at the head: a status drop or a public change there cannot be seen.",
        "site/trust.yaml fails to load at the head: a status drop or a public change there cannot be seen.",
    )
    assert found.failing(("status-drop",)) == ("status-drop",)
    assert found.failing(("public-change",)) == ("public-change",)
    assert found.items("requirements") == ()
    assert found.notes == ()


def test_a_control_file_broken_at_the_head_fails_closed(base: Path, head: Path) -> None:
    write(head, AC01, (head / AC01).read_text() + BROKEN)
    found = impact(base, head)
    assert found.unjudged == (
        "A control file fails to load at the head: a status drop or a public change there cannot be seen.",
    )
    assert found.failing(FAIL_ON) == ("public-change", "status-drop")


def test_a_file_broken_at_both_sides_is_no_reason(base: Path, head: Path) -> None:
    both(base, head, "controls/access/ac-05.yaml", "id: AC-05\nbogus: [\n")
    found = impact(base, head)
    assert (found.unjudged, found.failing(FAIL_ON)) == ((), ())


def test_another_file_of_a_kind_already_broken_is_named(base: Path, head: Path) -> None:
    both(base, head, "controls/access/ac-05.yaml", "id: AC-05\ntitle: [\n")
    write(head, AC01, (head / AC01).read_text().replace("title:", "title: ["))
    found = impact(base, head)
    assert found.unjudged == (
        "control AC-01 fails to load at the head: a status drop or a public change there cannot be seen.",
    )


def test_a_lost_catalog_fails_closed_though_another_was_broken_already(base: Path, head: Path) -> None:
    """A catalog broken at both sides must not hide another framework losing its own."""
    broken = "  - id: extra\n    catalog: frameworks/extra.yaml\n"
    for repo in (base, head):
        copy_tree(CUSTOM_CATALOG, repo)
        write(repo, "controls/program.yaml", (repo / "controls/program.yaml").read_text() + broken)
        write(repo, "frameworks/extra.yaml", "id: extra-1\nname: [\n")
    (head / "frameworks/nist-csf.yaml").unlink()
    found = impact(base, head)
    assert found.unjudged == (
        "The nist-csf framework has no usable catalog at the head: a status drop or a public change there cannot be"
        " seen.",
    )
    assert found.failing(("status-drop",)) == ("status-drop",)


def test_a_framework_whose_catalog_is_gone_fails_closed(base: Path, head: Path) -> None:
    """Its requirements would read as removed, not as a drop."""
    for repo in (base, head):
        copy_tree(CUSTOM_CATALOG, repo)
    (head / "frameworks/nist-csf.yaml").unlink()
    found = impact(base, head)
    assert found.unjudged == (
        "The nist-csf framework has no usable catalog at the head: a status drop or a public change there cannot be"
        " seen.",
    )
    assert found.failing(("status-drop",)) == ("status-drop",)


def test_a_control_added_and_one_removed(base: Path, head: Path) -> None:
    (head / AC01).rename(head / "controls/access/ac-09.yaml")
    edit(head, "controls/access/ac-09.yaml", "id: AC-01", "id: AC-09")
    edit(head, "controls/access/ac-09.yaml", "status: implemented", "status: partial")
    found = impact(base, head)
    title = "Multi-factor authentication for workforce access"
    assert found.items("controls") == (
        Item("removed", "AC-01", title, (Detail("status", "implemented", None),), path=AC01),
        Item("added", "AC-09", title, (Detail("status", None, "partial"),), path="controls/access/ac-09.yaml"),
    )
    assert [i.key for i in found.items("requirements")] == ["iso27001 A.5.17", "iso27001 A.8.5"]
    assert all(i.drop for i in found.items("requirements"))


def test_a_base_without_a_trust_profile_adds_every_claim(base: Path, head: Path) -> None:
    (base / "site/trust.yaml").unlink()
    found = impact(base, head)
    assert [(i.change, i.key) for i in found.items("public")] == [
        ("added", "certification SOC 2 Type II"),
        ("added", PRACTICE),
        ("added", "profile"),
        ("added", "settings mkdocs.yml"),
    ]
    assert found.notes == ("The base has no usable site/trust.yaml: its public claims count as none.",)
    assert found.unjudged == ()


def digest(text: str | None) -> str | None:
    """The short sha256 an anchor item shows for watched content (None: absent)."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# -- what the site serves as files, and its own pages ------------------------------------------------------

DOCUMENTS = """\
documents:
  - title: Penetration test summary
    description: Our testers' letter.
    access: nda
    request_url: https://test.example/ask
"""


def test_a_document_made_public_with_its_file(base: Path, head: Path) -> None:
    both(base, head, "site/trust.yaml", (base / "site/trust.yaml").read_text() + DOCUMENTS)
    edit(
        head,
        "site/trust.yaml",
        "    access: nda\n    request_url: https://test.example/ask\n",
        "    access: public\n    file: docs/pentest.pdf\n",
    )
    write(head, "site/docs/pentest.pdf", "%PDF-1.4 summary")
    found = impact(base, head)
    only(
        found,
        public=(
            Item(
                "changed",
                "document Penetration test summary",
                "Document 'Penetration test summary'",
                (
                    Detail("access", "nda", "public"),
                    Detail("request_url", "https://test.example/ask", None),
                    Detail("file", None, "docs/pentest.pdf"),
                    Detail("file sha256", None, hashlib.sha256(b"%PDF-1.4 summary").hexdigest()[:12]),
                ),
                area="document",
                path="site/trust.yaml",
                line=12,
            ),
        ),
    )
    assert found.failing(("public-change",)) == ("public-change",)


def test_a_certificate_file_replaced(base: Path, head: Path) -> None:
    """The file the site serves changes, while trust.yaml stays as it was."""
    for repo in (base, head):
        edit(repo, "site/trust.yaml", "    expected: 2027-03\n", "    expected: 2027-03\n" + ISO)
    write(base, "site/iso.pdf", "%PDF-1.4 certificate")
    write(head, "site/iso.pdf", "%PDF-1.4 another certificate")
    only(
        impact(base, head),
        public=(
            Item(
                "changed",
                "certification ISO/IEC 27001:2022",
                "Certification 'ISO/IEC 27001:2022'",
                (Detail("file sha256", digest("%PDF-1.4 certificate"), digest("%PDF-1.4 another certificate")),),
                area="certification",
                path="site/trust.yaml",
                line=11,
            ),
        ),
    )


def test_a_paragraph_added_to_a_page_and_a_new_file(base: Path, head: Path) -> None:
    both(base, head, "site/faq.md", "# Questions\n")
    both(base, head, "site/.notes", "not published\n")
    write(head, "site/faq.md", "# Questions\n\nWe answer within a day.\n")
    write(head, "site/img/diagram.svg", "<svg/>")
    write(head, "site/.notes", "still not published\n")
    only(
        impact(base, head),
        public=(
            Item(
                "changed",
                "page faq.md",
                "Page 'faq.md'",
                (Detail("sha256", digest("# Questions\n"), digest("# Questions\n\nWe answer within a day.\n")),),
                area="page",
                path="site/faq.md",
            ),
            Item(
                "added",
                "page img/diagram.svg",
                "Site file 'img/diagram.svg'",
                (Detail("sha256", None, digest("<svg/>")),),
                area="page",
                path="site/img/diagram.svg",
            ),
        ),
    )


def test_site_settings_and_theme_files_every_page_shows(base: Path, head: Path) -> None:
    """mkdocs.yml (site name, copyright, navigation) and the custom_dir's templates are public."""
    for repo in (base, head):
        edit(repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
        write(repo, "overrides/main.html", "{% extends 'base.html' %}\n")
        write(repo, "overrides/.notes", "not published\n")
    settings = (base / "mkdocs.yml").read_text()
    edit(head, "mkdocs.yml", "site_name: Example Test Co Trust Center", "site_name: Example Trust Center")
    announce = "{% extends 'base.html' %}\n{% block announce %}We moved.{% endblock %}\n"
    write(head, "overrides/main.html", announce)
    write(head, "overrides/partials/footer.html", "<footer/>")
    write(head, "overrides/.notes", "still not published\n")
    only(
        impact(base, head),
        public=(
            Item(
                "changed",
                "settings mkdocs.yml",
                "Site settings 'mkdocs.yml'",
                (Detail("sha256", digest(settings), digest((head / "mkdocs.yml").read_text())),),
                area="page",
                path="mkdocs.yml",
            ),
            Item(
                "changed",
                "theme overrides/main.html",
                "Theme file 'overrides/main.html'",
                (Detail("sha256", digest("{% extends 'base.html' %}\n"), digest(announce)),),
                area="page",
                path="overrides/main.html",
            ),
            Item(
                "added",
                "theme overrides/partials/footer.html",
                "Theme file 'overrides/partials/footer.html'",
                (Detail("sha256", None, digest("<footer/>")),),
                area="page",
                path="overrides/partials/footer.html",
            ),
        ),
    )


def test_a_custom_dir_the_site_refuses_is_no_theme(base: Path, head: Path) -> None:
    """A custom_dir naming an internal folder (controls/) is an error of its own, never a claim."""
    for repo in (base, head):
        edit(repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: controls\n")
    edit(head, AC01, "owner:", "# reviewed\nowner:")
    assert [i.key for i in impact(base, head).items("public")] == []


def test_files_the_build_leaves_out_are_no_claims(base: Path, head: Path) -> None:
    """MkDocs' defaults (hidden files, a top templates/ folder), exclude_docs and draft_docs."""
    for repo in (base, head):
        edit(repo, "mkdocs.yml", "docs_dir: site\n", "docs_dir: site\nexclude_docs: |\n  drafts/\n  *.tmp\n")
        write(repo, "mkdocs.yml", (repo / "mkdocs.yml").read_text() + "draft_docs: |\n  wip/\n")
    for rel in ("templates/note.txt", "drafts/plan.md", "guide/old.tmp", "wip/next.md", ".well-known/x.txt"):
        write(head, f"site/{rel}", "not published\n")
    write(head, "site/guide/templates/form.md", "# A form\n")  # templates/ is left out at the top only
    assert [(i.change, i.key) for i in impact(base, head).items("public")] == [
        ("added", "page guide/templates/form.md")
    ]


def test_a_notice_body_edited(base: Path, head: Path) -> None:
    """A notice is its own claim, never a page: its text counts through what its page shows."""
    both(base, head, OVERDUE_NOTICE, OVERDUE)
    edit(head, OVERDUE_NOTICE, "We are adding export workers.", "We added two export workers.")
    found = impact(base, head)
    assert [(i.key, i.area, [d.field for d in i.details]) for i in found.items("public")] == [
        ("notice updates/2026-11-20-slow-exports/", "notice", ["text sha256"])
    ]


def test_the_logo_colour_and_languages(base: Path, head: Path) -> None:
    brand = "brand: {logo: logo.svg, color: '#112233'}\npreferred_languages: [en]\n"
    both(base, head, "site/trust.yaml", (base / "site/trust.yaml").read_text() + brand)
    both(base, head, "site/logo.svg", "<svg/>")
    edit(head, "site/trust.yaml", "preferred_languages: [en]", "preferred_languages: [en, de]")
    edit(head, "site/trust.yaml", "#112233", "#445566")
    write(head, "site/logo.svg", "<svg><g/></svg>")
    only(
        impact(base, head),
        public=(
            Item(
                "changed",
                "profile",
                "Trust center profile",
                (
                    Detail("preferred_languages", "en", "en, de"),
                    Detail("brand.logo sha256", digest("<svg/>"), digest("<svg><g/></svg>")),
                    Detail("brand.color", "#112233", "#445566"),
                ),
                area="profile",
                path="site/trust.yaml",
            ),
        ),
    )
