"""The drop-down lists over a questionnaire's answer column, and the choices each offers.

A drop-down is a list validation: its choices typed into it ("Yes,No,NA") or on cells ("Lists!$A$1:$A$3",
"Lists!$A:$A", a defined name). openpyxl reads the ones the sheet holds as such; the ones Excel 2010
and later save as an extension (their choices on another sheet) it drops while reading, so those are
read here from the sheet's XML in the original file, to answer in their words all the same.

The answer column's lists are indexed once per sheet, for the rows with a question, and each list's
choices are read once: a sheet with a validation per answer cell costs no more than one with a
shared one. A list's choices on cells are read from the cells the source sheet holds, so a whole
column costs what its filled cells cost; more than MAX_CHOICES of them is a table, not a list.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from plaintrust.actions.answers import cells

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAX_CHOICES = 1000  # filled cells read for a list's choices: more is a table, not a list
LAST_ROW = 1048576
LAST_COLUMN = 16384
# A list's choices on cells: "Lists!$A$1:$A$3", "'My lists'!A1:A3", "$H$1:$H$3", "Lists!$A:$A".
_RANGE = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[^'!]+)!)?"
    r"(?P<range>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3})"
)
# The extension Excel saves such lists in (its uri), and the names of its parts.
_X14_LISTS = b"{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"
_X14 = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_XM = "{http://schemas.microsoft.com/office/excel/2006/main}"

Bounds = tuple[int, int, int, int]  # left, top, right, bottom: columns and rows, from 1


@dataclass(frozen=True)
class Listed:
    """A list validation: what its choices are (formula1, as saved) and the cells it covers."""

    formula: str
    ranges: tuple[Bounds, ...]


@dataclass(frozen=True)
class DropDown:
    formula: str
    choices: tuple[str, ...]  # empty when they cannot be read


def index(sheet: Worksheet, column: int, rows: Iterable[int], extra: Iterable[Listed] = ()) -> dict[int, DropDown]:
    """The drop-down on each of `rows` in `column` that has one: the sheet's own lists first, in its
    order, then `extra` (those openpyxl dropped). Each list's choices are read once."""
    ordered = sorted(rows)
    formulas: dict[int, str] = {}
    for listed in [*_kept(sheet), *extra]:
        for left, top, right, bottom in listed.ranges:
            if left <= column <= right:
                for row in ordered[bisect_left(ordered, top) : bisect_right(ordered, bottom)]:
                    formulas.setdefault(row, listed.formula)
    read = {formula: DropDown(formula, choices(sheet, formula)) for formula in set(formulas.values())}
    return {row: read[formula] for row, formula in formulas.items()}


def _kept(sheet: Worksheet) -> Iterator[Listed]:
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list":
            bounds = tuple((r.min_col, r.min_row, r.max_col, r.max_row) for r in validation.sqref.ranges)
            yield Listed(str(validation.formula1 or ""), bounds)


def choices(sheet: Worksheet, formula: str) -> tuple[str, ...]:
    """The choices of a list: typed into it ("Yes,No,NA"), or on cells, named or not."""
    text = formula.strip().removeprefix("=")
    if text.startswith('"'):
        return tuple(c.strip() for c in text.strip('"').split(",") if c.strip())
    book = sheet.parent
    named = _named(sheet.defined_names, text) or _named(book.defined_names, text)
    found = _RANGE.fullmatch(str(named.attr_text).removeprefix("=") if named is not None else text)
    if found is None:
        return ()
    title = (found.group("sheet") or "").strip("'").replace("''", "'")
    source = _sheet(book, title) if title else sheet
    return _values(source, _bounds(found.group("range"))) if source is not None else ()


def _named(names: Any, name: str) -> Any:
    """A defined name, whatever its case: spreadsheet programs take names so."""
    return next((value for key, value in names.items() if key.casefold() == name.casefold()), None)


def _sheet(book: Workbook, title: str) -> Worksheet | None:
    found = [s for s in book.worksheets if s.title == title]
    return (found or [s for s in book.worksheets if s.title.casefold() == title.casefold()] or [None])[0]


def _values(sheet: Worksheet, bounds: Bounds | None) -> tuple[str, ...]:
    """The filled cells of `bounds`, row by row, read from the cells the sheet holds: a whole
    column costs what its filled cells cost. Empty when more than MAX_CHOICES: a table."""
    if bounds is None:
        return ()
    left, top, right, bottom = bounds
    inside = sorted((row, col) for row, col in sheet._cells if top <= row <= bottom and left <= col <= right)
    values = [text for row, col in inside if (text := cells.text(sheet._cells[row, col].value))]
    return tuple(values) if len(values) <= MAX_CHOICES else ()


def _bounds(reference: str) -> Bounds | None:
    """(left, top, right, bottom) of "B2:B9", "B:B" (every row) or "2:3" (every column)."""
    from openpyxl.utils.cell import range_boundaries

    try:
        left, top, right, bottom = range_boundaries(reference.replace("$", ""))
    except ValueError:
        return None
    return (left or 1, top or 1, right or LAST_COLUMN, bottom or LAST_ROW)


def extension_lists(path: Path, title: str) -> tuple[Listed, ...]:
    """The list validations of sheet `title` that Excel saved as an extension and openpyxl drops."""
    with zipfile.ZipFile(path) as archive:
        part = sheet_part(archive, title)
        data = archive.read(part) if part is not None and part in archive.namelist() else b""
    try:
        return tuple(_extension_lists(data)) if _X14_LISTS in data else ()
    except ElementTree.ParseError:  # openpyxl read the sheet: only what it drops is lost, as before
        return ()


def _extension_lists(data: bytes) -> Iterator[Listed]:
    # ElementTree resolves no external entity, and the expat it runs on refuses entity bombs.
    for _event, element in ElementTree.iterparse(io.BytesIO(data)):
        if element.tag == f"{_X14}dataValidation" and element.get("type") == "list":
            formula = element.findtext(f"{_X14}formula1/{_XM}f") or ""
            tokens = (element.findtext(f"{_XM}sqref") or "").split()
            yield Listed(formula, tuple(b for b in map(_bounds, tokens) if b is not None))
        elif element.tag.endswith("}row"):
            element.clear()  # the cells: not needed, and a big sheet has many


def sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    """The archive's name of the part holding sheet `title`: the workbook names it by relationship."""
    book = _target(archive, "_rels/.rels", "", lambda rel: rel.get("Type", "").endswith("/officeDocument"))
    if book is None:
        return None
    folder, name = posixpath.split(book)
    rid = next(
        (_rid(s) for s in _parsed(archive, book).iter() if _local(s.tag) == "sheet" and s.get("name") == title), None
    )
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    return _target(archive, rels, folder, lambda rel: rel.get("Id") == rid) if rid else None


def _target(archive: zipfile.ZipFile, rels: str, folder: str, wanted: Any) -> str | None:
    found = next((rel.get("Target") for rel in _parsed(archive, rels).iter() if wanted(rel)), None)
    if not found:
        return None
    return found.lstrip("/") if found.startswith("/") else posixpath.normpath(posixpath.join(folder, found))


def _parsed(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(name))
    except (KeyError, ElementTree.ParseError):
        return ElementTree.Element("none")


def _rid(element: ElementTree.Element) -> str | None:
    return next((value for key, value in element.attrib.items() if key.endswith("}id")), None)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
