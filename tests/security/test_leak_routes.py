"""Every route by which an internal value or a host file once reached build/site/ with exit 0.

Each case must fail `check` and `build` alike (exit 1) with the exact located diagnostic, leave
the previous site untouched, and show no traceback.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest

from helpers import check_and_build, edit, site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode

OWNER = "it-security@test.example"
OWNER_OF = "the owner of control AC-01 (controls/access/ac-01.yaml): 'it-security@test.example'"
DESCRIPTION = "The identity provider requires a security key for every workforce login."
EVIDENCE_LINE = '{"policy": "mfa-required", "factors": ["webauthn"]}'


@pytest.fixture
def built(runner, base_repo: Path) -> Path:
    """The base repository with a first site built: every case must leave it as it is."""
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    return base_repo


def refused(runner, repo: Path, *expected: str) -> dict:
    """Both commands exit 1 naming every expected line; the previous site stays; no traceback."""
    before = site_snapshot(repo)
    results = check_and_build(runner, repo)
    for command, result in results.items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "Traceback" not in result.output
        for line in expected:
            assert line in result.output, f"{command} did not say {line!r}:\n{result.output}"
    assert site_snapshot(repo) == before
    return results


# 1. Notice text used to exempt its values site-wide.
NOTICE = """\
---
title: Login outage
status: resolved
severity: low
published: 2026-11-01T08:00:00Z
updated: 2026-11-02T08:00:00Z
affected: Workforce sign-in
---

## What happened

Sign-in was slow for an hour.

## What we know

Ask {value} for details.

## What we don't know yet

Nothing.

## What we are doing

Watching.

## What customers should do

Nothing.

## Timeline

- 2026-11-01 08:00 UTC — We published this notice.

## Resolution

Fixed.
"""


def test_a_notice_that_holds_an_internal_value_is_an_error(runner, built: Path) -> None:
    write(built, "site/updates/2026-11-01-login.md", NOTICE.format(value=OWNER))
    write(built, "site/contact.md", f"# Contact\n\nWrite to {OWNER}.\n")
    refused(
        runner,
        built,
        f"site/updates/2026-11-01-login.md:16:5: error [internal-value] site/updates/2026-11-01-login.md contains {OWNER_OF}",
        f"site/contact.md:3:10: error [internal-value] site/contact.md contains {OWNER_OF}",
    )


def test_an_ordinary_phrase_in_a_notice_stays_allowed(runner, built: Path) -> None:
    # The evidence id `mfa-policy` reads "mfa policy": plain words, not a leak anywhere.
    write(built, "site/updates/2026-11-01-login.md", NOTICE.format(value="our MFA policy"))
    results = check_and_build(runner, built)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["build"].output


def test_a_control_summary_that_holds_an_owner_is_an_error(runner, built: Path) -> None:
    edit(built, "controls/access/ac-01.yaml", "A password alone is never enough.", f"Questions go to {OWNER}.")
    refused(
        runner,
        built,
        f"controls/access/ac-01.yaml:13:12: error [internal-value] the public summary of AC-01 contains {OWNER_OF}",
    )


# 2. Symbolic links under site/.
@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("passwd.txt", "/etc/passwd"),
        ("environ.txt", "/proc/self/environ"),
        ("control.txt", "../controls/access/ac-01.yaml"),
        ("inside.txt", "trust.yaml"),
        ("folder", "/etc"),
        ("dangling.md", "nowhere.md"),
        ("loop", "loop"),
    ],
)
def test_no_symbolic_link_under_site_is_followed(runner, built: Path, name: str, target: str) -> None:
    os.symlink(target, built / "site" / name)
    refused(runner, built, f"site/{name}:1:1: error [site-symlink] site/{name} is a symbolic link (to '{target}')")


def test_site_itself_may_not_be_a_link(runner, built: Path) -> None:
    shutil.move(built / "site", built / "public-sources")
    os.symlink("public-sources", built / "site")
    refused(runner, built, "site:1:1: error [site-symlink] site is a symbolic link (to 'public-sources')")


# 3. Files the guard used to skip: theme folders, and suffixes outside a list.
@pytest.mark.parametrize(
    "rel",
    [
        "assets/javascripts/extra.js",
        "assets/stylesheets/extra.css",
        "notes.log",
        "audit.jsonl",
        "settings.toml",
        "app.ini",
        "server.conf",
        "message.eml",
        "noext",
    ],
)
def test_every_published_file_is_read_whatever_its_name(runner, built: Path, rel: str) -> None:
    write(built, f"site/{rel}", f"contact = {OWNER}\n")
    refused(runner, built, f"site/{rel}:1:11: error [internal-value] site/{rel} contains {OWNER_OF}")


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text is in a compressed stream: only a PDF reader finds it."""
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_the_text_of_a_pdf_is_read(runner, built: Path) -> None:
    data = pdf_with_text(f"Owner: {OWNER}")
    assert OWNER.encode() not in data  # only the PDF's text holds it
    (built / "site/report.pdf").write_bytes(data)
    refused(runner, built, f"site/report.pdf:1:1: error [internal-value] site/report.pdf contains {OWNER_OF}")


