"""The README documents every rule id and every command the CLI offers."""

from __future__ import annotations

from pathlib import Path

from plaintrust import cli, rules

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_in_the_readme() -> None:
    missing = [rule for rule, _ in rules.documentation() if f"| `{rule}` |" not in README]
    assert missing == []


def test_every_rule_module_has_an_id_and_documentation() -> None:
    for rule in rules.ALL:
        assert rule.ID and rule.__doc__ and len(rule.__doc__.strip()) > 40, rule.__name__


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in cli.cli.commands if f"plaintrust {name}" not in README]
    assert missing == []
