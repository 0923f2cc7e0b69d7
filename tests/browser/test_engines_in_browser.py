"""The example built with each engine, in headless Chromium: the overview side by side, light and dark,
the look Plaintrust controls (brand colour, logo, badges, cards) the same everywhere, and axe on each.

The screenshots and a page showing them side by side go to build/screenshots/engines/.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

from browsing import ROOT, serious_violations
from plaintrust import pipeline
from plaintrust.public import view as public

pytestmark = pytest.mark.browser

ENGINES = ("mkdocs", "properdocs", "zensical")
SCHEMES = ("light", "dark")
SHOTS = ROOT / "build" / "screenshots" / "engines"
# The overview, a page of practices and the page of the disclosure policy.
AXE_PAGES = ("", "practices/access-control/", "disclosure/")
# What the overview shows of the theme chrome Plaintrust styles, and the texts of its own markup.
LOOK = """() => {
  const logo = document.querySelector('.md-header .md-logo img');
  const texts = selector => [...document.querySelectorAll(selector)].map(e => e.textContent.trim());
  return {
    header: getComputedStyle(document.querySelector('.md-header')).backgroundColor,
    background: getComputedStyle(document.body).backgroundColor,
    logo: logo && {src: logo.getAttribute('src'), drawn: logo.complete && logo.naturalWidth > 0,
                   width: logo.getBoundingClientRect().width},
    badges: texts('.pt-badge, .pt-status'),
    cards: texts('.pt-card .pt-card__title'),
    certifications: texts('.pt-cert .pt-card__title'),
  };
}"""


def example_view() -> public.PublicView:
    return public.build(pipeline.run(ROOT).model)


def rgb(color: str) -> str:
    """#rrggbb as the browser's computed style writes it."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def open_overview(browser, url: str, scheme: str):
    """A browser context in `scheme` with the overview loaded in its page."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    context.new_page().goto(url)
    return context


def side_by_side() -> str:
    """A static page with the screenshots: an engine a column, light above dark."""
    heads = "".join(f"<th scope=col>{engine}</th>" for engine in ENGINES)
    rows = "".join(
        f"<tr><th scope=row>{scheme}</th>"
        + "".join(
            f'<td><img src="overview-{engine}-{scheme}.png" alt="The overview built with {engine}, {scheme}"></td>'
            for engine in ENGINES
        )
        + "</tr>\n"
        for scheme in SCHEMES
    )
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>The overview on each engine</title>\n"
        "<style>table{table-layout:fixed;width:100%}tr>:first-child{width:4em}td,th{vertical-align:top}img{width:100%}"
        "</style>\n"
        f"</head><body><table>\n<tr><td></td>{heads}</tr>\n{rows}</table></body></html>\n"
    )


def test_the_overviews_side_by_side(browser, engine_url) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    urls = {engine: engine_url(engine) for engine in ENGINES}  # every engine, or the page says nothing
    for engine, url in urls.items():
        for scheme in SCHEMES:
            context = open_overview(browser, url, scheme)
            context.pages[0].screenshot(path=str(SHOTS / f"overview-{engine}-{scheme}.png"), full_page=True)
            context.close()
    (SHOTS / "index.html").write_text(side_by_side(), encoding="utf-8")
    for engine in ENGINES:
        for scheme in SCHEMES:
            shot = SHOTS / f"overview-{engine}-{scheme}.png"
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    index = (SHOTS / "index.html").read_text(encoding="utf-8")
    assert [index.count(f'src="overview-{e}-{s}.png"') for e in ENGINES for s in SCHEMES] == [1] * 6
    assert "<script" not in index and "http" not in index  # static, and the images beside it


@pytest.fixture(scope="module")
def looks(browser, engine_url) -> Callable[[str, str], dict]:
    """`looks(engine, scheme)`: what the overview shows (`LOOK`), read once for each engine and scheme."""

    @functools.cache
    def seen(engine: str, scheme: str) -> dict:
        context = open_overview(browser, engine_url(engine), scheme)
        found = context.pages[0].evaluate(LOOK)
        context.close()
        return found

    return seen


@pytest.mark.parametrize("engine", ENGINES)
def test_the_look_plaintrust_controls_is_the_same(looks, engine: str) -> None:
    view = example_view()
    assert view.color and view.logo  # the example has both: the checks below are not empty
    for scheme in SCHEMES:
        seen, reference = looks(engine, scheme), looks("mkdocs", scheme)
        assert seen["header"] == rgb(view.color), scheme
        assert seen["logo"]["src"].endswith(view.logo) and seen["logo"]["drawn"] and seen["logo"]["width"] > 0
        assert [seen[key] for key in ("badges", "cards")] == [reference[key] for key in ("badges", "cards")]
    light, dark = (looks(engine, scheme) for scheme in SCHEMES)
    assert len(light["certifications"]) == len(view.certifications)
    assert {c.title for c in view.categories} <= set(light["cards"])
    assert {"Current", "Valid"} <= set(light["badges"])
    assert dark["background"] != light["background"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "mkdocs"])  # MkDocs': test_site_in_browser
def test_axe_passes_on_each_engine(browser, axe_source: str, engine_url, engine: str, scheme: str) -> None:
    url = engine_url(engine)
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in AXE_PAGES:
        page.goto(url + path)
        found[path] = serious_violations(page, axe_source)
    context.close()
    assert found == {path: [] for path in AXE_PAGES}
