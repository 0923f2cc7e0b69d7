"""`plaintrust impact`'s four formats, on Impact objects built by hand (no git, no pipeline).

The Markdown comment of an impact with every section is the golden file
tests/golden/impact/comment.md; after an intended change, rewrite it with
`.venv/bin/python -m pytest -q tests/impact/test_render.py --update-golden` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from plaintrust.impact.render import MARKER, REPORTERS, summary
from plaintrust.impact.render.as_markdown import LIMIT, md
from plaintrust.impact.render.shared import NOTHING, plain
from plaintrust.impact.report import FAIL_ON, SECTIONS, Detail, Finding, Impact, Item, Side
from plaintrust.schemas import fast_validator, validator

GOLDEN = Path(__file__).parent.parent / "golden" / "impact"
COMMIT = "3f2a9c1be07d5e4a8b6c0f1d2e3a4b5c6d7e8f90"
BASE = Side("origin/main", COMMIT, dt.date(2026, 11, 20))
TREE = Side("working tree", None)
TODAY = dt.date(2026, 11, 22)


def impact(sections: dict | None = None, **more) -> Impact:
    every = {name: () for name in SECTIONS} | (sections or {})
    return Impact(BASE, more.pop("head", TREE), TODAY, every, **more)


def small() -> Impact:
    return impact(
        {
            "controls": (
                Item(
                    "changed",
                    "AC-02",
                    "Multi-factor authentication",
                    (Detail("status", "implemented", "partially implemented"),),
                    path="controls/ac-02.yaml",
                    line=4,
                ),
            ),
            "requirements": (
                Item(
                    "changed", "soc2 CC6.1", "Logical access security", (Detail("status", "met", "not met"),), drop=True
                ),
            ),
        }
    )


def full() -> Impact:
    """Every section, drops both ways, a leak, a new error, a note, the working tree as the head."""
    long_text = "Staff sign in through the identity provider with a second factor. " * 6
    return impact(
        {
            "controls": (
                Item(
                    "changed",
                    "AC-02",
                    "Multi-factor authentication",
                    (
                        Detail("status", "implemented", "partially implemented"),
                        Detail("satisfies.soc2", "CC6.1, CC6.2", "CC6.1"),
                        Detail("evidence", "idp-mfa-export", "idp-mfa-export, mfa-exceptions"),
                        Detail("description", "Staff sign in with a second factor.", long_text),
                    ),
                    path="controls/ac-02.yaml",
                ),
                Item("added", "CM-04", "Infrastructure changes reviewed", path="controls/cm-04.yaml"),
            ),
            "requirements": (
                Item(
                    "changed",
                    "iso27001 A.8.5",
                    "Secure authentication",
                    (Detail("status", "not met", "met"),),
                ),
                Item(
                    "changed",
                    "soc2 CC6.1",
                    "Logical access security",
                    (Detail("status", "met", "partially met"), Detail("why", None, "AC-02 is partially implemented")),
                    drop=True,
                ),
            ),
            "public": (
                Item(
                    "changed",
                    "practice access-control/Multi-factor authentication",
                    "Practice 'Multi-factor authentication' (Access control)",
                    (Detail("status", "Implemented", "In progress"),),
                    area="practice",
                    drop=True,
                    path="controls/ac-02.yaml",
                ),
                Item(
                    "added",
                    "subprocessor Acme Mail",
                    "Subprocessor 'Acme Mail'",
                    (Detail("purpose", None, "Transactional email"), Detail("location", None, "EU")),
                    area="subprocessor",
                    path="site/subprocessors.yaml",
                ),
            ),
            "evidence": (
                Item("added", "mfa-exceptions", "MFA exceptions list", path="evidence/mfa-exceptions.yaml"),
                Item(
                    "re-pinned",
                    "idp-mfa-export",
                    "IdP MFA enrolment export",
                    (Detail("evidence/files/idp-mfa-export.csv", "0b1c2d3e4f50", "9a8b7c6d5e4f"),),
                    path="evidence/idp-mfa-export.yaml",
                ),
                Item("removed", "old-vpn-log", "VPN log (retired)", path="evidence/old-vpn-log.yaml"),
            ),
            "ledger": (
                Item(
                    "added",
                    "entry 12",
                    "mfa-exceptions evidence/files/mfa-exceptions.csv",
                    (Detail("sha256", None, "5e4f3a2b1c0d"),),
                    path="evidence/ledger.jsonl",
                    line=12,
                ),
            ),
            "policies": (
                Item(
                    "changed",
                    "access-control",
                    "Access control policy",
                    (Detail("version", "1.2", "1.3"), Detail("text", "a1b2c3d4e5f6", "f6e5d4c3b2a1")),
                    path="policies/access-control.md",
                ),
            ),
            "anchors": (
                Item(
                    "touched",
                    "AC-02 infra/identity/okta.tf#AC-02",
                    "infra/identity/okta.tf (watched by AC-02)",
                    (Detail("file", None, "changed"),),
                    path="infra/identity/okta.tf",
                ),
            ),
        },
        leaks=(Finding("site/practices.yaml", 14, 14, "internal-value", "the summary names an owner: Dana Smith"),),
        errors=(Finding("controls/cm-04.yaml", 6, 11, "unknown-evidence", "evidence 'cab-minutes' does not exist"),),
        notes=("fetched origin/main (depth 1)",),
    )


SMALL_TEXT = """\
Compliance impact: origin/main (3f2a9c1be07d, 2026-11-20) → working tree, judged on 2026-11-22
1 control changed · 1 requirement changes status (1 drop)

