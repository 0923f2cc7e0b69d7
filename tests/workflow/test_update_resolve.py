"""`plaintrust update resolve SLUG`: a notice closed from the command line, its front matter edited
in place (only the keys that change, whatever its line breaks), a timeline entry and a Resolution
that `check` holds back until it is written. SLUG is the notice's name or its file's path; a notice
`check` refuses to read (a link, or in a linked folder) is refused, and nothing is written."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import click
import pytest

from helpers import write
from plaintrust import cli, pipeline
from plaintrust.cli.update import update
from plaintrust.errors import ExitCode

SLUG = "2026-11-21-slow-sign-ins"
NOTICE = f"site/updates/{SLUG}.md"
OPEN = """\
---
# Kept up to date by the on-call engineer.
title: Slow sign-ins for some customers
status: 'monitoring'   # was: identified
severity: medium
published: 2026-11-21T09:00:00Z
updated: 2026-11-22T08:00:00Z
next_update_by: 2026-11-23T08:00:00Z  # tomorrow morning
affected: >-
  Customers in the EU region who sign in
  with single sign-on.
---

## What happened

Sign-ins through single sign-on took up to a minute.

## What we know

The delay came from one overloaded server.

## What we don't know yet

Nothing more.

## What we are doing

We added capacity and keep watching.

## What customers should do

Nothing.

## Timeline

- 2026-11-21 08:40 UTC — Alerts fire for slow sign-ins.
- 2026-11-22 08:00 UTC — Capacity added; we keep watching.

## Notes for customers

