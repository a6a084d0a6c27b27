"""The MkDocs plugin that publishes the letters beside the guide.

``plugins: [lettergen]`` in mkdocs.yml. At build time it renders every template of the
configured packs (user packs first, then the built-in one) from a sample case, and adds
the generated pages and downloads to the site: one page per letter with its sample
and blank fill-in versions as DOCX and PDF, the gallery, the case-file, CLI, rules,
findings and plan references, and the builder's data. It also fills the guide's
markers and ends each guide page with the letters named in its front matter.

Languages: the English site is one build (``mkdocs.yml``), the Spanish site another
(``mkdocs.es.yml``: ``language: es``, built into the English site's ``es/`` folder). A
Spanish build makes only the letter pages and their gallery, from each letter's Spanish
front matter (``es/<id>.md`` of its pack) where there is one, else from the English with a
note saying so; everything else it links to the English site with ``en:`` links
(``[rules](en:reference/rules.md)``), which the plugin checks and turns into relative
links. ``alternate_docs`` names the docs folder of each other language, so that the
language switch (Material's ``extra.alternate``) leads to the same page in the other
language when it exists there, else to that language's home page.
"""

from __future__ import annotations

import logging
import posixpath
import re
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
    language = opt.Choice(("en", "es"), default="en")
    alternate_docs = opt.Type(dict, default={})  # language -> its docs folder


GENERATED_EN = ("reference/case-file.md", "reference/case-file.schema.json",
                "reference/cli.md", "reference/rules.md", "reference/findings.md",
                "reference/plan.md", "reference/support.md", "reference/tactics.md",
                "summaries.md", "assets/builder-data.json")
"""The pages and files an English build generates besides ``letters/`` and
``downloads/`` (every build generates ``letters/``): what an ``en:`` link or the language
switch may point at without a file in the docs folder."""

_LANG_LINK = re.compile(r'href="(en|es):([^"#]*)(#[^"]*)?"')


