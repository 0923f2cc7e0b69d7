"""`plaintrust build` and `mkdocs build`: the pages, determinism, atomic swaps, both themes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode


def build(runner, repo: Path):
    return runner.invoke(cli.cli, ["build", "--root", str(repo)])


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def page(repo: Path, rel: str) -> str:
    return (repo / "build/site" / rel).read_text(encoding="utf-8")


def test_build_writes_the_generated_pages(runner, base_repo: Path) -> None:
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.OK, result.output
    overview = page(base_repo, "index.html")
    assert "Example Test Co Trust Center" in overview
    assert "Audit in progress, report expected March 2027." in overview
    assert "1 of 1 practices are implemented" in overview
    category = page(base_repo, "practices/access-control/index.html")
    assert "Every person on our team signs in with a hardware key." in category
    assert "Last verified November 2026" in category
    assert 'pt-status--implemented">Implemented<' in category
    assert "Example Assurance LLP" in page(base_repo, "certifications/index.html")


def test_trust_yaml_is_not_copied_into_the_site(runner, base_repo: Path) -> None:
    build(runner, base_repo)
    assert not (base_repo / "build/site/trust.yaml").exists()


def test_errors_stop_the_build_and_keep_the_previous_site(runner, base_repo: Path) -> None:
    assert build(runner, base_repo).exit_code == ExitCode.OK
    before = tree(base_repo / "build/site")
    edit(base_repo, "controls/access/ac-01.yaml", "status: implemented", "status: finished")
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "nothing was built" in result.stderr
    assert tree(base_repo / "build/site") == before
    assert sorted(p.name for p in (base_repo / "build").iterdir()) == ["gap-report", "site"]  # no staging left


def test_a_failing_mkdocs_build_keeps_the_previous_site(runner, base_repo: Path) -> None:
    assert build(runner, base_repo).exit_code == ExitCode.OK
    before = tree(base_repo / "build/site")
    write(base_repo, "site/faq.md", "# FAQ\n\nSee [the old page](gone.md).\n")  # a broken link...
    edit(base_repo, "mkdocs.yml", "site_name:", "strict: true\nsite_name:")  # ...fails a strict build
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "the site was not built; the previous one is untouched" in result.output
    assert tree(base_repo / "build/site") == before
    assert sorted(p.name for p in (base_repo / "build").iterdir()) == ["gap-report", "site"]


def test_two_builds_are_byte_for_byte_identical(runner, base_repo: Path) -> None:
    build(runner, base_repo)
    first = tree(base_repo / "build/site")
    build(runner, base_repo)
    assert tree(base_repo / "build/site") == first


def test_plain_mkdocs_build_gives_the_same_site(runner, base_repo: Path) -> None:
    build(runner, base_repo)
    ours = tree(base_repo / "build/site")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    subprocess.run(mkdocs, cwd=base_repo, check=True, capture_output=True)
    assert tree(base_repo / "build/site") == ours


def test_plain_mkdocs_build_fails_on_errors_without_a_traceback(base_repo: Path) -> None:
    edit(base_repo, "controls/access/ac-01.yaml", "status: implemented", "status: finished")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=base_repo, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "controls/access/ac-01.yaml:3:9: error [schema]" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_default_mkdocs_theme_works(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "name: material", "name: mkdocs")
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.OK, result.output
    category = page(base_repo, "practices/access-control/index.html")
    assert "Every person on our team signs in with a hardware key." in category
    assert "assets/plaintrust/trust.css" in category


def test_brand_colour_and_logo_come_from_trust_yaml(runner, base_repo: Path) -> None:
    write(base_repo, "site/assets/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    edit(base_repo, "site/trust.yaml", "categories:", 'brand: {logo: assets/logo.svg, color: "#0a7d4f"}\ncategories:')
    assert build(runner, base_repo).exit_code == ExitCode.OK
    assert "--md-primary-fg-color: #0a7d4f;" in page(base_repo, "assets/plaintrust/brand.css")
    assert 'src="assets/logo.svg"' in page(base_repo, "index.html")


def test_serve_watches_controls_evidence_and_policies(base_repo: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(base_repo / "mkdocs.yml"))
    watched = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(Path(path).name)

    config.plugins["plaintrust"].on_serve(Server(), config=config, builder=None)
    assert watched == ["controls", "evidence", "policies"]


def test_the_gap_report_is_written_beside_the_site_never_inside(runner, base_repo: Path) -> None:
    assert build(runner, base_repo).exit_code == ExitCode.OK
    report = sorted(p.name for p in (base_repo / "build/gap-report").iterdir())
    assert report == [
        "controls.csv",
        "evidence.csv",
        "gap-report.json",
        "gap-report.md",
        "gap-report.xlsx",
        "index.html",
        "matrix.csv",
        "policies.csv",
        "requirements.csv",
        "scope.csv",
        "slots.csv",
        "statement-of-applicability.csv",
    ]
    published = {p.name for p in (base_repo / "build/site").rglob("*")}
    assert not published & set(report) - {"index.html"}


def test_a_site_dir_that_overlaps_the_gap_report_is_refused(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "site_dir: build/site", "site_dir: build/gap-report/site")
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "must not contain each other" in result.output
    assert not (base_repo / "build").exists()


def test_a_no_op_build_skips_mkdocs_until_an_input_changes(runner, base_repo: Path) -> None:
    assert build(runner, base_repo).exit_code == ExitCode.OK
    site = (base_repo / "build/site").stat().st_ino
    again = build(runner, base_repo)
    assert "nothing changed since the last build" in again.stderr
    assert (base_repo / "build/site").stat().st_ino == site  # not swapped: not rebuilt
    edit(base_repo, "controls/access/ac-01.yaml", "A password alone is never enough.", "Passwords alone never are.")
    assert "built the trust center" in build(runner, base_repo).stderr
    assert "built the trust center" in runner.invoke(cli.cli, ["build", "--root", str(base_repo), "--force"]).stderr


def test_a_policy_edit_is_an_input_of_the_no_op_check(runner, base_repo: Path) -> None:
    from policy_site import add_policies

    assert build(runner, add_policies(base_repo)).exit_code == ExitCode.OK
    assert (base_repo / "build/site/policies/remote-work/index.html").is_file()
    edit(base_repo, "policies/remote-work.md", "public: full", "public: none")
    assert "built the trust center" in build(runner, base_repo).stderr
    assert not (base_repo / "build/site/policies/remote-work").exists()


def test_a_new_commit_is_an_input_of_the_no_op_check(runner, base_repo: Path) -> None:
    """The policies' change history comes from git: a commit may change it without touching a file."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(base_repo)]
    if subprocess.run([*git, "init", "-q"], capture_output=True).returncode != 0:
        return  # no git: nothing to fingerprint
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "one"], check=True, capture_output=True)
    assert build(runner, base_repo).exit_code == ExitCode.OK
    assert "nothing changed since the last build" in build(runner, base_repo).stderr
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "two"], check=True, capture_output=True)
    assert "built the trust center" in build(runner, base_repo).stderr


