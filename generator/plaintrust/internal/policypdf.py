"""Policies as PDF files: one file per policy, or one bundle with a cover page and a version table.

A renderer: data in, bytes or diagnostics out. It reads no file but the font it is handed, and
prints nothing. Internal side: a sheet may carry the owner and the approver; the caller builds the
public variant by leaving those out.

The body is Markdown, turned into HTML by the `markdown` package and laid out by fpdf2. Policy text
is checked elsewhere to hold no HTML; here `<`, `>` and `&` are escaped before conversion all the
same, so raw HTML shows as the text it is. Links keep only http(s) and mailto addresses, and
images become their alt text, so nothing is fetched or read while rendering.

The built-in Helvetica shows only Windows-1252 characters. Any other character is a diagnostic
naming the policy, the character and where it was written (the body's line, the front matter's
field, or the file that names the organisation), and that policy gets no bytes: the alternative, a
PDF that silently drops letters, is worse. With a TrueType font, the same check runs on the font's
own character map.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace, TextStyle
from fpdf.errors import FPDFException
from fpdf.fonts import TTFFont
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.words import day_words

FONT_RULE = "policy-pdf-font"
ORGANIZATION_FILE = "controls/program.yaml"  # where the name comes from when the caller does not say
LAYOUT_RULE = "policy-pdf-layout"
BUILTIN = "helvetica"
CUSTOM = "policyfont"  # the family name a --font file is registered under
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_SKIP = frozenset("\n\r\t")  # line breaks and tabs are layout, never drawn as glyphs
_INK = (0, 0, 0)
_GREY = (90, 90, 90)


@dataclass(frozen=True)
class Sheet:
    """What one PDF shows of one policy."""

    id: str
    title: str
    version: str
    effective: dt.date
    state_words: str  # "Approved; next review 1 June 2027", "Draft: not approved"
    approved_by: str | None  # None in the public variant
    approved_on: dt.date | None
    next_review: dt.date | None
    owner: str | None  # None in the public variant
    summary: str  # Markdown; '' when there is none
    body: str  # Markdown; '' when only the summary is shown
    body_line: int  # the body's first line in the file, for diagnostics
    path: str  # the policy's file, from the repository root
    change: str = ""  # one line: what this version changed
    # Where each front-matter field shown (title, version, change, summary, approved_by, owner) was
    # written, for diagnostics; a field not named here points at the file's first line.
    at: Mapping[str, Location] = field(default_factory=dict)


def policy_pdf(
    sheet: Sheet,
    organization: str,
    moment: dt.datetime,
    font: Path | None = None,
    compress: bool = True,
    organization_at: Location | None = None,
) -> tuple[bytes | None, list[Diagnostic]]:
    """One policy: a header block, its summary and its text. `organization_at`: where the
    organisation's name was written, for diagnostics."""
    return _render([sheet], organization, moment, font, compress, cover=False, organization_at=organization_at)


def bundle_pdf(
    sheets: Sequence[Sheet],
    organization: str,
    moment: dt.datetime,
    font: Path | None = None,
    compress: bool = True,
    organization_at: Location | None = None,
) -> tuple[bytes | None, list[Diagnostic]]:
    """All the policies: a cover page with the version table, then each policy from a new page."""
    return _render(sheets, organization, moment, font, compress, cover=True, organization_at=organization_at)


def _render(
    sheets: Sequence[Sheet],
    organization: str,
    moment: dt.datetime,
    font: Path | None,
    compress: bool,
    cover: bool,
    organization_at: Location | None,
) -> tuple[bytes | None, list[Diagnostic]]:
    title = sheets[0].title if len(sheets) == 1 and not cover else f"{organization}: policies"
    pdf, problems = _document(title, organization, moment, font, compress)
    if pdf is None:
        return None, problems
    try:
        named = (organization, organization_at or Location(ORGANIZATION_FILE))
        problems = list(_unshowable(sheets, named, _can_show(pdf, font), font))
        return (None, problems) if problems else _pages(pdf, sheets, organization, moment, cover)
    finally:
        _close_fonts(pdf)


