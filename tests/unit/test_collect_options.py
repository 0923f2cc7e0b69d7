"""Options arrive as text (the YAML loader reads every value so) and are converted as the collector's
schema says, in `check` and before a collection; the shipped collectors' schemas refuse what their
collection would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import edit
from plaintrust import pipeline
from plaintrust.collect import registry
from plaintrust.collect.api import Collector
from plaintrust.collect.options import coerce
from plaintrust.rules import collect_options

RECORD = "evidence/access/mfa-policy.yaml"
PINNED = "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n"

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "ratio": {"type": "number"},
        "verify": {"type": "boolean"},
        "name": {"type": "string"},
        "retries": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "either": {"type": ["string", "integer"]},
        "ports": {"type": "array", "items": {"type": "integer"}},
        "pair": {"type": "array", "prefixItems": [{"type": "boolean"}, {"type": "number"}]},
        "limits": {"type": "object", "additionalProperties": {"type": "integer"}},
        "nested": {"type": "object", "properties": {"on": {"type": "boolean"}}},
    },
}


@pytest.mark.parametrize(
    ("given", "converted"),
    [
        ({"port": "443"}, {"port": 443}),
        ({"port": "-7"}, {"port": -7}),
        ({"ratio": "0.5"}, {"ratio": 0.5}),
        ({"ratio": "3"}, {"ratio": 3}),
        ({"ratio": "1e3"}, {"ratio": 1000.0}),
        ({"verify": "true"}, {"verify": True}),
        ({"verify": "False"}, {"verify": False}),
        ({"name": "443"}, {"name": "443"}),  # text is what is asked for
        ({"retries": "3"}, {"retries": 3}),
        ({"either": "3"}, {"either": "3"}),  # text is one of the kinds asked for: it stays text
        ({"ports": ["80", "443"]}, {"ports": [80, 443]}),
        ({"pair": ["true", "2.5"]}, {"pair": [True, 2.5]}),
        ({"limits": {"a": "1", "b": "2"}}, {"limits": {"a": 1, "b": 2}}),
        ({"nested": {"on": "TRUE"}}, {"nested": {"on": True}}),
        ({"unknown": "1"}, {"unknown": "1"}),
    ],
)
def test_text_becomes_what_the_schema_asks_for(given: dict, converted: dict) -> None:
    assert coerce(given, SCHEMA) == converted


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ({"port": "many"}, "many"),
        ({"port": "4.5"}, "4.5"),
        ({"port": "0x1bb"}, "0x1bb"),
        ({"port": " 443"}, " 443"),
        ({"verify": "yes"}, "yes"),  # YAML 1.2: only true and false
        ({"verify": "on"}, "on"),
        ({"ratio": "1e999"}, "1e999"),  # not a finite number
        ({"ratio": "nan"}, "nan"),
        ({"port": "9" * 5000}, "9" * 5000),  # more digits than Python converts
    ],
)
def test_text_that_does_not_read_as_what_is_asked_for_stays_text(given: dict, kept: str) -> None:
    assert list(coerce(given, SCHEMA).values()) == [kept]


@pytest.mark.parametrize("schema", [{}, {"type": 12}, {"anyOf": "x"}, None, {"properties": []}])
def test_a_schema_that_says_nothing_usable_leaves_the_options_as_they_are(schema: object) -> None:
    assert coerce({"port": "443", "list": ["1"]}, schema) == {"port": "443", "list": ["1"]}


COMPOSED = {
    "$defs": {
        "port": {"type": "integer", "minimum": 1},
        "common": {"type": "object", "properties": {"verify": {"type": "boolean"}}},
        "level": {"enum": [1, 2, 3]},
        "tree": {"type": "object", "properties": {"depth": {"type": "integer"}, "child": {"$ref": "#/$defs/tree"}}},
    },
    "allOf": [{"$ref": "#/$defs/common"}, {"properties": {"retries": {"type": "integer"}}}],
    "type": "object",
    "properties": {
        "port": {"$ref": "#/$defs/port"},
        "ports": {"type": "array", "items": {"$ref": "#/$defs/port"}},
        "level": {"$ref": "#/$defs/level"},
        "mode": {"enum": ["auto", 0, 1.5, True]},
        "fixed": {"const": 8443},
        "on": {"const": True},
        "either": {"anyOf": [{"const": "auto"}, {"type": "integer"}]},
        "ratio": {"allOf": [{"type": "number"}, {"enum": [1, 2.5]}]},
        "name": {"allOf": [{"type": ["string", "integer"]}, {"type": "string"}]},
        "count": {"allOf": [{"type": ["string", "integer"]}, {"type": "integer"}]},
        "tree": {"$ref": "#/$defs/tree"},
        "slash": {"$ref": "#/$defs/a~1b"},
        "nowhere": {"$ref": "#/$defs/missing"},
        "remote": {"$ref": "https://schemas.example/port.json"},
        "itself": {"$ref": "#/properties/itself"},
    },
}
COMPOSED["$defs"]["a/b"] = {"type": "boolean"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("given", "converted"),
    [
        ({"port": "443"}, {"port": 443}),  # a local $ref
        ({"ports": ["80", "443"]}, {"ports": [80, 443]}),
        ({"verify": "true", "retries": "3"}, {"verify": True, "retries": 3}),  # properties of allOf branches
        ({"level": "2"}, {"level": 2}),  # an enum without a type: its values' kind
        ({"mode": "auto"}, {"mode": "auto"}),  # listed as text
        ({"mode": "0"}, {"mode": 0}),
        ({"mode": "1.5"}, {"mode": 1.5}),
        ({"mode": "true"}, {"mode": True}),
        ({"mode": "manual"}, {"mode": "manual"}),  # neither listed nor read as another kind
        ({"fixed": "8443"}, {"fixed": 8443}),  # a const without a type
        ({"on": "true"}, {"on": True}),
        ({"either": "auto"}, {"either": "auto"}),
        ({"either": "5"}, {"either": 5}),  # not the text anyOf lists: the whole number it allows
        ({"ratio": "2.5"}, {"ratio": 2.5}),
        ({"name": "7"}, {"name": "7"}),  # allOf: text is what every branch allows
        ({"count": "7"}, {"count": 7}),  # allOf: only a whole number is what every branch allows
        ({"tree": {"depth": "1", "child": {"depth": "2"}}}, {"tree": {"depth": 1, "child": {"depth": 2}}}),
        ({"slash": "false"}, {"slash": False}),  # ~1 in a $ref is a slash
        ({"nowhere": "1", "remote": "1", "itself": "1"}, {"nowhere": "1", "remote": "1", "itself": "1"}),
    ],
)
def test_refs_allof_and_listed_values_say_what_text_becomes(given: dict, converted: dict) -> None:
    assert coerce(given, COMPOSED) == converted


def test_a_ref_to_the_whole_schema_is_followed_without_end() -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}, "next": {"$ref": "#"}},
        "allOf": [{"$ref": "#"}],
    }
    assert coerce({"n": "1", "next": {"n": "2"}}, schema) == {"n": 1, "next": {"n": 2}}


def test_check_accepts_options_of_a_schema_built_with_refs(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collector = Collector("composed", "Composed.", lambda options, context: b"{}", options=COMPOSED)
    real = registry.find
    monkeypatch.setattr(registry, "find", lambda wanted: collector if wanted == "composed" else real(wanted))
    collect_options._validator.cache_clear()
    options = "{port: 443, level: 2, mode: true, fixed: 8443, verify: false, retries: 3, either: 5}"
    assert found(with_collect(base_repo, f"collect:\n  use: composed\n  with: {options}\n  every: daily\n")) == []
    collect_options._validator.cache_clear()


def with_collect(repo: Path, block: str) -> pipeline.Result:
    edit(repo, RECORD, PINNED, PINNED + block)
    return pipeline.run(repo)


def found(result: pipeline.Result) -> list[str]:
    return [f"{d.line}:{d.col} {d.message} | {d.hint}" for d in result.diagnostics if d.rule == collect_options.ID]


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> str:
    """A collector of an installed package whose options are a number, a whole number and true/false."""
    collector = Collector("typed-options", "Typed.", lambda options, context: b"{}", options=SCHEMA)
    real = registry.find
    monkeypatch.setattr(registry, "find", lambda wanted: collector if wanted == collector.name else real(wanted))
    collect_options._validator.cache_clear()
    return collector.name


@pytest.mark.parametrize(
    "options",
    [
        "{port: 443, ratio: 0.5, verify: true}",
        '{port: "443", ratio: "0.5", verify: "false"}',
        "{ports: [80, 443], limits: {a: 1}, nested: {on: false}, pair: [true, 1]}",
    ],
)
def test_check_accepts_numbers_and_true_or_false_written_in_yaml(base_repo: Path, typed: str, options: str) -> None:
    result = with_collect(base_repo, f"collect:\n  use: {typed}\n  with: {options}\n  every: daily\n")
    assert found(result) == []


def test_check_still_reports_a_value_that_is_not_what_is_asked_for(base_repo: Path, typed: str) -> None:
    result = with_collect(base_repo, f"collect:\n  use: {typed}\n  with: {{port: many, verify: yes}}\n  every: daily\n")
    assert [line.split(" | ")[0] for line in found(result)] == [
        "12:16 port: expected a whole number, found 'many'",
        "12:30 verify: expected true or false, found 'yes'",
    ]


def test_a_value_listed_twice_is_named(base_repo: Path) -> None:
    block = "collect:\n  use: http-json\n  with:\n    url: https://idp.test.example/policy\n    select: [a, b, a]\n  every: daily\n"
    assert found(with_collect(base_repo, block)) == ["14:20 select: 'a' is listed twice | None"]


@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION", "Cookie", "proxy-authorization"])
def test_check_refuses_a_header_that_holds_a_secret(base_repo: Path, name: str) -> None:
    block = (
        "collect:\n  use: http-json\n  with:\n    url: https://idp.test.example/policy\n"
        f"    headers: {{Accept: application/json, {name}: Bearer x}}\n  every: daily\n"
    )
    [said] = found(with_collect(base_repo, block))
    assert said.startswith(f"14:41 headers: '{name}' cannot be used here | A header's name")
    assert "token_env" in said


@pytest.mark.parametrize(
    ("port", "refused"), [("65535", False), ("1", False), ("65536", True), ("99999", True), ("0", True)]
)
def test_check_refuses_a_port_above_65535(base_repo: Path, port: str, refused: bool) -> None:
    block = f"collect:\n  use: tls-certificate\n  with: {{host: www.example.com, port: {port}}}\n  every: daily\n"
    said = found(with_collect(base_repo, block))
    assert bool(said) == refused
    if refused:
        assert said[0].startswith(f"12:39 port: '{port}' is not a valid port | The port to connect to")