class LettergenPlugin(BasePlugin[LettergenConfig]):
    """Generates the letter pages and references; see the module docstring."""

    def on_config(self, config: Any) -> Any:
        from lettergen.guide.sitegen import find_samples
        from lettergen.packs.folder import open_packs

        root = Path(config.config_file_path).parent
        self.root = root
        self.packs = open_packs([str(root / p) for p in self.config.packs])
        if self.config.language != "en":
            self.samples = self._translated_entries()
            self._set_letters_nav(config)
            return config
        self.samples = find_samples(self.packs, root / self.config.examples)
        for entry in self.samples:
            if entry.sample is None:
                log.warning("lettergen: no example case builds '%s': %s", entry.info.id,
                            "; ".join(entry.problems[:2]))
        self._set_letters_nav(config)
        return config

    def _translated_entries(self) -> list[Any]:
        """A non-English build's letters: each letter's template in this language where
        its pack has one (``info.language`` says which), no samples rendered."""
        from lettergen.guide.sitegen import LetterSample
        from lettergen.letters.templates import find_template, list_templates

        return [LetterSample(find_template(info.id, self.packs, self.config.language))
                for info in list_templates(self.packs)]

    def _set_letters_nav(self, config: Any) -> None:
        """The nav entry that points at ``letters/index.md`` gets one page per letter."""
        letters_nav = ["letters/index.md"] + [f"letters/{e.info.id}.md" for e in self.samples]
        for item in config.nav or []:
            if isinstance(item, dict) and len(item) == 1:
                key, value = next(iter(item.items()))
                if value == "letters/index.md" or (isinstance(value, list) and value[:1]
                                                   == ["letters/index.md"]):
                    item[key] = letters_nav

    def on_files(self, files: Files, config: Any) -> Files:
        from lettergen.cli import parser
        from lettergen.guide import sitegen
        from lettergen.writers import render
        from lettergen.writers.html_writer import html_fragment

        def add(path: str, content: str | bytes) -> None:
            files.append(File.generated(config, path, content=content))

        if self.config.language != "en":
            for entry in self.samples:
                add(f"letters/{entry.info.id}.md", sitegen.letter_page_es(entry.info))
            add("letters/index.md", sitegen.gallery_page_es([e.info for e in self.samples]))
            return files
        for entry in self.samples:
            fragment = html_fragment(entry.sample.document) if entry.sample else ""
            add(f"letters/{entry.info.id}.md", sitegen.letter_page(entry, fragment))
            if entry.sample and entry.blank:
                kinds = [("sample", entry.sample)] + [(f"blank{b.slug}", b.letter)
                                                      for b in entry.blanks]
                for kind, letter in kinds:  # one blank per situation (lettergen.letters.blank)
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
        from lettergen.rules.tactics import tactics_page

        add("reference/tactics.md", tactics_page())
        from lettergen.reports.report import summaries_page

        add("summaries.md", summaries_page(Path(config.config_file_path).parent
                                           / self.config.examples))
        add("assets/builder-data.json", sitegen.builder_data(self.samples))
        from lettergen.output.caseload import template_bytes

        for fmt in (".csv", ".xlsx"):  # the blank caseload sheet of lettergen import
            add(f"downloads/caseload-template{fmt}", template_bytes(fmt))
        add(f"downloads/{sitegen.source_zip_name()}",
            sitegen.source_zip(Path(config.config_file_path).parent))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        from lettergen.guide import sitegen
        markdown = markdown.replace("<!-- lettergen:deadlines-table -->",
                                    sitegen.deadlines_table())
        markdown = markdown.replace("<!-- lettergen:settlement-formula -->",
                                    sitegen.settlement_formula())
        if "<!-- lettergen:caseload-columns -->" in markdown:
            from lettergen.output.caseload import column_reference

            markdown = markdown.replace("<!-- lettergen:caseload-columns -->",
                                        column_reference())
        if "<!-- lettergen:their-deadlines " in markdown or \
                "<!-- lettergen:check-section " in markdown:
            from mkdocs.exceptions import PluginError

            from lettergen.guide.their_deadlines import fill

            try:
                markdown = fill(markdown, self.config.language,
                                self.root / self.config.examples)
            except ValueError as exc:  # a section or rule the page names is not there
                raise PluginError(f"{page.file.src_uri}: {exc}") from None
        depth = "../" * page.file.src_uri.count("/")
        markdown = markdown.replace("<!-- lettergen:source-download -->",
                                    f"[{sitegen.source_zip_name()}]"
                                    f"({depth}downloads/{sitegen.source_zip_name()})")
        markdown = markdown.replace("lettergen-VERSION-source.zip", sitegen.source_zip_name())
        reference = ("en:" if self.config.language != "en" else depth) + "reference/case-file.md"
        markdown = markdown.replace("<!-- lettergen:template-variables -->",
                                    sitegen.template_variables(reference,
                                                               self.config.language))
        ids = page.meta.get("letters") or []
        if ids:
            titles = {e.info.id: e.info for e in self.samples}
            depth = page.file.src_uri.count("/")
            prefix = "../" * depth
            spanish = self.config.language == "es"
            lines = ["", "## Cartas para este paso" if spanish else "## Letters for this step",
                     ""]
            for letter_id in ids:
                info = titles.get(letter_id)
                if info is None:
                    log.warning("lettergen: %s names unknown letter '%s'", page.file.src_uri,
                                letter_id)
                    continue
                note = " (en inglés)" if spanish and info.language != "es" else ""
                lines.append(f"- [{info.title}]({prefix}letters/{letter_id}.md){note}: "
                             f"{info.purpose}")
            markdown = markdown.rstrip() + "\n" + "\n".join(lines) + "\n"
        return markdown

    # --- languages ---------------------------------------------------------------------

    def _has_page(self, language: str, path: str) -> bool:
        """Whether the build of ``language`` has ``path`` (a docs path such as
        ``guide/appeals.md``): a file of its docs folder, or a page it generates."""
        if path.startswith(("letters/", "downloads/")) or (language == "en"
                                                            and path in GENERATED_EN):
            return True
        docs = self.config.alternate_docs.get(language)
        return docs is not None and (self.root / docs / path).is_file()

    @staticmethod
    def _site_link(base: str, page: Any, path: str) -> str:
        """A link from ``page`` to ``path`` of the site at ``base`` (the folder an
        ``extra.alternate`` entry links to, relative to this site's root), relative, so
        the sites can move together."""
        up = "../" * page.url.count("/")
        target = path[:-3] + ".html" if path.endswith(".md") else path
        return posixpath.normpath(up + base + target) if (up + base) else target

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """The language switch of each page leads to the same page in the other
        language when it exists there, else to its home page (Material's script that
        steers it by the sitemaps is kept out); ``en:``/``es:`` links
        become relative links to the other site, checked to exist."""
        if not self.config.alternate_docs:
            return output
        here = self.config.language
        bases = {a.get("lang", ""): a.get("link", "") for a in
                 (config.extra or {}).get("alternate") or [] if isinstance(a, dict)}
        for lang, base in bases.items():
            if lang != here and lang not in self.config.alternate_docs:
                continue
            path = page.file.src_uri
            if lang != here and not self._has_page(lang, path):
                path = "index.md"
            href = (page.url.rsplit("/", 1)[-1] or "index.html") if lang == here \
                else self._site_link(base, page, path)
            output = re.sub(rf'(<a href=")[^"]*(" hreflang="{lang}" class="md-select__link")',
                            rf"\g<1>{href}\g<2>", output)
        # Material's script reads these to find the other language's sitemap and steer
        # the switch by it; without a site_url the sitemap is empty and it would steer to
        # the wrong page, so the switch's own links are left to do it.
        output = re.sub(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?', "",
                        output)

        def link(match: re.Match[str]) -> str:
            lang, path, anchor = match.group(1), match.group(2), match.group(3) or ""
            if lang == here or lang not in self.config.alternate_docs or lang not in bases:
                log.warning("lettergen: %s links to '%s:%s', but there is no %s site to "
                            "link to (plugin option alternate_docs and extra.alternate)",
                            page.file.src_uri, lang, path, lang)
                return match.group(0)
            if not self._has_page(lang, path):
                log.warning("lettergen: %s links to '%s:%s', which the %s site does not "
                            "have", page.file.src_uri, lang, path, lang)
            return f'href="{self._site_link(bases[lang], page, path)}{anchor}"'

        return _LANG_LINK.sub(link, output)
