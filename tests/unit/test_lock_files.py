"""The lock files in requirements/ pin, with hashes, every dependency pyproject.toml declares, within its range.

`make lock` writes them; this catches a pyproject.toml edited without relocking. No network.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Each lock and the extras it holds, as the Makefile installs them (build: run, test: test, bench: bench,
# engines: engines).
LOCKS = {"run": (), "test": ("test",), "bench": ("test", "bench"), "engines": ("test", "properdocs", "zensical")}
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


class Pin:
    def __init__(self, entry: str) -> None:
        requirement, *options = entry.split(" --")
        self.requirement = Requirement(requirement)
        self.options = [f"--{option}" for option in options]
        self.name = canonicalize_name(self.requirement.name)

    @property
    def version(self) -> Version:
        [specifier] = self.requirement.specifier
        return Version(specifier.version)


def read_lock(name: str) -> dict[str, Pin]:
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    logical = re.sub(r"\s*\\\n\s*", " ", text)  # join continued lines
    entries = [ln.strip() for ln in logical.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    pins = [Pin(entry) for entry in entries]
    assert len({pin.name for pin in pins}) == len(pins), f"{name}.txt names a package twice"
    return {pin.name: pin for pin in pins}


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    """What installing the project with these extras asks for, build backend included."""
    lists = [PYPROJECT["project"]["dependencies"], PYPROJECT["build-system"]["requires"]]
    lists += [PYPROJECT["project"]["optional-dependencies"][extra] for extra in extras]
    return [Requirement(text) for group in lists for text in group]


def test_every_extra_has_a_lock() -> None:
    assert set(PYPROJECT["project"]["optional-dependencies"]) == {e for extras in LOCKS.values() for e in extras}


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_is_exact_and_hashed(lock: str) -> None:
    for pin in read_lock(lock).values():
        specifiers = list(pin.requirement.specifier)
        assert [s.operator for s in specifiers] == ["=="], f"{lock}.txt: {pin.requirement} is not pinned with =="
        assert "*" not in specifiers[0].version, f"{lock}.txt: {pin.requirement} is a wildcard"
        assert pin.requirement.url is None and not pin.requirement.extras, f"{lock}.txt: {pin.requirement}"
        assert pin.options and all(HASH.fullmatch(option) for option in pin.options), (
            f"{lock}.txt: {pin.name} needs --hash=sha256: options and nothing else"
        )


@pytest.mark.parametrize("lock", LOCKS)
def test_every_declared_dependency_is_pinned_within_its_range(lock: str) -> None:
    pins = read_lock(lock)
    for requirement in declared(LOCKS[lock]):
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} (pyproject.toml) is missing from {lock}.txt: run `make lock`"
        assert requirement.specifier.contains(pins[name].version, prereleases=True), (
            f"{lock}.txt pins {name}=={pins[name].version}, outside pyproject.toml's {requirement}: run `make lock`"
        )


def test_locks_agree_on_every_shared_package() -> None:
    # `make build`, `make test`, `make bench` and `make engines` install into the same venv, in any order:
    # no version may differ.
    locks = {lock: read_lock(lock) for lock in LOCKS}
    assert locks["run"].keys() <= locks["test"].keys() <= locks["bench"].keys()
    assert locks["test"].keys() <= locks["engines"].keys()
    for (one, pins), (other, other_pins) in itertools.combinations(locks.items(), 2):
        for name in pins.keys() & other_pins.keys():
            mine, theirs = pins[name], other_pins[name]
            assert (mine.version, sorted(mine.options)) == (theirs.version, sorted(theirs.options)), (
                f"{name}: {one}.txt and {other}.txt differ"
            )


@pytest.mark.parametrize("lock", LOCKS)
def test_no_machine_specific_options(lock: str) -> None:
    text = (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        option = line.strip()
        if option.startswith("#"):
            continue
        assert not option.startswith(("-e", "--index-url", "--extra-index-url", "--find-links", "-f", "-i")), line
        assert not re.search(r"file:|://|\s/|^/", option), line  # no URL, no path of one machine


def test_make_build_installs_no_test_tool() -> None:
    """`make build` installs run.txt only: the test tools (Playwright alone is 165 MB) come with `make test`."""
    run = read_lock("run")
    test_only = {canonicalize_name(r.name) for r in declared(("test",))} - {
        canonicalize_name(r.name) for r in declared(())
    }
    # packaging is MkDocs' dependency too: it is in run.txt for the site, not for the tests.
    assert test_only - {"packaging"} and not test_only & set(run) - {"packaging"}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^build: \$\(VENV\)/\.installed-run$", makefile, re.M)


def test_make_test_installs_no_engine() -> None:
    """The default lock covers the default: the optional engines come with `make engines` only."""
    test = read_lock("test")
    extras = PYPROJECT["project"]["optional-dependencies"]
    engines = {
        canonicalize_name(Requirement(text).name) for extra in ("properdocs", "zensical") for text in extras[extra]
    }
    assert engines == {"properdocs", "zensical"} and not engines & set(test)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: \$\(VENV\)/\.installed-test$", makefile, re.M)
    assert re.search(r"^engines: \$\(VENV\)/\.installed-engines$", makefile, re.M)
