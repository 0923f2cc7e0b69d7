"""The Type II package's boundary: confidential evidence stays out unless asked for, and both verifiers
(`plaintrust audit-package verify` and the shipped verify.py) read a hostile zip without unpacking
it, without following its names out of the package, without exhausting memory, and without
printing its names raw to the terminal."""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import shutil
import sys
import zipfile
from importlib.resources import files as package_files
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import TESTS, edit
from plaintrust import cli
from plaintrust.internal.auditpkg import verify as package_verify

MINI = TESTS / "fixtures" / "gap-mini"
SECRET = b"SECRET-SCAN-CONTENT 7f3a"


@pytest.fixture
def package(tmp_path: Path, runner: CliRunner) -> Path:
    """A package of gap-mini whose scan-2026-05 is confidential and holds a unique secret."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    edit(root, "evidence/scan-2026-05.yaml", "classification: internal", "classification: confidential")
    (root / "evidence/files/scan-2026-05.txt").write_bytes(SECRET)
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(root), "--update"]).exit_code == 0
    target = tmp_path / "package.zip"
    result = runner.invoke(cli.cli, ["audit-package", "--root", str(root), "--framework", "mini", "-o", str(target)])
    assert target.is_file(), result.output
    return target


def standalone():
    """The shipped verify.py as a module, so its caps can be lowered for a test."""
    spec = importlib.util.spec_from_file_location(
        "shipped_verify", str(package_files("plaintrust") / "templates" / "audit" / "verify.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def both(
    runner: CliRunner, capsys: pytest.CaptureFixture[str], target: Path, module=None
) -> dict[str, tuple[int, list[str]]]:
    """Each verifier's exit code and error lines."""
    mine = runner.invoke(cli.cli, ["audit-package", "verify", str(target)])
    code = (module or standalone()).main([str(target)])
    theirs = capsys.readouterr().out.splitlines()
    errors = lambda lines: [line for line in lines if ": error [" in line]  # noqa: E731
    return {"plaintrust": (mine.exit_code, errors(mine.stdout.splitlines())), "verify.py": (code, errors(theirs))}


def with_members(source: Path, extra: dict[str, bytes]) -> Path:
    target = source.with_name("hostile.zip")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as archive:
        for info in original.infolist():
            archive.writestr(info, original.read(info))
        for name, data in extra.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return target


def test_confidential_bytes_are_nowhere_in_the_package(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        unpacked = b"".join(archive.read(name) for name in archive.namelist())
    assert SECRET not in unpacked and SECRET not in package.read_bytes()


def test_not_a_zip(tmp_path: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.zip"
    target.write_bytes(b"<html>not a zip</html>")
    line = "report.zip:1:1: error [package-file] report.zip is not a zip file"
    assert both(runner, capsys, target) == {"plaintrust": (1, [line]), "verify.py": (1, [line])}


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../escape.txt", "'..'"),
        ("/etc/cron.d/evil", "an absolute path"),
        ("C:/evil.txt", "an absolute path"),
        ("evidence\\..\\..\\evil.txt", "a backslash"),
        ("evidence/./x.txt", "not a plain relative path"),
    ],
)
def test_unsafe_member_names_are_errors_never_paths(
    package: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str], name: str, why: str
) -> None:
    hostile = with_members(package, {name: b"payload"})
    line = f"hostile.zip:1:1: error [package-file] the member {name!r} is {why}: it was not read"
    assert both(runner, capsys, hostile) == {"plaintrust": (1, [line]), "verify.py": (1, [line])}
    assert not (package.parent.parent / "escape.txt").exists()


def test_names_are_never_printed_raw(package: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = with_members(package, {"evil\x1b[2J.txt": b"x"})
    for code, lines in both(runner, capsys, hostile).values():
        assert code == 1 and lines and not any("\x1b" in line for line in lines)
        assert any("evil\\x1b[2J.txt" in line for line in lines)


def test_a_zip_bomb_is_refused_unread(
    package: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = with_members(package, {"bomb.bin": b"\0" * 4096})
    monkeypatch.setattr(package_verify, "MAX_MEMBER_BYTES", 4000)
    module = standalone()
    module.MAX_MEMBER_BYTES = 4000
    found = both(runner, capsys, hostile, module)
    assert found["plaintrust"][0] == 1 and len(found["plaintrust"][1]) == 1
    assert "more than the" in found["plaintrust"][1][0] and "not verified" in found["plaintrust"][1][0]
    assert found["verify.py"][0] == 1 and "more than a package may hold" in found["verify.py"][1][0]


def test_a_manifest_naming_paths_outside_is_refused(
    package: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("MANIFEST.json"))
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest["files"][0]["path"] = "../outside.txt"
    members["MANIFEST.json"] = json.dumps(manifest).encode()
    target = package.with_name("edited.zip")
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    line = "MANIFEST.json:1:1: error [package-manifest] MANIFEST.json is not a package manifest: files[0] needs a safe relative `path`"
    assert both(runner, capsys, target) == {"plaintrust": (1, [line]), "verify.py": (1, [line])}


def test_the_shipped_verifier_needs_only_the_standard_library() -> None:
    source = (package_files("plaintrust") / "templates" / "audit" / "verify.py").read_text(encoding="utf-8")
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported and imported <= sys.stdlib_module_names


def test_a_folder_with_a_link_out_is_not_followed(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    (tmp_path / "outside.txt").write_bytes(b"outside")
    (folder / "evidence" / "link.txt").symlink_to(tmp_path / "outside.txt")
    assert standalone().main([str(folder)]) == 1
    assert (
        "evidence/link.txt:1:1: error [package-file] evidence/link.txt is a symbolic link: it was not read"
        in capsys.readouterr().out
    )


def test_the_package_zip_reads_as_bytes_too(package: Path) -> None:
    """The package is a plain zip: any tool lists it (no zip64 or data descriptors needed for small ones)."""
    with zipfile.ZipFile(io.BytesIO(package.read_bytes())) as archive:
        assert archive.testzip() is None


def test_a_symbolic_link_member_is_refused(
    package: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unpacked by `unzip`, a link member would point anywhere: it is never taken for a file."""
    target = package.with_name("linked.zip")
    with zipfile.ZipFile(package) as original, zipfile.ZipFile(target, "w") as archive:
        for info in original.infolist():
            archive.writestr(info, original.read(info))
        link = zipfile.ZipInfo("gap-report/elsewhere.html")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, b"/etc/passwd")
    line = "linked.zip:1:1: error [package-file] the member 'gap-report/elsewhere.html' is a symbolic link: it was not read"
    for code, lines in both(runner, capsys, target).values():
        assert code == 1 and line in lines


@pytest.mark.parametrize("damage", ["version", "name"])
def test_a_damaged_central_directory_is_a_finding_not_a_crash(
    package: Path, runner: CliRunner, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    data = bytearray(package.read_bytes())
    entry = data.find(b"PK\x01\x02")
    if damage == "version":
        data[entry + 6 : entry + 8] = (80).to_bytes(2, "little")  # "version needed: 8.0", which zipfile refuses
    else:
        flags = int.from_bytes(data[entry + 8 : entry + 10], "little") | 0x800  # UTF-8 names...
        data[entry + 8 : entry + 10] = flags.to_bytes(2, "little")
        data[entry + 46] = 0xFF  # ...and a name that is not UTF-8
    target = package.with_name("damaged.zip")
    target.write_bytes(bytes(data))
    line = "damaged.zip:1:1: error [package-file] damaged.zip is not a zip file"
    assert both(runner, capsys, target) == {"plaintrust": (1, [line]), "verify.py": (1, [line])}
