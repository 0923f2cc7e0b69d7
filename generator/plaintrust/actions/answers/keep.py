"""What of a customer's workbook a filled copy does not keep, in words the team can act on.

openpyxl reads and writes the cells, styles, other sheets, merged cells, comments, images, charts,
defined names and the drop-down lists typed into a sheet. Some parts it drops with a warning as it
reads them (a drop-down whose choices live on another sheet, data bars); others it drops without a
word (text boxes and shapes, form buttons and check boxes, pivot tables, embedded objects). The
warnings are recorded while the workbook is read, and the filled copy is compared with the original
part by part and shape by shape: each kind lost is named once in the report.
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
# What a drawing part anchors to the cells, by its element's local name.
_DRAWN = {"sp": "shapes and text boxes", "cxnSp": "shapes and text boxes", "grpSp": "shapes and text boxes"}
_DRAWN |= {"pic": "images", "graphicFrame": "charts"}
_DRAWING = re.compile(rb"<(?:\w+:)?(sp|cxnSp|grpSp|pic|graphicFrame)[\s>/]")
# The legacy (VML) drawing holds comments' boxes ("Note") and form controls (every other type).
_CONTROL = re.compile(rb'ObjectType="(?!Note")\w+"')


def load(path: Path, keep_vba: bool) -> tuple[Workbook, tuple[str, ...]]:
    """The workbook at `path`, and the kinds of part openpyxl warned it would not keep."""
    import openpyxl

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = openpyxl.load_workbook(path, rich_text=True, keep_vba=keep_vba)
    return book, tuple(dict.fromkeys(kind for w in caught if (kind := warned(str(w.message)))))


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
            found.update(_DRAWN[m.decode()] for m in _DRAWING.findall(archive.read(name)))
        elif name.startswith("xl/drawings/") and name.endswith(".vml"):
            found["form controls (buttons, check boxes)"] += len(_CONTROL.findall(archive.read(name)))
    return found
