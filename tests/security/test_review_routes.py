"""Routes found by an adversarial review after the first round: markup the theme prints as it is,
ways around the snippets restriction, files that are not simply the site's own, encodings,
archives and PDFs that hid a value, and inputs that crashed or stalled the guard."""

from __future__ import annotations

import bz2
import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest

from helpers import check_and_build, edit, site_snapshot, write
from plaintrust import cli
from plaintrust.boundary import extract
from plaintrust.errors import ExitCode

OWNER = "it-security@test.example"
OWNER_OF = "the owner of control AC-01 (controls/access/ac-01.yaml): 'it-security@test.example'"
EVIDENCE_LINE = '{"policy": "mfa-required", "factors": ["webauthn"]}'


def refused(runner, repo: Path, *expected: str) -> None:
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        for line in expected:
            assert line in result.output, f"{command} did not say {line!r}:\n{result.output}"
    assert site_snapshot(repo) == {}


# Markup the theme prints as it is.
def test_front_matter_is_printed_as_text(runner, base_repo: Path) -> None:
    write(
        base_repo,
        "site/help.md",
        "---\ntitle: Help <img src=x onerror=alert(1)>\n"
        "description: '\"><script>alert(2)</script>'\n---\n\n# Help\n\nText.\n",
    )
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    for page in (base_repo / "build/site").rglob("*.html"):
        html = page.read_text()
        assert "<img src=x" not in html and "<script>alert(2)" not in html, page
    assert "<title>Help &lt;img src=x onerror=alert(1)&gt; - " in (base_repo / "build/site/help/index.html").read_text()


@pytest.mark.parametrize(
    ("setting", "where"),
    [
        ("copyright: 'Us <img src=x onerror=alert(1)>'", "copyright"),
        ("site_description: '<script>alert(1)</script>'", "site_description"),
        ("extra:\n  note: '<a href=\"javascript:alert(1)\">x</a>'", "extra.note"),
        ("nav:\n  - '<b onclick=alert(1)>Home</b>': index.md", "nav[0]"),
    ],
)
def test_markup_in_what_themes_print_raw_is_refused(runner, base_repo: Path, setting: str, where: str) -> None:
    edit(base_repo, "mkdocs.yml", "site_url:", f"{setting}\nsite_url:")
    refused(runner, base_repo, f"mkdocs.yml:1:1: error [site-markup] mkdocs.yml's {where} holds markup")


@pytest.mark.parametrize(
    ("rel", "content", "message"),
    [
        ("raw.html", "<p>hi</p><script>alert(1)</script>", "site/raw.html is HTML, which is published as it is"),
        ("logo2.svg", "<svg><script>alert(1)</script></svg>", "site/logo2.svg is an image that carries script"),
        ("logo3.svg", '<svg onload="alert(1)"></svg>', "site/logo3.svg is an image that carries script"),
    ],
)
def test_static_files_that_run_script_are_refused(
    runner, base_repo: Path, rel: str, content: str, message: str
) -> None:
    write(base_repo, f"site/{rel}", content)
    refused(runner, base_repo, f"site/{rel}:1:1: error [active-content] {message}")


# The snippets restriction, however it is configured.
PASSWD_PAGE = '# Help\n\n--8<-- "/etc/passwd"\n'


@pytest.mark.parametrize(
    "config",
    [
        "markdown_extensions:\n  - pymdownx.snippets:SnippetExtension:\n      restrict_base_path: false\n",
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [site]\n      restrict_base_path: 'no'\n",
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [site]\n      restrict_base_path: 0\n",
    ],
)
def test_snippets_may_not_read_outside_site(runner, base_repo: Path, config: str) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n", config + "plugins:\n")
    write(base_repo, "site/help.md", PASSWD_PAGE)
    refused(runner, base_repo, "mkdocs.yml:1:1: error [site-layout] pymdownx.snippets may include files from")


def test_an_inherited_configuration_is_read_too(runner, base_repo: Path) -> None:
    write(base_repo, "base.yml", "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ['.']\n")
    edit(base_repo, "mkdocs.yml", "site_name:", "INHERIT: base.yml\nsite_name:")
    write(base_repo, "site/help.md", '# Help\n\n--8<-- "controls/access/ac-01.yaml"\n')
    refused(runner, base_repo, "mkdocs.yml:1:1: error [site-layout] pymdownx.snippets may include files from '.'")


