"""`plaintrust audit-package`: the Type II package of tests/fixtures/gap-mini (framework `mini`, audit
period 2026, judged on 2026-11-22), built, verified by Plaintrust and by the standalone verify.py
(run with the system's python3), then tampered with.

Hand-counted contents: the controls of applicable requirements link the series review (Q1-Q3,
`covers` inside 2026), scan (ten monthly scans of 2026), parent-proof and logging-config-nov (2026),
and baseline-2025 (collected 2025-10-01, annual: still in force on 1 January 2026). 16 records,
one file each.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import TESTS, edit
from plaintrust import cli
from plaintrust.evidence import ledger
from plaintrust.internal.auditpkg.verify import FINDINGS

MINI = TESTS / "fixtures" / "gap-mini"
RECORDS = [
    "baseline-2025",
    "logging-config-nov",
    "parent-proof",
    "review-q1",
    "review-q2",
    "review-q3",
    *(f"scan-2026-{m:02}" for m in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11)),
]
SCAN = "evidence/files/scan-2026-05.txt"
# The system's Python, not the project's venv: the auditor has no Plaintrust.
SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin:/usr/local/bin") or sys.executable


@pytest.fixture
def mini(tmp_path: Path, runner: CliRunner) -> Path:
    """gap-mini with its one error fixed and its evidence recorded in a ledger."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    edit(root, "controls/program.yaml", "      R6:\n", "      R6: Nothing of the kind here.\n")
    pinned = runner.invoke(cli.cli, ["evidence", "pin", "--root", str(root)])
    assert pinned.exit_code == 0, pinned.output
    return root


def build(runner: CliRunner, root: Path, name: str = "package.zip", *extra: str) -> Path:
    target = root.parent / name
    result = runner.invoke(
        cli.cli, ["audit-package", "--root", str(root), "--framework", "mini", "-o", str(target), *extra]
    )
    # Exit 1 would only say the fixture has errors elsewhere (the package is still written, like `gaps`).
    assert result.exit_code in (0, 1) and f"wrote {target}: 16 evidence record(s)" in result.stderr, result.output
    return target


def manifest(package: Path) -> dict:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read("MANIFEST.json"))


def plaintrust_verify(runner: CliRunner, package: Path) -> tuple[int, list[str]]:
    result = runner.invoke(cli.cli, ["audit-package", "verify", str(package)])
    return result.exit_code, result.stdout.splitlines()


def standalone_verify(package: Path, folder: Path | None = None) -> tuple[int, list[str]]:
    """verify.py from inside the package, run as an auditor would: on the zip, or in the unpacked folder."""
    with zipfile.ZipFile(package) as archive:
        script = archive.read("verify.py")
    if folder is None:
        runner_dir = package.parent / "verifier"
        runner_dir.mkdir(exist_ok=True)
        (runner_dir / "verify.py").write_bytes(script)
        command, cwd = [SYSTEM_PYTHON, str(runner_dir / "verify.py"), str(package)], runner_dir
    else:
        command, cwd = [SYSTEM_PYTHON, "verify.py"], folder
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert done.stderr == ""
    return done.returncode, done.stdout.splitlines()


def rewritten(package: Path, changes: dict[str, bytes | None]) -> Path:
    """A copy of `package` with members replaced, added (bytes) or removed (None)."""
    target = package.with_name("tampered.zip")
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            if info.filename not in changes:
                archive.writestr(info, source.read(info))
        for name, data in changes.items():
            if data is not None:
                archive.writestr(name, data)
    return target


def test_the_package_holds_the_period_evidence_records_ledger_and_report(mini: Path, runner: CliRunner) -> None:
    package = build(runner, mini)
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        members = {name: archive.read(name) for name in names}
    evidence = [f"evidence/files/{r}.txt" for r in RECORDS]
    assert sorted(n for n in names if n.startswith("evidence/files/")) == sorted(evidence)
    assert sorted(n for n in names if n.endswith(".yaml")) == sorted(f"evidence/{r}.yaml" for r in RECORDS)
    assert {
        "MANIFEST.json",
        "verify.py",
        "evidence/ledger.jsonl",
        "gap-report/index.html",
        "gap-report/gap-report.json",
        "gap-report/gap-report.md",
        "gap-report/gap-report.xlsx",
        "gap-report/requirements.csv",
    } <= set(names)
    assert members["evidence/ledger.jsonl"] == (mini / "evidence" / "ledger.jsonl").read_bytes()
    assert members[SCAN] == (mini / SCAN).read_bytes()
    assert json.loads(members["gap-report/gap-report.json"])["frameworks"][0]["id"] == "mini"


