"""Inputs that `check` once passed and `build` then crashed on (exit 3, a traceback): each is now a
located diagnostic with exit 1, and `check` says so first, so a passing `check` means a build
that does not crash."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import check_and_build, edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode


def both_refuse(runner, repo: Path, expected: str, *extra: str) -> None:
    for command, result in check_and_build(runner, repo, *extra).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert expected in result.output, f"{command}:\n{result.output}"
    assert not (repo / "build/site").exists()


def test_undecodable_bytes_in_a_page(runner, base_repo: Path) -> None:
    (base_repo / "site/faq.md").write_bytes(b"# FAQ\n\nCaf\xe9 au lait\n")
    both_refuse(runner, base_repo, "site/faq.md:3:4: error [encoding] byte 0xe9 is not valid UTF-8")


@pytest.mark.parametrize(("name", "target"), [("loop.md", "loop.md"), ("gone.md", "nowhere.md")])
def test_a_symlink_loop_or_a_dangling_link(runner, base_repo: Path, name: str, target: str) -> None:
    os.symlink(target, base_repo / "site" / name)
    both_refuse(
        runner, base_repo, f"site/{name}:1:1: error [site-symlink] site/{name} is a symbolic link (to '{target}')"
    )


def test_a_named_pipe(runner, base_repo: Path) -> None:
    os.mkfifo(base_repo / "site/pipe.txt")
    both_refuse(runner, base_repo, "site/pipe.txt:1:1: error [not-a-file] site/pipe.txt is a named pipe, not a file")


def test_a_named_pipe_among_the_controls_is_never_read(runner, base_repo: Path) -> None:
    os.mkfifo(base_repo / "controls/access/ac-02.yaml")
    both_refuse(
        runner,
        base_repo,
        "controls/access/ac-02.yaml:1:1: error [not-a-file] controls/access/ac-02.yaml is a named pipe",
    )


@pytest.mark.parametrize("folder", ["site", "controls"])
def test_a_file_name_that_is_not_utf8(runner, base_repo: Path, folder: str) -> None:
    (base_repo / folder / os.fsdecode(b"caf\xe9.yaml")).write_text("id: X\n")
    expected = f"{folder}/caf\\xe9.yaml:1:1: error [file-name] {folder}/caf\\xe9.yaml has a name that is not UTF-8"
    both_refuse(runner, base_repo, expected)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo), "--format", "json"])
    paths = [d["path"] for d in json.loads(result.stdout_bytes.decode("utf-8"))["diagnostics"]]
    assert f"{folder}/caf\\xe9.yaml" in paths


SNIPPETS = "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [site]\n      check_paths: true\n"


def test_an_include_of_a_missing_file(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n", SNIPPETS + "plugins:\n")
    write(base_repo, "site/faq.md", '# FAQ\n\n--8<-- "parts/missing.md"\n')
    both_refuse(
        runner,
        base_repo,
        "site/faq.md:3:9: error [snippet-missing] site/faq.md includes 'parts/missing.md', "
        "which is not a file under site",
    )


def test_an_include_that_exists_builds(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n", SNIPPETS + "plugins:\n")
    write(base_repo, "site/parts/hours.txt", "We answer within a day.\n")
    write(base_repo, "site/faq.md", '# FAQ\n\n--8<-- "parts/hours.txt"\n')
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "We answer within a day." in (base_repo / "build/site/faq/index.html").read_text()


@pytest.mark.parametrize(
    "setting",
    [
        "  - pymdownx.snippets\n",
        "  - pymdownx.snippets:\n      base_path: [.]\n",
        "  - pymdownx.snippets:\n      base_path: [site]\n      restrict_base_path: false\n",
    ],
)
def test_includes_may_come_only_from_site(runner, base_repo: Path, setting: str) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n", "markdown_extensions:\n" + setting + "plugins:\n")
    both_refuse(runner, base_repo, "mkdocs.yml:1:1: error [site-layout] pymdownx.snippets may include files from")


@pytest.mark.parametrize("folder", ["evidence", ".", "controls/templates"])
def test_the_theme_custom_dir_is_a_folder_of_its_own(runner, base_repo: Path, folder: str) -> None:
    (base_repo / folder).mkdir(parents=True, exist_ok=True)
    edit(base_repo, "mkdocs.yml", "  name: material\n", f"  name: material\n  custom_dir: {folder}\n")
    both_refuse(
        runner, base_repo, f"mkdocs.yml:1:1: error [site-layout] the theme's custom_dir '{folder}' must be a folder"
    )


def test_an_exception_in_a_hook_names_the_hook(runner, base_repo: Path) -> None:
    write(base_repo, "hooks/broken.py", "def on_page_markdown(markdown, **kwargs):\n    raise ValueError('no title')\n")
    edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/broken.py\nplugins:\n")
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "Traceback" not in result.output
    assert "hooks/broken.py, line 2, raised ValueError: no title (your code, not plaintrust's)" in result.output


def test_serve_on_a_port_in_use(base_repo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "plaintrust", "serve", "--root", str(base_repo), "-a", f"127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == ExitCode.FINDINGS, result.stderr
    assert f"cannot serve on 127.0.0.1:{port}: the address is in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("rel", "what"),
    [
        ("trust.json", "trust.json"),
        ("feeds/updates.xml", "the security updates feed"),
        (".well-known/security.txt", "security.txt"),
        ("assets/plaintrust/trust.css", "the trust center's styles"),
    ],
)
def test_a_file_of_yours_never_silently_gives_way_to_a_generated_one(
    runner, base_repo: Path, rel: str, what: str
) -> None:
    write(base_repo, f"site/{rel}", "mine\n")
    both_refuse(
        runner,
        base_repo,
        f"site/{rel}:1:1: error [output-clash] site/{rel} has the path of {what}, which the build writes",
    )


def test_a_file_in_the_place_of_a_theme_file_is_a_warning(runner, base_repo: Path) -> None:
    write(base_repo, "site/assets/images/favicon.png", "mine\n")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK
    assert (
        "site/assets/images/favicon.png:1:1: warning [theme-clash] site/assets/images/favicon.png has the path "
        "of a file of the material theme"
    ) in result.output


def test_who_raised_decides_between_a_finding_and_a_bug(tmp_path: Path) -> None:
    import importlib.util
    import json as json_module

    from plaintrust.boundary.safe_text import safe_url
    from plaintrust.public import sitebuild

    write(tmp_path, "hooks/broken.py", "def on_page_markdown(markdown):\n    raise ValueError('no title')\n")
    spec = importlib.util.spec_from_file_location("broken_hook", tmp_path / "hooks/broken.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    raised = {}
    for name, call in {
        "hook": lambda: hook.on_page_markdown(""),
        "third party": lambda: json_module.loads("{"),
        "ours": lambda: safe_url(None),
    }.items():
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - each is what a build could meet
            raised[name] = sitebuild.culprit(exc, tmp_path)
    assert raised == {
        "hook": "hooks/broken.py, line 2, raised ValueError: no title (your code, not plaintrust's)",
        "third party": "the build stopped: JSONDecodeError: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        "ours": None,
    }


def test_an_include_inside_an_included_file_is_checked_too(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n", SNIPPETS + "plugins:\n")
    write(base_repo, "site/parts/outer.txt", '--8<-- "parts/inner-missing.txt"\n')
    write(base_repo, "site/faq.md", '# FAQ\n\n--8<-- "parts/outer.txt"\n')
    both_refuse(
        runner,
        base_repo,
        "site/parts/outer.txt:1:9: error [snippet-missing] site/parts/outer.txt includes 'parts/inner-missing.txt'",
    )