def test_an_inherited_file_outside_the_repository_is_not_read(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "site_name:", "INHERIT: /etc/passwd\nsite_name:")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, command
        assert "mkdocs.yml:1:1: error [site-layout] mkdocs.yml INHERITs '/etc/passwd'" in result.output
        assert "root:" not in result.output


def test_files_added_to_every_page_are_checked(runner, base_repo: Path) -> None:
    edit(
        base_repo,
        "mkdocs.yml",
        "plugins:\n",
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [site]\n"
        "      auto_append: [/etc/passwd]\nplugins:\n",
    )
    refused(
        runner, base_repo, "mkdocs.yml:1:1: error [snippet-missing] pymdownx.snippets adds '/etc/passwd' to every page"
    )


# Files that are not simply the site's own.
def test_a_hard_link_under_site_is_refused(runner, base_repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "host/secret.txt", "host secret\n")
    os.link(outside, base_repo / "site/users.txt")
    refused(runner, base_repo, "site/users.txt:1:1: error [hard-link] site/users.txt has 2 names (a hard link)")


def test_a_hidden_file_is_screened_too(runner, base_repo: Path) -> None:
    write(base_repo, "site/.drafts/contact.txt", f"Write to {OWNER}.\n")
    refused(
        runner,
        base_repo,
        f"site/.drafts/contact.txt:1:10: error [internal-value] site/.drafts/contact.txt contains {OWNER_OF}",
    )


# Encodings that once hid a value.
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("contact.html.txt", b"\xff\xfe" + f"Write to {OWNER}".encode("utf-16-le") + b"\x00"),
        ("notes.txt", f"Write to {OWNER}".encode("utf-16-le")),
        ("link.md", b"[Write to us](mailto:it-security%40test.example)"),
        ("contact.json", b'{"contact": "it-security\\u0040test.example"}'),
        ("zero-width.md", "Write to it-secu\u200brity@test.example".encode()),
        ("fullwidth.md", "Write to \uff49\uff54-security@test.example".encode()),
        ("emphasis.md", b"Write to it-secu**rity**@test.example"),
        ("linked.md", b"Write to [it-security](https://x.example)@test.example"),
    ],
)
def test_encodings_cannot_hide_a_value(runner, base_repo: Path, name: str, data: bytes) -> None:
    (base_repo / "site" / name).write_bytes(data)
    refused(runner, base_repo, f"site/{name} contains {OWNER_OF}")


# Archives: fail closed, never crash, never stall.
def nested_zip(depth: int, content: bytes) -> bytes:
    for level in range(depth):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"level{level}.bin" if level else "contact.txt", content)
        content = buffer.getvalue()
    return content


def test_an_archive_too_deep_to_read_is_a_finding(runner, base_repo: Path) -> None:
    (base_repo / "site/deep.zip").write_bytes(nested_zip(4, OWNER.encode()))
    refused(
        runner,
        base_repo,
        "site/deep.zip:1:1: error [unreadable] site/deep.zip!level3.bin!level2.bin!level1.bin "
        "could not be read whole (archives nested more than 3 deep)",
    )


def test_an_archive_larger_than_the_budget_is_a_finding(runner, base_repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(extract, "UNPACK_BUDGET", 1000)
    (base_repo / "site/big.txt.gz").write_bytes(gzip.compress(b"\0" * 2000 + OWNER.encode()))
    refused(
        runner,
        base_repo,
        "site/big.txt.gz:1:1: error [unreadable] site/big.txt.gz could not be read whole "
        "(more than 256 MiB once unpacked)",
    )


def test_a_zip_behind_other_bytes_is_opened(runner, base_repo: Path) -> None:
    (base_repo / "site/setup.exe").write_bytes(b"MZ" + bytes(64) + nested_zip(1, OWNER.encode()))
    refused(runner, base_repo, f"site/setup.exe!contact.txt contains {OWNER_OF}")


def damaged(data: bytes, start: int, end: int) -> bytes:
    """`data` with its compressed bytes from `start` to `end` flipped: zlib stops on them."""
    return data[:start] + bytes(b ^ 0x55 for b in data[start:end]) + data[end:]


BODY = bytes(range(256)) * 200 + OWNER.encode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.zip", damaged(nested_zip(1, BODY), 60, 200)),
        ("broken.gz", damaged(gzip.compress(BODY), 30, 90)),
        ("broken.bz2", damaged(bz2.compress(BODY), 20, 60)),
    ],
)
def test_a_damaged_archive_is_read_as_bytes_not_a_crash(runner, base_repo: Path, name: str, data: bytes) -> None:
    (base_repo / "site" / name).write_bytes(data)
    for command, result in check_and_build(runner, base_repo).items():  # no exception escaped: checked there
        assert result.exit_code in (ExitCode.OK, ExitCode.FINDINGS), command