def test_the_manifest_lists_every_file_with_its_hash(mini: Path, runner: CliRunner) -> None:
    package = build(runner, mini)
    found = manifest(package)
    head = ledger.summary(mini)
    assert {
        k: found[k] for k in ("format", "tool", "organization", "as_of", "framework", "confidential_included", "ledger")
    } == {
        "format": "plaintrust-audit-package/1",
        "tool": {"name": "plaintrust", "version": "0.1.0"},
        "organization": "Mini Co",
        "as_of": "2026-11-22",
        "framework": {
            "id": "mini",
            "name": "Mini framework",
            "audit_period": {"from": "2026-01-01", "to": "2026-12-31"},
        },
        "confidential_included": False,
        "ledger": {"path": "evidence/ledger.jsonl", "entries": 16, "head": head.head, "as_of": "2026-11-22"},
    }
    with zipfile.ZipFile(package) as archive:
        listed = sorted(set(archive.namelist()) - {"MANIFEST.json"})
        assert [f["path"] for f in found["files"]] == listed
        for entry in found["files"]:
            data = archive.read(entry["path"])
            assert (entry["size"], entry["sha256"], entry["included"]) == (
                len(data),
                hashlib.sha256(data).hexdigest(),
                True,
            )
    scan = next(f for f in found["files"] if f["path"] == SCAN)
    assert (scan["role"], scan["records"], scan["classification"]) == ("evidence", ["scan-2026-05"], "internal")


def test_same_input_same_bytes(mini: Path, runner: CliRunner) -> None:
    first = build(runner, mini, "first.zip").read_bytes()
    second = build(runner, mini, "second.zip").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {(i.date_time, i.external_attr >> 16, i.create_system, i.extra, i.compress_type) for i in infos} == {
        ((2026, 11, 22, 0, 0, 0), 0o100644, 3, b"", zipfile.ZIP_DEFLATED)
    }


