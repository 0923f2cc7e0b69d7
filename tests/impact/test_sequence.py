"""The issue's acceptance test: one git repository, one commit per kind of change, and the exact
impact report of each; drift with a whole-file and a region anchor; the Markdown golden file.

The repository is the base one (tests/cases/base) with a second control, AC-02, and an infra file
AC-01 watches twice: the whole file (`infra/*.tf`) and the region between its markers
(`infra/idp.tf#AC-01`). One commit per step, each tagged with the step's name, all before the
pinned today (22 November 2026):

    1 Nov  start     the repository, its evidence pinned (the ledger's first two entries)
    5 Nov  drop      AC-02 implemented -> planned
    9 Nov  summary   AC-01's public summary reworded
   12 Nov  vendor    a new subprocessor in site/trust.yaml
   16 Nov  outside   infra/idp.tf edited outside AC-01's region
   18 Nov  inside    infra/idp.tf edited inside it
   20 Nov  repin     the MFA export replaced, collected again and re-pinned (a ledger entry)

`evidence pin` and `check` run on the day of the commit they follow (SOURCE_DATE_EPOCH), as a
team working through those days would; `impact` judges every range on the pinned today.

The Markdown report of the whole range is the golden file tests/golden/impact/sequence.md; after
an intended change, rewrite it with
`.venv/bin/python -m pytest -q tests/impact/test_sequence.py --update-golden` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpers import BASE, EPOCH, commit, copy_tree, edit, git, write
from plaintrust import cli
from plaintrust.schemas import validator

GOLDEN = Path(__file__).parent.parent / "golden" / "impact"
AC01 = "controls/access/ac-01.yaml"
AC02 = "controls/access/ac-02.yaml"
IDP = "infra/idp.tf"
STEPS = ("start", "drop", "summary", "vendor", "outside", "inside", "repin")
DAYS = dict(zip(STEPS, (1, 5, 9, 12, 16, 18, 20), strict=True))  # of November 2026

WATCHED = 'evidence: [mfa-policy]\nwatches: [infra/*.tf, "infra/idp.tf#AC-01"]\n'
CONTROL = """\
id: AC-02
title: Quarterly access reviews
status: implemented
owner: it-security@test.example
description: Team leads review every quarter who can reach production.
frequency: quarterly
satisfies:
  soc2: [CC6.2]
  iso27001: [A.5.18]
evidence: [access-review]
public:
  category: access-control
  summary: Every quarter, team leads check who can reach production.
"""
PLANNED = """\
status: planned
remediation: {plan: Review access again once the new identity provider is live., owner: it-security@test.example, due: 2027-01-31}"""
RECORD = """\
id: access-review
title: Third-quarter access review
kind: report
collected: 2026-10-15
refresh: quarterly
classification: confidential
files:
  - path: files/access-review.csv
"""
REVIEW = "person,access,kept\nana,production,yes\nbo,production,no\n"
INFRA = """\
resource "okta_policy" "workforce" {
  name        = "Workforce sign-on"
  description = "Everyone signs in with a security key"
  # plaintrust:start AC-01
  factors     = ["webauthn"]
  # plaintrust:end
}
"""
VENDOR = """\
subprocessors:
  - {name: Mailer Co, purpose: Sends our emails, location: EU, data: Email addresses, added: 2026-11-12}
"""
EXPORT = '{"policy": "mfa-required", "factors": ["webauthn", "passkey"]}\n'


def _epoch(day: int) -> str:
    return str(int(dt.datetime(2026, 11, day, 12, tzinfo=dt.UTC).timestamp()))


def plaintrust(*args: str, epoch: str = EPOCH) -> Result:
    """The command through click's runner, on the day `epoch` names (the module's fixture runs
    before the autouse one that pins today)."""
    return CliRunner().invoke(cli.cli, list(args), env={"SOURCE_DATE_EPOCH": epoch})


def committed(repo: Path, step: str) -> str:
    """Commit everything as `step`, on its day, tagged with its name; the commit's hash."""
    done = commit(repo, step, f"2026-11-{DAYS[step]:02d}")
    git(repo, "tag", step)
    return done


def on_the_day(repo: Path, step: str, *args: str) -> Result:
    return plaintrust(*args, "--root", str(repo), epoch=_epoch(DAYS[step]))


