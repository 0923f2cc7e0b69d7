"""The MkDocs plugin: `plugins: [plaintrust]` in mkdocs.yml.

on_config runs the pipeline (or takes the result handed over) and stops the build on any error;
on_files adds the generated pages; on_post_build and on_shutdown run last of every plugin and
hook: the leak guard judges the finished tree only once nothing else will write to it, and only
then is it swapped into place; on_serve makes `mkdocs serve` reload on edits to controls/ and
evidence/ as well as site/.

Run by MkDocs itself (`mkdocs build`, `mkdocs serve`) the plugin needs nothing but mkdocs.yml.
`plaintrust build` and `plaintrust serve` have already run the pipeline: before each build they
hand the plugin a `Handover` in one call, `plugin.handover(Handover(result, keep_staged=...))`,
and it holds for that build alone. With `keep_staged`, the finished site is left staged for the
caller to judge and commit together with the gap report (`take_staged`).

The options (`PlaintrustConfig`) are made from their one declaration, `settings.OPTIONS`, and
checked by the same function `check` uses; a key the plugin has no option for is a warning, in
the words `check` uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.base import BaseConfigOption, Config, ConfigErrors, ConfigWarnings, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from plaintrust import output, pipeline, settings
from plaintrust.boundary import pagenames
from plaintrust.boundary.safe_text import clean_page
from plaintrust.public import buildrules, docs, pages
from plaintrust.public import view as public
from plaintrust.public.guard import tree

WATCHED = ("controls", "evidence", "policies", "answers", "frameworks")
NAME = "plaintrust"  # as mkdocs.yml lists it
LAST = -1_000_000  # event priority: after every other plugin and hook


class Declared(BaseConfigOption):
    """An option of `settings.OPTIONS`, checked by its declaration: as `check` checks it."""

    def __init__(self, option: settings.Option) -> None:
        super().__init__()
        self.option = option
        self.default = option.parse(None)

    def run_validation(self, value: object) -> Any:
        try:
            return self.option.parse(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


# The options of mkdocs.yml's `- plaintrust:`, one per declaration (MkDocs reads a Config subclass's
# class attributes as its options): nothing to keep in step by hand.
PlaintrustConfig: type[Config] = type(
    "PlaintrustConfig", (Config,), {option.name: Declared(option) for option in settings.OPTIONS}
)


@dataclass(frozen=True)
class Handover:
    """What `plaintrust build` and `plaintrust serve` give the plugin for its next build."""

    result: pipeline.Result  # the pipeline has just run on the repository: the plugin does not run it again
    # Leave the finished site staged (`take_staged`) rather than swap it in: `plaintrust build`
    # judges it and commits it together with the gap report.
    keep_staged: bool = False
    # The preview's last scan of its site: the leak guard reads again only the files that changed.
    guard: tree.Reused | None = None


@dataclass(frozen=True)
class Configured:
    """What on_config makes of one build; MkDocs calls every later event of that build after it."""

    result: pipeline.Result
    view: public.PublicView
    config: MkDocsConfig  # as MkDocs resolved it; on_shutdown points its site_dir back at the final site
    guard: tree.Reused | None = None


class PlaintrustPlugin(BasePlugin):
    config_class = PlaintrustConfig
    supports_multiple_instances = False

    def __init__(self) -> None:
        # MkDocs makes the plugin and keeps it for every build of one process: what a caller hands
        # over is taken by the next build alone (on_config), and a plain `mkdocs build` gets none.
        self.handed: Handover | None = None
        self.keep_staged = False
        self.command = "build"
        self.configured: Configured | None = None
        # The folder this build writes into and the site it replaces once judged (None: `mkdocs serve`).
        self.staging: output.Staged | None = None
        self.staged: output.Staged | None = None
        self.theme_files: dict[str, str] = {}  # output path -> the installed theme's file it copies
        self.intro_heading: str | None = None  # the title of your site/index.md, if it has one

    def handover(self, given: Handover) -> None:
        """Take what the next build needs from `plaintrust build` or `plaintrust serve` (see Handover)."""
        self.handed = given

    def take_staged(self) -> output.Staged:
        """The finished site a build with `keep_staged` left staged: the caller judges it (`judge`),
        then commits or drops it."""
        staged, self.staged = self.staged, None
        if staged is None:
            raise RuntimeError("no site is staged: build with Handover(keep_staged=True) first")
        return staged

    def current(self) -> Configured:
        """This build's state: on_config, which makes it, comes before every other event of a build."""
        if self.configured is None:
            raise RuntimeError("the plugin is not configured: MkDocs runs on_config before any other event")
        return self.configured

    def load_config(
        self,
        options: dict[str, Any],
        config_file_path: str | None = None,
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs' checks of the options, an unknown one said in `check`'s words (with its likely spelling)."""
        failed, warned = super().load_config(options, config_file_path)
        unknown = [name for name in options if name not in settings.BY_NAME]
        kept = [w for w in warned if not (isinstance(w, tuple) and w[0] in unknown)]
        return failed, [*kept, *((name, _unknown(name)) for name in unknown)]

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        handed, self.handed = self.handed, None  # `mkdocs serve` rebuilds must read the files again
        self.keep_staged = handed is not None and handed.keep_staged
        # Settings come from mkdocs.yml itself (this plugin's options included), as for `check`.
        result = handed.result if handed else pipeline.run(root)
        if result.failed():
            raise PluginError(buildrules.not_built(result))
        reused = (handed.guard if handed else None) or tree.Reused()  # what the input screen derived is not redone
        self.configured = Configured(result, public.build(result.model), config, reused.after_check(result.screened))
        view = self.configured.view
        buildrules.anchor_snippets(config, root)
        config.extra_css[:0] = [pagenames.STYLES, pagenames.BRAND]
        if view.logo and config.theme.name == "material":
            config.theme.setdefault("logo", view.logo)
            config.theme.setdefault("favicon", view.logo)
        if self.command != "serve":
            buildrules.refuse_protected(Path(config.site_dir), root, result.model)
            final_site = Path(config.site_dir)
            self.staging = output.Staged(output.staging_for(final_site), final_site)
            config.site_dir = str(self.staging.staging)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        view = self.current().view
        for name in buildrules.NOT_PUBLISHED:
            if (found := files.get_file_from_path(name)) is not None:
                files.remove(found)
        for notice in view.notices:  # rendered by us, from the same file
            if (original := files.get_file_from_path(notice.page)) is not None:
                files.remove(original)
        has_disclosure = _own_page(files, pages.DISCLOSURE)
        has_intro = _own_page(files, pages.OVERVIEW)  # your index.md: the overview's introduction
        made = docs.generated(
            view,
            buildrules.base_url(config),
            config.use_directory_urls,
            disclosure=not has_disclosure,
            overview=not has_intro,
        )
        for page in made.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(buildrules.clash(page.src_uri, page=True))
            # INCLUDED: MkDocs would hold a generated page to exclude_docs too (`exclude_docs: index.md`)
            files.append(File.generated(config, page.src_uri, content=page.content, inclusion=InclusionLevel.INCLUDED))
        for path, content in made.files.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(buildrules.clash(path, page=False))
            files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.INCLUDED))
        if not config.nav and self.config.navigation:
            written = [f.src_uri for f in files.documentation_pages()]
            config.nav = docs.navigation(view, made.pages, written)
        self.theme_files = _theme_files(files, config)
        return files

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """Front matter is printed by the theme as it is (a title, a description): escaped here."""
        if page.file.generated_by != NAME:
            title = page.meta.pop("title", None)
            if isinstance(title, str) and title.strip():  # anything else `check` refuses (page-title)
                page.meta["title"] = title.strip()  # never a list or a number printed as Python writes it
            if page.file.src_uri == pages.OVERVIEW:  # the overview's heading, escaped by its template
                self.intro_heading = page.meta.get("title")
                page.meta.setdefault("title", "Overview")
            page.meta = _escaped(page.meta)
        return markdown

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """Your own pages keep Markdown's markup but lose scripts, event handlers and comments:
        raw HTML never reaches the public site (our generated pages are escaped as they are made).
        Your site/index.md, cleaned the same way, becomes the introduction of the generated overview."""
        if page.file.generated_by == NAME:
            return html
        if page.file.src_uri == pages.OVERVIEW:  # your index.md, cleaned, inside the generated overview
            intro = Markup(clean_page(html))
            return pages.overview_html(self.current().view, config.use_directory_urls, intro, self.intro_heading)
        return clean_page(html)

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        """Advertise the Atom feeds in every page's head, whatever the theme (see `docs.feed_links`)."""
        return output.replace(
            "</head>", docs.feed_links(self.current().view, buildrules.base_url(config)) + "</head>", 1
        )

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        root = Path(config.config_file_path).resolve().parent
        for folder in WATCHED:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    @event_priority(LAST)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.staging is None:  # `mkdocs serve` builds into a temporary folder of its own
            self.judge(Path(config.site_dir))
            return
        # A strict build can still abort after this event (on warnings): the swap waits for on_shutdown.
        self.staged, self.staging = self.staging, None

    @event_priority(LAST)
    def on_shutdown(self) -> None:
        if self.staged is None or self.keep_staged:
            return
        staged, self.staged = self.staged, None
        try:
            self.judge(staged.staging)
        except BaseException:
            staged.drop()
            raise
        staged.commit()
        self.current().config.site_dir = str(staged.final)  # for `mkdocs gh-deploy`, which reads it next

    def judge(self, site: Path) -> None:
        """The leak guard on a finished output tree; PluginError naming every leak."""
        result, reused = self.current().result, self.current().guard
        leaks = tree.scan(site, result.model, result.ordinary, self.theme_files, reused)
        if leaks:
            raise PluginError(buildrules.leaked(leaks))

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging is not None:
            self.staging.drop()
        self.staging = None
        if self.staged is not None:
            self.staged.drop()
            self.staged = None


def _unknown(name: str) -> str:
    message, hint = settings.unknown(str(name))
    return f"{message} ({hint})" if hint else message


def _own_page(files: Files, src_uri: str) -> bool:
    """Whether site/ has a page of its own at `src_uri` that the build publishes. One that
    `exclude_docs` (or `draft_docs`) leaves out is dropped here, so the generated page takes its
    place: otherwise the site would have no overview, or no disclosure page, at all."""
    found = files.get_file_from_path(src_uri)
    if found is not None and found.inclusion.is_excluded():
        files.remove(found)
        return False
    return found is not None


def _escaped(value):
    """Every text in front matter, escaped once (numbers, dates and flags stay what they are)."""
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _theme_files(files: Files, config: MkDocsConfig) -> dict[str, str]:
    """Output paths the installed theme provides, with their source: a user's `custom_dir` and
    `site/` are not the theme's own."""
    custom = config.theme.custom_dir
    theirs = [folder for folder in config.theme.dirs if folder != custom]
    found = {}
    for f in files:
        if f.abs_src_path and not f.generated_by and any(_inside(f.abs_src_path, folder) for folder in theirs):
            found[f.dest_uri] = f.abs_src_path
    return found


def _inside(path: str, folder: str) -> bool:
    return Path(path).is_relative_to(folder)
