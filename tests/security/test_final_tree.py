"""The leak guard judges the final output tree: after every plugin and hook, in `plaintrust build`
and in plain `mkdocs build`; nothing a user configured vanishes; a no-op build trusts no output
it did not write; hand-written pages keep their markup but never a script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import edit, site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.pipeline import run
from plaintrust.public.guard import tree

OWNER = "it-security@test.example"

LATE_HOOK = """\
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority({priority})
def on_post_build(config):
    Path(config.site_dir, "{name}").write_text("{text}")
"""


def add_hook(repo: Path, name: str, text: str, priority: int = 0) -> None:
    write(repo, "hooks/late.py", LATE_HOOK.format(priority=priority, name=name, text=text))
    edit(repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/late.py\nplugins:\n")


def mkdocs_build(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


@pytest.mark.parametrize("priority", [0, -(10**9)])
def test_a_hook_that_writes_after_the_guard_is_still_judged(runner, base_repo: Path, priority: int) -> None:
    add_hook(base_repo, "late.txt", f"ask {OWNER}", priority)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert f"late.txt: contains the owner of control AC-01 (controls/access/ac-01.yaml): '{OWNER}'" in result.output
    assert not (base_repo / "build/site").exists()
    plain = mkdocs_build(base_repo)
    assert plain.returncode == 1 and "late.txt: contains the owner of control AC-01" in plain.stderr
    assert not (base_repo / "build/site").exists()


def test_what_a_later_hook_or_plugin_writes_is_published(runner, base_repo: Path) -> None:
    add_hook(base_repo, "late.txt", "nothing internal here")
    edit(base_repo, "mkdocs.yml", "  - search\n  - plaintrust", "  - plaintrust\n  - search")  # search after us
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert (base_repo / "build/site/late.txt").read_text() == "nothing internal here"
    assert (base_repo / "build/site/search/search_index.json").is_file()
    os.utime(base_repo / "mkdocs.yml")
    assert mkdocs_build(base_repo).returncode == 0
    assert (base_repo / "build/site/late.txt").is_file() and (
        base_repo / "build/site/search/search_index.json"
    ).is_file()


def test_a_link_in_the_output_is_a_finding(runner, base_repo: Path) -> None:
    write(
        base_repo,
        "hooks/late.py",
        "import os\n\ndef on_post_build(config):\n"
        "    os.symlink('/etc/passwd', os.path.join(config.site_dir, 'passwd'))\n",
    )
    edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/late.py\nplugins:\n")
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "passwd: contains a symbolic link: '/etc/passwd'" in result.output


def test_the_no_op_build_rebuilds_when_the_output_was_touched(runner, base_repo: Path) -> None:
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    built = site_snapshot(base_repo)
    again = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert "nothing changed since the last build" in again.stderr
    write(base_repo, "build/site/dropped.txt", f"ask {OWNER}")
    rebuilt = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert rebuilt.exit_code == ExitCode.OK and "built the trust center" in rebuilt.stderr
    assert site_snapshot(base_repo) == built  # the dropped file is gone
    (base_repo / "build/site/index.html").write_text("defaced")
    assert "built the trust center" in runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).stderr
    assert site_snapshot(base_repo) == built


def test_only_files_identical_to_the_themes_own_are_skipped(tmp_path: Path, base_repo: Path) -> None:
    model = run(base_repo).model
    theme_file = tmp_path / "theme/bundle.js"
    write(tmp_path, "theme/bundle.js", "var owner='x';\n")
    site = tmp_path / "site"
    write(site, "assets/javascripts/bundle.js", "var owner='x';\n")
    assert tree.scan(site, model, theme={"assets/javascripts/bundle.js": str(theme_file)}) == []
    write(site, "assets/javascripts/bundle.js", f"var owner='{OWNER}';\n")
    leaks = tree.scan(site, model, theme={"assets/javascripts/bundle.js": str(theme_file)})
    assert [str(leak) for leak in leaks] == [
        f"assets/javascripts/bundle.js: contains the owner of control AC-01 (controls/access/ac-01.yaml): '{OWNER}'"
    ]


def test_an_ordinary_phrase_passes_only_when_a_public_input_says_it(base_repo: Path, tmp_path: Path) -> None:
    model = run(base_repo).model
    write(tmp_path, "site/page.html", "<p>Our MFA policy</p>")
    assert [leak.what for leak in tree.scan(tmp_path / "site", model)] == [
        "the id of evidence record mfa-policy (evidence/access/mfa-policy.yaml)"
    ]
    assert tree.scan(tmp_path / "site", model, ordinary={("mfa", "policy")}) == []


SCRIPTED = """\
# Help

Hello <script>alert(1)</script><img src="logo.png" onerror="alert(2)">
[click](javascript:alert(3)) and <a href="javascript:alert(4)">this</a>
<iframe src="https://evil.example"></iframe><!-- a note -->

| a | b |
|---|---|
| **1** | `2` |
"""


def test_hand_written_pages_keep_markdown_but_lose_scripts(runner, base_repo: Path) -> None:
    write(base_repo, "site/help.md", SCRIPTED)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    page = (base_repo / "build/site/help/index.html").read_text()
    body = page[page.index('<h1 id="help">') : page.index("</table>")]
    for forbidden in ("<script", "onerror", "javascript:", "<iframe", "a note"):
        assert forbidden not in body.lower(), forbidden
    assert '<img src="logo.png">' in body and "<strong>1</strong>" in body and "<code>2</code>" in body
