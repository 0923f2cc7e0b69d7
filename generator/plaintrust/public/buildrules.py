"""What every build of the public site holds to, whichever engine runs it (see `engines`): the
plugin checks these inside MkDocs and ProperDocs, `sitebuild` around Zensical. Each refusal is a
PluginError, as MkDocs reports a plugin's; `sitebuild` says it as a failed build."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from plaintrust import pipeline
from plaintrust.public.guard import tree
from plaintrust.reporters import text
from plaintrust.rules import site_layout

NOT_PUBLISHED = ("trust.yaml", "trust.yml")  # site/ files no page or copy is made of


def not_built(result: pipeline.Result) -> str:
    return "plaintrust found problems; nothing was built:\n" + text(result.diagnostics)


def clash(path: str, page: bool) -> str:
    """A file of site/ where a generated page (or other generated file) goes."""
    return f"site/{path} clashes with a {'page' if page else 'file'} plaintrust generates; rename or remove it"


def leaked(leaks: list[tree.Leak]) -> str:
    return "internal data reached the public site; nothing was published:\n" + "\n".join(f"  {leak}" for leak in leaks)


def anchor_snippets(config: MkDocsConfig, root: Path) -> None:
    """pymdownx.snippets reads `base_path` from the working directory; `check` reads it from the
    repository (as MkDocs reads every other path), so the build does too, wherever it is started.
    The configuration MkDocs resolved (INHERIT, !ENV and all) is held to what `check` allows: files
    from under site/ only, the restriction on."""
    site = (root / "site").resolve()
    for name, options in config.mdx_configs.items():
        if name.split(":")[0] != "pymdownx.snippets":
            continue
        base = options.get("base_path", ["."])
        options["base_path"] = [str(root / p) for p in ([base] if isinstance(base, str) else base)]
        auto = [*(options.get("auto_append") or ()), *(options.get("auto_prepend") or ())]
        outside = [p for p in options["base_path"] if not Path(p).resolve().is_relative_to(site)]
        if outside or options.get("restrict_base_path", True) is not True or any(Path(a).is_absolute() for a in auto):
            raise PluginError(
                "pymdownx.snippets may include files from outside site/: set base_path: [site] and "
                "leave restrict_base_path on"
            )


def refuse_protected(site: Path, root: Path, model) -> None:
    """Also for `mkdocs build -d DIR`, which mkdocs.yml (and so `check`) never sees."""
    site = site.resolve()
    if site == root or site in root.parents:
        raise PluginError(
            f"site_dir {site} would replace the repository: build into a folder of its own, e.g. build/site"
        )
    for folder in (root / name for name in site_layout.inputs(model)):
        if site == folder or folder in site.parents or site in folder.parents:
            raise PluginError(
                f"site_dir {site} would replace {folder}: build into a folder of its own, e.g. build/site"
            )


def base_url(config: MkDocsConfig) -> str:
    if not config.site_url:
        raise PluginError("set site_url in mkdocs.yml: feeds, security.txt and trust.json need absolute links")
    return config.site_url if config.site_url.endswith("/") else config.site_url + "/"
