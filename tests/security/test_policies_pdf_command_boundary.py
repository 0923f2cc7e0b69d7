"""`plaintrust policies pdf --public`: the public PDFs hold only what the trust center publishes (no
owner, no approver, no draft, no `public: none` policy, no text beyond the summary of a summary-only
policy), the build's leak guard judges them before they replace anything, and a policy whose text
holds raw HTML or a javascript: link gets no PDF at all."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import signal
from pathlib import Path

import pypdf
import pytest

import policy_site
from helpers import edit, write
from plaintrust import pipeline
from plaintrust.actions import policiespdf
from plaintrust.errors import ExitCode
from policy_site import run, with_drafts

OWNER = "policy-owner@internal.example"
APPROVER = "Quentin Approver-Internal"
ACCESS = policy_site.ACCESS.replace("owner: security@example.com", f"owner: {OWNER}")
HIDDEN = """\
---
id: payroll
title: Payroll handling policy
version: "1.0"
owner: payroll@internal.example
review: annual
effective: 2026-01-01
public: none
---

Payroll files sit in the vault named Zebra-Quartz.
"""
SUMMARY_ONLY = """\
---
id: vendor-management
title: Vendor management policy
version: "2"
owner: vendors@internal.example
review: annual
effective: 2026-03-01
public: summary
summary: We check each vendor before we use it.
---

The vendor list lives in the sheet named Marmot-Ledger.
"""


@pytest.fixture
def repo(runner, base_repo: Path) -> Path:
    """access-control and the two policies above approved; information-security a draft."""
    with_drafts(runner, base_repo, ACCESS)
    write(base_repo, "policies/payroll.md", HIDDEN)
    write(base_repo, "policies/vendor-management.md", SUMMARY_ONLY)
    for policy in ("access-control", "payroll", "vendor-management"):
        assert run(runner, base_repo, "policy", "approve", policy, "--by", APPROVER).exit_code == ExitCode.OK
    return base_repo


def texts(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Each PDF's extracted text and raw bytes (the public variant is uncompressed: its bytes hold its text)."""
    found = {}
    for pdf in sorted(folder.iterdir()):
        pages = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages
        found[pdf.name] = ("\n".join(page.extract_text() for page in pages), pdf.read_bytes())
    return found


def test_public_pdfs_hold_no_internal_value(runner, repo: Path) -> None:
    result = run(runner, repo, "policies", "pdf", "--public", "-o", "public")
    assert result.exit_code == ExitCode.OK, result.output
    found = texts(repo / "public")
    assert sorted(found) == ["access-control.pdf", "policies.pdf", "vendor-management.pdf"]
    secrets = (OWNER, APPROVER, "payroll@internal.example", "vendors@internal.example", "Zebra-Quartz", "Marmot-Ledger")
    for name, (text, raw) in found.items():
        for secret in (*secrets, "Payroll handling policy", "Information security policy"):
            assert secret not in text, (name, secret)
            assert secret.encode() not in raw, (name, secret)


def test_the_internal_variant_names_them(runner, repo: Path) -> None:
    """The contrast that makes the test above mean something: the same values are there without --public."""
    assert run(runner, repo, "policies", "pdf").exit_code == ExitCode.OK
    bundle = texts(repo / "build/policies")["policies.pdf"][0]
    assert OWNER in bundle and APPROVER in bundle and "Zebra-Quartz" in bundle


def test_the_public_sheet_is_an_allow_list(repo: Path) -> None:
    model = pipeline.run(repo).model
    for sheet in policiespdf.sheets(model, public=True):
        assert sheet.owner is None and sheet.approved_by is None
    summary_only = next(s for s in policiespdf.sheets(model, public=True) if s.id == "vendor-management")
    assert summary_only.body == ""


