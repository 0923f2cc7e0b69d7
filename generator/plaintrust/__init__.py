"""Plaintrust: compliance controls and evidence in YAML, compiled into a trust center and a gap report."""

__version__ = "0.1.0"