def test_metadata_in_a_binary_file_is_read(runner, built: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8 + f"tEXtAuthor\x00{OWNER}".encode() + bytes(64)
    (built / "site/logo.png").write_bytes(png)
    refused(runner, built, f"site/logo.png:1:1: error [internal-value] site/logo.png contains {OWNER_OF}")


# 4. Markup the scan used to drop.
@pytest.mark.parametrize(
    ("markup", "column"),
    [
        (f"<!-- ask {OWNER} -->", 10),
        (f"<span title={OWNER}>Contact</span>", 13),
        (f'<a href="mailto:{OWNER}">write</a>', 17),
    ],
)
def test_comments_and_attributes_are_read(runner, built: Path, markup: str, column: int) -> None:
    write(built, "site/faq.md", f"# FAQ\n\n{markup}\n")
    refused(runner, built, f"site/faq.md:3:{column}: error [internal-value] site/faq.md contains {OWNER_OF}")


def test_a_static_html_file_is_read_as_written(runner, built: Path) -> None:
    write(built, "site/legacy.html", f"<html><!-- {DESCRIPTION} --></html>\n")
    refused(
        runner,
        built,
        "site/legacy.html:1:12: error [internal-value] site/legacy.html contains the description "
        "of control AC-01 (controls/access/ac-01.yaml)",
    )


# 5. Evidence paths in both spellings, and near-copies of evidence files.
@pytest.mark.parametrize("path", ["files/mfa-policy.json", "evidence/files/mfa-policy.json"])
def test_an_evidence_path_is_found_in_either_spelling(runner, built: Path, path: str) -> None:
    write(built, "site/faq.md", f"# FAQ\n\nSee {path}.\n")
    refused(
        runner,
        built,
        "site/faq.md:3:5: error [internal-value] site/faq.md contains a file path of evidence "
        "record mfa-policy (evidence/access/mfa-policy.yaml)",
    )


def near_copies() -> dict[str, bytes]:
    original = (EVIDENCE_LINE + "\n").encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("export/policy.json", original)
    return {
        "one-byte.json": b"[" + original,
        "copy.json.gz": gzip.compress(original),
        "copy.zip": archive.getvalue(),
        "pasted.md": b"# Policy\n\nOur export reads: " + original,
    }


@pytest.mark.parametrize("name", sorted(near_copies()))
def test_a_near_copy_of_an_evidence_file_is_found(runner, built: Path, name: str) -> None:
    (built / "site" / name).write_bytes(near_copies()[name])
    refused(
        runner,
        built,
        f"contains a line of evidence/files/mfa-policy.json (evidence record mfa-policy): {EVIDENCE_LINE!r}",
    )


def test_a_byte_copy_inside_an_archive_is_named(runner, built: Path) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.write(built / "evidence/files/mfa-policy.json", "policy.json")
    (built / "site/bundle.zip").write_bytes(archive.getvalue())
    refused(
        runner,
        built,
        "site/bundle.zip:1:1: error [evidence-copy] site/bundle.zip!policy.json is a copy of the "
        "evidence file evidence/files/mfa-policy.json",
    )


# 8. Stray files under site/updates/ once became ordinary pages, raw HTML and all.
@pytest.mark.parametrize("rel", ["updates/2026-11-01-login.markdown", "updates/2026/login.md", "updates/notes.txt"])
def test_anything_in_updates_but_a_notice_is_an_error(runner, built: Path, rel: str) -> None:
    write(built, f"site/{rel}", NOTICE.format(value="us") + "\n<script>alert(1)</script>\n")
    refused(
        runner,
        built,
        f"site/{rel}:1:1: error [update-stray] site/{rel} is not a notice: site/updates/ holds only notices named *.md",
    )


# 9. Controls, the program, trust.yaml or a catalog reached through a link out of the repository.
@pytest.mark.parametrize("rel", ["controls/access/ac-09.yaml", "evidence/access/passwd.yaml"])
def test_a_yaml_file_linked_from_outside_the_repository_is_not_read(runner, built: Path, rel: str) -> None:
    os.symlink("/etc/passwd", built / rel)
    results = refused(
        runner,
        built,
        f"{rel}:1:1: error [symlink-outside] {rel} is a symbolic link that leads out of the repository; it is not read",
    )
    assert "root:" not in results["check"].output  # the host file's first line is never echoed


def test_program_yaml_linked_from_outside_is_not_read(runner, built: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.move(built / "controls/program.yaml", outside)
    os.symlink(outside, built / "controls/program.yaml")
    refused(
        runner, built, "controls/program.yaml:1:1: error [symlink-outside] controls/program.yaml is a symbolic link"
    )


def test_trust_yaml_linked_from_anywhere_is_not_read(runner, built: Path, tmp_path: Path) -> None:
    outside = tmp_path / "trust.yaml"
    shutil.move(built / "site/trust.yaml", outside)
    os.symlink(outside, built / "site/trust.yaml")
    refused(runner, built, "site/trust.yaml:1:1: error [site-symlink] site/trust.yaml is a symbolic link")


def test_a_catalog_linked_from_outside_is_not_read(runner, built: Path) -> None:
    os.makedirs(built / "frameworks")
    os.symlink("/etc/passwd", built / "frameworks/custom.yaml")
    edit(built, "controls/program.yaml", "catalog: soc2-2017", "catalog: frameworks/custom.yaml")
    results = refused(runner, built, "error [unknown-catalog] catalog 'frameworks/custom.yaml'")
    assert "root:" not in results["check"].output


def test_the_output_names_the_hash_of_no_evidence(runner, built: Path) -> None:
    # A control-free page that happens to quote the pinned hash of an evidence file.
    sha = hashlib.sha256((built / "evidence/files/mfa-policy.json").read_bytes()).hexdigest()
    write(built, "site/faq.md", f"# FAQ\n\nChecksum {sha}\n")
    refused(
        runner,
        built,
        "site/faq.md:3:10: error [internal-value] site/faq.md contains a file hash of evidence record mfa-policy",
    )


# More routes: what mkdocs.yml and the theme's custom_dir publish, and entities that spell a value.
def test_mkdocs_yml_is_a_public_input(runner, built: Path) -> None:
    edit(built, "mkdocs.yml", "site_url:", f"copyright: Questions to {OWNER}\nsite_url:")
    refused(runner, built, f"mkdocs.yml:2:25: error [internal-value] mkdocs.yml contains {OWNER_OF}")


def test_the_theme_custom_dir_is_a_public_input(runner, built: Path) -> None:
    edit(built, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    write(built, "overrides/partials/copyright.html", f"<p>Ask {OWNER}</p>\n")
    refused(
        runner,
        built,
        f"overrides/partials/copyright.html:1:8: error [internal-value] "
        f"overrides/partials/copyright.html contains {OWNER_OF}",
    )


def test_a_link_in_the_custom_dir_is_refused(runner, built: Path) -> None:
    edit(built, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (built / "overrides").mkdir()
    os.symlink("/etc/passwd", built / "overrides/passwd.txt")
    refused(runner, built, "overrides/passwd.txt:1:1: error [site-symlink] overrides/passwd.txt is a symbolic link")


def test_html_entities_cannot_spell_a_value_past_the_guard(runner, built: Path) -> None:
    spelled = "".join(f"&#{ord(c)};" for c in OWNER)
    write(built, "site/faq.md", f"# FAQ\n\nWrite to {spelled}.\n")
    refused(runner, built, f"site/faq.md:3:10: error [internal-value] site/faq.md contains {OWNER_OF}")


def test_a_file_name_is_public_too(runner, built: Path) -> None:
    write(built, f"site/{OWNER}.md", "# Contact\n\nWrite to us.\n")
    refused(
        runner, built, f"site/{OWNER}.md:1:1: error [internal-value] the name of site/{OWNER}.md contains {OWNER_OF}"
    )
