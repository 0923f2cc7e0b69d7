"""The loader keeps every position and turns every bad input into a diagnostic, never a crash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plaintrust import cli
from plaintrust.diagnostics import Severity
from plaintrust.errors import ExitCode
from plaintrust.load.yamlfile import MAX_ALIAS_EXPANSION, MAX_DEPTH, parse_bytes

SUITE = Path(__file__).parents[1] / "data" / "yaml-test-suite"
ERRORS = sorted((SUITE / "errors").glob("*.yaml"))
VALID = sorted((SUITE / "valid").glob("*.yaml"))
# Valid YAML 1.2 that libyaml (a YAML 1.1 parser) rejects, or that uses tags we refuse on purpose
# (custom tags, !!set, !!binary: nothing of ours needs them).
LIBYAML_REJECTS = {
    "2SXE",
    "4MUZ-00",
    "4MUZ-01",
    "4MUZ-02",
    "58MP",
    "5MUD",
    "96NN-00",
    "96NN-01",
    "A2M4",
    "DK95-00",
    "DK95-03",
    "DK95-04",
}
TAGS_REFUSED = {"2XXW", "565N", "7FWL", "CUP7"}
# Far deeper than any limit: 200,000 flow sequences, 100,000 unclosed flow mappings.
DEEP = [("[" * 200_000 + "]" * 200_000).encode(), ("{a: " * 100_000).encode()]
DEEP_IDS = ["sequences", "mappings"]


def test_scalars_stay_as_written() -> None:
    parsed = parse_bytes("f.yaml", b"a: 12.10\nb: NO\nc: 2026-01-01\nd: ~\ne: ''\nf: yes\n")
    assert parsed.document.data == {"a": "12.10", "b": "NO", "c": "2026-01-01", "d": None, "e": "", "f": "yes"}


def test_positions_of_values_and_keys() -> None:
    doc = parse_bytes("f.yaml", b"a:\n  b: [x, {c: 2}]\n").document
    assert (doc.at("a", "b", 1, "c").line, doc.at("a", "b", 1, "c").col) == (2, 14)
    assert (doc.key_at("a", "b").line, doc.key_at("a", "b").col) == (2, 3)
    assert doc.at("a", "missing").line == 2  # falls back to the nearest enclosing value


def test_duplicate_key_is_reported_at_the_second_occurrence() -> None:
    parsed = parse_bytes("f.yaml", b"id: A\ntitle: x\nid: B\n")
    [problem] = parsed.diagnostics
    assert (problem.rule, problem.line, problem.col) == ("yaml-duplicate-key", 3, 1)
    assert parsed.document.data["id"] == "A"  # never silently overwritten


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    parsed = parse_bytes("f.yaml", "\n".join(lines).encode())
    assert parsed.document is None
    assert [d.rule for d in parsed.diagnostics] == ["yaml-alias"]
    assert str(MAX_ALIAS_EXPANSION) in parsed.diagnostics[0].message


def test_deep_nesting_is_refused_at_our_limit() -> None:
    # MAX_DEPTH is ours; 65 levels is far below a parser's own nesting limit (1000 in PyYAML 6.0.4's libyaml).
    source = ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode()
    [problem] = parse_bytes("f.yaml", source).diagnostics
    assert (problem.rule, problem.line, problem.col) == ("yaml-depth", 1, MAX_DEPTH + 1)


@pytest.mark.parametrize("source", DEEP, ids=DEEP_IDS)
def test_deep_nesting_stops_without_crashing(source: bytes) -> None:
    # libyaml's own composer recurses and crashes the interpreter on input like this. Whether our
    # limit (yaml-depth) or the parser's own (yaml-syntax: PyYAML 6.0.4's libyaml) stops it first
    # depends on the release; either way it must be one positioned error, not a crash.
    [problem] = parse_bytes("f.yaml", source).diagnostics
    assert problem.severity is Severity.ERROR
    assert problem.rule in {"yaml-depth", "yaml-syntax"}
    lines = source.split(b"\n")
    assert 1 <= problem.line <= len(lines)
    assert 1 <= problem.col <= len(lines[problem.line - 1]) + 1


@pytest.mark.parametrize("nested", DEEP, ids=DEEP_IDS)
def test_deep_nesting_in_a_control_is_a_finding_of_check(runner, base_repo: Path, nested: bytes) -> None:
    control = base_repo / "controls" / "access" / "ac-01.yaml"
    control.write_bytes(b"id: AC-01\ntitle: Nested too deep\nnotes: " + nested + b"\n")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert isinstance(result.exception, SystemExit), result.exc_info  # a finding, not a crash
    assert result.exit_code == ExitCode.FINDINGS
    assert "Traceback" not in result.output
    [finding] = [ln for ln in result.stdout.splitlines() if ln.startswith("controls/access/ac-01.yaml:")]
    match = re.fullmatch(r"controls/access/ac-01\.yaml:(\d+):(\d+): error \[(yaml-depth|yaml-syntax)\] .+", finding)
    assert match, finding
    line, col = int(match[1]), int(match[2])
    assert line == 3 and 1 <= col <= len(control.read_bytes().split(b"\n")[2]) + 1


@pytest.mark.parametrize(
    ("source", "rule", "line", "col"),
    [
        (b"a:\n\tb: 1\n", "yaml-tab", 2, 1),
        (b"title: caf\xe9\n", "yaml-encoding", 1, 11),
        (b"", "yaml-empty", 1, 1),
        (b"# only a comment\n", "yaml-empty", 1, 1),
        (b"a: [1\n", "yaml-syntax", 2, 1),
        (b"a: 1\n---\nb: 2\n", "yaml-syntax", 2, 1),
        (b"a: &x [*x]\n", "yaml-alias", 1, 8),
        (b"a: *nothing\n", "yaml-alias", 1, 4),
        (b"a: !include other.yaml\n", "yaml-tag", 1, 4),
        (b"<<: {a: 1}\n", "yaml-merge-key", 1, 1),
        (b"a: &m <<\n*m : {b: 1}\n", "yaml-merge-key", 2, 1),  # an alias of << used to crash the loader
        (b"? [a, b]\n: c\n", "yaml-key", 1, 3),
    ],
)
def test_bad_input_becomes_a_positioned_diagnostic(source: bytes, rule: str, line: int, col: int) -> None:
    [problem] = parse_bytes("f.yaml", source).diagnostics
    assert (problem.rule, problem.line, problem.col) == (rule, line, col)


def test_bom_is_accepted() -> None:
    assert parse_bytes("f.yaml", b"\xef\xbb\xbfa: 1\n").document.data == {"a": "1"}


@pytest.mark.parametrize("path", ERRORS, ids=[p.stem for p in ERRORS])
def test_yaml_suite_error_cases_never_crash(path: Path) -> None:
    parsed = parse_bytes(path.name, path.read_bytes())
    for problem in parsed.diagnostics:
        assert problem.line >= 1 and problem.col >= 1
    # PyYAML accepts a dozen of these (YAML 1.1 vs 1.2); every rejection has a position.
    assert parsed.document is not None or parsed.diagnostics


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_yaml_suite_valid_cases_load_to_a_mapping(path: Path) -> None:
    parsed = parse_bytes(path.name, path.read_bytes())
    if path.stem in TAGS_REFUSED:
        assert {d.rule for d in parsed.diagnostics} == {"yaml-tag"}
    elif path.stem in LIBYAML_REJECTS:
        assert parsed.diagnostics and all(d.line >= 1 for d in parsed.diagnostics)
    else:
        assert parsed.diagnostics == () and isinstance(parsed.document.data, dict)