Thank you for your patience.
"""
PROMPT = "TODO: Say how it ended, in plain words:"
RESOLUTION_PROMPT_REST = (
    " what was wrong, what we fixed, who was affected in the end, and what we changed so it does not happen again."
)
FILLED = "We added a second server. Sign-ins are fast again, and no data was affected."


def resolve(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["update", "resolve", *args, "--root", str(repo)])


def changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_resolve_changes_only_what_a_resolved_notice_needs(runner, base_repo: Path) -> None:
    path = write(base_repo, NOTICE, OPEN)
    result = resolve(runner, base_repo, SLUG)
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.strip() == str(path)
    assert changed(OPEN, path.read_text()) == [
        "- status: 'monitoring'   # was: identified",
        "+ status: 'resolved'   # was: identified",
        "- updated: 2026-11-22T08:00:00Z",
        "+ updated: 2026-11-22T12:00:00Z",
        "- next_update_by: 2026-11-23T08:00:00Z  # tomorrow morning",
        "+ - 2026-11-22 12:00 UTC — We mark this notice as resolved.",
        "+ ",
        "+ ## Resolution",
        "+ ",
        f"+ {PROMPT}{RESOLUTION_PROMPT_REST}",
    ]
    assert path.read_text().index("We mark this notice") < path.read_text().index("## Notes for customers")


def test_check_holds_the_prompt_back_then_the_site_shows_the_notice_resolved(runner, base_repo: Path) -> None:
    path = write(base_repo, NOTICE, OPEN)
    assert resolve(runner, base_repo, SLUG).exit_code == ExitCode.OK
    line = path.read_text().splitlines().index(PROMPT + RESOLUTION_PROMPT_REST) + 1
    problems = [str(d) for d in pipeline.run(base_repo).diagnostics]
    assert problems == [
        f"{NOTICE}:{line}:1: error [update-sections] the '## Resolution' section still holds its TODO: "
        "prompt (hint: write it before publishing)"
    ]
    text = path.read_text()
    path.write_text(text[: text.index(PROMPT)] + FILLED + "\n")
    assert runner.invoke(cli.cli, ["check", "--strict", "--root", str(base_repo)]).exit_code == ExitCode.OK
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    page = (base_repo / f"build/site/updates/{SLUG}/index.html").read_text()
    assert "This matter is resolved." in page and FILLED in page and "Next update by" not in page
    assert "We mark this notice as resolved." in page
    listed = json.loads((base_repo / "build/site/trust.json").read_text())["notices"]
    [notice] = [n for n in listed if n["title"].startswith("Slow")]
    assert (notice["status"], notice["updated"], notice["next_update_by"]) == ("resolved", "2026-11-22T12:00:00Z", None)


def test_a_summary_and_a_moment_make_a_notice_ready_to_publish(runner, base_repo: Path) -> None:
    path = write(base_repo, NOTICE, OPEN.replace("\n", "\r\n"))
    result = resolve(runner, base_repo, f"{SLUG}.md", "--at", "2026-11-22T11:30:00+01:00", "--summary", FILLED)
    assert result.exit_code == ExitCode.OK, result.output
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # the file's own line breaks
    assert b"updated: 2026-11-22T10:30:00Z\r\n" in data and b"- 2026-11-22 10:30 UTC" in data
    assert data.endswith(f"## Resolution\r\n\r\n{FILLED}\r\n".encode())
    assert runner.invoke(cli.cli, ["check", "--strict", "--root", str(base_repo)]).exit_code == ExitCode.OK


def test_a_byte_order_mark_and_a_missing_final_line_break_are_kept_apart(runner, base_repo: Path) -> None:
    path = base_repo / NOTICE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + OPEN.split("\n## Notes for customers")[0].rstrip().encode())  # no final break
    assert resolve(runner, base_repo, SLUG, "--summary", FILLED).exit_code == ExitCode.OK
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\n") and data.endswith(
        "- 2026-11-22 08:00 UTC — Capacity added; we keep watching.\n"
        f"- 2026-11-22 12:00 UTC — We mark this notice as resolved.\n\n## Resolution\n\n{FILLED}\n".encode()
    )
    assert runner.invoke(cli.cli, ["check", "--strict", "--root", str(base_repo)]).exit_code == ExitCode.OK


def test_a_notice_resolved_straight_after_update_new_is_held_back_for_its_prompts(runner, base_repo: Path) -> None:
    made = runner.invoke(cli.cli, ["update", "new", "Phishing emails", "--root", str(base_repo)])
    resolved = resolve(runner, base_repo, Path(made.stdout.strip()).stem, "--summary", FILLED)
    assert resolved.exit_code == ExitCode.OK, resolved.output
    found = [d.message for d in pipeline.run(base_repo).diagnostics if d.rule == "update-sections"]
    assert len(found) == 5 and all("still holds its TODO: prompt" in m for m in found)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["no-such-notice"],
            f"Invalid value for SLUG: no notice site/updates/no-such-notice.md; the notices are: {SLUG}",
        ),
        (["../updates/x"], "Invalid value for SLUG: ../updates/x is not a file in site/updates/; the notices are: "),
        (["site/updates/.md"], "Invalid value for SLUG: no notice site/updates/.md; the notices are: "),
        ([SLUG, "--at", "2026-11-22 10:00"], "'2026-11-22 10:00' is not a moment with its time zone"),
        (
            [SLUG, "--at", "2026-11-22T07:00:00Z"],
            "Invalid value for --at: site/updates/2026-11-21-slow-sign-ins.md cannot "
            "be resolved: the resolution (2026-11-22T07:00:00Z) would come before its last update (2026-11-22T08:00:00Z)",
        ),
    ],
)
def test_refusals_are_usage_errors_that_change_nothing(runner, base_repo: Path, args: list[str], said: str) -> None:
    path = write(base_repo, NOTICE, OPEN)
    result = resolve(runner, base_repo, *args)
    assert result.exit_code == ExitCode.USAGE and said in result.output, result.output
    assert path.read_text() == OPEN


def test_a_resolved_notice_cannot_be_resolved_again(runner, base_repo: Path) -> None:
    path = write(base_repo, NOTICE, OPEN)
    assert resolve(runner, base_repo, SLUG, "--summary", FILLED).exit_code == ExitCode.OK
    once = path.read_bytes()
    again = resolve(runner, base_repo, SLUG)
    assert again.exit_code == ExitCode.USAGE
    assert f"site/updates/{SLUG}.md cannot be resolved: it is resolved already" in again.output
    assert path.read_bytes() == once


def test_a_written_resolution_is_kept_and_not_written_over(runner, base_repo: Path) -> None:
    path = write(base_repo, NOTICE, OPEN + f"\n## Resolution\n\n{FILLED}\n")
    refused = resolve(runner, base_repo, SLUG, "--summary", "Other words.")
    assert refused.exit_code == ExitCode.USAGE and "has a '## Resolution' section already" in refused.output
    kept = resolve(runner, base_repo, SLUG)
    assert kept.exit_code == ExitCode.OK
    assert path.read_text().count("## Resolution") == 1 and "TODO" not in path.read_text()
    assert "next:" not in kept.output and "TODO" not in kept.output  # nothing is left to write


def test_the_next_step_says_what_the_resolution_still_lacks(runner, base_repo: Path) -> None:
    write(base_repo, NOTICE, OPEN)
    prompted = resolve(runner, base_repo, SLUG)
    assert "next: write its '## Resolution' section (it holds a TODO: prompt, which `check` reports" in prompted.output
    path = write(base_repo, NOTICE, OPEN + "\n## Resolution\n\n")
    empty = resolve(runner, base_repo, SLUG)
    assert empty.exit_code == ExitCode.OK and path.read_text().count("## Resolution") == 1
    assert "next: write its '## Resolution' section (it is empty, which `check` reports" in empty.output
    write(base_repo, NOTICE, OPEN)
    assert "next:" not in resolve(runner, base_repo, SLUG, "--summary", FILLED).output


def test_every_update_command_says_what_it_does_and_every_option_has_help(runner) -> None:
    listing = runner.invoke(cli.cli, ["update", "--help"]).output.split("Commands:")[1]
    assert "..." not in listing and "Start a security notice." in listing and "Mark a notice as resolved." in listing
    for command in update.commands.values():
        short = command.get_short_help_str(limit=45)
        assert short.endswith(".") and not short.endswith("..."), command.name
        for option in command.params:
            assert not isinstance(option, click.Option) or option.help, f"{command.name} {option.name}"


def test_a_notice_with_lone_carriage_returns_is_resolved_as_check_reads_it(runner, base_repo: Path) -> None:
    path = write(base_repo, NOTICE, "")
    path.write_bytes(OPEN.replace("\n", "\r").encode())
    assert runner.invoke(cli.cli, ["check", "--strict", "--root", str(base_repo)]).exit_code == ExitCode.OK
    result = resolve(runner, base_repo, SLUG, "--summary", FILLED)
    assert result.exit_code == ExitCode.OK, result.output
    data = path.read_bytes()
    assert b"\n" not in data and data.endswith(f"## Resolution\r\r{FILLED}\r".encode())
    assert changed(OPEN, data.decode().replace("\r", "\n"))[:5] == [
        "- status: 'monitoring'   # was: identified",
        "+ status: 'resolved'   # was: identified",
        "- updated: 2026-11-22T08:00:00Z",
        "+ updated: 2026-11-22T12:00:00Z",
        "- next_update_by: 2026-11-23T08:00:00Z  # tomorrow morning",
    ]
    assert runner.invoke(cli.cli, ["check", "--strict", "--root", str(base_repo)]).exit_code == ExitCode.OK


@pytest.mark.parametrize("linked", ["the notice", "site/updates"])
def test_a_linked_notice_or_folder_is_refused_as_check_refuses_it(
    runner, base_repo: Path, tmp_path: Path, linked: str
) -> None:
    outside = write(tmp_path, f"outside/{SLUG}.md", OPEN)
    if linked == "the notice":
        (base_repo / "site/updates").mkdir(parents=True)
        os.symlink(outside, base_repo / NOTICE)
    else:
        os.symlink(outside.parent, base_repo / "site/updates")
    shown = NOTICE if linked == "the notice" else "site/updates"
    said = f"Invalid value for SLUG: {shown} is a symbolic link (to '{outside if linked == 'the notice' else outside.parent}')"
    for given in (SLUG, NOTICE):
        result = resolve(runner, base_repo, given, "--summary", FILLED)
        assert result.exit_code == ExitCode.USAGE and said in result.output, result.output
    assert outside.read_text() == OPEN and (base_repo / NOTICE).is_symlink() == (linked == "the notice")
    check = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert f"{shown}:1:1: error [site-symlink] {shown} is a symbolic link" in check.output


def test_the_path_of_the_notice_is_taken_as_well_as_its_name(runner, base_repo: Path, monkeypatch) -> None:
    path = write(base_repo, NOTICE, OPEN)
    assert resolve(runner, base_repo, NOTICE, "--summary", FILLED).exit_code == ExitCode.OK  # from --root
    path.write_text(OPEN)
    assert resolve(runner, base_repo, str(path), "--summary", FILLED).exit_code == ExitCode.OK  # absolute
    path.write_text(OPEN)
    monkeypatch.chdir(base_repo / "site")
    result = resolve(runner, base_repo, f"updates/{SLUG}.md", "--summary", FILLED)  # from the working directory
    assert result.exit_code == ExitCode.OK, result.output
    assert "status: 'resolved'" in path.read_text()
    elsewhere = write(base_repo, f"drafts/{SLUG}.md", OPEN)
    refused = resolve(runner, base_repo, str(elsewhere))
    assert refused.exit_code == ExitCode.USAGE and f"{elsewhere} is not a file in site/updates/" in refused.output
    assert elsewhere.read_text() == OPEN


def test_the_help_of_update_starts_with_what_its_listing_says(runner) -> None:
    group = runner.invoke(cli.cli, ["update", "--help"]).output
    assert "Start and resolve security notices.\n" in group and "under site/updates/" in group
    for name, listed in (("new", "Start a security notice."), ("resolve", "Mark a notice as resolved.")):
        body = runner.invoke(cli.cli, ["update", name, "--help"]).output.split("\n\n")[1].strip()
        assert body == listed, body
