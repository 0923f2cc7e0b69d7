"""Options that live in mkdocs.yml under `plugins: - plaintrust:` and matter to `check` as well as to the site.

`OPTIONS` declares each of the plugin's options once: its name, what it holds, its default and one
sentence for the documentation. Everything else is made from it: the MkDocs plugin's config class
(public/plugin.py), `check`'s reading of mkdocs.yml (load/mkdocs_config.py), the fields of
`Settings` and the docs' plugin reference. `check` and the plugin both validate a value with
`Option.parse`, so a value one of them accepts the other accepts too, and an option that is not
declared is a warning in both (`unknown`). Nothing here imports MkDocs: `check` runs without it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Every MkDocs plugin has this option (MkDocs skips a plugin set to false): known, though not ours.
ENABLED = "enabled"


@dataclass(frozen=True)
class Kind:
    """What an option holds: its name in the documentation, and the check of a value."""

    shown: str
    parse: Callable[[Any], Any]  # the value to use; ValueError saying what it must be


def _number(value: Any) -> float:
    # A bool is an int to Python (`max_grade: yes` would be 1), and NaN fails every comparison:
    # either would silently change what the readability rule holds a summary to.
    try:
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan
    except OverflowError:  # an integer too large for a float
        number = math.nan
    if math.isnan(number):
        raise ValueError("must be a number, such as 12")
    return number


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(word, str) for word in value):
        raise ValueError("must be a list of words, such as [MFA, SSO]")
    return tuple(value)


# evidence.states reads these periods; it imports the model, which imports these settings
_PERIOD = re.compile(r"daily|weekly|monthly|quarterly|semiannual|annual|[1-9][0-9]{0,3}[dwmy]")


def _period(value: Any) -> str:
    if not isinstance(value, str) or not _PERIOD.fullmatch(value):
        raise ValueError("must be a frequency word such as annual, or a duration such as 6m or 180d")
    return value


# The site generators a build can hand the pages to (public/engines.py runs each).
ENGINES = ("mkdocs", "properdocs", "zensical")


def _engine(value: Any) -> str | None:
    if value is None or value in ENGINES:  # None: not set here (plaintrust.toml or pyproject.toml may say)
        return value
    raise ValueError("must be mkdocs, properdocs or zensical")


NUMBER = Kind("number", _number)
FLAG = Kind("true or false", _flag)
WORDS = Kind("list of text", _words)
PERIOD = Kind("frequency word or duration", _period)
ENGINE = Kind("mkdocs, properdocs or zensical", _engine)


@dataclass(frozen=True)
class Option:
    """One option of the plugin, as mkdocs.yml sets it."""

    name: str
    kind: Kind
    default: Any  # as mkdocs.yml would write it
    description: str  # one sentence: the documentation's plugin reference

    def parse(self, value: Any) -> Any:
        """The value to use for what mkdocs.yml gives; empty (null, or an `!ENV` whose variables
        are unset and that has no default) means the default, as MkDocs reads it. ValueError
        says what is wrong, in words for both `check` and the plugin."""
        if value is None:
            value = self.default
        try:
            return self.kind.parse(value)
        except ValueError as exc:
            raise ValueError(f"{exc}, not {shown(value)}") from None


def shown(value: Any) -> str:
    """A value from mkdocs.yml in a message: as Python writes it, cut short when long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


OPTIONS: tuple[Option, ...] = (
    Option(
        "min_reading_ease",
        NUMBER,
        50,
        "The lowest Flesch Reading Ease a public summary may score; below it, `check` warns (`readability`).",
    ),
    Option(
        "max_grade",
        NUMBER,
        10,
        "The highest Flesch-Kincaid grade a public summary may score; above it, `check` warns (`readability`).",
    ),
    Option(
        "plain_words",
        WORDS,
        (),
        "Words your customers know that the readability score would count as hard: each counts as one short word.",
    ),
    Option(
        "answer_review",
        PERIOD,
        "annual",
        "How long an answer of the questionnaire library stays current after its `reviewed_on`: "
        "a frequency word (`quarterly`, `annual` ...) or a duration such as `6m`; later, `check` warns "
        "(`answer-review-overdue`).",
    ),
    Option(
        "navigation",
        FLAG,
        True,
        "Build the site's navigation (overview, certifications, practices, updates, subprocessors, "
        "disclosure, then your pages) when mkdocs.yml has no `nav`.",
    ),
    Option(
        "engine",
        ENGINE,
        None,
        "The site generator `plaintrust build` hands the pages to: `mkdocs`, `properdocs` or `zensical`; "
        "unset, `plaintrust.toml` or `pyproject.toml` may name it, else `mkdocs`. `--engine` overrides it.",
    ),
)
BY_NAME: dict[str, Option] = {option.name: option for option in OPTIONS}


def unknown(name: str) -> tuple[str, str | None]:
    """What `check` and the plugin say of a key the plugin has no option for: a message, and a
    hint naming the option it most likely means (None when none is close)."""
    from plaintrust.suggest import did_you_mean

    return f"the plaintrust plugin has no option {name!r}; it is ignored", did_you_mean(name, [*BY_NAME, ENABLED])


def _default(name: str) -> Any:
    return BY_NAME[name].parse(None)


@dataclass(frozen=True)
class Settings:
    # One field per option of OPTIONS, with its default (tests hold the two to each other).
    min_reading_ease: float = _default("min_reading_ease")  # Flesch Reading Ease: higher is easier
    max_grade: float = _default("max_grade")  # Flesch-Kincaid grade level: lower is easier
    # Words never held against a summary's readability (acronyms are counted out anyway).
    plain_words: tuple[str, ...] = _default("plain_words")
    navigation: bool = _default("navigation")
    answer_review: str = _default("answer_review")  # how long an answer stays current after its review
    engine: str | None = _default("engine")  # None: no file names one
    engine_source: str | None = None  # the file that names it: mkdocs.yml, plaintrust.toml or pyproject.toml
    site_configured: bool = False  # mkdocs.yml exists
    plugin_listed: bool = False  # mkdocs.yml lists the plaintrust plugin (or could not be read: its error says why)
    plugin_enabled: bool = True  # not turned off by MkDocs' `enabled: false`
    plugins_line: int | None = None  # the line of mkdocs.yml's `plugins:` when the plugin is not listed there or is off
    site_url: str | None = None
    site_dir: str = "site"  # MkDocs' default when mkdocs.yml does not say
    docs_dir: str = "docs"  # likewise
    theme: str | None = None  # the theme's name
    # Paths mkdocs.yml makes part of the build, as written: the theme's custom_dir, hooks, and the
    # folders pymdownx.snippets may include files from (None: the extension is not used).
    custom_dir: str | None = None
    hooks: tuple[str, ...] = ()
    snippet_paths: tuple[str, ...] | None = None
    snippet_auto: tuple[str, ...] = ()  # files pymdownx.snippets adds to every page
    inherited: tuple[str, ...] = ()  # files mkdocs.yml INHERITs, in order
    # MkDocs' exclude_docs and draft_docs as written (gitignore lines): files under site/ a build leaves out
    exclude_docs: str | None = None
    draft_docs: str | None = None
    shown_texts: tuple[tuple[str, str], ...] = ()  # (where, text) a theme prints unescaped
    # MkDocs' use_directory_urls: a page's address ends in its folder's slash (True) or in .html
    directory_urls: bool = True
