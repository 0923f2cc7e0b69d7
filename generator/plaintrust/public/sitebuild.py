"""Running MkDocs for `plaintrust build` and `plaintrust serve`, with the pipeline's result handed over."""

from __future__ import annotations

import errno
import logging
import traceback
from pathlib import Path
from typing import cast

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from plaintrust import output, pipeline
from plaintrust.errors import BuildFailed, Refused
from plaintrust.public.buildrules import anchor_snippets, leaked, not_built, refuse_protected
from plaintrust.public.plugin import Handover, PlaintrustPlugin
from plaintrust.rules import site_plugin

CONFIG = "mkdocs.yml"


class Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors, to explain a failed build (or the preview's error page)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(
    root: Path, result: pipeline.Result, keep_out: Path | None = None, engine: str = "mkdocs"
) -> output.Staged:
    """Build the public site with `engine` (see `engines`) into a staging folder, to be committed by
    the caller; on failure the previous site is untouched and BuildFailed says why.

    `keep_out` is a folder the site must neither be nor contain nor lie in (the internal gap report).
    The leak guard judges the staged tree here, after the engine and every plugin and hook are done.
    """
    config_file = root / CONFIG
    if not config_file.is_file():
        raise BuildFailed(site_plugin.MISSING)  # `check` says so first, with a hint (the same rule)
    collected = Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collected)
    try:
        if engine == "mkdocs":
            return _build(config_file, result, keep_out)
        return _build_elsewhere(config_file, result, keep_out, engine, collected)
    except (Abort, ConfigurationError, MkDocsException) as exc:
        raise BuildFailed(_explain(collected.messages, str(exc))) from exc
    except BuildFailed:
        raise  # already says why
    except Exception as exc:
        said = culprit(exc, root)
        if said is None:
            raise  # our own bug: the CLI reports it as one
        raise BuildFailed(_explain(collected.messages, said)) from exc
    finally:
        logger.removeHandler(collected)


def _build(config_file: Path, result: pipeline.Result, keep_out: Path | None) -> output.Staged:
    config = _configured(config_file, result, keep_out)
    plugin = cast(PlaintrustPlugin, config.plugins["plaintrust"])  # `_configured` found it listed
    plugin.handover(Handover(result, keep_staged=True))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()  # with keep_staged the plugin leaves the staged site to us
    staged = plugin.take_staged()
    try:
        plugin.judge(staged.staging)
    except BaseException:
        staged.drop()
        raise
    return staged


def _configured(config_file: Path, result: pipeline.Result, keep_out: Path | None) -> MkDocsConfig:
    """mkdocs.yml as MkDocs reads it, for a result `check` passed, the plugin listed and the site's
    folder allowed."""
    config = load_config(config_file=str(config_file))
    if config.plugins.get("plaintrust") is None:  # `check` refuses it first, with the same words
        raise BuildFailed(site_plugin.refusal(result.model.settings) or site_plugin.UNLISTED)
    if result.failed():  # the plugin refuses it too, under MkDocs and ProperDocs alike
        raise BuildFailed(not_built(result))
    if keep_out is not None:
        _refuse_overlap(Path(config.site_dir), keep_out)
    return config


def _build_elsewhere(
    config_file: Path, result: pipeline.Result, keep_out: Path | None, engine: str, collected: Collect
) -> output.Staged:
    """ProperDocs or Zensical, each in a process of its own (see `engines`), then the leak guard."""
    root, config = config_file.parent, _configured(config_file, result, keep_out)
    final = Path(config.site_dir)
    refuse_protected(final, root, result.model)
    staging = output.staging_for(final)
    try:
        _elsewhere(engine, root, result, config, staging, collected)
        _judge(staging, result, config)
    except BaseException:
        output.discard(staging)
        raise
    return output.Staged(staging, final)


def _elsewhere(
    engine: str, root: Path, result: pipeline.Result, config: MkDocsConfig, staging: Path, collected: Collect
) -> None:
    """The engine's site in `staging` (empty until then), built in a working folder of its own."""
    from plaintrust.public import engines

    work = output.workspace_for(Path(config.site_dir))
    try:
        if engine == "properdocs":
            site = engines.run_properdocs(root, work)
        else:
            anchor_snippets(config, root)
            prepared = engines.prepare_zensical(root, result, config, work)
            if config.strict and collected.messages:  # rendering your pages warned: strict stops, as MkDocs' does
                raise BuildFailed(_explain(collected.messages, "strict: the warnings above stop the build"))
            site = engines.run_zensical(prepared, config.strict)
        staging.rmdir()  # empty: the finished site takes its place
        site.rename(staging)
    finally:
        output.discard(work)


