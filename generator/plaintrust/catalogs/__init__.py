"""The shipped framework catalogs (identifiers and titles in our own words)."""

from __future__ import annotations

from importlib import resources

SHIPPED = ("soc2-2017", "iso27001-2022", "pci-dss-4.0.1")


def shipped_bytes(name: str) -> bytes:
    """The YAML of a shipped catalog; KeyError when `name` is not one."""
    if name not in SHIPPED:
        raise KeyError(name)
    return resources.files(__package__).joinpath(f"{name}.yaml").read_bytes()