def _pages(
    pdf: FPDF, sheets: Sequence[Sheet], organization: str, moment: dt.datetime, cover: bool
) -> tuple[bytes | None, list[Diagnostic]]:
    if cover:
        _cover(pdf, sheets, organization, moment)
    for sheet in sheets:
        try:
            _policy(pdf, sheet, organization)
        except (FPDFException, NotImplementedError) as failure:  # a Markdown shape fpdf2 cannot lay out
            message = f"policy {sheet.id}: its PDF could not be laid out: {failure}"
            # fpdf2's state is undefined after a failure: the rest of a bundle is not attempted.
            return None, [Location(sheet.path, sheet.body_line).error(LAYOUT_RULE, message)]
    return bytes(pdf.output()), []


class _Document(FPDF):
    """An FPDF whose pages end with "Page N of M"."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(size=8)
        self.set_text_color(*_GREY)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def _document(
    title: str, organization: str, moment: dt.datetime, font: Path | None, compress: bool
) -> tuple[FPDF | None, list[Diagnostic]]:
    pdf = _Document(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    # The public variant is written uncompressed so that the leak guard's byte scan reads its text.
    pdf.set_compression(compress)
    pdf.set_creation_date(moment)  # the run's clock: the same input gives the same bytes
    pdf.set_title(title)
    pdf.set_author(organization)
    pdf.set_lang("en")
    pdf.set_auto_page_break(auto=True, margin=20)
    if font is not None:
        problem = _add_font(pdf, font)
        if problem is not None:
            _close_fonts(pdf)
            return None, [problem]
    pdf.set_font(CUSTOM if font is not None else BUILTIN, size=10)
    return pdf, []


def _add_font(pdf: FPDF, font: Path) -> Diagnostic | None:
    """Registers the one file for every style, since headings, tables and <strong> ask for bold."""
    try:
        # Read once through a file we close: fontTools leaves a file open when it fails on one.
        with font.open("rb") as file:
            TTFont(file, lazy=True).getBestCmap()
        for style in ("", "B", "I", "BI"):
            pdf.add_font(CUSTOM, style, font)
    except Exception as failure:  # noqa: BLE001 (fontTools raises many kinds on a damaged file)
        return Location(str(font)).error(FONT_RULE, f"the font file cannot be read as a TrueType font: {failure}")
    return None


def _close_fonts(pdf: FPDF) -> None:
    """fpdf2 reads a TrueType font lazily and never closes it: closed here, once the bytes exist."""
    for loaded in pdf.fonts.values():
        if isinstance(loaded, TTFFont):
            loaded.ttfont.close()


def _can_show(pdf: FPDF, font: Path | None) -> Callable[[str], bool]:
    if font is None:
        return _in_windows_1252
    loaded = pdf.fonts[CUSTOM]
    cmap = loaded.cmap if isinstance(loaded, TTFFont) else {}
    return lambda char: ord(char) in cmap


def _in_windows_1252(char: str) -> bool:
    try:
        char.encode("windows-1252")
    except UnicodeEncodeError:
        return False
    return True


# -- the character check ---------------------------------------------------------------------------


def _unshowable(
    sheets: Sequence[Sheet], named: tuple[str, Location], can_show: Callable[[str], bool], font: Path | None
) -> Iterator[Diagnostic]:
    which = "the built-in PDF font" if font is None else f"the font {font.name}"
    hint = "pass --font with a TrueType font that has it" + (" (e.g. DejaVuSans.ttf)" if font is None else "")
    organization, where = named
    for char, _ in _missing(organization, can_show):
        message = f"the organisation's name uses {_named(char)}, which {which} cannot show"
        yield where.error(FONT_RULE, message, hint)
    for sheet in sheets:
        for at, char in _sheet_misses(sheet, can_show):
            message = f"policy {sheet.id} uses {_named(char)}, which {which} cannot show"
            yield at.error(FONT_RULE, message, hint)


def _sheet_misses(sheet: Sheet, can_show: Callable[[str], bool]) -> Iterator[tuple[Location, str]]:
    """(where, character) for each character the font lacks: at the front-matter field that holds
    it, or at its line and column in the body (once per line)."""
    fields = {
        "title": sheet.title,
        "version": sheet.version,
        "change": sheet.change,
        "summary": sheet.summary,
        "approved_by": sheet.approved_by,
        "owner": sheet.owner,
        "": sheet.state_words,  # made of dates and fixed words: no field of its own
    }
    for name, text in fields.items():
        for char, _ in _missing(text or "", can_show):
            yield sheet.at.get(name, Location(sheet.path)), char
    for index, line in enumerate(sheet.body.split("\n")):
        for char, col in _missing(line, can_show):
            yield Location(sheet.path, sheet.body_line + index, col), char


def _missing(text: str, can_show: Callable[[str], bool]) -> Iterator[tuple[str, int]]:
    """Each character of `text` the font cannot show, with its first 1-based column."""
    seen: set[str] = set()
    for col, char in enumerate(text, start=1):
        if char not in seen and char not in _SKIP and not can_show(char):
            seen.add(char)
            yield char, col


def _named(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X})"


# -- the pages -------------------------------------------------------------------------------------


def _cover(pdf: FPDF, sheets: Sequence[Sheet], organization: str, moment: dt.datetime) -> None:
    pdf.add_page()
    pdf.set_y(60)
    _line(pdf, organization, 24, "B")
    _line(pdf, "Policies", 18)
    _line(pdf, day_words(moment.astimezone(dt.UTC).date()), 11, color=_GREY)
    pdf.ln(10)
    _version_table(pdf, sheets)


def _version_table(pdf: FPDF, sheets: Sequence[Sheet]) -> None:
    """Title, version, effective, approved on, approved by, next review; a column no sheet fills
    (the approver, in the public variant) is left out rather than shown empty."""
    columns = [  # heading, share of the width left once the fitted columns have theirs (0: fitted), value
        ("Policy", 3.0, lambda s: s.title),
        ("Version", 0, lambda s: s.version),
        ("Effective", 0, lambda s: day_words(s.effective)),
        ("Approved on", 0, lambda s: _day(s.approved_on)),
        ("Approved by", 2.0, lambda s: s.approved_by or ""),
        ("Next review", 0, lambda s: _day(s.next_review)),
    ]
    kept = [column for column in columns if any(column[2](s) for s in sheets)]
    cells = [[value(s) for s in sheets] for _, _, value in kept]
    pdf.set_font(size=9)
    widths = _widths(pdf, [(name, share, texts) for (name, share, _), texts in zip(kept, cells, strict=True)])
    with pdf.table(text_align="LEFT", borders_layout="HORIZONTAL_LINES", line_height=5, col_widths=widths) as table:
        table.row([name for name, _, _ in kept])
        for row in zip(*cells, strict=True):
            table.row(list(row))


def _widths(pdf: FPDF, columns: Sequence[tuple[str, float, Sequence[str]]]) -> tuple[float, ...]:
    """Widths in mm. A fitted column (share 0) is as wide as its widest text, so a date never wraps
    ("22 November" above "2026"), up to a fifth of the page for a long version; the other columns
    share what is left."""
    fitted = {name: min(_natural(pdf, name, texts), pdf.epw / 5) for name, share, texts in columns if not share}
    left = max(pdf.epw - sum(fitted.values()), 0.0)
    shares = sum(share for _, share, _ in columns) or 1.0
    return tuple(fitted[name] if not share else left * share / shares for name, share, _ in columns)


def _natural(pdf: FPDF, heading: str, texts: Sequence[str]) -> float:
    """The width a column needs to show its bold heading and each text on one line, with the padding."""
    pdf.set_font(style="B")
    widest = pdf.get_string_width(heading)
    pdf.set_font(style="")
    widest = max([widest, *(pdf.get_string_width(text) for text in texts)])
    return widest + 2 * pdf.c_margin + 2  # a little air between columns, and slack against rounding


def _policy(pdf: FPDF, sheet: Sheet, organization: str) -> None:
    pdf.add_page()
    pdf.start_section(sheet.title, level=0, strict=False)  # a bookmark; the body's headings nest under it
    _line(pdf, organization, 9, color=_GREY)
    _line(pdf, sheet.title, 18, "B")
    pdf.ln(2)
    _facts(pdf, sheet)
    if sheet.summary.strip():
        _markdown(pdf, "## Summary\n\n" + sheet.summary)
    if sheet.body.strip():
        _markdown(pdf, sheet.body)


def _facts(pdf: FPDF, sheet: Sheet) -> None:
    """The header block: each fact the sheet carries, as a label and a value."""
    approved = None
    if sheet.approved_on is not None:
        approved = day_words(sheet.approved_on) + (f" by {sheet.approved_by}" if sheet.approved_by else "")
    elif sheet.approved_by:
        approved = f"by {sheet.approved_by}"
    facts = [
        ("Version", sheet.version),
        ("Effective", day_words(sheet.effective)),
        ("Status", sheet.state_words),
        ("What changed", sheet.change),
        ("Approved", approved),
        ("Next review", _day(sheet.next_review) or None),
        ("Owner", sheet.owner),
    ]
    pdf.set_font(size=10)
    with pdf.table(
        text_align="LEFT", borders_layout="NONE", first_row_as_headings=False, col_widths=(1, 4), line_height=5
    ) as table:
        for label, value in facts:
            if value:
                table.row([label, value])


def _line(pdf: FPDF, text: str, size: float, style: str = "", color: tuple[int, int, int] = _INK) -> None:
    pdf.set_font(style=style, size=size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)
    pdf.set_font(style="", size=10)


def _day(day: dt.date | None) -> str:
    return day_words(day) if day is not None and day != dt.date.max else ""


# -- Markdown --------------------------------------------------------------------------------------


def _markdown(pdf: FPDF, text: str) -> None:
    family = pdf.font_family
    source = html.escape(text, quote=False)  # raw HTML stays text: defence in depth
    markup = markdown.markdown(source, extensions=["tables", "sane_lists", _PdfSafe()])
    pdf.write_html(
        markup,
        font_family=family,
        ul_bullet_char="•",  # fpdf2's default bullet fails under the Windows-1252 encoding
        li_prefix_color=_INK,
        warn_on_tags_not_matching=False,
        tag_styles=_styles(family),
    )
    pdf.set_font(family, "", 10)


def _styles(family: str) -> dict[str, FontFace]:
    """Plain black headings; code in Courier only with the built-in font, since a --font is chosen
    for characters that Courier lacks."""
    code = "courier" if family == BUILTIN else family
    styles: dict[str, FontFace] = {
        f"h{level}": TextStyle(font_style="B", font_size_pt=size, color=_INK, t_margin=4, b_margin=1)
        for level, size in ((1, 15), (2, 13), (3, 11), (4, 10), (5, 10), (6, 10))
    }
    styles["code"] = FontFace(family=code)
    styles["pre"] = TextStyle(font_family=code, t_margin=3)
    styles["blockquote"] = TextStyle(color=_GREY, l_margin=5, t_margin=2, b_margin=2)
    return styles


class _PdfSafeTree(Treeprocessor):
    """Shapes the HTML tree into what fpdf2 lays out safely (runs after the inline patterns)."""

    def run(self, root: Element) -> None:
        for code in root.iter("code"):
            # Markdown escapes code text once more; the source was escaped already.
            if code.text:
                code.text = AtomicString(html.unescape(code.text))
        for element in root.iter():
            _tame(element)
        for cell in [*root.iter("td"), *root.iter("th")]:
            _flatten(cell)


def _tame(element: Element) -> None:
    """An image becomes its alt text (nothing is fetched or read); a link other than http(s) or
    mailto becomes its label."""
    if element.tag == "img":
        alt = element.get("alt", "")
        element.attrib.clear()
        element.tag, element.text = "span", alt
    elif element.tag == "a" and not element.get("href", "").lower().startswith(_LINK_SCHEMES):
        element.attrib.clear()
        element.tag = "span"


def _flatten(cell: Element) -> None:
    """fpdf2's tables take plain text only: markup inside a cell raises there."""
    text = "".join(cell.itertext())
    for child in list(cell):
        cell.remove(child)
    cell.text = text


class _PdfSafe(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PdfSafeTree(md), "plaintrust-pdf-safe", 0)
