"""What of a customer's workbook a filled copy does not keep, in words the team can act on.

openpyxl reads and writes the cells, styles, other sheets, merged cells, comments, images, charts,
defined names and the drop-down lists typed into a sheet. Some parts it drops with a warning as it
reads them (a drop-down whose choices live on another sheet, data bars); others it drops without a
word (text boxes and shapes, form buttons and check boxes, pivot tables, embedded objects). The
warnings are recorded while the workbook is read, and the filled copy is compared with the original
part by part and shape by shape: each kind lost is named once in the report.

openpyxl cannot read a range over a whole column or row ("B:B", "3:3") where a drop-down list or
a conditional format applies: such a workbook is read from a copy that spells the range out
("B1:B1048576"), which means the same, and is written so.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# openpyxl's warnings on reading, by how they start or what they hold, and what they mean was lost.
WARNED = (
    ("Data Validation extension", "drop-down lists drawn from another sheet"),
    ("Conditional Formatting extension", "conditional formats (data bars, icon sets)"),
    ("Failed to load a conditional formatting", "conditional formats"),
    ("Sparkline Group extension", "sparklines"),
    ("Slicer List extension", "slicers"),
    ("Timeline Ref extension", "timelines"),
    ("Protected Range extension", "protected ranges"),
    ("Web Extension extension", "add-ins"),
    ("Ignored Error extension", "cells marked to skip an error check"),
    ("Unknown extension", "parts that only newer versions of Excel read"),
    ("DrawingML support is incomplete", "shapes and text boxes"),
    ("Unable to read chart", "charts"),
    ("image format is not supported", "images"),
    ("cannot be read", "images"),
    ("has a comment which will be removed", "comments on merged cells"),
    ("Cannot parse header or footer", "headers and footers"),
    ("Print area cannot be set", "print areas"),
    ("Defined names for sheet index", "defined names"),
    ("File contains an invalid specification", "sheets"),
    ("is marked as a date but", "dates out of range (now errors)"),
)
# A sheet's part, and a range over whole columns ("B:B", "$B:$C") or rows ("3:5") in a sqref attribute.
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_SQREF = re.compile(rb'(\bsqref=")([^"]*)"')
_WHOLE_RANGE = re.compile(rb"^(?:\$?(?P<left>[A-Z]{1,3}):\$?(?P<right>[A-Z]{1,3})|\$?(?P<top>\d+):\$?(?P<bottom>\d+))$")
_WHOLE = re.compile(rb'\bsqref="[^"]*?(?<![\w$])\$?(?:[A-Z]{1,3}:\$?[A-Z]{1,3}|\d+:\$?\d+)(?![\w$])')
LAST_ROW = 1048576
LAST_COLUMN = b"XFD"
# Warnings about nothing lost: a workbook without styles gets openpyxl's defaults.
_HARMLESS = ("stylesheet", "default style", "Title is more than 31 characters")
# Parts of a workbook by the start of their name in the zip archive, as the report names them.
PARTS = {
    "xl/media/": "images",
    "xl/charts/chart": "charts",
    "xl/pivotTables/": "pivot tables",
    "xl/slicers/": "slicers",
    "xl/timelines/": "timelines",
    "xl/threadedComments/": "threaded comments",
    "xl/ctrlProps/": "form controls (buttons, check boxes)",
    "xl/embeddings/": "embedded objects",
    "xl/vbaProject": "macros",
    "customXml/": "custom XML",
}
# What a drawing part anchors to the cells, by its element's local name; a graphic frame by what its
# data is, as slicers, timelines and the newer kinds of chart (counted by their parts) are frames too.
_DRAWN = {"sp": "shapes and text boxes", "cxnSp": "shapes and text boxes", "grpSp": "shapes and text boxes"}
_DRAWN |= {"pic": "images", "chart": "charts"}
_DRAWING = re.compile(rb"<(?:\w+:)?(sp|cxnSp|grpSp|pic)[\s>/]|graphicData\s+uri=\"[^\"]*/(chart)\"")
# What a newer Excel draws for older readers (a slicer's "this shape represents a slicer" box) is no
# part of its own; nor is the shape of a form control saved in the newer form, which the legacy
# drawing below counts.
_FALLBACK = re.compile(rb"<(?:\w+:)?Fallback[\s>].*?</(?:\w+:)?Fallback>", re.DOTALL)
_CONTROL_SHAPE = re.compile(rb"<(?:\w+:)?compatExt[\s>/]")
# The legacy (VML) drawing holds comments' boxes ("Note") and form controls (every other type).
_CONTROL = re.compile(rb'ObjectType="(?!Note")\w+"')


def load(path: Path, keep_vba: bool) -> tuple[Workbook, tuple[str, ...]]:
    """The workbook at `path`, and the kinds of part openpyxl warned it would not keep."""
    import openpyxl

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = openpyxl.load_workbook(readable(path), rich_text=True, keep_vba=keep_vba)
    return book, tuple(dict.fromkeys(kind for w in caught if (kind := warned(str(w.message)))))


def readable(path: Path) -> Path | io.BytesIO:
    """The workbook as openpyxl can read it: the file, or a copy in memory whose ranges over whole
    columns or rows are spelled out."""
    with zipfile.ZipFile(path) as archive:
        sheets = ((name, archive.read(name)) for name in archive.namelist() if _SHEET.fullmatch(name))
        spelled = {name: _SQREF.sub(_spelled, data) for name, data in sheets if _WHOLE.search(data)}
        if not spelled:
            return path
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
            for item in archive.infolist():
                out.writestr(item, spelled.get(item.filename) or archive.read(item.filename))
    copy.seek(0)
    return copy


def _spelled(found: re.Match[bytes]) -> bytes:
    ranges = (_WHOLE_RANGE.sub(_one_range, token) for token in found.group(2).split())
    return found.group(1) + b" ".join(ranges) + b'"'


def _one_range(found: re.Match[bytes]) -> bytes:
    if found.group("left"):  # columns: every row
        return b"%s1:%s%d" % (found.group("left"), found.group("right"), LAST_ROW)
    return b"A%s:%s%s" % (found.group("top"), LAST_COLUMN, found.group("bottom"))


def warned(message: str) -> str | None:
    """The kind of part an openpyxl warning says is lost; None for one that loses nothing."""
    if any(words in message for words in _HARMLESS):
        return None
    return next((kind for words, kind in WARNED if words in message), f"what openpyxl warned about ({message})")


def not_kept(original: Path, filled: bytes, warned_kinds: Iterable[str] = ()) -> tuple[str, ...]:
    """The kinds of part the filled copy has fewer of than the original, with those openpyxl warned
    about while reading it, each named once."""
    with zipfile.ZipFile(original) as before, zipfile.ZipFile(io.BytesIO(filled)) as after:
        old, new = _inventory(before), _inventory(after)
    return tuple(dict.fromkeys([*warned_kinds, *(kind for kind, count in old.items() if new[kind] < count)]))


def _inventory(archive: zipfile.ZipFile) -> Counter[str]:
    """How many of each kind of part, drawn shape and form control the workbook holds."""
    found: Counter[str] = Counter()
    for name in archive.namelist():
        found.update(kind for prefix, kind in PARTS.items() if name.startswith(prefix))
        if name.startswith("xl/drawings/") and name.endswith(".xml"):
            found.update(_drawn(archive.read(name)))
        elif name.startswith("xl/drawings/") and name.endswith(".vml"):
            found["form controls (buttons, check boxes)"] += len(_CONTROL.findall(archive.read(name)))
    return found


def _drawn(drawing: bytes) -> Counter[str]:
    """The kinds of what a drawing part anchors, each as often as it is drawn."""
    drawing = _FALLBACK.sub(b"", drawing)
    found = Counter(_DRAWN[(shape or chart).decode()] for shape, chart in _DRAWING.findall(drawing))
    found["shapes and text boxes"] -= len(_CONTROL_SHAPE.findall(drawing))
    return found