def test_a_long_run_of_angle_brackets_is_read_in_linear_time(runner, base_repo: Path) -> None:
    write(base_repo, "site/thresholds.csv", "".join(f"m{i},value<{i}\n" for i in range(60_000)) + OWNER)
    refused(runner, base_repo, f"site/thresholds.csv contains {OWNER_OF}")


# PDFs: outlines and attachments; binary evidence never makes lines.
def test_a_pdf_outline_and_attachment_are_read(runner, base_repo: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_outline_item(title=f"Questions: {OWNER}", page_number=0)
    writer.add_attachment("policy.json", (base_repo / "evidence/files/mfa-policy.json").read_bytes())
    buffer = io.BytesIO()
    writer.write(buffer)
    (base_repo / "site/guide.pdf").write_bytes(buffer.getvalue())
    refused(
        runner,
        base_repo,
        f"site/guide.pdf contains {OWNER_OF}",
        "site/guide.pdf:1:1: error [evidence-copy] site/guide.pdf!policy.json is a copy of the evidence file "
        "evidence/files/mfa-policy.json",
    )


def test_binary_evidence_makes_no_lines(runner, base_repo: Path) -> None:
    import hashlib

    image = (
        b"\x89PNG\r\n\x1a\n" + b'<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Image Tool 5.0 for everyone">' + bytes(32)
    )
    write(base_repo, "evidence/files/screenshot.png", "")
    (base_repo / "evidence/files/screenshot.png").write_bytes(image)
    edit(
        base_repo,
        "evidence/access/mfa-policy.yaml",
        "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n",
        "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n"
        f"  - path: files/screenshot.png\n    sha256: {hashlib.sha256(image).hexdigest()}\n",
    )
    (base_repo / "site/brochure.png").write_bytes(image[:8] + image[8:-32] + b"\x01" * 32)  # the same tool's metadata
    results = check_and_build(runner, base_repo)
    assert results["check"].exit_code == ExitCode.OK, results["check"].output
    assert results["build"].exit_code == ExitCode.OK, results["build"].output


# Paths the build writes.
@pytest.mark.parametrize(
    ("rel", "message"),
    [
        ("feeds", "site/feeds is a file where the build needs a folder (for the security updates feed)"),
        ("search", "site/search is a file where the build needs a folder (for the search index)"),
        ("sitemap.xml", "site/sitemap.xml has the path of the sitemap, which the build writes"),
    ],
)
def test_a_file_in_the_way_of_the_build(runner, base_repo: Path, rel: str, message: str) -> None:
    write(base_repo, f"site/{rel}", "mine\n")
    refused(runner, base_repo, f"site/{rel}:1:1: error [output-clash] {message}")


def test_a_page_under_another_name_of_a_generated_address(runner, base_repo: Path) -> None:
    write(base_repo, "site/certifications/index.md", "# Mine\n")
    refused(
        runner,
        base_repo,
        "site/certifications/index.md:1:1: error [page-clash] site/certifications/index.md "
        "takes the place of the certifications page",
    )


@pytest.mark.parametrize("named", ["custom_dir", "hook"])
def test_the_site_may_not_be_built_over_a_theme_folder_or_a_hook(runner, base_repo: Path, named: str) -> None:
    write(base_repo, "overrides/main.html", "{% extends 'base.html' %}\n")
    if named == "custom_dir":
        edit(base_repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    else:
        write(base_repo, "overrides/hook.py", "")
        edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - overrides/hook.py\nplugins:\n")
    edit(base_repo, "mkdocs.yml", "site_dir: build/site", "site_dir: overrides")
    refused(runner, base_repo, "mkdocs.yml:1:1: error [site-layout] site_dir 'overrides' overlaps")
    assert (base_repo / "overrides/main.html").is_file()
