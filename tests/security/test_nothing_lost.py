"""Nothing lost: no command writes over the repository's inputs or into the published site, builds
clear what interrupted builds left behind, `--fail-under` is a real gate, and every diagnostics
format encodes whatever the file names are."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli, output, schemas
from plaintrust.diagnostics import Location
from plaintrust.errors import ExitCode
from plaintrust.reporters import REPORTERS

# Each protected place, as a file that exists in the test repository, and why a writer is refused it.
PLACES = {
    "controls/x.yaml": "is in controls/, the control definitions",
    "evidence/ledger.jsonl": "is in evidence/, the evidence records, their files and the ledger",
    "site/index.md": "is in site/, the public site's sources",
    "frameworks/c.yaml": "is in frameworks/, the custom framework catalogs",
    "mkdocs.yml": "is mkdocs.yml, the site's configuration",
    ".git/config": "is in .git/, the git repository",
    "build/site/x": "is in build/site/, the built public site (published)",
}
REFUSED = "nothing was written"
# What a file-writing command (gaps) and a folder-writing one (export oscal, schema) are pointed at
# for each place, and the error that must follow. mkdocs.yml is not a folder: click refuses it as
# a folder before Plaintrust looks, with the same exit code and nothing written.
FILE_TARGETS = {place: (place, f"{{target}} {why}; {REFUSED}") for place, why in PLACES.items()}
FOLDER_TARGETS = {place: (str(Path(place).parent), f"{{target}} {why}; {REFUSED}") for place, why in PLACES.items()}
FOLDER_TARGETS["mkdocs.yml"] = ("mkdocs.yml", "Directory '{target}' is a file.")
COMMANDS = {
    "gaps": lambda repo, target: ["gaps", "--root", str(repo), "-o", str(target)],
    "export oscal": lambda repo, target: ["export", "oscal", "--root", str(repo), "-o", str(target)],
    "schema": lambda repo, target: ["schema", str(target), "--root", str(repo)],
    "policies pdf": lambda repo, target: ["policies", "pdf", "--root", str(repo), "-o", str(target)],
}
TARGETS = {
    "gaps": FILE_TARGETS,
    "export oscal": FOLDER_TARGETS,
    "schema": FOLDER_TARGETS,
    "policies pdf": FOLDER_TARGETS,
}


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of the repository with its bytes (links not followed: a link is compared as a link)."""
    found = {}
    for folder, _, files in os.walk(repo):
        for name in files:
            path = Path(folder, name)
            content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            found[path.relative_to(repo).as_posix()] = content
    return found


@pytest.fixture
def repo(base_repo: Path) -> Path:
    """The base repository with a file in each protected place, each with bytes of its own."""
    for place in PLACES:
        if not (base_repo / place).exists():
            write(base_repo, place, f"original bytes of {place}\n")
    return base_repo


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("place", PLACES)
def test_no_writer_writes_to_or_into_a_protected_place(runner, repo: Path, command: str, place: str) -> None:
    rel, message = TARGETS[command][place]
    target = repo / rel
    before = snapshot(repo)
    result = runner.invoke(cli.cli, COMMANDS[command](repo, target))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message.format(target=target) in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(repo) == before  # the protected file's bytes, and everything else, untouched


@pytest.mark.parametrize("command", COMMANDS)
def test_a_new_path_inside_a_protected_folder_is_not_created(runner, repo: Path, command: str) -> None:
    target = repo / "evidence" / "new" / "report.md"
    result = runner.invoke(cli.cli, COMMANDS[command](repo, target))
    assert result.exit_code == ExitCode.USAGE
    assert f"{target} is in evidence/" in result.stderr and REFUSED in result.stderr
    assert not (repo / "evidence" / "new").exists()


def test_gaps_over_the_ledger_is_refused_and_the_chain_kept(runner, repo: Path) -> None:
    """The reported bug: `gaps -o evidence/ledger.jsonl` replaced the hash-chained ledger with exit 0."""
    ledger = repo / "evidence" / "ledger.jsonl"
    kept = ledger.read_bytes()
    result = runner.invoke(cli.cli, ["gaps", "--root", str(repo), "-o", str(ledger)])
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for --output" in result.stderr
    assert f"{ledger} is in evidence/, the evidence records, their files and the ledger; {REFUSED}" in result.stderr
    assert ledger.read_bytes() == kept


def test_dot_dot_is_resolved_before_comparing(runner, repo: Path) -> None:
    target = repo / "build" / ".." / "evidence" / "ledger.jsonl"
    before = snapshot(repo)
    result = runner.invoke(cli.cli, ["gaps", "--root", str(repo), "-o", str(target)])
    assert result.exit_code == ExitCode.USAGE and "is in evidence/" in result.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "link, points_to, target",
    [
        ("out", "evidence", "out/ledger.jsonl"),  # a linked folder
        ("report.md", "evidence/ledger.jsonl", "report.md"),  # a linked file
    ],
)
def test_symlinks_are_resolved_before_comparing(runner, repo: Path, link: str, points_to: str, target: str) -> None:
    (repo / link).symlink_to(repo / points_to)
    before = snapshot(repo)
    result = runner.invoke(cli.cli, ["gaps", "--root", str(repo), "-o", str(repo / target)])
    assert result.exit_code == ExitCode.USAGE and "is in evidence/" in result.stderr
    assert snapshot(repo) == before