def test_the_gap_report_can_be_written_beside_the_site_build(runner, base_repo: Path, monkeypatch) -> None:
    from plaintrust.internal import reportbuild

    monkeypatch.setattr(reportbuild, "BACKGROUND_FROM", 0)  # whatever the size
    monkeypatch.setattr(reportbuild, "workers", lambda: 2)  # even if this test process runs threads
    assert build(runner, base_repo).exit_code == ExitCode.OK
    first = tree(base_repo / "build/gap-report")
    assert "gap-report.json" in first
    monkeypatch.setattr(reportbuild, "rendered", lambda report, formats=(): 1 / 0)  # the forked writer fails
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo), "--force"])
    assert result.exit_code == ExitCode.FINDINGS and "the gap report could not be written" in result.output
    assert tree(base_repo / "build/gap-report") == first
    assert not [p for p in (base_repo / "build").iterdir() if p.name.startswith(".")]


def test_a_failing_workbook_fails_the_build_and_keeps_both_previous_outputs(
    runner, base_repo: Path, monkeypatch
) -> None:
    """A large report's workbook is written by a process of its own, beside the other formats."""
    from plaintrust.internal import reportbuild
    from plaintrust.internal.render import RENDERERS

    monkeypatch.setattr(reportbuild, "workers", lambda: 2)  # forked, even if this test process runs threads
    monkeypatch.setattr(reportbuild, "ASIDE_FROM", 0)  # as for a large repository
    assert build(runner, base_repo).exit_code == ExitCode.OK
    before = tree(base_repo / "build")
    edit(base_repo, "controls/access/ac-01.yaml", "A password alone is never enough.", "Passwords alone never are.")
    monkeypatch.setitem(RENDERERS, "xlsx", lambda report: 1 / 0)
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS and "the gap report could not be written" in result.output
    assert tree(base_repo / "build") == before
    assert sorted(p.name for p in (base_repo / "build").iterdir()) == ["gap-report", "site"]


def test_a_failed_site_ends_every_process_writing_the_report(runner, base_repo: Path, monkeypatch, tmp_path) -> None:
    from plaintrust.errors import BuildFailed
    from plaintrust.internal import reportbuild
    from plaintrust.internal.render import RENDERERS
    from plaintrust.public import sitebuild

    started = tmp_path / "workbook.pid"

    def slow_workbook(report):
        (tmp_path / "pid").write_text(str(os.getpid()))
        (tmp_path / "pid").rename(started)
        time.sleep(60)

    def failing_site(root, result, keep_out=None, engine="mkdocs"):
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise BuildFailed("the site failed")

    monkeypatch.setattr(reportbuild, "workers", lambda: 2)
    monkeypatch.setattr(reportbuild, "ASIDE_FROM", 0)
    monkeypatch.setitem(RENDERERS, "xlsx", slow_workbook)
    monkeypatch.setattr(sitebuild, "build_site", failing_site)
    result = build(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS and "the site failed" in result.output
    pid = int(started.read_text())
    with pytest.raises(ProcessLookupError):  # killed and reaped at once, not left sleeping
        os.kill(pid, 0)
    assert not (base_repo / "build").exists()


def test_a_failing_gap_report_leaves_the_previous_site_too(runner, base_repo: Path, monkeypatch) -> None:
    from plaintrust.internal import reportbuild

    assert build(runner, base_repo).exit_code == ExitCode.OK
    before = tree(base_repo / "build")
    edit(base_repo, "controls/access/ac-01.yaml", "A password alone is never enough.", "Passwords alone never are.")

    def broken(report, formats=()):
        raise OSError("disk full")

    monkeypatch.setattr(reportbuild, "rendered", broken)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code != ExitCode.OK
    assert tree(base_repo / "build") == before  # the new site was built, but not swapped in alone
    assert sorted(p.name for p in (base_repo / "build").iterdir()) == ["gap-report", "site"]


def test_a_theme_override_is_an_input_of_the_no_op_check(runner, base_repo: Path) -> None:
    write(base_repo, "overrides/main.html", '{% extends "base.html" %}{% block announce %}Old{% endblock %}')
    edit(base_repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    assert build(runner, base_repo).exit_code == ExitCode.OK
    write(base_repo, "overrides/main.html", '{% extends "base.html" %}{% block announce %}New{% endblock %}')
    assert "built the trust center" in build(runner, base_repo).stderr
    assert "New" in page(base_repo, "index.html")
