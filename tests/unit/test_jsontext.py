"""`jsontext.dumps` writes the same text as `json.dumps(value, indent=2, ensure_ascii=False)`."""

from __future__ import annotations

import enum
import json
import random

import pytest

from plaintrust import jsontext


class Level(enum.IntEnum):
    LOW = 1


class Kind(enum.StrEnum):
    POLICY = "policy"


TEXTS = ["", "plain", 'quote " and \\ slash', "line\nbreak\ttab", "\x00\x1f\x7f", "Résumé ✓ 日本", "\u2028\ud83d"]
SCALARS = [None, True, False, 0, -7, 2**70, 1.5, 0.1, float("inf"), float("nan"), Level.LOW, Kind.POLICY, *TEXTS]


def _random(rng: random.Random, depth: int) -> object:
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(SCALARS)
    size = rng.randrange(4)
    if rng.random() < 0.5:
        kind = rng.choice([list, tuple])
        return kind(_random(rng, depth - 1) for _ in range(size))
    keys = [*TEXTS, *(["x", 3, 2.5, None, True] if rng.random() < 0.2 else [])]  # the odd non-text key
    return {rng.choice(keys): _random(rng, depth - 1) for _ in range(size)}


@pytest.mark.parametrize("value", [*SCALARS, [], {}, (), [[]], {"a": {}}, {"a": [1, {"b": None}]}, {1: "one"}])
def test_each_kind_of_value_is_written_as_json_writes_it(value: object) -> None:
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_nested_values_are_written_as_json_writes_them() -> None:
    rng = random.Random(23)
    for _ in range(2000):
        value = _random(rng, 5)
        assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
