"""Policy PDFs (internal/policypdf.py): raw HTML in a policy's Markdown shows as text and is never
interpreted, only http(s) and mailto links become link annotations, images are never read or
fetched, and the public variant (a sheet without owner and approver) shows neither, not even as an
empty heading. Each PDF here is written uncompressed, as the public variant is, so its bytes can be
scanned."""

from __future__ import annotations

import dataclasses
import io

import pypdf

import policy_site
from payloads import PAYLOAD
from plaintrust.internal.policypdf import bundle_pdf, policy_pdf
from policy_site import MOMENT

# A short body and no summary: each test gives the text it scans for.
SHEET = dataclasses.replace(
    policy_site.SHEET, summary="", body="## Purpose\n\nEvery person signs in with a hardware key.\n"
)
PUBLIC = dataclasses.replace(SHEET, owner=None, approved_by=None)


def text(pdf: bytes | None) -> str:
    assert pdf is not None
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def uncompressed(body: str, summary: str = "") -> bytes:
    pdf, problems = policy_pdf(
        dataclasses.replace(SHEET, body=body, summary=summary), "Example Corp", MOMENT, compress=False
    )
    assert problems == []
    assert pdf is not None
    return pdf


def test_raw_html_shows_as_literal_text() -> None:
    pdf = uncompressed(f"## Purpose\n\nBefore {PAYLOAD} after.\n\n<div>block</div>\n", summary=f"Sum {PAYLOAD}")
    shown = text(pdf)
    assert f"Before {PAYLOAD} after." in shown
    assert f"Sum {PAYLOAD}" in shown
    assert "<div>block</div>" in shown
    assert b"/XObject" not in pdf  # the <img> of the payload is text, not an image


def test_an_entity_stays_as_written() -> None:
    shown = text(uncompressed("Written &lt;b&gt; and &#x6a;avascript.\n"))
    assert "Written &lt;b&gt; and &#x6a;avascript." in shown


def test_only_web_and_mail_links_become_link_annotations() -> None:
    body = (
        "[safe](https://example.com/a) [mail](mailto:security@example.com) "
        "[bad](javascript:alert(4)) [shouty](JavaScript:alert(5)) [data](data:text/html,x) "
        "[relative](other.pdf) [page](2) [file](file:///etc/passwd)\n\n"
        "| Where | Link |\n|---|---|\n| cell | [cell link](javascript:alert(6)) |\n"
    )
    pdf = uncompressed(body)
    assert "safe mail bad shouty data relative page file" in text(pdf)
    assert b"/URI (https://example.com/a)" in pdf
    assert b"/URI (mailto:security@example.com)" in pdf
    assert pdf.count(b"/Subtype /Link") == 2
    for scheme in (b"javascript", b"data:", b"file:", b"other.pdf"):
        assert scheme not in pdf.lower()
    assert b"/URI (javascript" not in pdf


def test_an_image_is_its_alt_text_and_nothing_is_read() -> None:
    pdf = uncompressed("![the diagram](/etc/passwd) ![remote](https://example.com/x.png)\n")
    assert "the diagram remote" in text(pdf)
    assert b"/XObject" not in pdf
    assert b"passwd" not in pdf and b"x.png" not in pdf


def test_the_public_variant_shows_no_owner_and_no_approver() -> None:
    pdf, _ = policy_pdf(PUBLIC, "Example Corp", MOMENT, compress=False)
    shown = text(pdf)
    assert "Owner" not in shown and "Dana" not in shown
    assert "Approved 1 June 2026 Next review 1 June 2027" in shown  # the approval date alone
    bundle, _ = bundle_pdf([PUBLIC, dataclasses.replace(PUBLIC, id="other", title="Other")], "Example Corp", MOMENT)
    cover = text(bundle).split("Page 1 of 3")[0]
    assert "Policy Version Effective Approved on Next review" in cover
    assert "Approved by" not in cover


def test_the_uncompressed_variant_shows_its_text_to_a_byte_scan() -> None:
    pdf = uncompressed("## Purpose\n\nEvery person signs in with a hardware key.\n")
    assert b"(Every person signs in with a hardware key.)" in pdf
