"""The MkDocs plugin: `plugins: [plaintrust]` in mkdocs.yml.

on_config runs the pipeline (or takes the result `plaintrust build` already has) and stops the
build on any error; on_files adds the generated pages; on_post_build runs the leak guard and swaps
the finished site into place; on_serve makes `mkdocs serve` reload on edits to controls/ and
evidence/ as well as site/.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from markupsafe import escape
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from plaintrust import leakguard, output, pipeline
from plaintrust.render import pages, public
from plaintrust.render.theme import brand_css
from plaintrust.reporters import text
from plaintrust.settings import Settings

WATCHED = ("controls", "evidence", "frameworks")
ASSETS = "assets/plaintrust"
NOT_PUBLISHED = ("trust.yaml", "trust.yml")


class PlaintrustConfig(Config):
    min_reading_ease = opt.Type((int, float), default=50)
    max_grade = opt.Type((int, float), default=10)
    plain_words = opt.ListOfItems(opt.Type(str), default=[])
    navigation = opt.Type(bool, default=True)  # build the nav when mkdocs.yml has none


class PlaintrustPlugin(BasePlugin[PlaintrustConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.preloaded: pipeline.Result | None = None  # handed over by `plaintrust build`
        self.command = "build"
        self.result: pipeline.Result | None = None
        self.view: public.PublicView | None = None
        self.final_site: Path | None = None
        self.staging: Path | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def settings(self) -> Settings:
        return Settings(float(self.config.min_reading_ease), float(self.config.max_grade),
                        tuple(self.config.plain_words))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        result = self.preloaded or pipeline.run(root, settings=self.settings())
        self.preloaded = None  # `mkdocs serve` rebuilds must read the files again
        if result.failed():
            raise PluginError("plaintrust found problems; nothing was built:\n" + text(result.diagnostics))
        self.result, self.view = result, public.build(result.model)
        config.extra_css[:0] = [f"{ASSETS}/trust.css", f"{ASSETS}/brand.css"]
        if self.view.logo and config.theme.name == "material":
            config.theme.setdefault("logo", self.view.logo)
            config.theme.setdefault("favicon", self.view.logo)
        if self.command != "serve":
            self.final_site = Path(config.site_dir)
            self.staging = output.staging_for(self.final_site)
            config.site_dir = str(self.staging)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for name in NOT_PUBLISHED:
            if (found := files.get_file_from_path(name)) is not None:
                files.remove(found)
        generated = pages.render_all(self.view, config.use_directory_urls)
        for page in generated:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"site/{page.src_uri} clashes with a page plaintrust generates; rename or remove it")
            files.append(File.generated(config, page.src_uri, content=page.content))
        files.append(File.generated(config, f"{ASSETS}/trust.css", content=_asset("trust.css")))
        files.append(File.generated(config, f"{ASSETS}/brand.css", content=brand_css(self.view.color)))
        if not config.nav and self.config.navigation:
            config.nav = _navigation(self.view, generated, files)
        return files

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        root = Path(config.config_file_path).resolve().parent
        for folder in WATCHED:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        leaks = leakguard.scan(site, self.result.model, public.public_texts(self.view))
        if leaks:
            raise PluginError("internal data reached the public site; nothing was published:\n"
                              + "\n".join(f"  {leak}" for leak in leaks))
        if self.staging is not None:
            output.swap_in(self.staging, self.final_site)
            config.site_dir = str(self.final_site)
            self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        output.discard(self.staging)
        self.staging = None


def _asset(name: str) -> str:
    return resources.files("plaintrust.render").joinpath("assets", name).read_text("utf-8")


def _navigation(view: public.PublicView, generated: list[pages.GeneratedPage], files: Files) -> list:
    """Overview, certifications, practices by category, hand-written pages, then security updates."""
    practices = [{str(escape(c.title)): c.page} for c in view.categories]
    own = {p.src_uri for p in generated}
    written = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in own)
    updates = [uri for uri in written if uri.startswith("updates/")]
    nav: list = [{"Overview": pages.OVERVIEW}, {"Certifications and reports": pages.CERTIFICATIONS}]
    nav.append({"Security practices": practices})
    nav.extend(uri for uri in written if not uri.startswith("updates/"))
    if updates:
        nav.append({"Security updates": sorted(updates, reverse=True)})
    return nav


