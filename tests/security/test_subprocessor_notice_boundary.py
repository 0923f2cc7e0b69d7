"""The subprocessor notice fields (`subprocessor_notice_days`, `subprocessor_objections`, a
subprocessor's `effective`) and what the site makes of them: a planned addition's start, objection
period and objection link. Markup stays text, a link is mailto: or https: or nothing, internal
values never reach a page, and the view carries only the fields it names."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from helpers import check_and_build, site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.public.view import SubprocessorView

HEAD = """\
organization: Example Test Co
security_contact: mailto:security@test.example
categories:
  - {id: access-control, title: Access control}
subprocessor_notice_days: 30
"""

PLANNED = "  - {name: Search Co, purpose: Search, location: EU, data: Project names, added: 2026-11-16, effective: 2027-01-15}\n"


def trust(repo: Path, *lines: str, subprocessors: str = PLANNED) -> None:
    write(repo, "site/trust.yaml", HEAD + "".join(f"{line}\n" for line in lines) + "subprocessors:\n" + subprocessors)


def refused(runner, repo: Path, message: str) -> None:
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert message in result.output, result.output
    assert site_snapshot(repo) == {}


HOSTILE = {
    "name": "<script>alert(1)</script> Search",
    "purpose": "<img src=x onerror=alert(1)>",
    "location": '"><svg onload=alert(1)>',
    "data": "Names & <b>bold</b> claims",
}


def test_markup_in_a_planned_subprocessor_is_text_on_the_page_and_in_the_feeds(runner, base_repo: Path) -> None:
    fields = ", ".join(f"{key}: {json.dumps(value)}" for key, value in HOSTILE.items())
    trust(base_repo, subprocessors=f"  - {{{fields}, added: 2026-11-16, effective: 2027-01-15}}\n")
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    published = site_snapshot(base_repo)
    page = published["subprocessors/index.html"].decode()
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; Search</td>" in page and "objections until <time" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Names &amp; &lt;b&gt;bold&lt;/b&gt; claims" in page
    for name, data in published.items():
        if name.endswith((".html", ".xml")):
            for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>bold"):
                assert raw.encode() not in data, (name, raw)


@pytest.mark.parametrize(
    "contact",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        '" javascript:alert(1)"',
        "data:text/html,alert(1)",
        "http://test.example/object",
        "'mailto:privacy@test.example\" onmouseover=\"alert(1)'",
        "mailto:privacy@test.example<script>",
    ],
)
def test_an_objection_contact_other_than_mailto_or_https_is_refused(runner, base_repo: Path, contact: str) -> None:
    trust(base_repo, f"subprocessor_objections: {contact}")
    refused(runner, base_repo, "site/trust.yaml:6:26: error [schema] subprocessor_objections:")


def test_a_planned_subprocessors_javascript_url_is_refused(runner, base_repo: Path) -> None:
    trust(
        base_repo, subprocessors=PLANNED.replace("data: Project names", "data: Project names, url: javascript:alert(1)")
    )
    refused(runner, base_repo, "error [schema] url: 'javascript:alert(1)' is not a valid url")


def test_a_controls_owner_as_the_objection_contact_is_an_internal_value(runner, base_repo: Path) -> None:
    trust(base_repo, "subprocessor_objections: mailto:it-security@test.example")
    refused(
        runner,
        base_repo,
        "site/trust.yaml:6:33: error [internal-value] site/trust.yaml contains the owner of control AC-01 "
        "(controls/access/ac-01.yaml): 'it-security@test.example'",
    )


def test_a_control_id_in_a_planned_subprocessor_is_an_internal_value(runner, base_repo: Path) -> None:
    trust(base_repo, subprocessors=PLANNED.replace("data: Project names", "data: What AC-01 covers"))
    refused(runner, base_repo, "error [internal-value] site/trust.yaml contains the id of control AC-01")


def test_a_field_trust_yaml_does_not_know_is_refused_not_published(runner, base_repo: Path) -> None:
    note = "internal_note: owner it-security, contract 4711"
    trust(base_repo, subprocessors=PLANNED.replace("effective: 2027-01-15", f"effective: 2027-01-15, {note}"))
    refused(runner, base_repo, "error [schema] unknown field 'internal_note'")


def test_a_linked_trust_yaml_with_a_planned_addition_is_not_read(runner, base_repo: Path, tmp_path: Path) -> None:
    trust(base_repo)
    outside = tmp_path / "trust.yaml"
    (base_repo / "site/trust.yaml").rename(outside)
    os.symlink(outside, base_repo / "site/trust.yaml")
    refused(runner, base_repo, "site/trust.yaml:1:1: error [site-symlink] site/trust.yaml is a symbolic link")


def test_the_view_and_trust_json_carry_only_the_allow_listed_fields(runner, base_repo: Path) -> None:
    allowed = {"name", "purpose", "location", "data", "url", "added", "removed", "effective", "objections_until"}
    allowed |= {"objection_contact"}
    assert {f.name for f in dataclasses.fields(SubprocessorView)} == allowed | {"planned", "objections_open"}
    trust(base_repo)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    document = json.loads((base_repo / "build/site/trust.json").read_text(encoding="utf-8"))
    assert [set(s) for s in document["subprocessors"]] == [allowed]