def _judge(site: Path, result: pipeline.Result, config: MkDocsConfig) -> None:
    """The leak guard over the finished tree, as the plugin judges it under MkDocs."""
    from plaintrust.public.guard import tree

    reused = tree.Reused().after_check(result.screened)
    leaks = tree.scan(site, result.model, result.ordinary, theme_files(site, config), reused)
    if leaks:
        raise BuildFailed(leaked(leaks))


def theme_files(site: Path, config: MkDocsConfig) -> dict[str, str]:
    """Output paths of `site` that the installed theme has a file for (a user's `custom_dir` is not
    the theme's own): the guard passes those that are byte-identical to it."""
    theirs = [Path(folder) for folder in config.theme.dirs if folder != config.theme.custom_dir]
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        source = next((folder / rel for folder in theirs if (folder / rel).is_file()), None)
        if source is not None:
            found[rel] = str(source)
    return found


def _explain(messages: list[str], error: str) -> str:
    lines = [*messages, *([error] if error and error not in messages and not error.startswith("Aborted") else [])]
    details = "\n".join(f"  {line}" for line in lines) or f"  {error}"
    return f"the site was not built; the previous one is untouched:\n{details}"


def culprit(exc: Exception, root: Path) -> str | None:
    """Who raised `exc` inside MkDocs: a file of the repository (a hook), a third party (a plugin, a
    Markdown extension), or (None) Plaintrust's own code, which makes it a bug of ours. The frames
    of the module that caught it (here, or the preview) only called MkDocs: they do not count."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = Path(__file__).resolve().parents[1]  # the whole plaintrust package, not this folder alone
    caller = Path(frames[0].filename).resolve() if frames else None
    inside = [i for i, frame in enumerate(frames) if Path(frame.filename).resolve() == caller]
    said = f"{type(exc).__name__}: {exc}"
    for frame in reversed(frames[inside[-1] + 1 :] if inside else frames):
        where = Path(frame.filename).resolve()
        if where.is_relative_to(ours):
            return None
        if where.is_relative_to(root.resolve()):
            return f"{where.relative_to(root.resolve()).as_posix()}, line {frame.lineno}, raised {said} (your code, not plaintrust's)"
    return f"the build stopped: {said}"


def _refuse_overlap(site: Path, internal: Path) -> None:
    site, internal = site.resolve(), internal.resolve()
    if site == internal or site in internal.parents or internal in site.parents:
        raise BuildFailed(f"site_dir ({site}) and the internal gap report ({internal}) must not contain each other")


def serve(root: Path, dev_addr: str | None) -> None:
    """The live preview (see `preview`): it shows the problems of an invalid repository on an error
    page, where MkDocs' own server would keep the browser waiting."""
    from plaintrust.public import preview

    _refuse_to_serve(root, dev_addr)
    handler = logging.StreamHandler()  # MkDocs says where it serves and what it rebuilds through logging
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        preview.serve(root, dev_addr)
    except (Abort, ConfigurationError, MkDocsException) as exc:
        raise BuildFailed(str(exc)) from exc
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise BuildFailed(
            f"cannot serve on {dev_addr or '127.0.0.1:8000'}: the address is in use; "
            "stop the other server or choose another with --dev-addr"
        ) from exc
    except Exception as exc:
        said = culprit(exc, root)
        if said is None:
            raise  # our own bug: the CLI reports it as one
        raise BuildFailed(f"the preview did not start: {said}") from exc
    finally:
        logger.removeHandler(handler)


def _refuse_to_serve(root: Path, dev_addr: str | None) -> None:
    """A usage error for an address that is not one, and what `check` says of a folder without
    mkdocs.yml (a repository that lacks it, or no repository at all: then it suggests `plaintrust
    init`), rather than MkDocs' traceback or its bare "Config file 'mkdocs.yml' does not exist"."""
    from plaintrust.public import preview

    if dev_addr is not None and (problem := preview.address_problem(dev_addr)):
        raise Refused(problem, param_hint="--dev-addr")
    if not (root / CONFIG).is_file():
        said = [d for d in pipeline.run(root).diagnostics if d.rule == site_plugin.ID]
        raise BuildFailed("; ".join(filter(None, (said[0].message, said[0].hint))) if said else site_plugin.MISSING)