@pytest.fixture(scope="module")
def sequence(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Step -> its commit; "root" -> the repository; "check STEP" -> what `check` printed of the
    tree on the day of that commit."""
    repo = tmp_path_factory.mktemp("sequence") / "repo"
    copy_tree(BASE, repo)
    edit(repo, AC01, "evidence: [mfa-policy]\n", WATCHED)
    write(repo, AC02, CONTROL)
    write(repo, "evidence/access/access-review.yaml", RECORD)
    write(repo, "evidence/files/access-review.csv", REVIEW)
    write(repo, IDP, INFRA)
    write(repo, ".gitignore", "build/\n.plaintrust-cache/\n")  # as `plaintrust init` writes it
    assert on_the_day(repo, "start", "evidence", "pin").exit_code == 0
    git(repo, "init", "-q")
    done = {"root": str(repo), "start": committed(repo, "start")}
    done["check start"] = on_the_day(repo, "start", "check").output
    edit(repo, AC02, "status: implemented", PLANNED)
    done["drop"] = committed(repo, "drop")
    edit(repo, AC01, "with a hardware key", "with a security key")
    done["summary"] = committed(repo, "summary")
    write(repo, "site/trust.yaml", (repo / "site/trust.yaml").read_text(encoding="utf-8") + VENDOR)
    done["vendor"] = committed(repo, "vendor")
    edit(repo, IDP, "Everyone signs in", "Every person signs in")
    done["outside"] = committed(repo, "outside")
    done["check outside"] = on_the_day(repo, "outside", "check").output
    edit(repo, IDP, '["webauthn"]', '["webauthn", "passkey"]')
    done["inside"] = committed(repo, "inside")
    done["check inside"] = on_the_day(repo, "inside", "check").output
    write(repo, "evidence/files/mfa-policy.json", EXPORT)
    edit(repo, "evidence/access/mfa-policy.yaml", "collected: 2026-11-01", "collected: 2026-11-20")
    assert on_the_day(repo, "repin", "evidence", "pin", "--update", "mfa-policy").exit_code == 0
    done["repin"] = committed(repo, "repin")
    done["check repin"] = on_the_day(repo, "repin", "check").output
    return done


def impact(sequence: dict[str, str], spec: str, fmt: str = "text") -> str:
    result = plaintrust("impact", spec, "--root", sequence["root"], "--format", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def filled(expected: str, sequence: dict[str, str]) -> str:
    """`expected` with {start}, {drop}, ... as the commits' short hashes."""
    return expected.format(**{step: sequence[step][:12] for step in STEPS})


# -- each step's report ---------------------------------------------------------------------------------

# The text report of each step's range (previous step..this one), {step} the commits' short hashes.
TEXT = {
    "drop": """\
Compliance impact: start ({start}, 2026-11-01) → drop ({drop}, 2026-11-05), judged on 2026-11-22
1 control changed · 2 requirements change status (2 drops) · 1 public claim changes (1 drop)

Controls (1)
  changed AC-02: Quarterly access reviews (controls/access/ac-02.yaml:3)
    - status: implemented → planned

Requirements (2, 2 drops)
  changed iso27001 A.5.18: Provisioning, reviewing and removing access rights [status drop]
    - status: met → not met
    - why: AC-02 is now failed: AC-02 is planned
  changed soc2 CC6.2: Registering, authorizing and removing users and their credentials [status drop]
    - status: partially met → not met
    - why: AC-02 is now failed: AC-02 is planned

Public claims (1, 1 drop)
  changed Practice 'Every quarter, team leads check who can reach production.' (Access control) \
(controls/access/ac-02.yaml:12) [status drop]
    - status: Implemented → In progress
""",
    "summary": """\
Compliance impact: drop ({drop}, 2026-11-05) → summary ({summary}, 2026-11-09), judged on 2026-11-22
1 control changed · 1 public claim changes

Controls (1)
  changed AC-01: Multi-factor authentication for workforce access (controls/access/ac-01.yaml:14)
    - public.summary: Every person on our team signs in with a hardware key. A password alone is never enough. \
→ Every person on our team signs in with a security key. A password alone is never enough.

Public claims (1)
  changed Practice 'Every person on our team signs in with a security key. A pa…' (Access control) \
(controls/access/ac-01.yaml:12)
    - summary: Every person on our team signs in with a hardware key. A password alone is never enough. \
→ Every person on our team signs in with a security key. A password alone is never enough.
""",
    "vendor": """\
Compliance impact: summary ({summary}, 2026-11-09) → vendor ({vendor}, 2026-11-12), judged on 2026-11-22
1 public claim changes

Public claims (1)
  added Subprocessor 'Mailer Co' (site/trust.yaml:12)
    - purpose: (none) → Sends our emails
    - location: (none) → EU
    - data: (none) → Email addresses
    - added: (none) → 2026-11-12
    - effective: (none) → 2026-11-12
""",
    # An edit outside the region touches the whole-file watch alone.
    "outside": """\
Compliance impact: vendor ({vendor}, 2026-11-12) → outside ({outside}, 2026-11-16), judged on 2026-11-22
1 drift anchor touched

Drift anchors (1)
  touched infra/idp.tf (watched by AC-01 as infra/*.tf) (infra/idp.tf)
    - sha256: 015ec0bdd50b → 17b71a9c4011
""",
    "inside": """\
Compliance impact: outside ({outside}, 2026-11-16) → inside ({inside}, 2026-11-18), judged on 2026-11-22
2 drift anchors touched

Drift anchors (2)
  touched infra/idp.tf (watched by AC-01 as infra/*.tf) (infra/idp.tf)
    - sha256: 17b71a9c4011 → 5ad2e91af906
  touched infra/idp.tf (region AC-01, watched by AC-01) (infra/idp.tf:5)
    - sha256: 9af793d501f5 → 685bf0c05b60
""",
    "repin": """\
Compliance impact: inside ({inside}, 2026-11-18) → repin ({repin}, 2026-11-20), judged on 2026-11-22
evidence: 1 re-pinned · 1 ledger entry added

Evidence (1)
  re-pinned mfa-policy: Identity provider MFA policy export (evidence/access/mfa-policy.yaml:7)
    - files/mfa-policy.json: 08c663788a63 → fdd80c29679e
    - collected: 2026-11-01 → 2026-11-20

Evidence ledger (1)
  added entry 3: mfa-policy files/mfa-policy.json (evidence/ledger.jsonl:3)
    - sha256: (none) → fdd80c29679e
""",
}

# The JSON report's non-empty sections for the same ranges: (change, key) of each item.
SECTIONS = {
    "drop": {
        "controls": [("changed", "AC-02")],
        "requirements": [("changed", "iso27001 A.5.18"), ("changed", "soc2 CC6.2")],
        "public": [("changed", "practice access-control Every quarter, team leads check who can reach production.")],
    },
    "summary": {
        "controls": [("changed", "AC-01")],
        "public": [("changed", "practice access-control Every person on our team signs in with a security key. A pa…")],
    },
    "vendor": {"public": [("added", "subprocessor Mailer Co")]},
    "outside": {"anchors": [("touched", "AC-01 infra/*.tf: infra/idp.tf")]},
    "inside": {"anchors": [("touched", "AC-01 infra/*.tf: infra/idp.tf"), ("touched", "AC-01 infra/idp.tf#AC-01")]},
    "repin": {"evidence": [("re-pinned", "mfa-policy")], "ledger": [("added", "entry 3")]},
}
RANGES = [f"{before}..{step}" for before, step in itertools.pairwise(STEPS)]


@pytest.mark.parametrize("spec", RANGES)
def test_each_commit_reports_exactly_its_impact(sequence: dict[str, str], spec: str) -> None:
    step = spec.split("..")[1]
    assert impact(sequence, spec) == filled(TEXT[step], sequence)


@pytest.mark.parametrize("spec", RANGES)
def test_the_json_of_each_commit_holds_the_same_items(sequence: dict[str, str], spec: str) -> None:
    step = spec.split("..")[1]
    document = json.loads(impact(sequence, spec, "json"))
    validator("impact").validate(document)
    found = {name: [(i["change"], i["key"]) for i in items] for name, items in document["sections"].items() if items}
    assert found == SECTIONS[step]
    assert document["summary"]["line"] == filled(TEXT[step], sequence).splitlines()[1]
    assert (document["leaks"], document["errors"], document["notes"]) == ([], [], [])


# -- drift ------------------------------------------------------------------------------------------------

DRIFT = (
    "controls/access/ac-01.yaml:11:{col}: warning [control-drift] infra/idp.tf{region} changed on 2026-11-{day}, "
    "after the newest evidence of AC-01 (2026-11-01): collect fresh evidence or confirm\n"
    "    hint: collect new evidence (plaintrust evidence new FILE --control AC-01), or once someone has checked it "
    "still holds, set drift_confirmed_on: 2026-11-{day}\n"
)


def test_the_repository_starts_clean(sequence: dict[str, str]) -> None:
    """The infra file was committed the day its evidence was collected: no drift yet."""
    assert sequence["check start"] == "no problems found\n"


def test_an_edit_outside_the_region_is_drift_of_the_whole_file_alone(sequence: dict[str, str]) -> None:
    assert sequence["check outside"] == DRIFT.format(col=11, region="", day=16) + "0 errors, 1 warning\n"


def test_an_edit_inside_the_region_is_drift_of_both_watches(sequence: dict[str, str]) -> None:
    whole = DRIFT.format(col=11, region="", day=18)
    region = DRIFT.format(col=23, region=" (region AC-01)", day=18)
    assert sequence["check inside"] == whole + region + "0 errors, 2 warnings\n"


def test_evidence_collected_after_the_edits_ends_the_drift(sequence: dict[str, str]) -> None:
    assert sequence["check repin"] == "no problems found\n"


# -- the whole range, as a pull-request comment ------------------------------------------------------------


def test_the_markdown_golden_of_the_whole_sequence(sequence: dict[str, str], golden) -> None:
    golden.check(impact(sequence, "start..repin", "markdown"), GOLDEN / "sequence.md")
