"""The leak guard does not redo work, and finds as much: the build's output guard takes what `check`
has just derived from the same model, and a warm `check` searches only the public texts that changed
since its last run. Structural: what is read again, never how fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_leak_routes import pdf_with_text

from helpers import edit, write
from plaintrust import build, pipeline
from plaintrust.boundary import extract, sources
from plaintrust.public.guard import tree

CONTROL = "controls/access/ac-01.yaml"
DESCRIPTION = "The identity provider requires a security key for every workforce login."
PAGE = "site/practices.md"


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the input screen searches itself, rather than taking its verdict from the cache."""
    texts: list[str] = []

    class Recorded(sources.Needles):
        def hits(self, text: str):
            texts.append(text)
            return super().hits(text)

    monkeypatch.setattr(sources, "Needles", Recorded)
    return texts


def internal_values_found(result: pipeline.Result) -> list[str]:
    return [f"{d.path}:{d.line}:{d.col}" for d in result.diagnostics if d.rule == "internal-value"]


def test_a_build_reads_no_pdf_and_lists_no_internal_value_again(base_repo: Path, monkeypatch) -> None:
    (base_repo / "site/report.pdf").write_bytes(pdf_with_text("Quarterly availability summary"))
    result = pipeline.run(base_repo)
    assert not result.failed(), result.diagnostics
    assert result.screened is not None
    assert any("Quarterly availability" in str(kept) for kept in result.screened.known.values())

    def again(*_args, **_kwargs):
        raise AssertionError("the output guard redid what check had done")

    for module, name in ((extract, "read_pdf"), (tree, "internal_values"), (tree, "line_values")):
        monkeypatch.setattr(module, name, again)
    assert build.build_outputs(base_repo, result).site is not None


def test_the_handed_values_still_stop_a_leak_in_the_output(base_repo: Path) -> None:
    result = pipeline.run(base_repo)
    write(base_repo, "out/index.html", f"<p>{DESCRIPTION}</p>\n")
    reused = tree.Reused().after_check(result.screened)
    leaks = tree.scan(base_repo / "out", result.model, result.ordinary, reused=reused)
    assert [leak.what for leak in leaks] == ["the description of control AC-01 (controls/access/ac-01.yaml)"]


def test_a_warm_check_searches_only_the_texts_that_changed(base_repo: Path, searched: list[str]) -> None:
    write(base_repo, PAGE, "# Practices\n\nWe review who has access every quarter.\n")
    pipeline.run(base_repo)
    assert any("every quarter" in text for text in searched)  # a first run searches every input
    searched.clear()
    pipeline.run(base_repo)
    assert searched == []
    edit(base_repo, PAGE, "every quarter", "every month")
    pipeline.run(base_repo)
    assert searched
    assert all("every month" in text for text in searched)


def test_a_new_internal_value_is_found_in_an_unchanged_input(base_repo: Path, searched: list[str]) -> None:
    sentence = "Backups are restored to the Lisbon standby cluster every week."
    write(base_repo, PAGE, f"# Practices\n\n{sentence}\n")
    assert internal_values_found(pipeline.run(base_repo)) == []
    searched.clear()
    edit(base_repo, CONTROL, DESCRIPTION, sentence)  # the page is as it was; the needle set is not
    assert internal_values_found(pipeline.run(base_repo)) == [f"{PAGE}:3:1"]
    assert any(sentence in text for text in searched)


def test_the_output_guard_takes_nothing_the_check_read_from_its_cache(base_repo: Path, monkeypatch) -> None:
    """Only a cold check hands its values over: after a run that read `.plaintrust-cache/`, the build's
    guard lists the internal values and reads the evidence itself, so a damaged cache cannot fool the
    input screen and the output guard at once."""
    assert pipeline.run(base_repo).screened.values is not None  # cold: derived by this run alone
    warm = pipeline.run(base_repo)
    assert warm.screened is not None and warm.screened.values is None
    assert not any(key.startswith("long-lines:") for key in warm.screened.known)  # read back, not computed
    listed: list[bool] = []
    real = tree.line_values
    monkeypatch.setattr(tree, "line_values", lambda *a, **k: listed.append(True) or real(*a, **k))
    assert build.build_outputs(base_repo, warm).site is not None
    assert listed == [True]
