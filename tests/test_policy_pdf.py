"""Policies as PDF files (internal/policypdf.py): what a page shows, the bundle's cover, the same bytes
for the same input, and characters the built-in font cannot show as diagnostics, never a PDF that
drops letters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest

from plaintrust.diagnostics import Location, Severity
from plaintrust.internal.policypdf import Sheet, bundle_pdf, policy_pdf
from policy_site import MOMENT, SHEET

HARD_BREAK = "  "  # two spaces at a line's end
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pages(pdf: bytes | None) -> list[str]:
    assert pdf is not None
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def drawn_lines(pdf: bytes) -> list[str]:
    """Each line of text as the first page draws it: a cell's text that wraps is two lines here
    (extract_text may join them again by their height)."""
    found: list[str] = []

    def seen(text, *_) -> None:
        if text.strip():
            found.append(text.strip())

    pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=seen)
    return found


def sheet(number: int) -> Sheet:
    return dataclasses.replace(SHEET, id=f"policy-{number}", title=f"Policy number {number}", version=f"{number}.0")


def test_a_policy_shows_its_facts_summary_and_text() -> None:
    pdf, problems = policy_pdf(SHEET, "Example Corp", MOMENT)
    assert problems == []
    [text] = pages(pdf)
    for expected in (
        "Example Corp",
        "Access control policy",
        "Version 1.2",
        "Effective 15 June 2026",
        "Status Approved; next review 1 June 2027",
        "Approved 1 June 2026 by Dana Smith, CTO",
        "Next review 1 June 2027",
        "Owner security@example.com",
        "Summary We check who can reach what.",
        "Every person signs in with a hardware key.",
        "Its keys rotate every quarter.",
        "Human yearly",  # markup inside a table cell is kept as its text
        "Page 1 of 1",
    ):
        assert expected in text


def test_the_bundle_opens_with_a_version_table_and_starts_each_policy_on_a_page() -> None:
    pdf, problems = bundle_pdf([sheet(1), sheet(2), sheet(3)], "Example Corp", MOMENT)
    assert problems == []
    cover, *rest = pages(pdf)
    assert cover.startswith("Example Corp Policies 22 November 2026")
    assert "Policy Version Effective Approved on Approved by Next review" in cover
    for number in (1, 2, 3):
        row = f"Policy number {number} {number}.0 15 June 2026 1 June 2026 Dana Smith, CTO 1 June 2027"
        assert row in cover
    assert [page.split(" Version")[0] for page in rest] == [f"Example Corp Policy number {n}" for n in (1, 2, 3)]
    assert rest[-1].endswith("Page 4 of 4")


def test_the_same_input_gives_the_same_bytes_dated_by_the_run() -> None:
    first, _ = bundle_pdf([sheet(1), sheet(2)], "Example Corp", MOMENT)
    second, _ = bundle_pdf([sheet(1), sheet(2)], "Example Corp", MOMENT)
    later, _ = bundle_pdf([sheet(1), sheet(2)], "Example Corp", MOMENT + dt.timedelta(days=1))
    assert first is not None and first == second
    assert later != first
    info = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert info is not None
    assert info.creation_date == MOMENT
    assert (info.title, info.author) == ("Example Corp: policies", "Example Corp")


def test_a_character_the_built_in_font_lacks_is_an_error_at_its_line() -> None:
    body = "## Zasady\n\nKażdy ma własny klucz.\n"
    pdf, problems = policy_pdf(dataclasses.replace(SHEET, body=body), "Example Corp", MOMENT)
    assert pdf is None
    assert [str(p) for p in problems] == [
        "policies/access-control.md:17:3: error [policy-pdf-font] policy access-control uses 'ż' (U+017C), "
        "which the built-in PDF font cannot show (hint: pass --font with a TrueType font that has it "
        "(e.g. DejaVuSans.ttf))",
        "policies/access-control.md:17:11: error [policy-pdf-font] policy access-control uses 'ł' (U+0142), "
        "which the built-in PDF font cannot show (hint: pass --font with a TrueType font that has it "
        "(e.g. DejaVuSans.ttf))",
    ]


def test_a_title_the_built_in_font_cannot_show_is_at_its_field_and_stops_the_bundle() -> None:
    at = {"title": Location(SHEET.path, 3, 8), "change": Location(SHEET.path, 12, 9)}
    polish = dataclasses.replace(sheet(2), title="Polityka dostępu", change="Nowe zasady", at=at)
    pdf, problems = bundle_pdf([sheet(1), polish], "Example Corp", MOMENT)
    assert pdf is None
    assert [(p.path, p.line, p.col, p.rule, p.severity) for p in problems] == [
        ("policies/access-control.md", 3, 8, "policy-pdf-font", Severity.ERROR)
    ]
    assert "policy policy-2 uses 'ę' (U+0119)" in problems[0].message
    summary = dataclasses.replace(polish, title="Policy", change="Zmiany: łatwiej")
    _, problems = policy_pdf(summary, "Example Corp", MOMENT)
    assert [(p.line, p.col) for p in problems] == [(12, 9)]
    _, problems = policy_pdf(dataclasses.replace(summary, at={}), "Example Corp", MOMENT)
    assert [(p.line, p.col) for p in problems] == [(1, 1)]  # no position given: the file's first line


def test_an_organisation_name_the_font_lacks_is_at_where_the_caller_says_it_is_written() -> None:
    where = Location("site/trust.yaml", 1, 15)
    for render in (policy_pdf, lambda s, *args, **kw: bundle_pdf([s], *args, **kw)):
        pdf, problems = render(SHEET, "Przykład sp. z o.o.", MOMENT, organization_at=where)
        assert pdf is None
        assert [str(p) for p in problems] == [
            "site/trust.yaml:1:15: error [policy-pdf-font] the organisation's name uses 'ł' (U+0142), which the "
            "built-in PDF font cannot show (hint: pass --font with a TrueType font that has it (e.g. DejaVuSans.ttf))"
        ]
    _, problems = policy_pdf(SHEET, "Przykład", MOMENT)
    assert [(p.path, p.line) for p in problems] == [("controls/program.yaml", 1)]


def test_the_cover_table_keeps_each_date_on_one_line() -> None:
    long = dataclasses.replace(
        sheet(1),
        title="A policy with a title long enough to wrap in its column of the table",
        effective=dt.date(2026, 9, 28),
        approved_on=dt.date(2026, 11, 22),
        next_review=dt.date(2027, 9, 30),
        approved_by="Dana Smith, Chief Technology Officer",
    )
    for chosen in ([long, sheet(2)], [dataclasses.replace(long, approved_by=None, owner=None)]):
        pdf, problems = bundle_pdf(chosen, "Example Corp", MOMENT)
        assert problems == []
        assert pdf is not None
        cells = drawn_lines(pdf)[3:]  # below the cover's own date
        for day in ("28 September 2026", "22 November 2026", "30 September 2027"):
            assert day in cells, (day, cells)
        assert "2026" not in cells and "2027" not in cells, cells


def test_the_change_line_is_among_the_facts() -> None:
    pdf, problems = policy_pdf(dataclasses.replace(SHEET, change="Service accounts need an owner."), "Co", MOMENT)
    assert problems == []
    assert "What changed Service accounts need an owner." in pages(pdf)[0]


def test_windows_1252_punctuation_needs_no_font() -> None:
    body = "Quotes “like these” – and dashes — cost 5 €… café.\n"
    pdf, problems = policy_pdf(dataclasses.replace(SHEET, body=body), "Example Corp", MOMENT)
    assert problems == []
    assert "Quotes “like these” – and dashes — cost 5 €… café." in pages(pdf)[0]


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs the DejaVu Sans font (Debian's fonts-dejavu-core)")
def test_a_truetype_font_shows_what_the_built_in_font_cannot() -> None:
    body = "## Zasady\n\nKażdy login ma właściciela: `zażółć`.\n\n| Rola | Właściciel |\n|---|---|\n| **Ł** | ż |\n"
    polish = dataclasses.replace(SHEET, title="Polityka dostępu", body=body)
    pdf, problems = policy_pdf(polish, "Example Corp", MOMENT, font=DEJAVU)
    assert problems == []
    [text] = pages(pdf)
    assert "Polityka dostępu" in text
    assert "Każdy login ma właściciela: zażółć." in text
    again, _ = policy_pdf(polish, "Example Corp", MOMENT, font=DEJAVU)
    assert again == pdf


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs the DejaVu Sans font (Debian's fonts-dejavu-core)")
def test_a_character_the_truetype_font_lacks_is_an_error_too() -> None:
    body = "Intro.\n\nIn Chinese: 中文.\n"
    pdf, problems = policy_pdf(dataclasses.replace(SHEET, body=body), "Example Corp", MOMENT, font=DEJAVU)
    assert pdf is None
    assert [(p.line, p.col, p.rule) for p in problems] == [(17, 13, "policy-pdf-font"), (17, 14, "policy-pdf-font")]
    assert problems[0].message == "policy access-control uses '中' (U+4E2D), which the font DejaVuSans.ttf cannot show"


def test_a_font_file_that_is_no_font_is_an_error(tmp_path: Path) -> None:
    font = tmp_path / "broken.ttf"
    font.write_bytes(b"not a font at all")
    pdf, problems = policy_pdf(SHEET, "Example Corp", MOMENT, font=font)
    assert pdf is None
    assert [(p.path, p.rule, p.severity) for p in problems] == [(str(font), "policy-pdf-font", Severity.ERROR)]
    assert problems[0].message.startswith("the font file cannot be read as a TrueType font")


def test_markdown_shapes_a_policy_may_hold_all_lay_out() -> None:
    body = f"""\
# Heading one

1. First
    1. Nested
2. Second

    Loose paragraph in an item.

> A quote with **bold** and a [link](https://example.com/policy).

    indented code with <angle> & ampersand

Inline `a<b && c` code, a line{HARD_BREAK}
break, and ---

---

| Left | Right |
|:--|--:|
| ![diagram](diagram.png) | [mail](mailto:security@example.com) |
| | empty first cell |
"""
    pdf, problems = policy_pdf(dataclasses.replace(SHEET, body=body), "Example Corp", MOMENT)
    assert problems == []
    [text] = pages(pdf)
    assert "indented code with <angle> & ampersand" in text
    assert "Inline a<b && c code" in text
    assert "diagram mail" in text  # an image is its alt text: nothing is read or fetched
