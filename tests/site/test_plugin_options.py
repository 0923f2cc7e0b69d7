"""The plugin's options are declared once (settings.OPTIONS): `check` and the MkDocs plugin read
them from it, so they accept and refuse the same values and both warn of a key that is no option.
The plugin's data comes from `plaintrust build` in one handover, which holds for one build only."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from helpers import edit, write
from plaintrust import build, cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.public.plugin import PlaintrustConfig
from plaintrust.settings import OPTIONS, Settings

LISTED = "  - plaintrust\n"

# (what follows `plugins: - search`, check's verdict, the plugin's verdict): they must be the same.
TABLE = [
    ("  - plaintrust\n", "ok"),
    ("  - plaintrust:\n", "ok"),
    ("  - plaintrust:\n      plain_words: MFA\n", "error"),
    ("  - plaintrust:\n      plain_words: [MFA, SSO]\n", "ok"),
    ("  - plaintrust:\n      plain_words: [MFA, 12]\n", "error"),
    ("  - plaintrust:\n      max_grade: !ENV [PT_MAX_GRADE, 12]\n", "ok"),
    ("  - plaintrust:\n      max_grade: !ENV PT_MAX_GRADE\n", "ok"),  # unset, no default: the default
    ("  - plaintrust:\n      max_grade: high\n", "error"),
    ("  - plaintrust:\n      max_grade: '12'\n", "error"),
    ("  - plaintrust:\n      max_grade: true\n", "error"),
    ("  - plaintrust:\n      max_grade: .nan\n", "error"),
    ("  - plaintrust:\n      max_grade: 12.5\n", "ok"),
    ("  - plaintrust:\n      max_grade:\n", "ok"),
    ("  - plaintrust:\n      min_reading_ease: easy\n", "error"),
    ("  - plaintrust:\n      min_reading_ease: [50]\n", "error"),
    ("  - plaintrust:\n      navigation: 'yes'\n", "error"),
    ("  - plaintrust:\n      navigation: 1\n", "error"),
    ("  - plaintrust:\n      navigation: false\n", "ok"),
    ("  - plaintrust:\n      max_grad: 12\n", "warning"),
    ("  - plaintrust:\n      enabled: 'off'\n", "error"),
    ("  - plaintrust: [max_grade]\n", "error"),
    ("  - plaintrust: MFA\n", "error"),
]


def check_verdict(repo: Path) -> str:
    said = {d.severity.value for d in pipeline.run(repo).diagnostics if d.rule == "settings"}
    return "error" if "error" in said else "warning" if said else "ok"


class Said(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def plugin_says(repo: Path) -> tuple[bool, list[str]]:
    """Whether MkDocs refuses the configuration, and what it warns of the plugin."""
    said = Said()
    logging.getLogger("mkdocs").addHandler(said)
    try:
        load_config(config_file=str(repo / "mkdocs.yml"))
    except Abort:
        return True, said.messages
    finally:
        logging.getLogger("mkdocs").removeHandler(said)
    return False, [m for m in said.messages if "plaintrust" in m]


def plugin_verdict(repo: Path) -> str:
    refused, warned = plugin_says(repo)
    return "error" if refused else "warning" if warned else "ok"


@pytest.mark.parametrize(("snippet", "verdict"), TABLE, ids=[s.strip().replace("\n", " ") for s, _ in TABLE])
def test_check_and_the_plugin_agree(
    base_repo: Path, snippet: str, verdict: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PT_MAX_GRADE", raising=False)
    edit(base_repo, "mkdocs.yml", LISTED, snippet)
    assert (check_verdict(base_repo), plugin_verdict(base_repo)) == (verdict, verdict)


@pytest.mark.parametrize(("variable", "verdict", "grade"), [("14", "ok", 14.0), ("high", "error", None)])
def test_an_env_value_is_judged_as_its_variable_says(
    base_repo: Path, variable: str, verdict: str, grade: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PT_MAX_GRADE", variable)
    edit(base_repo, "mkdocs.yml", LISTED, "  - plaintrust:\n      max_grade: !ENV [PT_MAX_GRADE, 12]\n")
    assert (check_verdict(base_repo), plugin_verdict(base_repo)) == (verdict, verdict)
    if grade is not None:
        assert pipeline.run(base_repo).model.settings.max_grade == grade
        assert load_config(config_file=str(base_repo / "mkdocs.yml")).plugins["plaintrust"].config["max_grade"] == grade


def test_check_says_where_a_wrong_value_is_and_keeps_the_default(base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", LISTED, "  - plaintrust:\n      max_grade: 8\n      plain_words: MFA\n")
    result = pipeline.run(base_repo)
    assert [str(d) for d in result.diagnostics] == [
        "mkdocs.yml:11:20: error [settings] invalid plaintrust plugin options: `plain_words` must be a list of "
        "words, such as [MFA, SSO], not 'MFA'"
    ]
    assert (result.model.settings.max_grade, result.model.settings.plain_words) == (8.0, ())


def test_an_unknown_key_is_a_warning_with_its_likely_spelling_in_both(base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", LISTED, "  - plaintrust:\n      max_grad: 12\n")
    [warning] = pipeline.run(base_repo).diagnostics
    assert str(warning) == (
        "mkdocs.yml:10:7: warning [settings] the plaintrust plugin has no option 'max_grad'; "
        "it is ignored (hint: did you mean 'max_grade'?)"
    )
    assert plugin_says(base_repo) == (
        False,
        [
            "Config value 'plugins': Plugin 'plaintrust' option 'max_grad': the plaintrust plugin has no option "
            "'max_grad'; it is ignored (did you mean 'max_grade'?)"
        ],
    )


def test_an_option_set_in_an_inherited_file_is_found_there(base_repo: Path) -> None:
    write(base_repo, "base.yml", "plugins:\n  - search\n  - plaintrust:\n      navigation: 'no'\n")
    edit(base_repo, "mkdocs.yml", "plugins:\n  - search\n  - plaintrust\n", "INHERIT: base.yml\n")
    [problem] = pipeline.run(base_repo).diagnostics
    assert (problem.path, problem.line, problem.col, problem.rule) == ("base.yml", 4, 19, "settings")


def test_one_declaration_makes_the_plugin_config_and_the_settings() -> None:
    assert [name for name, _ in PlaintrustConfig._schema] == [option.name for option in OPTIONS]
    fields = {f.name: f.default for f in dataclasses.fields(Settings)}
    for option in OPTIONS:
        assert fields[option.name] == option.parse(None) == dict(PlaintrustConfig._schema)[option.name].default
        assert option.description.endswith(".") and option.kind.shown


def test_the_handover_holds_for_one_build_only(runner, base_repo: Path) -> None:
    """After `plaintrust build` (which keeps the site staged for itself), MkDocs' own build in the
    same process gets no handover: it runs the pipeline and swaps its site in as `mkdocs build` does."""
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    other = base_repo / "build" / "other"
    config = load_config(config_file=str(base_repo / "mkdocs.yml"), site_dir=str(other))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    assert (other / "index.html").is_file()
    assert (other / "index.html").read_bytes() == (base_repo / "build/site/index.html").read_bytes()


def test_build_outputs_commits_both_then_finds_nothing_changed(base_repo: Path) -> None:
    result = pipeline.run(base_repo)
    notes: list[str] = []
    built = build.build_outputs(base_repo, result, note=notes.append)
    assert built.site is not None and built.report is not None and notes == []
    assert (built.site.resolve(), built.report.resolve()) == (
        (base_repo / "build/site").resolve(),
        (base_repo / "build/gap-report").resolve(),
    )
    assert (built.site / "index.html").is_file() and (built.report / "index.html").is_file()
    assert build.build_outputs(base_repo, result) == build.Built()
    assert build.build_outputs(base_repo, result, force=True).site == built.site
