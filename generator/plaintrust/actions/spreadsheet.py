"""`plaintrust import`: controls from a spreadsheet (CSV or XLSX), one row per control.

The first non-empty row holds the column headers. A header that already names a field (`id`,
`title`, `public.summary`, `satisfies.soc2`, or `Public summary`: case, spaces and underscores do
not matter) maps to it; `--map COLUMN=FIELD` maps any other. Each row becomes a control that must
pass the control schema before it is written; a row that does not is reported at its row number
(and the column of the offending value) and not written, so one bad row never stops the others.

Positions are spreadsheet positions: `line` is the row number a spreadsheet program shows (the
header is usually row 1) and `col` the column number (A = 1), for a CSV file too.

This module reads the sheet and turns rows into control text; `importplan` decides what is
written, with `importmap` (requirement ids and framework versions) and `importcategories`
(categories), and `importreport` words the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from jsonschema import ValidationError

from plaintrust import schemas, yamltext
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.errors import Refused
from plaintrust.load.yamlfile import parse_bytes
from plaintrust.schemas.messages import describe

FIELDS = (
    "id",
    "title",
    "status",
    "owner",
    "frequency",
    "description",
    "evidence",
    "public.category",
    "public.title",
    "public.summary",
)
REQUIRED = ("id", "title", "status", "owner", "frequency")
SATISFIES = "satisfies."
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_LIST = re.compile(r"[,;\s]+")  # ids never hold a space, so any of these separates two
_STATUS_WORDS = {"partially-implemented": "partial", "partially": "partial", "not-started": "planned"}
_FREQUENCY_WORDS = {
    "annually": "annual",
    "yearly": "annual",
    "semi-annual": "semiannual",
    "semi-annually": "semiannual",
    "half-yearly": "semiannual",
    "biannual": "semiannual",
    "continuously": "continuous",
}
RULE_FILE, RULE_ROW, RULE_EXISTS = "import-file", "import-row", "import-exists"


@dataclass(frozen=True)
class Sheet:
    name: str  # the file as given, for diagnostics
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]  # (row number, cells), empty rows left out


@dataclass(frozen=True)
class Draft:
    row: int
    data: dict[str, Any]
    columns: dict[str, int]  # field -> 1-based column it came from


@dataclass(frozen=True)
class Planned:
    row: int
    id: str
    target: Path
    text: str


def target_folder(root: Path, into: Path | None) -> Path:
    """Where `--into` puts the control files: a folder under controls/, given with or without the
    `controls/` prefix ("controls/access" and "access" are the same folder) or as an absolute path;
    controls/ itself by default. Raises Refused for a folder outside controls/, or for a file."""
    controls = root / "controls"
    if into is None:
        return controls
    folder = into if into.is_absolute() else root / into if into.parts[:1] == ("controls",) else controls / into
    if not folder.resolve().is_relative_to(controls.resolve()):  # `..` or a symbolic link may lead out
        raise Refused(f"{into} is not under controls/ of the repository at {root}: controls live there", "--into")
    # The folder, or the nearest part of its path that exists, must be a folder: it is created, not replaced.
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise Refused(
            f"{into} must be a folder: {existing} is a file (give a folder under controls/, such as controls/access)",
            "--into",
        )
    return folder


def read(path: Path, name: str, sheet: str | None = None) -> tuple[Sheet | None, list[Diagnostic]]:
    """The sheet, or None with the reason as a diagnostic. Raises Refused on an unknown format or sheet."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise Refused("--sheet applies to XLSX workbooks only")
        grid, problems = _csv_rows(path, name)
    elif suffix in (".xlsx", ".xlsm"):
        grid, problems = _xlsx_rows(path, name, sheet)
    else:
        raise Refused(f"{name}: expected a .csv or .xlsx file")
    if grid is None:
        return None, problems
    return _sheet(name, grid)


