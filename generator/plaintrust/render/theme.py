"""The brand colour from site/trust.yaml as CSS for Material's `primary: custom` (and other themes)."""

from __future__ import annotations


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _shade(color: str, factor: float) -> str:
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{max(0, min(255, round(c * factor))):02x}" for c in channels)


def on_color(color: str) -> str:
    """Black or white, whichever reads better on `color` (WCAG contrast)."""
    lum = _luminance(color)
    return "#ffffff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else "#000000"


def brand_css(color: str | None) -> str:
    """`color` is validated by the schema as #rrggbb, so it is safe to write into CSS."""
    if not color:
        return "/* no brand colour in site/trust.yaml */\n"
    text = on_color(color)
    return (
        '[data-md-color-primary="custom"] {\n'
        f"  --md-primary-fg-color: {color};\n"
        f"  --md-primary-fg-color--light: {_shade(color, 1.25)};\n"
        f"  --md-primary-fg-color--dark: {_shade(color, 0.8)};\n"
        f"  --md-primary-bg-color: {text};\n"
        f"  --md-primary-bg-color--light: {text}b3;\n"
        "}\n"
        '[data-md-color-accent="custom"] {\n'
        f"  --md-accent-fg-color: {_shade(color, 0.9)};\n"
        f"  --md-accent-fg-color--transparent: {color}1a;\n"
        "}\n"
        f":root:not([data-md-color-primary]) .pt {{ --pt-accent: {color}; }}\n"
    )
