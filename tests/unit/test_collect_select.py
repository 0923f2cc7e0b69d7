"""Field selection from JSON/YAML data, and the deterministic JSON the evidence file holds."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from plaintrust.collect.api import CollectorFailed
from plaintrust.collect.select import FIELD, dump, select, steps

DATA = {
    "settings": {"mfa": {"required": True, "methods": ["totp", "webauthn"]}},
    "policies": [{"name": "staff", "rules": [{"id": 1}, {"id": 2}]}, {"name": "admins", "rules": [{"id": 3}]}],
    2026: {"audited": dt.date(2026, 3, 1)},
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("settings.mfa.required", True),
        ("settings.mfa.methods[0]", "totp"),
        ("settings.mfa.methods[-1]", "webauthn"),
        ("policies[*].name", ["staff", "admins"]),
        ("policies[*].rules[*].id", [[1, 2], [3]]),
        ("policies[1]", {"name": "admins", "rules": [{"id": 3}]}),
        ("2026.audited", dt.date(2026, 3, 1)),
    ],
)
def test_select(field: str, value: object) -> None:
    assert select(DATA, [field]) == {field: value}


def test_a_list_document_is_indexed_from_the_top() -> None:
    assert select([{"a": 1}, {"a": 2}], ["[*].a", "[0]"]) == {"[*].a": [1, 2], "[0]": {"a": 1}}


@pytest.mark.parametrize(
    ("field", "why"),
    [
        ("settings.sso", "settings has no key 'sso'"),
        ("settings.mfa.methods[2]", "settings.mfa.methods has 2 items, so no item 2"),
        ("settings[0]", "settings is not a list"),
        ("settings.mfa.required.x", "settings.mfa.required is not a mapping"),
        ("policies[*].owner", "policies[*] has no key 'owner'"),
        ("nothing", "the document has no key 'nothing'"),
    ],
)
def test_a_missing_field_fails_naming_it(field: str, why: str) -> None:
    with pytest.raises(CollectorFailed) as caught:
        select(DATA, [field])
    assert str(caught.value) == f"the field {field!r} is not in the document: {why}"


@pytest.mark.parametrize("field", ["", "a..b", "a.", ".a", "a[x]", "a[", "a]b", "a[0]b"])
def test_a_malformed_path_fails(field: str) -> None:
    with pytest.raises(CollectorFailed, match="is not a path"):
        steps(field)


def test_steps() -> None:
    assert steps("a.b[0][*].c") == ("a", "b", 0, "*", "c")


def test_dump_is_deterministic_json() -> None:
    first = dump({"b": [1, {"z": 1, "a": "é"}], "a": dt.date(2026, 11, 22), 3: None, None: True})
    assert first == dump({None: True, 3: None, "a": dt.date(2026, 11, 22), "b": [1, {"a": "é", "z": 1}]})
    assert first.decode("utf-8") == (
        '{\n  "3": null,\n  "a": "2026-11-22",\n  "b": [\n    1,\n    {\n      "a": "é",\n      "z": 1\n'
        '    }\n  ],\n  "null": true\n}\n'
    )


@pytest.mark.parametrize(
    "field",
    ["a", "a.b", "[0]", "[*].a", "a[-1][*]", "a.*", "2026.x", "a b", "a\nb", "", "a..b", "a.", "a[x]", "a]b", "a[0]b",
     "a[0]\n", "[0]a", "a[01]"],
)  # fmt: skip
def test_the_schema_of_a_field_takes_exactly_the_paths_select_reads(field: str) -> None:
    try:
        steps(field)
        readable = True
    except CollectorFailed:
        readable = False
    assert jsonschema.Draft202012Validator(FIELD).is_valid(field) is readable


@pytest.mark.parametrize(
    ("key", "field"),
    [(None, "null"), (True, "true"), (False, "false"), (2026, "2026"), (dt.date(2026, 1, 5), "2026-01-05")],
)
def test_a_key_that_is_not_text_is_selected_as_json_spells_it(key: object, field: str) -> None:
    data = {key: "found"}
    assert select(data, [field]) == {field: "found"}
    assert json.loads(dump(data)) == {field: "found"}


@pytest.mark.parametrize("key", [None, True])
def test_a_key_that_is_not_text_is_not_selected_as_python_spells_it(key: object) -> None:
    with pytest.raises(CollectorFailed, match="has no key"):
        select({key: 1}, [str(key)])


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_value_json_cannot_hold_fails_plainly(value: float) -> None:
    with pytest.raises(CollectorFailed) as caught:
        dump({"a": [value]})
    assert str(caught.value) == "the values to keep include NaN or Infinity, which JSON cannot hold"


def test_values_nested_too_deeply_to_write_fail_plainly() -> None:
    deep: list[object] = []
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(CollectorFailed) as caught:
        dump(deep)
    assert str(caught.value) == "the values to keep are nested too deeply to write as JSON"
