"""The JSON Schemas (Draft 2020-12) for every file Plaintrust reads, and validation against them.

Each `*.schema.json` here refers to shared definitions with `#/$defs/...`; they live once in
`_defs.json` and are merged in when a schema is loaded, so every schema handed to a validator or
written out for an editor is self-contained.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from plaintrust import output
from plaintrust.schemas.formats import format_checker, is_date, is_datetime

KINDS = ("control", "evidence", "program", "catalog", "trust", "update", "policy", "answer")
# Schemas of what Plaintrust writes, published for the tools that read it.
OUTPUTS = ("gap-report", "trust-center", "impact", "answers-export")


@cache
def _defs() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("_defs.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("$")}


@cache
def schema(kind: str) -> dict[str, Any]:
    """The self-contained schema for `kind` (one of KINDS)."""
    text = resources.files(__package__).joinpath(f"{kind}.schema.json").read_text("utf-8")
    loaded = json.loads(text)
    loaded["$defs"] = {**_defs(), **loaded.get("$defs", {})}
    return loaded


@cache
def validator(kind: str) -> Any:
    """Built once per kind and reused for every file: construction costs more than a validation."""
    from jsonschema import Draft202012Validator  # only a file that fails the fast check needs it

    return Draft202012Validator(schema(kind), format_checker=format_checker())


@cache
def fast_validator(kind: str) -> Callable[[Any], Any]:
    """A compiled validator for the common case, a valid file (fastjsonschema speaks draft 7).

    Our schemas use only keywords that mean the same in drafts 7 and 2020-12 (a test holds both
    validators to the same verdict on every case file), and the same strict date checks.
    """
    draft7 = {**schema(kind), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(draft7, formats={"date": _quiet(is_date), "date-time": _quiet(is_datetime)})


def is_valid(kind: str, data: Any) -> bool:
    try:
        fast_validator(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _quiet(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def checked(value: Any) -> bool:
        try:
            return check(value)
        except ValueError:
            return False

    return checked


def files() -> dict[str, bytes]:
    """`plaintrust-<kind>.schema.json` for each kind, as editors read them."""
    texts = {
        f"plaintrust-{kind}.schema.json": json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind in (*KINDS, *OUTPUTS)
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}


def write_all(directory: Any) -> list[str]:
    """Write `files()` into `directory` (a pathlib.Path); the names written."""
    documents = files()
    for name, data in documents.items():
        output.write_file(directory / name, data)
    return list(documents)