def _sheet(name: str, grid: list[tuple[Any, ...]]) -> tuple[Sheet | None, list[Diagnostic]]:
    filled = [(number, cells) for number, cells in enumerate(grid, 1) if any(_text(c) for c in cells)]
    if not filled:
        return None, [
            Location(name).error(RULE_FILE, "the sheet is empty: expected a header row, then one control per row")
        ]
    (header_row, header), rest = filled[0], filled[1:]
    return Sheet(name, header_row, tuple(_text(c) for c in header), tuple(rest)), []


def _csv_rows(path: Path, name: str) -> tuple[list[tuple[Any, ...]] | None, list[Diagnostic]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Location(name).error(RULE_FILE, f"cannot read the file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = raw[: exc.start].count(b"\n") + 1, exc.start - raw.rfind(b"\n", 0, exc.start)
        return None, [
            Location(name, line, col).error(RULE_FILE, "the file is not UTF-8 text", 'save it as "CSV UTF-8"')
        ]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [tuple(row) for row in reader], []
    except csv.Error as exc:
        return None, [Location(name, reader.line_num or 1).error(RULE_FILE, f"the CSV does not parse: {exc}")]


def _delimiter(text: str) -> str:
    """Spreadsheet programs write `;` where the decimal mark is a comma: take the header's choice."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=header.count) if any(d in header for d in ",;\t") else ","


def _xlsx_rows(path: Path, name: str, sheet: str | None) -> tuple[list[tuple[Any, ...]] | None, list[Diagnostic]]:
    import openpyxl  # only `import` pays for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
            book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return None, [Location(name).error(RULE_FILE, f"cannot read the workbook: {exc}")]
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails deep in openpyxl in many ways; it is bad input, not a bug
        return None, [Location(name).error(RULE_FILE, f"cannot read the workbook ({type(exc).__name__}: {exc})")]
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise Refused(f"--sheet: no sheet {sheet!r} in {name}; sheets: {', '.join(book.sheetnames)}")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        return [tuple(row) for row in worksheet.iter_rows(min_row=1, values_only=True)], []
    finally:
        book.close()


def _text(value: Any) -> str:
    """A cell as text: numbers as written (8.4, not 8.4000001), dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def field_name(text: str) -> str | None:
    """The control field `text` names, if any: `Public summary` -> `public.summary`."""
    cleaned = text.strip()
    dotted = re.sub(r"[\s_]+", ".", cleaned.lower())
    if dotted in FIELDS:
        return dotted
    if dotted.startswith(SATISFIES):
        framework = re.sub(r"^satisfies[\s_.]+", "", cleaned, flags=re.IGNORECASE)
        return SATISFIES + framework if _ID.match(framework) else None
    return None


def column_map(headers: tuple[str, ...], mapped: list[tuple[str, str]], defaults: dict[str, str]) -> dict[str, int]:
    """field -> 1-based column: `--map COLUMN=FIELD` pairs first, then headers that name a field."""
    chosen: dict[str, int] = {}
    for column, field in mapped:
        _claim(chosen, field, _find_column(headers, column), headers)
    taken = set(chosen.values())
    for number, header in enumerate(headers, 1):
        named = field_name(header)
        if named and named not in chosen and number not in taken:
            _claim(chosen, named, number, headers)
    missing = [f for f in REQUIRED if f not in chosen and f not in defaults]
    if missing:
        raise Refused(
            f"no column holds {', '.join(map(repr, missing))}: name one with --map COLUMN=FIELD "
            f"(or give a value for every row with --default FIELD=VALUE); columns: {_listing(headers)}"
        )
    return chosen


def parse_map(pairs: tuple[str, ...]) -> list[tuple[str, str]]:
    """`--map COLUMN=FIELD` values (the last `=` splits: a field name never holds one)."""
    parsed = []
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        if not sep or not column.strip():
            raise Refused(f"--map {pair!r}: expected COLUMN=FIELD")
        parsed.append((column.strip(), _field(name, f"--map {pair!r}")))
    return parsed


def parse_defaults(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--default FIELD=VALUE` values (the first `=` splits: a value may hold one)."""
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not value.strip():
            raise Refused(f"--default {pair!r}: expected FIELD=VALUE")
        parsed[_field(name, f"--default {pair!r}")] = value.strip()
    return parsed


def _field(name: str, where: str) -> str:
    field = field_name(name)
    if field is None:
        raise Refused(
            f"{where}: {name.strip()!r} is not a control field; fields: {', '.join(FIELDS)}, satisfies.<framework id>"
        )
    return field


def _find_column(headers: tuple[str, ...], column: str) -> int:
    for wanted in (lambda h: h == column, lambda h: h.strip().lower() == column.strip().lower()):
        found = [number for number, header in enumerate(headers, 1) if wanted(header)]
        if found:
            return found[0]
    raise Refused(f"--map: no column {column!r} in the header row; columns: {_listing(headers)}")


def _claim(chosen: dict[str, int], field: str, column: int, headers: tuple[str, ...]) -> None:
    if field in chosen and chosen[field] != column:
        first, second = headers[chosen[field] - 1], headers[column - 1]
        raise Refused(f"columns {first!r} and {second!r} both map to {field!r}: choose one with --map")
    chosen[field] = column


def _listing(headers: tuple[str, ...]) -> str:
    return ", ".join(repr(h) for h in headers if h) or "(none)"


def draft(row: int, cells: tuple[Any, ...], columns: dict[str, int], defaults: dict[str, str]) -> Draft:
    """The control a row describes, in the order a person would write it; empty cells left out."""
    values: dict[str, str] = {}
    # Frameworks come out in the sheet's column order, as the person who made it chose.
    for field in [*REQUIRED, *sorted(columns, key=columns.__getitem__), *sorted(defaults)]:
        column = columns.get(field)
        text = _text(cells[column - 1]) if column and column <= len(cells) else ""
        values.setdefault(field, text or defaults.get(field, ""))
    data: dict[str, Any] = {}
    for field, text in values.items():
        if text:
            _put(data, field, text)
    return Draft(row, data, dict(columns))


def _put(data: dict[str, Any], field: str, text: str) -> None:
    if field == "status":
        word = re.sub(r"[\s_]+", "-", text.lower())
        data[field] = _STATUS_WORDS.get(word, word)
    elif field == "frequency":
        word = re.sub(r"[\s_]+", "-", text.lower())
        data[field] = _FREQUENCY_WORDS.get(word, word)
    elif field == "evidence":
        data[field] = [i for i in _LIST.split(text) if i]
    elif field.startswith(SATISFIES):
        data.setdefault("satisfies", {})[field[len(SATISFIES) :]] = [i for i in _LIST.split(text) if i]
    elif field.startswith("public."):
        data.setdefault("public", {})[field[len("public.") :]] = text
    else:
        data[field] = text


def problems(sheet_name: str, item: Draft) -> list[Diagnostic]:
    """Why the row's control would not pass the control schema, each at its cell."""
    if schemas.is_valid("control", item.data):
        return []
    found = [
        d for error in schemas.validator("control").iter_errors(item.data) for d in _explain(sheet_name, item, error)
    ]
    return list(dict.fromkeys(found))


def _explain(sheet_name: str, item: Draft, error: ValidationError) -> Iterator[Diagnostic]:
    path = [p for p in error.absolute_path if isinstance(p, str)]
    field = ".".join(path[:2]) if path[:1] in (["satisfies"], ["public"]) else (path[0] if path else "")
    # jsonschema types both as possibly unset; an error from iter_errors always carries them.
    expected, instance = cast(Any, error.validator_value), cast(Any, error.instance)
    if error.validator == "required":  # one error per missing field, all naming the whole list
        for name in (n for n in expected if n not in instance):
            yield _at(sheet_name, item, name, f"{name}: the cell is empty")
        return
    if error.validator == "enum":
        message = f"{field}: {describe(error.instance)} is not one of: {', '.join(map(str, expected))}"
    elif error.validator == "pattern":
        message = (
            f"{field}: {describe(error.instance)} is not a valid id (letters, digits, '.', '_' and '-', at most 64)"
        )
    elif error.validator == "uniqueItems":
        message = f"{field}: an id is listed twice"
    else:
        message = f"{field or 'row'}: {error.message}"
    yield _at(sheet_name, item, field, message)


def _at(sheet_name: str, item: Draft, field: str, message: str) -> Diagnostic:
    where = Location(sheet_name, item.row, item.columns.get(field) or 1)
    return where.error(RULE_ROW, f"row {item.row} is not a valid control: {message}")


def drafts(sheet: Sheet, columns: dict[str, int], defaults: dict[str, str]) -> Iterator[Draft]:
    for row, cells in sheet.rows:
        yield draft(row, cells, columns, defaults)


def render(
    data: dict[str, Any], schema_ref: str | None, *, quote_all: bool = False, notes: tuple[str, ...] = ()
) -> str:
    """The control as YAML text, with the yaml-language-server schema line when there is a schema.

    `quote_all` writes every string in double quotes: the fallback for a cell that plain YAML
    would not read back exactly. `notes` are comment lines (each starting with `#`), written where
    `satisfies` is, above it: where its ids came from.
    """
    value, name, flow = (
        (_json, _json, _json_list) if quote_all else (yamltext.text_value, yamltext.key, yamltext.flow_list)
    )
    lines = [f"# yaml-language-server: $schema={schema_ref}"] if schema_ref else []
    for key in ("id", "title", "status", "owner", "frequency", "description"):
        if key in data:
            lines.append(f"{key}: {value(data[key], 2)}")
    lines += notes
    if data.get("satisfies"):
        lines.append("satisfies:")
        lines += [f"  {name(k)}: {flow(v)}" for k, v in data["satisfies"].items()]
    if "evidence" in data:
        lines.append(f"evidence: {flow(data['evidence'])}")
    if data.get("public"):
        lines.append("public:")
        lines += [
            f"  {k}: {value(data['public'][k], 4)}" for k in ("category", "title", "summary") if k in data["public"]
        ]
    return "\n".join(lines) + "\n"


def _json(text: str, indent: int = 0) -> str:
    return json.dumps(text, ensure_ascii=False)


def _json_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False)


def reads_back(text: str, data: dict[str, Any]) -> bool:
    """Holds the written text to what was meant: Plaintrust's own loader must read `data` back."""
    parsed = parse_bytes("control.yaml", text.encode("utf-8"))
    return parsed.document is not None and not parsed.diagnostics and parsed.document.data == data


def clashes(
    sheet_name: str, item: Draft, into: Path, existing: dict[str, Path], seen: dict[str, int], force: bool
) -> list[Diagnostic]:
    """Why the row cannot be written although it is valid: another row, another control file or
    (without --force) its own file holds its id already. `seen`: id in lower case -> first row."""
    control_id = item.data["id"]
    where = Location(sheet_name, item.row, item.columns.get("id", 1))
    target = into / f"{control_id.lower()}.yaml"
    if control_id.lower() in seen:
        return [
            where.error(RULE_ROW, f"row {item.row}: the id {control_id!r} is on row {seen[control_id.lower()]} already")
        ]
    elsewhere = existing.get(control_id)
    if elsewhere and elsewhere.resolve() != target.resolve():
        return [
            where.error(
                RULE_EXISTS,
                f"row {item.row}: control {control_id} already exists in {elsewhere}",
                "change the id, or edit that file",
            )
        ]
    if target.exists() and not force:
        return [where.error(RULE_EXISTS, f"row {item.row}: {target} already exists", "add --force to replace it")]
    return []


def write(planned: list[Planned]) -> list[Path]:
    written = []
    for item in planned:
        item.target.parent.mkdir(parents=True, exist_ok=True)
        item.target.write_text(item.text, encoding="utf-8", newline="\n")
        written.append(item.target)
    return written
