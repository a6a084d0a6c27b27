"""The MkDocs plugin that publishes the letters beside the guide.

``plugins: [lettergen]`` in mkdocs.yml. At build time it renders every template of the
configured packs (user packs first, then the built-in one) from a sample case, and adds
the generated pages and downloads to the site: one page per letter with its sample
and blank fill-in versions as DOCX and PDF, the gallery, the case-file, CLI, rules,
findings and plan references, and the builder's data. It also fills the guide's
markers and ends each guide page with the letters named in its front matter.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.lettergen")


class LettergenConfig(Config):
    examples = opt.Type(str, default="examples")
    packs = opt.ListOfItems(opt.Type(str), default=[])


class LettergenPlugin(BasePlugin[LettergenConfig]):
    """Generates the letter pages and references; see the module docstring."""

    def on_config(self, config: Any) -> Any:
        from .sitegen import find_samples
        from .templates import open_packs

        root = Path(config.config_file_path).parent
        self.packs = open_packs([str(root / p) for p in self.config.packs])
        self.samples = find_samples(self.packs, root / self.config.examples)
        for entry in self.samples:
            if entry.sample is None:
                log.warning("lettergen: no example case builds '%s': %s", entry.info.id,
                            "; ".join(entry.problems[:2]))
        letters_nav = ["letters/index.md"] + [f"letters/{e.info.id}.md" for e in self.samples]
        for item in config.nav or []:
            if isinstance(item, dict) and "Letters" in item:
                item["Letters"] = letters_nav
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        from . import sitegen
        from .cli import parser
        from .writers import render
        from .writers.html_writer import html_fragment

        def add(path: str, content: str | bytes) -> None:
            files.append(File.generated(config, path, content=content))

        for entry in self.samples:
            fragment = html_fragment(entry.sample.document) if entry.sample else ""
            add(f"letters/{entry.info.id}.md", sitegen.letter_page(entry, fragment))
            if entry.sample and entry.blank:
                kinds = [("sample", entry.sample)] + [(f"blank{b.slug}", b.letter)
                                                      for b in entry.blanks]
                for kind, letter in kinds:  # one blank per situation (lettergen.blank)
                    for fmt in ("docx", "pdf"):
                        add(f"letters/{entry.info.id}-{kind}.{fmt}",
                            render(letter.document, fmt))
        add("letters/index.md", sitegen.gallery_page(self.samples))
        add("reference/case-file.md", sitegen.case_file_page())
        add("reference/case-file.schema.json", sitegen.schema_json())
        add("reference/cli.md", sitegen.cli_page(parser()))
        add("reference/rules.md", sitegen.rules_page())
        add("reference/findings.md", sitegen.findings_page())
        add("reference/plan.md", sitegen.plan_page())
        add("reference/support.md", sitegen.support_page(self.samples, self.packs))
        from .tactics import tactics_page

        add("reference/tactics.md", tactics_page())
        from .report import summaries_page

        add("summaries.md", summaries_page(Path(config.config_file_path).parent
                                           / self.config.examples))
        add("assets/builder-data.json", sitegen.builder_data(self.samples))
        add(f"downloads/{sitegen.source_zip_name()}",
            sitegen.source_zip(Path(config.config_file_path).parent))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        from . import sitegen

        markdown = markdown.replace("<!-- lettergen:deadlines-table -->",
                                    sitegen.deadlines_table())
        markdown = markdown.replace("<!-- lettergen:settlement-formula -->",
                                    sitegen.settlement_formula())
        depth = "../" * page.file.src_uri.count("/")
        markdown = markdown.replace("<!-- lettergen:source-download -->",
                                    f"[{sitegen.source_zip_name()}]"
                                    f"({depth}downloads/{sitegen.source_zip_name()})")
        markdown = markdown.replace("lettergen-VERSION-source.zip", sitegen.source_zip_name())
        ids = page.meta.get("letters") or []
        if ids:
            titles = {e.info.id: e.info for e in self.samples}
            depth = page.file.src_uri.count("/")
            prefix = "../" * depth
            lines = ["", "## Letters for this step", ""]
            for letter_id in ids:
                info = titles.get(letter_id)
                if info is None:
                    log.warning("lettergen: %s names unknown letter '%s'", page.file.src_uri,
                                letter_id)
                    continue
                lines.append(f"- [{info.title}]({prefix}letters/{letter_id}.md): "
                             f"{info.purpose}")
            markdown = markdown.rstrip() + "\n" + "\n".join(lines) + "\n"
        return markdown
