"""Which engine a build uses, and where it was named (`engines.choose`, fed by `check`'s settings).

`--engine` first, then the plugin's `engine` option in mkdocs.yml, then plaintrust.toml's `engine`,
then pyproject.toml's `[tool.plaintrust] engine`, else MkDocs. A wrong value is an error of `check`
(rule `settings`) at its place, and nothing is built; so is a plaintrust.toml that cannot be read.
A pyproject.toml that cannot be read (every tool's file) and a key Plaintrust does not know are
warnings: the choice passes on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.public.engines import Choice, choose

LISTED = "  - plaintrust\n"
PLAINTRUST_TOML = 'engine = "properdocs"\n'
PYPROJECT = '[project]\nname = "trust"\n\n[tool.plaintrust]\nengine = "zensical"\n'


def name_in_mkdocs_yml(repo: Path, engine: str) -> None:
    edit(repo, "mkdocs.yml", LISTED, f"  - plaintrust:\n      engine: {engine}\n")


def chosen(repo: Path, given: str | None = None) -> Choice:
    result = pipeline.run(repo)
    assert [str(d) for d in result.diagnostics] == []
    return choose(result.model.settings, given)


@pytest.mark.parametrize(
    ("given", "in_mkdocs_yml", "files", "expected"),
    [
        ("mkdocs", "zensical", ("plaintrust.toml", "pyproject.toml"), Choice("mkdocs", "--engine")),
        (None, "zensical", ("plaintrust.toml", "pyproject.toml"), Choice("zensical", "mkdocs.yml")),
        (None, None, ("plaintrust.toml", "pyproject.toml"), Choice("properdocs", "plaintrust.toml")),
        (None, None, ("pyproject.toml",), Choice("zensical", "pyproject.toml")),
        (None, None, (), Choice("mkdocs", "default")),
    ],
    ids=["--engine", "mkdocs.yml", "plaintrust.toml", "pyproject.toml", "default"],
)
def test_the_first_place_that_names_an_engine_wins(
    base_repo: Path, given: str | None, in_mkdocs_yml: str | None, files: tuple[str, ...], expected: Choice
) -> None:
    texts = {"plaintrust.toml": PLAINTRUST_TOML, "pyproject.toml": PYPROJECT}
    for name in files:
        write(base_repo, name, texts[name])
    if in_mkdocs_yml is not None:
        name_in_mkdocs_yml(base_repo, in_mkdocs_yml)
    assert chosen(base_repo, given) == expected


@pytest.mark.parametrize(
    ("plaintrust_toml", "pyproject", "expected"),
    [
        ("# no engine here\n", PYPROJECT, Choice("zensical", "pyproject.toml")),
        (None, '[project]\nname = "trust"\n', Choice("mkdocs", "default")),
        (None, "[tool]\nplaintrust = 3\n", Choice("mkdocs", "default")),
        (None, 'engine = "zensical"\n', Choice("mkdocs", "default")),  # pyproject's top level is not ours
    ],
    ids=["plaintrust.toml without it", "no table", "not a table", "outside the table"],
)
def test_a_file_that_names_no_engine_passes_the_choice_on(
    base_repo: Path, plaintrust_toml: str | None, pyproject: str, expected: Choice
) -> None:
    if plaintrust_toml is not None:
        write(base_repo, "plaintrust.toml", plaintrust_toml)
    write(base_repo, "pyproject.toml", pyproject)
    assert chosen(base_repo) == expected


def problems(repo: Path) -> list[str]:
    result = pipeline.run(repo)
    assert result.model.settings.engine is None  # the default, as for every wrong option
    return [str(d) for d in result.diagnostics]


def test_a_wrong_engine_in_mkdocs_yml_is_an_error_at_its_place(base_repo: Path) -> None:
    name_in_mkdocs_yml(base_repo, "hugo")
    assert problems(base_repo) == [
        "mkdocs.yml:10:15: error [settings] invalid plaintrust plugin options: `engine` must be mkdocs, "
        "properdocs or zensical, not 'hugo'"
    ]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("plaintrust.toml", "# the site's engine\nengine = {value}\n", 2),
        ("pyproject.toml", '[project]\nname = "trust"\n\n[tool.plaintrust]\nengine = {value}\n', 5),
    ],
)
@pytest.mark.parametrize(("value", "shown"), [('"hugo"', "'hugo'"), ("3", "3"), ('["zensical"]', "['zensical']")])
def test_a_wrong_engine_in_a_toml_file_is_an_error_at_its_line(
    base_repo: Path, name: str, text: str, line: int, value: str, shown: str
) -> None:
    write(base_repo, name, text.format(value=value))
    assert problems(base_repo) == [
        f"{name}:{line}:1: error [settings] invalid `engine` in {name}: it must be mkdocs, properdocs or zensical, "
        f"not {shown}"
    ]


CANNOT_BE_READ = "[settings] {name} cannot be read, so the site's engine is unknown: "


@pytest.mark.parametrize(
    ("content", "at"),
    [(b'engine = "zensical\n', ":1:19: "), (b"engine = zensical\n", ":1:10: "), (b'engine = "\xff"\n', ":1:1: ")],
    ids=["unclosed string", "bare word", "not UTF-8"],
)
@pytest.mark.parametrize(("name", "severity"), [("plaintrust.toml", "error"), ("pyproject.toml", "warning")])
def test_an_unreadable_toml_file_is_named_with_where_it_stops(
    base_repo: Path, name: str, severity: str, content: bytes, at: str
) -> None:
    """plaintrust.toml is Plaintrust's own: an error. pyproject.toml is every tool's: a warning, and
    the engine is then the default (mkdocs.yml and plaintrust.toml, read first, name none here)."""
    (base_repo / name).write_bytes(content)
    result = pipeline.run(base_repo)
    [problem] = [str(d) for d in result.diagnostics]
    assert problem.startswith(f"{name}{at}{severity} " + CANNOT_BE_READ.format(name=name)), problem
    assert result.failed() is (severity == "error")
    assert choose(result.model.settings, None) == Choice("mkdocs", "default")


def test_an_unreadable_pyproject_toml_leaves_the_choice_of_plaintrust_toml(base_repo: Path) -> None:
    write(base_repo, "plaintrust.toml", PLAINTRUST_TOML)
    write(base_repo, "pyproject.toml", "[tool.plaintrust\n")
    assert chosen(base_repo) == Choice("properdocs", "plaintrust.toml")


UNKNOWN = "warning [settings] {table} has no setting {key!r}; it is ignored"


@pytest.mark.parametrize(
    ("name", "text", "said", "expected"),
    [
        ("plaintrust.toml", 'engin = "zensical"\n', "plaintrust.toml:1:1: " + UNKNOWN.format(
            table="plaintrust.toml", key="engin") + " (hint: did you mean 'engine'?)", Choice("mkdocs", "default")),
        ("pyproject.toml", '[tool.plaintrust]\nengin = "zensical"\n', "pyproject.toml:2:1: " + UNKNOWN.format(
            table="tool.plaintrust", key="engin") + " (hint: did you mean 'engine'?)", Choice("mkdocs", "default")),
        ("pyproject.toml", "[tool.plaintrust]\nmax_grade = 10\n", "pyproject.toml:2:1: " + UNKNOWN.format(
            table="tool.plaintrust", key="max_grade"), Choice("mkdocs", "default")),
        ("pyproject.toml", '[tool.plaintrust]\nengine = "zensical"\ncolour = "red"\n', "pyproject.toml:3:1: "
            + UNKNOWN.format(table="tool.plaintrust", key="colour"), Choice("zensical", "pyproject.toml")),
    ],
    ids=["plaintrust.toml, a typo", "pyproject.toml, a typo", "no engine in the table", "beside the engine"],
)  # fmt: skip
def test_a_key_plaintrust_does_not_know_is_a_warning_at_its_line(
    base_repo: Path, name: str, text: str, said: str, expected: Choice
) -> None:
    write(base_repo, name, text)
    result = pipeline.run(base_repo)
    assert [str(d) for d in result.diagnostics] == [said]
    assert not result.failed()
    assert choose(result.model.settings, None) == expected


@pytest.mark.parametrize(
    ("name", "text", "at"),
    [
        ("pyproject.toml", '[project]\nname = "trust"\n\n[tool.plaintrust]  # ours\nengine = "hugo"\n', "5:1"),
        ("pyproject.toml", '[project]\nname = "trust"\n\n[ tool.plaintrust ]\n  engine = "hugo"\n', "5:3"),
        ("pyproject.toml", '[project]\nname = "trust"\n\n[tool]\nplaintrust.engine = "hugo"\n', "5:1"),
        ("pyproject.toml", '[tool]\nengine = 1\n\n[tool.plaintrust]\nengine = "hugo"\n', "5:1"),
        ("plaintrust.toml", '# the site\'s engine\n\nengine = "hugo"  # ours\n', "3:1"),
    ],
    ids=["a comment after the header", "spaces in the header", "a dotted key", "tool's own engine first", "a comment"],
)
def test_a_wrong_engine_is_located_however_the_table_is_written(base_repo: Path, name: str, text: str, at: str) -> None:
    write(base_repo, name, text)
    assert problems(base_repo) == [
        f"{name}:{at}: error [settings] invalid `engine` in {name}: it must be mkdocs, properdocs or zensical, not 'hugo'"
    ]


def test_an_engine_named_in_mkdocs_yml_leaves_the_toml_files_unread(base_repo: Path) -> None:
    """mkdocs.yml decides first: a broken pyproject.toml (another tool's) does not stop the build."""
    write(base_repo, "pyproject.toml", "[tool.plaintrust\n")
    name_in_mkdocs_yml(base_repo, "mkdocs")
    assert chosen(base_repo) == Choice("mkdocs", "mkdocs.yml")


def test_a_wrong_engine_in_a_toml_file_builds_nothing(runner, base_repo: Path) -> None:
    write(base_repo, "plaintrust.toml", 'engine = "hugo"\n')
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "plaintrust.toml:1:1: error [settings] invalid `engine` in plaintrust.toml" in result.output
    assert "nothing was built" in result.output
    assert not (base_repo / "build").exists()
