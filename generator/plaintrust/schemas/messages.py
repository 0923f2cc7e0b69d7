"""Schema errors -> diagnostics that point at the offending YAML value and speak plainly."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.schemas import is_valid, validator
from plaintrust.suggest import did_you_mean

if TYPE_CHECKING:
    from jsonschema import ValidationError

RULE = "schema"


def check(document: Document, kind: str) -> list[Diagnostic]:
    """Every schema problem of `document`, each at the position of the value it concerns."""
    if is_valid(kind, document.data):
        return []
    found: list[Diagnostic] = []
    for error in validator(kind).iter_errors(document.data):
        found.extend(_diagnose(document, error))
    return found


def _diagnose(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    if "propertyNames" in error.absolute_schema_path:
        yield from _key_name(document, error)
        return
    handler = _HANDLERS.get(str(error.validator), _generic)
    yield from handler(document, error)


def _key_name(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    """A mapping key of the wrong form (the instance is the key itself)."""
    where = document.key_at(*error.absolute_path, error.instance)
    name = "framework id" if _field(error) == "satisfies" else "key"
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    yield where.error(RULE, f"{_field(error)}: {describe(error.instance)} is not a valid {name}", hint)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _field(error: ValidationError) -> str:
    names = [p for p in error.absolute_path if isinstance(p, str)]
    return names[-1] if names else "value"


def _type(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    wanted = _as_list(error.validator_value)
    words = {"object": "a mapping", "array": "a list", "string": "text", "null": "nothing"}
    text = " or ".join(words.get(w, w) for w in wanted)
    where = document.at(*error.absolute_path)
    hint = SHELL_HINT if _field(error) == "run" and wanted == ["array"] and isinstance(error.instance, str) else None
    yield where.error(RULE, f"{_field(error)}: expected {text}, found {describe(error.instance)}", hint)


# A command line written as one string would need a shell to split it, and no shell runs a collector.
SHELL_HINT = (
    'write the command as a list of words, e.g. [python, scripts/export.py, --out, "{output}"]: '
    "no shell runs it, so nothing would split the line into words"
)


def _required(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    where = document.at(*error.absolute_path)
    instance = error.instance if isinstance(error.instance, dict) else {}
    # A field required only in some case (if/then/else) says why in its branch's description.
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("description") if {"then", "else"} & set(error.absolute_schema_path) else None
    for name in _as_list(error.validator_value):
        if name not in instance:
            yield where.error(RULE, f"missing required field {name!r}", hint)


def _additional(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    allowed = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
    if not isinstance(error.instance, dict) or error.validator_value is not False:
        yield from _generic(document, error)
        return
    for name in error.instance:
        if name not in allowed:
            where = document.key_at(*error.absolute_path, name)
            yield where.error(RULE, f"unknown field {name!r}", _suggest(name, allowed) or _fields(error, allowed))


def _fields(error: ValidationError, allowed: list[str]) -> str | None:
    """A nested mapping with a few fields names them all when no one is close (refs: the standards)."""
    if not error.absolute_path or not 0 < len(allowed) <= FEW_FIELDS:
        return None
    listed = " or ".join([", ".join(allowed[:-1]), allowed[-1]] if len(allowed) > 1 else allowed)
    return f"{_field(error)} takes only {listed}"


FEW_FIELDS = 6


def _enum(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    # A YAML flag is listed as true and "true" (editors read a boolean, Plaintrust keeps the text): name it once.
    spelled = (str(o).lower() if isinstance(o, bool) else str(o) for o in _as_list(error.validator_value))
    options = list(dict.fromkeys(spelled))
    where = document.at(*error.absolute_path)
    message = f"{_field(error)}: {describe(error.instance)} is not one of: {', '.join(options)}"
    yield where.error(RULE, message, _suggest(str(error.instance), options))


def _format(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    where = document.at(*error.absolute_path)
    if error.validator_value == "date":
        yield where.error(
            "date-invalid",
            f"{_field(error)}: {describe(error.instance)} is not a real date",
            "write dates as YYYY-MM-DD",
        )
    else:
        hint = "write e.g. 2026-11-20T14:30:00Z"
        yield where.error("date-invalid", f"{_field(error)}: {describe(error.instance)} is not a valid timestamp", hint)


def _unique(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, item in enumerate(_as_list(error.instance)):
        key = repr(item)
        if key in seen:
            where = document.at(*error.absolute_path, index)
            yield where.error(RULE, f"{_field(error)}: {describe(item)} is listed twice")
        seen.add(key)


def _size(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    where = document.at(*error.absolute_path)
    if error.validator == "minLength":
        yield where.error(RULE, f"{_field(error)}: must not be empty")
    else:
        count = error.validator_value
        yield where.error(RULE, f"{_field(error)}: needs at least {count} item{'s' if count != 1 else ''}")


def _not(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    """`"not": {}` forbids a field in one case (an audit in progress has no report dates)."""
    if error.validator_value != {} or not error.absolute_path:
        yield from _generic(document, error)
        return
    *parent, name = error.absolute_path
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    yield document.key_at(*parent, name).error(RULE, f"field {name!r} is not allowed here", hint)


def _generic(document: Document, error: ValidationError) -> Iterator[Diagnostic]:
    """pattern, anyOf and the rest: name the value, explain with the schema's description."""
    where = document.at(*error.absolute_path)
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    name = _field(error)
    item = _ITEMS.get(name, name) if error.absolute_path and isinstance(error.absolute_path[-1], int) else name
    yield where.error(RULE, f"{name}: {describe(error.instance)} is not a valid {item}", hint)


# What one item of a list is called, where the list's name is a plural ("is not a valid watch").
_ITEMS = {
    "watches": "watch",
    "preferred_languages": "language",
    "env": "variable name",
    "caiq-v4": "CAIQ v4 question id",
    "sig-lite": "SIG Lite question id",
    "vsa": "VSA question id",
}


def _as_list(value: object) -> list:
    """A keyword's value, or an array instance, as a list: `type` and `const` may give one value alone."""
    return value if isinstance(value, list) else [value]


def _suggest(word: str, options: Iterable[str]) -> str | None:
    """The closest option whatever the case ("No", "N/A", "NA" -> 'no', 'n/a')."""
    return did_you_mean(word, options)


_HANDLERS: dict[str, Callable[[Document, ValidationError], Iterator[Diagnostic]]] = {
    "type": _type,
    "required": _required,
    "additionalProperties": _additional,
    "enum": _enum,
    "const": _enum,
    "format": _format,
    "uniqueItems": _unique,
    "minItems": _size,
    "minLength": _size,
    "not": _not,
}