Controls (1)
  changed AC-02: Multi-factor authentication (controls/ac-02.yaml:4)
    - status: implemented → partially implemented

Requirements (1, 1 drop)
  changed soc2 CC6.1: Logical access security [status drop]
    - status: met → not met
"""

SMALL_MARKDOWN = """\
<!-- plaintrust-impact -->
### Compliance impact

<code>origin/main</code> (3f2a9c1be07d, 2026-11-20) → working tree, judged on 2026-11-22

1 control changed · 1 requirement changes status (1 drop)

<details><summary>Controls (1)</summary>

- changed **AC\\-02: Multi\\-factor authentication** (<code>controls/ac\\-02\\.yaml\\:4</code>)
  - status: implemented → partially implemented

</details>

<details><summary>Requirements (1, 1 drop)</summary>

- changed **soc2 CC6\\.1: Logical access security** — **status drop**
  - status: met → not met

</details>
"""

SMALL_GITHUB = """\
::notice file=controls/ac-02.yaml,line=4,title=Controls%3A changed::changed AC-02: Multi-factor authentication; \
status: implemented → partially implemented
::notice title=Compliance impact::1 control changed · 1 requirement changes status (1 drop)
"""


def test_the_four_formats_by_name() -> None:
    assert list(REPORTERS) == ["text", "markdown", "json", "github"]


def test_text_of_a_small_impact() -> None:
    assert REPORTERS["text"](small()) == SMALL_TEXT


def test_markdown_of_a_small_impact() -> None:
    assert REPORTERS["markdown"](small()) == SMALL_MARKDOWN


def test_github_of_a_small_impact() -> None:
    assert REPORTERS["github"](small()) == SMALL_GITHUB


def test_json_of_a_small_impact() -> None:
    control = {
        "change": "changed",
        "key": "AC-02",
        "title": "Multi-factor authentication",
        "area": None,
        "drop": False,
        "path": "controls/ac-02.yaml",
        "line": 4,
        "details": [{"field": "status", "before": "implemented", "after": "partially implemented"}],
    }
    requirement = {
        "change": "changed",
        "key": "soc2 CC6.1",
        "title": "Logical access security",
        "area": None,
        "drop": True,
        "path": None,
        "line": None,
        "details": [{"field": "status", "before": "met", "after": "not met"}],
    }
    counts = {"controls": 1, "requirements": 1, "public": 0, "evidence": 0, "ledger": 0, "policies": 0, "anchors": 0}
    assert json.loads(REPORTERS["json"](small())) == {
        "format": "plaintrust-impact/1",
        "base": {"label": "origin/main", "commit": COMMIT, "day": "2026-11-20"},
        "head": {"label": "working tree", "commit": None, "day": None},
        "today": "2026-11-22",
        "summary": {
            "line": "1 control changed · 1 requirement changes status (1 drop)",
            **counts,
            "drops": 1,
            "leaks": 0,
            "errors": 0,
            "meets": ["status-drop"],
        },
        "sections": {name: [] for name in SECTIONS} | {"controls": [control], "requirements": [requirement]},
        "leaks": [],
        "errors": [],
        "unjudged": [],
        "notes": [],
    }
    assert REPORTERS["json"](small()).startswith('{\n  "format": "plaintrust-impact/1",\n  "base": {\n')


def test_json_keys_come_in_one_fixed_order() -> None:
    data = json.loads(REPORTERS["json"](full()))
    order = ["format", "base", "head", "today", "summary", "sections", "leaks", "errors", "unjudged", "notes"]
    assert list(data) == order
    assert list(data["base"]) == list(data["head"]) == ["label", "commit", "day"]
    assert list(data["summary"]) == ["line", *SECTIONS, "drops", "leaks", "errors", "meets"]
    assert list(data["sections"]) == list(SECTIONS)
    items = [item for name in SECTIONS for item in data["sections"][name]]
    assert {tuple(item) for item in items} == {("change", "key", "title", "area", "drop", "path", "line", "details")}
    assert {tuple(d) for item in items for d in item["details"]} == {("field", "before", "after")}
    assert {tuple(f) for f in data["leaks"] + data["errors"]} == {("path", "line", "col", "rule", "message")}
    assert data["summary"]["meets"] == list(FAIL_ON)
    assert data["notes"] == ["fetched origin/main (depth 1)"]


@pytest.mark.parametrize("made", [small, full, impact], ids=["small", "full", "empty"])
def test_json_validates_against_the_impact_schema(made) -> None:
    data = json.loads(REPORTERS["json"](made()))
    validator("impact").validate(data)
    fast_validator("impact")(data)


def test_json_of_a_commit_head_validates_and_keeps_every_value_whole() -> None:
    head = Side("HEAD", "a" * 40, dt.date(2026, 11, 21))
    long_text = "word " * 200
    item = Item("changed", "AC-02", "t", (Detail("description", None, long_text),), path="controls/ac-02.yaml")
    data = json.loads(REPORTERS["json"](impact({"controls": (item,)}, head=head)))
    validator("impact").validate(data)
    assert data["head"] == {"label": "HEAD", "commit": "a" * 40, "day": "2026-11-21"}
    assert data["sections"]["controls"][0]["details"][0]["after"] == long_text


def test_the_schema_refuses_an_unknown_change() -> None:
    data = json.loads(REPORTERS["json"](small()))
    data["sections"]["controls"][0]["change"] = "teleported"
    assert not validator("impact").is_valid(data)


def test_the_markdown_golden_comment(golden) -> None:
    golden.check(REPORTERS["markdown"](full()), GOLDEN / "comment.md")


def _many(name: str, n: int, drops: int = 0) -> tuple[Item, ...]:
    return tuple(Item("changed", f"{name}-{i}", f"t{i}", drop=i < drops) for i in range(n))


def test_the_summary_line_when_nothing_changes() -> None:
    assert summary(impact()) == NOTHING
    assert NOTHING == "No compliance impact: no control, requirement, public claim, evidence or policy changes."
    assert impact().empty


def test_the_summary_line_for_one_of_each() -> None:
    sections = {name: _many(name, 1, drops=int(name == "requirements")) for name in SECTIONS}
    sections["evidence"] = (Item("added", "e", "t"),)
    sections["ledger"] = (Item("added", "entry 1", "t"),)
    leak = Finding("site/x.yaml", 1, 1, "internal-value", "m")
    assert summary(impact(sections, leaks=(leak,), errors=(leak,))) == (
        "1 leak · 1 new error · 1 control changed · 1 requirement changes status (1 drop) · 1 public claim changes"
        " · evidence: 1 added · 1 ledger entry added · 1 policy changed · 1 drift anchor touched"
    )


def test_the_summary_line_for_many() -> None:
    sections = {name: _many(name, 2) for name in SECTIONS}
    sections["requirements"] = _many("r", 2, drops=2)
    sections["public"] = _many("p", 3, drops=1)
    sections["evidence"] = (
        Item("removed", "a", "t"),
        Item("re-pinned", "b", "t"),
        Item("added", "c", "t"),
        Item("changed", "d", "t"),
        Item("added", "e", "t"),
    )
    sections["ledger"] = (Item("added", "entry 1", "t"), Item("added", "entry 2", "t"))
    leaks = (Finding("a", 1, 1, "internal-value", "m"), Finding("b", 1, 1, "public-markup", "m"))
    assert summary(impact(sections, leaks=leaks, errors=leaks)) == (
        "2 leaks · 2 new errors · 2 controls changed · 2 requirements change status (2 drops)"
        " · 3 public claims change (1 drop) · evidence: 2 added, 1 re-pinned, 1 changed, 1 removed"
        " · 2 ledger entries added · 2 policies changed · 2 drift anchors touched"
    )


def test_the_summary_line_of_a_rewritten_ledger() -> None:
    rewritten = Item("rewritten", "ledger", "3 lines of the base changed or vanished")
    assert summary(impact({"ledger": (rewritten,)})) == "ledger rewritten"
    added = (rewritten, Item("added", "entry 4", "t"), Item("added", "entry 5", "t"))
    assert summary(impact({"ledger": added})) == "ledger rewritten, 2 entries added"


def test_a_moved_ledger_entry_in_every_format() -> None:
    moved = (
        Item(
            "rewritten", "chain", "1 of the base's 6 ledger entries moved (from line 4)", path="evidence/ledger.jsonl"
        ),
        Item("moved", "entry 5", "r5 files/f5.csv", (Detail("line", "5", "4"),), path="evidence/ledger.jsonl", line=4),
    )
    shown = impact({"ledger": moved})
    assert summary(shown) == "ledger rewritten"
    assert validator("impact").is_valid(json.loads(REPORTERS["json"](shown)))
    assert "  moved entry 5: r5 files/f5.csv (evidence/ledger.jsonl:4)\n    - line: 5 → 4" in REPORTERS["text"](shown)
    assert "- moved **entry 5: r5 files/f5\\.csv**" in REPORTERS["markdown"](shown)
    assert "::notice file=evidence/ledger.jsonl,line=4," in REPORTERS["github"](shown)


def test_leaks_alone_are_not_nothing() -> None:
    leak = Finding("site/x.yaml", 2, 3, "evidence-copy", "m")
    assert summary(impact(leaks=(leak,))) == "1 leak"


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_every_format_says_the_summary_line(fmt: str) -> None:
    assert summary(full()) in REPORTERS[fmt](full())


def test_markdown_starts_with_the_marker_and_has_one_details_per_non_empty_section() -> None:
    comment = REPORTERS["markdown"](full())
    assert comment.splitlines()[0] == MARKER and comment.count(MARKER) == 1
    assert comment.count("<details") == comment.count("</details>") == len(SECTIONS) + 2  # + leaks and errors
    assert re.findall(r"<details(?: open)?><summary>([A-Za-z ]+) \(", comment) == [
        "Leaks",
        "New errors",
        "Controls",
        "Requirements",
        "Public claims",
        "Evidence",
        "Evidence ledger",
        "Policies",
        "Drift anchors",
    ]
    assert re.findall(r"<details open><summary>([A-Za-z ]+) \(", comment) == ["Leaks", "New errors", "Public claims"]


def test_markdown_of_nothing_has_no_section() -> None:
    comment = REPORTERS["markdown"](impact())
    assert comment == (
        f"{MARKER}\n### Compliance impact\n\n"
        "<code>origin/main</code> (3f2a9c1be07d, 2026-11-20) → working tree, judged on 2026-11-22\n\n"
        f"{NOTHING}\n"
    )


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        (
            "</details><script>alert(1)</script>",
            "&lt;/details&gt;&lt;script&gt;alert\\(1\\)&lt;/script&gt;",
        ),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"),
        ("@everyone", "&#64;&#8203;everyone"),
        (MARKER, "&lt;\\!\\-\\- plaintrust\\-impact \\-\\-&gt;"),
        ("two\nlines\r\n\n# heading", "two lines \\# heading"),
        ("`code` and ``more``", "\\`code\\` and \\`\\`more\\`\\`"),
        ("| a | b |", "\\| a \\| b \\|"),
        ('a & "b" *c* _d_ ~e~ $x$', "a &amp; &quot;b&quot; \\*c\\* \\_d\\_ \\~&#8203;e\\~ \\$&#8203;x\\$"),
        ("back\\slash", "back\\\\slash"),
        ("\x1b[31mred\u202e", "\\\\x1b\\[31mred\\\\u202e"),
    ],
)
def test_markdown_escapes_what_others_wrote(value: str, escaped: str) -> None:
    assert md(value) == escaped


def test_markdown_cuts_long_values() -> None:
    assert md("x" * 301) == "x" * 299 + "…"
    assert md("x" * 300) == "x" * 300


def test_a_hostile_title_never_makes_a_second_marker_or_section() -> None:
    hostile = f"{MARKER}</details><details open><summary>x</summary>"
    item = Item("changed", hostile, hostile, (Detail(hostile, hostile, hostile),), path=hostile)
    comment = REPORTERS["markdown"](impact({"controls": (item,)}, notes=(hostile,)))
    assert comment.count(MARKER) == 1 and comment.startswith(MARKER + "\n")
    assert comment.count("<details") == comment.count("</details>") == 1


def test_markdown_stays_under_the_limit_and_says_how_many_more() -> None:
    controls = tuple(Item("changed", f"C-{i:05}", "t" * 280, path=f"controls/c-{i:05}.yaml") for i in range(600))
    public = tuple(Item("added", f"p{i}", "@" * 300, area="practice") for i in range(600))
    comment = REPORTERS["markdown"](impact({"controls": controls, "public": public}))
    assert len(comment) <= LIMIT
    claims, changed = len(re.findall(r"^- added ", comment, re.M)), len(re.findall(r"^- changed ", comment, re.M))
    assert 0 < claims < 600 and f"- … and {600 - claims} more\n" in comment  # the public claims had room first
    assert changed < 600 and f"- … and {600 - changed} more\n" in comment  # the controls, what was left
    assert comment.count("<details") == comment.count("</details>") == 2
    assert comment.endswith("</details>\n")


def test_the_room_goes_to_what_matters_first_and_the_order_shown_stays() -> None:
    """A change that moves every control: the public claims (open by default) show whole, drops
    come before the other requirements, and the sections keep their order."""
    controls = tuple(Item("changed", f"AC-{i:03}", "c" * 250, (Detail("status", "a", "b"),)) for i in range(74))
    requirements = tuple(
        Item("changed", f"soc2 CC{i:03}", "r" * 250, (Detail("status", "met", "not met"),), drop=i % 10 == 9)
        for i in range(335)
    )
    public = tuple(
        Item("changed", f"practice {i:03}", "p" * 200, (Detail("status", "Implemented", "In progress"),), drop=i > 0)
        for i in range(66)
    )
    comment = REPORTERS["markdown"](impact({"controls": controls, "requirements": requirements, "public": public}))
    assert len(comment) <= LIMIT
    titles = re.findall(r"<summary>([A-Za-z ]+) \(", comment)
    assert titles == ["Controls", "Requirements", "Public claims"]
    claims = comment.split("<summary>Public claims")[1]
    assert len(re.findall(r"^- changed ", claims, re.M)) == 66 and "… and" not in claims
    shown = re.findall(r"^- changed \*\*soc2 CC(\d+)", comment.split("<summary>Requirements")[1], re.M)
    assert {f"{i:03}" for i in range(9, 335, 10)} <= set(shown)  # every drop
    assert shown == sorted(shown) and len(shown) < 335  # in their order, some of the others
    assert f"- … and {335 - len(shown)} more\n" in comment
    assert "- … and 74 more\n" in comment  # the controls come after the requirements in priority


def test_leaks_and_errors_get_room_before_any_section() -> None:
    controls = tuple(Item("changed", f"C-{i:05}", "@" * 300) for i in range(100))
    leak = Finding("site/a.yaml", 1, 1, "internal-value", "m")
    comment = REPORTERS["markdown"](impact({"controls": controls}, leaks=(leak,) * 5, errors=(leak,) * 5))
    assert len(comment) <= LIMIT and comment.count("\\[internal\\-value\\]") == 10
    assert re.search(r"- … and \d+ more\n", comment)


def test_one_huge_item_does_not_break_the_limit() -> None:
    huge = Item("changed", "AC-02", "t", tuple(Detail(f"f{i}", "@" * 300, "@" * 300) for i in range(25)))
    small_one = Item("added", "AC-03", "small")
    comment = REPORTERS["markdown"](impact({"controls": (huge, small_one), "policies": (small_one,)}))
    assert len(comment) <= LIMIT
    assert "- … and 2 more\n" in comment and "**AC\\-03: small**" in comment  # the policy still fits


def test_an_item_lists_at_most_25_fields() -> None:
    item = Item("changed", "ev", "t", tuple(Detail(f"file-{i:02}", "a", "b") for i in range(30)))
    lines = REPORTERS["text"](impact({"evidence": (item,)})).splitlines()
    assert lines[-2:] == ["    - file-24: a → b", "    - … and 5 more"]
    assert "  - … and 5 more\n" in REPORTERS["markdown"](impact({"evidence": (item,)}))


def test_text_is_plain() -> None:
    report = REPORTERS["text"](full())
    assert "<" not in report and "**" not in report and "\\" not in report
    hostile = Item("changed", "AC-02", "<b>bold</b> [x](javascript:y) \x1b[2J\nnext", path="controls/ac-02.yaml")
    line = REPORTERS["text"](impact({"controls": (hostile,)})).splitlines()[4]
    assert line == "  changed AC-02: <b>bold</b> [x](javascript:y) \\x1b[2J next (controls/ac-02.yaml)"


def test_plain_puts_a_value_on_one_line() -> None:
    assert plain(" a\n\n b\tc\u2028d \r\n") == "a b c d"
    assert plain("\x00\x7f\x9b") == "\\x00\\x7f\\x9b"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("a%b", "a%25b"), ("a\rb", "a b"), ("a,b:c", "a%2Cb%3Ac")],
)
def test_github_escapes_properties(value: str, escaped: str) -> None:
    item = Item("changed", "k", "t", path=value)
    assert REPORTERS["github"](impact({"controls": (item,)})).startswith(f"::notice file={escaped},title=")


def test_github_escapes_data_and_marks_drops_anchors_and_leaks() -> None:
    drop = Item("changed", "soc2 CC1.1", "100% done", drop=True, path="controls/x.yaml", line=3)
    anchor = Item("touched", "AC-02 infra/a.tf", "infra/a.tf (watched by AC-02)", path="infra/a.tf")
    no_path = Item("changed", "soc2 CC1.2", "t")
    leak = Finding("site/a,b.yaml", 2, 5, "public-markup", "line\nbreak 50%")
    lines = REPORTERS["github"](
        impact({"requirements": (drop, no_path), "anchors": (anchor,)}, leaks=(leak,), notes=("a\nb",))
    ).splitlines()
    assert lines == [
        "::error file=site/a%2Cb.yaml,line=2,col=5,title=Leak%3A public-markup::line break 50%25",
        "::warning file=controls/x.yaml,line=3,title=Requirements%3A changed::"
        "changed soc2 CC1.1: 100%25 done (status drop)",
        "::warning file=infra/a.tf,title=Drift anchors%3A touched::touched infra/a.tf (watched by AC-02)",
        "::notice title=Note::a b",
        "::notice title=Compliance impact::1 leak · 2 requirements change status (1 drop) · 1 drift anchor touched",
    ]


def test_many_long_notes_still_leave_the_comment_under_the_limit() -> None:
    notes = tuple("@" * 400 for _ in range(30))
    controls = tuple(Item("changed", f"C-{i:05}", "@" * 300) for i in range(100))
    comment = REPORTERS["markdown"](impact({"controls": controls}, notes=notes))
    assert len(comment) <= LIMIT and comment.count("\nNote: ") == 11 and "Note: … and 20 more\n" in comment


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("3f2a9c1", "3f2a9c1 (2026-11-20)"),  # a hash the user typed is not said twice
        (COMMIT, f"{COMMIT} (2026-11-20)"),
        ("", "3f2a9c1be07d (2026-11-20)"),
        ("3f2a", "3f2a (3f2a9c1be07d, 2026-11-20)"),  # too short to be a hash: a branch's name
        ("3f2a9c1-fix", "3f2a9c1-fix (3f2a9c1be07d, 2026-11-20)"),
        ("cafe123", "cafe123 (3f2a9c1be07d, 2026-11-20)"),
    ],
)
def test_a_side_says_its_hash_unless_its_name_is_that_hash(label: str, shown: str) -> None:
    changed = replace(impact(), base=Side(label, COMMIT, dt.date(2026, 11, 20)))
    assert (
        REPORTERS["text"](changed).splitlines()[0] == f"Compliance impact: {shown} → working tree, judged on 2026-11-22"
    )
    assert REPORTERS["markdown"](changed).splitlines()[3].startswith(f"<code>{md(shown.split(' (')[0])}</code>")


def test_a_reason_is_said_without_a_before() -> None:
    details = (Detail("status", "met", "not met"), Detail("why", None, "AC-02 is planned"))
    changed = impact({"requirements": (Item("changed", "soc2 CC6.1", "t", details, path="controls/ac-02.yaml"),)})
    assert REPORTERS["text"](changed).splitlines()[-1] == "    - why: AC-02 is planned"
    assert "  - why: AC\\-02 is planned\n" in REPORTERS["markdown"](changed)
    assert "; status: met → not met; why: AC-02 is planned\n" in REPORTERS["github"](changed)
    shown = json.loads(REPORTERS["json"](changed))["sections"]["requirements"][0]["details"]
    assert shown[1] == {"field": "why", "before": None, "after": "AC-02 is planned"}  # the JSON keeps its null


def test_what_could_not_be_judged_is_said_in_every_format() -> None:
    reason = "controls/program.yaml fails to load at the head: a status drop or a public change there cannot be seen."
    changed = impact(small().sections, unjudged=(reason,), notes=("fetched origin/main (depth 1)",))
    assert summary(changed) == "not judged whole (1 reason) · 1 control changed · 1 requirement changes status (1 drop)"
    assert summary(impact(unjudged=(reason, reason))) == "not judged whole (2 reasons)"
    assert REPORTERS["text"](changed).splitlines()[1:4] == [
        summary(changed),
        f"Not judged: {reason}",
        "Note: fetched origin/main (depth 1)",
    ]
    assert REPORTERS["markdown"](changed).splitlines()[5:10] == [
        summary(changed),
        "",
        f"**Not judged:** {md(reason)}",
        "",
        "Note: fetched origin/main \\(depth 1\\)",
    ]
    assert REPORTERS["github"](changed).splitlines()[0] == f"::error title=Not judged::{reason}"
    data = json.loads(REPORTERS["json"](changed))
    validator("impact").validate(data)
    assert data["unjudged"] == [reason] and data["summary"]["meets"] == ["public-change", "status-drop"]


def test_many_reasons_and_notes_share_the_room_under_the_limit() -> None:
    long = tuple("@" * 400 for _ in range(30))
    controls = tuple(Item("changed", f"C-{i:05}", "@" * 300) for i in range(100))
    comment = REPORTERS["markdown"](impact({"controls": controls}, notes=long, unjudged=long))
    assert len(comment) <= LIMIT and comment.count("\n**Not judged:** ") == 11 and comment.count("\nNote: ") == 2
    assert "**Not judged:** … and 20 more\n" in comment and "Note: … and 29 more\n" in comment