def test_an_intact_package_verifies_with_and_without_plaintrust(mini: Path, runner: CliRunner, tmp_path: Path) -> None:
    package = build(runner, mini)
    result = runner.invoke(cli.cli, ["audit-package", "verify", str(package)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    done, fingerprints = result.stderr.splitlines()
    assert done.endswith("and 16 ledger line(s); no problems found")
    # what a second channel must vouch for: the manifest's own hash and the ledger's head
    listing = zipfile.ZipFile(package).read("MANIFEST.json")
    assert fingerprints == (
        f"MANIFEST.json sha256 {hashlib.sha256(listing).hexdigest()}; "
        f"ledger head {json.loads(listing)['ledger']['head']}"
    )
    found = manifest(package)
    count = len(found["files"])  # the gap report's formats may grow: counted, not hard-coded
    assert result.stderr.startswith(f"verified {count} file(s) of ")
    expected = [
        f"OK: {count} file(s) match MANIFEST.json (its sha256: {hashlib.sha256(listing).hexdigest()}, to compare "
        f"with the one sent apart from the package); the ledger holds 16 entries, head {found['ledger']['head']} "
        "(to compare with the published head)"
    ]
    assert standalone_verify(package) == (0, expected)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(unpacked)
    assert standalone_verify(package, unpacked) == (0, expected)


def _flipped(data: bytes) -> bytes:
    return bytes([data[0] ^ 1]) + data[1:]


def _tampered_scan(package: Path, relabel: bool = False) -> dict[str, bytes | None]:
    """A flipped byte in an evidence file, and a manifest edited to match it (and, with `relabel`, to
    call it something other than evidence, which the ledger would not check)."""
    with zipfile.ZipFile(package) as archive:
        data, found = _flipped(archive.read(SCAN)), json.loads(archive.read("MANIFEST.json"))
    for entry in found["files"]:
        if entry["path"] == SCAN:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            if relabel:
                entry.update(role="gap report", records=[])
    return {SCAN: data, "MANIFEST.json": json.dumps(found).encode()}


SCAN_PINNED = "8eb91dc00ec035e2c6de9eefcc9f716abca4e6ed42638b267a5fd09e85acca1d"


@pytest.mark.parametrize("verifier", ["plaintrust", "verify.py"])
def test_each_tampering_is_named_by_both_verifiers(mini: Path, runner: CliRunner, verifier: str) -> None:
    package = build(runner, mini)
    with zipfile.ZipFile(package) as archive:
        scan = archive.read(SCAN)
    flipped = hashlib.sha256(_flipped(scan)).hexdigest()
    cases = {
        "flipped": (
            {SCAN: _flipped(scan)},
            [
                f"{SCAN}:1:1: error [package-tampered] {SCAN} does not match the manifest: sha256 {flipped} (26 bytes), "
                f"the manifest says {SCAN_PINNED} (26 bytes)"
            ],
        ),
        "removed": (
            {"evidence/files/review-q1.txt": None},
            [
                "evidence/files/review-q1.txt:1:1: error [package-missing] evidence/files/review-q1.txt is listed in the "
                "manifest but not in the package"
            ],
        ),
        "extra": (
            {"evidence/files/extra.txt": b"more"},
            [
                "evidence/files/extra.txt:1:1: error [package-extra] evidence/files/extra.txt is in the package but not in the manifest"
            ],
        ),
        "manifest edited to match": (
            _tampered_scan(package),
            [
                f"{SCAN}:1:1: error [package-ledger] the manifest gives {SCAN} sha256 {flipped}; the ledger's last entry "
                f"for it (evidence/ledger.jsonl line 10) records {SCAN_PINNED}"
            ],
        ),
        "manifest edited to call it something else": (
            _tampered_scan(package, relabel=True),
            [
                f"{SCAN}:1:1: error [package-ledger] the ledger pins {SCAN}, but the manifest lists it as gap report, not as evidence"
            ],
        ),
    }
    check = (lambda p: plaintrust_verify(runner, p)) if verifier == "plaintrust" else standalone_verify
    for name, (changes, lines) in cases.items():
        code, output = check(rewritten(package, changes))
        assert code == 1, name
        assert [line for line in output if ": error [" in line] == lines, name


def test_every_finding_of_either_verifier_is_documented() -> None:
    """plaintrust's verifier names its findings through FINDINGS (the docs' reference lists them); the
    standalone verify.py runs without Plaintrust and writes the same ids by hand: each must be one of them."""
    source = (TESTS.parent / "generator/plaintrust/templates/audit/verify.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"((?:package|ledger)-[a-z]+)"', source))
    assert len(used) == len(FINDINGS) and used <= set(FINDINGS)
    assert all(text.endswith(".") and text[0].isupper() for text in FINDINGS.values())


@pytest.mark.parametrize("verifier", ["plaintrust", "verify.py"])
def test_an_edited_ledger_breaks_its_chain(mini: Path, runner: CliRunner, verifier: str) -> None:
    package = build(runner, mini)
    with zipfile.ZipFile(package) as archive:
        lines = archive.read("evidence/ledger.jsonl").split(b"\n")
    lines[2] = lines[2].replace(b'"size": ', b'"size": 1')
    changed = b"\n".join(lines)
    check = (lambda p: plaintrust_verify(runner, p)) if verifier == "plaintrust" else standalone_verify
    code, output = check(rewritten(package, {"evidence/ledger.jsonl": changed}))
    assert code == 1
    errors = [line for line in output if ": error [" in line]
    assert (
        "evidence/ledger.jsonl:3:1: error [ledger-chain] line 3 was changed after it was written: line 4 records a "
        "different hash for it" in errors
    )
    assert any(
        line.startswith("evidence/ledger.jsonl:1:1: error [package-tampered] evidence/ledger.jsonl does not match")
        for line in errors
    )


@pytest.mark.parametrize("verifier", ["plaintrust", "verify.py"])
def test_a_manifest_whose_ledger_head_was_edited_is_caught(mini: Path, runner: CliRunner, verifier: str) -> None:
    package = build(runner, mini)
    found = manifest(package)
    real = found["ledger"]["head"]
    found["ledger"]["head"] = "a" * 64
    check = (lambda p: plaintrust_verify(runner, p)) if verifier == "plaintrust" else standalone_verify
    code, output = check(rewritten(package, {"MANIFEST.json": json.dumps(found).encode()}))
    assert code == 1
    assert [line for line in output if ": error [" in line] == [
        f"MANIFEST.json:1:1: error [package-ledger] the manifest says the ledger ends at entry 16 with head {'a' * 64}; "
        f"the ledger in the package ends at entry 16 with head {real}"
    ]


def _confidential(root: Path) -> None:
    edit(root, "evidence/scan-2026-05.yaml", "classification: internal", "classification: confidential")


def test_confidential_files_are_listed_but_left_out(mini: Path, runner: CliRunner) -> None:
    _confidential(mini)
    package = build(runner, mini)
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
    assert SCAN not in names and "evidence/scan-2026-05.yaml" in names
    entry = next(f for f in manifest(package)["files"] if f["path"] == SCAN)
    assert entry == {
        "path": SCAN,
        "size": 26,
        "sha256": SCAN_PINNED,
        "included": False,
        "role": "evidence",
        "records": ["scan-2026-05"],
        "classification": "confidential",
    }
    assert plaintrust_verify(runner, package)[0] == 0
    assert standalone_verify(package)[0] == 0
    smuggled = rewritten(package, {SCAN: (mini / SCAN).read_bytes()})
    expected = [f"{SCAN}:1:1: error [package-extra] {SCAN} is in the package, but the manifest says it was left out"]
    assert [line for line in plaintrust_verify(runner, smuggled)[1] if ": error [" in line] == expected
    assert [line for line in standalone_verify(smuggled)[1] if ": error [" in line] == expected


def test_include_confidential_puts_them_in(mini: Path, runner: CliRunner) -> None:
    _confidential(mini)
    package = build(runner, mini, "package.zip", "--include-confidential")
    with zipfile.ZipFile(package) as archive:
        assert archive.read(SCAN) == (mini / SCAN).read_bytes()
    found = manifest(package)
    assert found["confidential_included"] is True
    assert next(f for f in found["files"] if f["path"] == SCAN)["included"] is True
    assert plaintrust_verify(runner, package)[0] == 0


def test_evidence_changed_since_it_was_pinned_writes_nothing(mini: Path, runner: CliRunner) -> None:
    (mini / SCAN).write_bytes(b"changed")
    target = mini.parent / "package.zip"
    result = runner.invoke(cli.cli, ["audit-package", "--root", str(mini), "--framework", "mini", "-o", str(target)])
    assert result.exit_code == 1
    assert (
        "error [audit-package] evidence/files/scan-2026-05.txt of record scan-2026-05 changed since it was pinned"
        in result.stderr
    )
    assert "nothing was written: the package would not pass its own verification" in result.stderr
    assert not target.exists()


def test_a_package_needs_a_ledger(mini: Path, runner: CliRunner) -> None:
    (mini / "evidence" / "ledger.jsonl").unlink()
    result = runner.invoke(
        cli.cli, ["audit-package", "--root", str(mini), "--framework", "mini", "-o", str(mini.parent / "p.zip")]
    )
    assert result.exit_code == 1
    assert "evidence/ledger.jsonl:1:1: error [audit-package] evidence/ledger.jsonl does not exist" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--framework", "mini", "-o", "evidence/p.zip"], "is in evidence/"),
        (["--framework", "mini", "-o", "controls/p.zip"], "is in controls/"),
        (["--framework", "mini", "-o", "site/p.zip"], "is in site/"),
        (["--framework", "nope", "-o", "p.zip"], "'nope' is not one of mini"),
        (["-o", "p.zip"], "a package needs --framework ID and -o FILE.zip"),
    ],
)
def test_usage_errors_write_nothing(mini: Path, runner: CliRunner, arguments: list[str], message: str) -> None:
    arguments = [a if not a.endswith(".zip") else str(mini / a) for a in arguments]
    result = runner.invoke(cli.cli, ["audit-package", "--root", str(mini), *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not list(mini.rglob("p.zip"))


def test_a_framework_without_audit_period_has_no_package(mini: Path, runner: CliRunner) -> None:
    edit(mini, "controls/program.yaml", "    audit_period: {from: 2026-01-01, to: 2026-12-31}\n", "")
    result = runner.invoke(
        cli.cli, ["audit-package", "--root", str(mini), "--framework", "mini", "-o", str(mini.parent / "p.zip")]
    )
    assert result.exit_code == 2
    assert "mini has no audit_period in controls/program.yaml: a Type II package proves one" in result.stderr


def test_the_example_soc2_package_verifies_and_keeps_confidential_files_out(tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "example"
    for name in ("controls", "evidence", "site"):
        shutil.copytree(TESTS.parent / name, root / name)
    shutil.copy2(TESTS.parent / "mkdocs.yml", root / "mkdocs.yml")
    target = tmp_path / "soc2.zip"
    result = runner.invoke(cli.cli, ["audit-package", "--root", str(root), "--framework", "soc2", "-o", str(target)])
    assert result.exit_code == 0, result.output
    listed = manifest(target)["files"]
    withheld = [f for f in listed if f["role"] == "evidence" and not f["included"]]
    assert withheld and {f["classification"] for f in withheld} == {"confidential", "restricted"}
    assert all(f["classification"] == "internal" for f in listed if f["role"] == "evidence" and f["included"])
    assert plaintrust_verify(runner, target) == (0, [])
    assert standalone_verify(target)[0] == 0