def test_the_leak_guard_judges_the_public_pdfs(runner, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public sheet that carried an internal value (a bug to come) is caught by the build's guard:
    nothing is written, and the previous public PDFs stay as they were."""
    assert run(runner, repo, "policies", "pdf", "--public", "-o", "public").exit_code == ExitCode.OK
    before = {p.name: p.read_bytes() for p in (repo / "public").iterdir()}
    allowed = policiespdf.sheet

    def leaky(policy, model, public):
        return dataclasses.replace(allowed(policy, model, public), summary=f"Write to {policy.owner}.")

    monkeypatch.setattr(policiespdf, "sheet", leaky)
    result = run(runner, repo, "policies", "pdf", "--public", "-o", "public")
    assert result.exit_code == ExitCode.FINDINGS
    assert "internal data reached the public PDFs; nothing was written" in result.stderr
    assert OWNER in result.stderr
    assert {p.name: p.read_bytes() for p in (repo / "public").iterdir()} == before
    assert not [p for p in repo.iterdir() if ".staging-" in p.name]


@pytest.mark.parametrize(
    "markup",
    ["<script>alert(1)</script>", "[our rules](javascript:alert(1))", '<a href="javascript:alert(1)">x</a>'],
)
@pytest.mark.parametrize("public", [True, False])
def test_markup_in_a_policy_stops_every_pdf(runner, repo: Path, markup: str, public: bool) -> None:
    edit(repo, "policies/access-control.md", "Every account", f"{markup} Every account")
    result = run(runner, repo, "policies", "pdf", "-o", "out", *(["--public"] if public else []))
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [policy-markup]" in result.stdout
    assert not (repo / "out").exists()


@pytest.mark.parametrize("markup", ["<img src=x onerror=alert(1)>", "[what changed](javascript:alert(1))"])
@pytest.mark.parametrize("public", [True, False])
def test_markup_in_the_change_line_stops_every_pdf(runner, repo: Path, markup: str, public: bool) -> None:
    """The change line is shown among a PDF's facts: it is checked as the trust center's pages check it."""
    edit(repo, "policies/access-control.md", "public: full", f"public: full\nchange: '{markup}'")
    result = run(runner, repo, "policies", "pdf", "-o", "out", *(["--public"] if public else []))
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [policy-markup]" in result.stdout
    assert not (repo / "out").exists()


def test_the_change_line_reaches_the_public_pdf_as_text(runner, repo: Path) -> None:
    edit(repo, "policies/access-control.md", "public: full", "public: full\nchange: Keys now rotate every quarter.")
    assert run(runner, repo, "policy", "approve", "access-control", "--by", APPROVER).exit_code == ExitCode.OK
    result = run(runner, repo, "policies", "pdf", "--public", "-o", "public")
    assert result.exit_code == ExitCode.OK, result.output
    text, raw = texts(repo / "public")["access-control.pdf"]
    assert "What changed Keys now rotate every quarter." in " ".join(text.split())
    assert b"/JavaScript" not in raw and b"/URI" not in raw  # no action, no link: the line is text only
    assert APPROVER.encode() not in raw


def test_no_output_lands_on_a_policy(runner, repo: Path) -> None:
    """policies/ is an input: neither a report nor this command's folder may replace it or go into it."""
    before = {p.name: p.read_bytes() for p in (repo / "policies").iterdir()}
    for args in (["gaps", "-o", str(repo / "policies/access-control.md")], ["policies", "pdf", "-o", "policies/pdf"]):
        result = run(runner, repo, *args)
        assert result.exit_code == ExitCode.USAGE, args
        assert "is in policies/, the policies; nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in (repo / "policies").iterdir()} == before


@contextlib.contextmanager
def deadline(seconds: int):
    """A run that blocks (reading a FIFO waits for a writer forever) fails the test instead of hanging it."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_font_that_is_a_fifo_is_refused_at_once(runner, repo: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "font.ttf"
    os.mkfifo(fifo)
    with deadline(30):
        result = run(runner, repo, "policies", "pdf", "--font", str(fifo))
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--font'" in result.stderr and "is not a regular file" in result.stderr
    assert not (repo / "build/policies").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_font_that_is_a_device_is_refused_at_once(runner, repo: Path, tmp_path: Path) -> None:
    """/dev/zero never ends: read whole, it would fill the memory. A link to it is refused the same."""
    link = tmp_path / "font.ttf"
    link.symlink_to("/dev/zero")
    for font in ("/dev/zero", str(link)):
        with deadline(30):
            result = run(runner, repo, "policies", "pdf", "--font", font)
        assert result.exit_code == ExitCode.USAGE, font
        assert "is not a regular file" in result.stderr
