"""A cold `check` hands work that depends on no later step to forked workers (the published PDFs, the
readability scores, the collect options' verdicts) and keeps what the guard parses of answers between
runs: the diagnostics are the same as in one process, and this process does not do that work again."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import CASES, build_case, edit
from plaintrust import pipeline
from plaintrust.boundary import extract, needles
from plaintrust.load import parallel
from plaintrust.rules import collect_options, readability

OWNER = "it-security@test.example"
CONTROL = "controls/access/ac-01.yaml"
HARD = (
    "Cryptographic authentication mechanisms incorporating hardware-backed attestation "
    "substantially diminish organizational susceptibility to credential-compromise scenarios."
)
RECORD = "evidence/access/mfa-policy.yaml"
PINNED = "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n"
COLLECT = "collect:\n  use: http-json\n  with: {url: 'https://idp.test.example/policy'}\n  every: quarterly\n"

forks = pytest.mark.skipif(parallel.workers() < 2, reason="workers are forked only on Linux, with two cores")


def pdf_by(author: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def here_only(real: Callable, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """`real` in a forked worker; a failure in this process (the work must have come from a worker)."""
    parent = os.getpid()

    def call(*args, **kwargs):
        assert os.getpid() != parent, f"{real.__name__} ran in the checking process"
        return real(*args, **kwargs)

    return call


def in_one_process(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as one:
        one.setattr(parallel, "workers", lambda: 1)
        return pipeline.run(repo, cache=False).diagnostics


@forks
def test_a_worker_reads_the_published_pdfs(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (base_repo / "site/report.pdf").write_bytes(pdf_by(OWNER))
    expected = in_one_process(base_repo, monkeypatch)
    assert [d.rule for d in expected] == ["internal-value"] and expected[0].path == "site/report.pdf"
    monkeypatch.setattr(extract, "read_pdf", here_only(extract.read_pdf, monkeypatch))
    assert pipeline.run(base_repo, cache=False).diagnostics == expected


@forks
def test_a_worker_scores_readability_and_checks_collect_options(
    base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(base_repo, CONTROL, "Every person on our team signs in with a hardware key.", HARD)
    edit(base_repo, RECORD, PINNED, PINNED + COLLECT)
    expected = in_one_process(base_repo, monkeypatch)
    assert "readability" in [d.rule for d in expected]
    readability.KNOWN.clear()
    collect_options.KNOWN_VALID.clear()
    monkeypatch.setattr(readability, "score", here_only(readability.score, monkeypatch))
    monkeypatch.setattr(collect_options, "_validator", here_only(collect_options._validator, monkeypatch))
    assert pipeline.run(base_repo, cache=False).diagnostics == expected


def test_a_valid_verdict_is_reused_and_a_problem_explained_again(
    base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(base_repo, RECORD, PINNED, PINNED + COLLECT)
    assert pipeline.run(base_repo).diagnostics == ()
    checked = []
    real = collect_options._validator
    monkeypatch.setattr(collect_options, "_validator", lambda name: checked.append(name) or real(name))
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    collect_options.KNOWN_VALID.clear()
    assert pipeline.run(base_repo).diagnostics == ()  # the verdict comes from .plaintrust-cache
    assert checked == []
    edit(base_repo, RECORD, "policy'}", "policy', colour: red}")
    assert [d.rule for d in pipeline.run(base_repo).diagnostics] == [collect_options.ID]
    assert checked == ["http-json"]


def test_what_the_guard_reads_of_answers_is_kept_between_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_case(CASES / "valid" / "answer-library", tmp_path / "repo")
    first = pipeline.run(repo).diagnostics

    def refuse(text: str, *kind: str) -> str:
        if kind == ("plain",):
            return text
        raise AssertionError("the Markdown of an answer was parsed again")

    monkeypatch.setattr(needles, "block_lines", refuse)
    monkeypatch.setattr(needles, "shown_words", refuse)
    assert pipeline.run(repo).diagnostics == first
    with pytest.raises(AssertionError, match="parsed again"):
        pipeline.run(repo, cache=False)  # without the cache it parses: the test above is not vacuous


IGNORING_SIGCHLD = (
    "import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, '-m', 'plaintrust', *sys.argv[1:]])"
)


@pytest.mark.parametrize("command", [["check"], ["build"]])
def test_a_process_started_with_sigchld_ignored_works_in_one_process(base_repo: Path, command: list[str]) -> None:
    """Some launchers leave SIGCHLD ignored, which exec keeps: the system then reaps every child
    itself and waiting for a worker fails. The run must not fork, and must give the same result."""
    ran = subprocess.run(
        [sys.executable, "-c", IGNORING_SIGCHLD, *command, "--root", str(base_repo)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert ran.returncode == 0, ran.stderr
    assert "internal error" not in ran.stderr


def test_no_worker_is_forked_while_sigchld_is_ignored() -> None:
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert parallel.workers() == 1
        assert parallel.in_worker(lambda: 1) is None
    finally:
        signal.signal(signal.SIGCHLD, before)
