"""The brand colour from site/trust.yaml as CSS for Material's `primary: custom` (and other themes)."""

from __future__ import annotations


def _luminance(color: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _shade(color: str, factor: float) -> str:
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{max(0, min(255, round(c * factor))):02x}" for c in channels)


def contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(color: str, toward: str, amount: float) -> str:
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(toward[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def readable_on(color: str, background: str, toward: str) -> str:
    """`color` moved toward `toward` (black or white) just enough for 4.5:1 text on `background`."""
    for step in range(21):
        candidate = _mix(color, toward, step / 20)
        if contrast(candidate, background) >= 4.5:
            return candidate
    return toward


# The darkest card behind text on each scheme (Material's code background).
LIGHT_CARD = "#f5f5f5"
SLATE_CARD = "#282b36"


def on_color(color: str) -> str:
    """Black or white, whichever reads better on `color`."""
    return "#ffffff" if contrast(color, "#ffffff") >= contrast(color, "#000000") else "#000000"


def brand_css(color: str | None) -> str:
    """`color` is validated by the schema as #rrggbb, so it is safe to write into CSS."""
    if not color:
        return "/* no brand colour in site/trust.yaml */\n"
    text = on_color(color)
    light_link = readable_on(color, LIGHT_CARD, "#000000")
    dark_link = readable_on(color, SLATE_CARD, "#ffffff")
    return (
        '[data-md-color-primary="custom"] {\n'
        f"  --md-primary-fg-color: {color};\n"
        f"  --md-typeset-a-color: {light_link};\n"
        f"  --md-primary-fg-color--light: {_shade(color, 1.25)};\n"
        f"  --md-primary-fg-color--dark: {_shade(color, 0.8)};\n"
        f"  --md-primary-bg-color: {text};\n"
        f"  --md-primary-bg-color--light: {text}b3;\n"
        "}\n"
        '[data-md-color-scheme="slate"][data-md-color-primary="custom"] {\n'
        f"  --md-typeset-a-color: {dark_link};\n"
        "}\n"
        '[data-md-color-accent="custom"] {\n'
        f"  --md-accent-fg-color: {_shade(color, 0.9)};\n"
        f"  --md-accent-fg-color--transparent: {color}1a;\n"
        "}\n"
        f"body:not([data-md-color-primary]) .pt {{ --pt-accent: {color}; --pt-link: {light_link}; }}\n"
    )