def test_a_relative_root_and_output_are_compared_resolved(runner, repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo.parent)
    before = snapshot(repo)
    result = runner.invoke(cli.cli, ["gaps", "--root", repo.name, "-o", f"{repo.name}/controls/x.yaml"])
    assert result.exit_code == ExitCode.USAGE and "is in controls/" in result.stderr
    assert snapshot(repo) == before


def test_a_custom_catalog_named_in_program_yaml_is_protected(runner, repo: Path) -> None:
    write(repo, "catalogs/custom.yaml", "id: custom\nname: Custom\nrequirements:\n  - {id: R1, title: One}\n")
    edit(repo, "controls/program.yaml", "    catalog: iso27001-2022\n", "    catalog: catalogs/custom.yaml\n")
    before = snapshot(repo)
    result = runner.invoke(cli.cli, ["gaps", "--root", str(repo), "-o", str(repo / "catalogs/custom.yaml")])
    assert result.exit_code == ExitCode.USAGE
    assert "is the custom catalog catalogs/custom.yaml named in controls/program.yaml" in result.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_the_configured_site_output_is_protected(runner, repo: Path, command: str) -> None:
    edit(repo, "mkdocs.yml", "site_dir: build/site", "site_dir: public")
    target = repo / "public" / "out"
    result = runner.invoke(cli.cli, COMMANDS[command](repo, target))
    assert result.exit_code == ExitCode.USAGE
    assert f"{target} is in public/, the built public site (published)" in result.stderr
    assert not (repo / "public").exists()


def test_gaps_writes_elsewhere_atomically(runner, base_repo: Path) -> None:
    target = base_repo / "build" / "gaps.md"
    result = runner.invoke(cli.cli, ["gaps", "--root", str(base_repo), "-o", str(target)])
    assert result.exit_code == ExitCode.OK, result.output
    assert target.read_bytes().startswith(b"#")
    assert sorted(p.name for p in target.parent.iterdir()) == ["gaps.md"]  # no partial file left


def test_schema_writes_elsewhere(runner, repo: Path) -> None:
    result = runner.invoke(cli.cli, ["schema", str(repo / "schemas"), "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    written = sorted(p.name for p in (repo / "schemas").glob("plaintrust-*.schema.json"))
    assert written == sorted(schemas.files())


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unwritable_output_is_a_clean_error(runner, base_repo: Path, command: str) -> None:
    write(base_repo, "build/in-the-way", "a file where a folder is needed\n")
    target = base_repo / "build" / "in-the-way" / "out"
    result = runner.invoke(cli.cli, COMMANDS[command](base_repo, target))
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "Could not open file" in result.stderr and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan", "inf", "-1", "100.01", "lots"])
def test_fail_under_accepts_only_0_to_100(runner, base_repo: Path, value: str) -> None:
    result = runner.invoke(cli.cli, ["gaps", "--root", str(base_repo), "--fail-under", value])
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--fail-under'" in result.stderr
    assert result.stdout == ""  # refused before any report


@pytest.mark.parametrize("value, code", [("0", ExitCode.OK), ("100", ExitCode.FINDINGS)])
def test_fail_under_bounds_are_accepted(runner, base_repo: Path, value: str, code: ExitCode) -> None:
    result = runner.invoke(cli.cli, ["gaps", "--root", str(base_repo), "--fail-under", value])
    assert result.exit_code == code, result.output


def dead_pid() -> int:
    """A pid no process can have: above the kernel's largest, or else found by probing."""
    limit = Path("/proc/sys/kernel/pid_max")
    pid = int(limit.read_text()) + 1 if limit.exists() else 4_194_304 + 1
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1


def test_a_build_removes_staging_folders_of_dead_processes(runner, base_repo: Path) -> None:
    dead, alive = dead_pid(), os.getppid()
    build = base_repo / "build"
    stale = [f".site.staging-{dead}", f".site.old-{dead}", f".gap-report.staging-{dead}", f".gap-report.old-{dead}"]
    for name in [*stale, f".site.staging-{alive}", f".gap-report.old-{alive}"]:
        write(build, f"{name}/index.html", "left behind\n")
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(p.name for p in build.iterdir()) == [
        f".gap-report.old-{alive}",
        f".site.staging-{alive}",
        "gap-report",
        "site",
    ]
    assert "Example Test Co Trust Center" in (build / "site" / "index.html").read_text(encoding="utf-8")


def test_an_interrupted_swap_puts_the_previous_output_back(tmp_path: Path) -> None:
    """Between swap_in's two renames only `.site.old-<pid>` holds the last good site: it is restored, not lost."""
    write(tmp_path, f".site.old-{dead_pid()}/index.html", "the previous site\n")
    staging = output.staging_for(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "the previous site\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [staging.name, "site"]


# Where the JSON formats put the file's path.
PATH_IN = {
    "json": lambda log: log["diagnostics"][0]["path"],
    "sarif": lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
}


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_encodes_a_file_name_that_is_not_utf8(fmt: str) -> None:
    name = b"controls/caf\xe9.yaml".decode("utf-8", "surrogateescape")  # a Latin-1 name, as Python reads it on Linux
    assert name == "controls/caf\udce9.yaml"
    diagnostic = Location(name, 3, 1).error("yaml-syntax", f"{name} does not parse", f"rename {name}")
    shown = REPORTERS[fmt]([diagnostic])
    shown.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
    if fmt in PATH_IN:
        assert PATH_IN[fmt](json.loads(shown)) == "controls/caf\\xe9.yaml"
    else:
        assert "controls/caf\\xe9.yaml" in shown and "\udce9" not in shown
