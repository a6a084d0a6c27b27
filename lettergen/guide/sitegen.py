"""The generated pages of the guide site, as Markdown, from the project's own data.

Nothing here is typed twice: the letter pages come from the templates and a sample
case, the case-file reference from ``casefields``, the rules and deadline tables from
the rules table, the findings and plan references from their modules, the CLI
reference from the CLI's own parser. The MkDocs plugin only places these pages.
"""

from __future__ import annotations

import argparse
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lettergen.case.casefields import TABLES, TABLES_BY_NAME, field_at, type_label
from lettergen.case.casefile import Case, load_case
from lettergen.errors import LetterDoesNotFitError, LettergenError
from lettergen.letters.blank import BlankVariant, blank_variants
from lettergen.letters.render import Letter, render_info
from lettergen.letters.templates import TemplateInfo, list_templates
from lettergen.packs.folder import Pack
from lettergen.rules.sources import KINDS, all_sources
from lettergen.rules.table import STATUS_WORDS, all_rules

STAGES = {
    "bill": "1. A bill arrives",
    "records": "1. A bill arrives",
    "denial": "2. The plan denies or cuts the claim",
    "appeal": "3. Appeals and reviews",
    "collections": "4. Collections and credit reports",
    "settlement": "5. Settling the bill",
    "any": "Any stage",
    "": "Any stage",
}
RECIPIENTS = {"provider": "the provider's billing office", "insurer": "the health plan",
              "collector-or-provider": "the collection agency, or the provider when no "
                                       "agency holds the account",
              "insurer-or-provider": "the health plan, or the provider when there is none",
              "collector": "the collection agency", "clinician": "your treating clinician",
              "regulator": "the regulator that oversees the plan", "bureau": "a credit bureau",
              "qio": "Medicare's Quality Improvement Organization (QIO)",
              "administrator": "the plan administrator (for a job-based plan, usually the "
                               "employer's benefits office, not the insurer)",
              "contact": "whoever you spoke with"}


@dataclass
class LetterSample:
    """A template with the sample case it is shown with, rendered twice."""

    info: TemplateInfo
    case_path: Path | None = None
    sample: Letter | None = None
    blank: Letter | None = None
    blank_plan: str = ""  # the plan type a blank keeps when it cannot be plan-neutral
    problems: list[str] = field(default_factory=list)
    blanks: list[BlankVariant] = field(default_factory=list)  # one per situation


def find_samples(packs: tuple[Pack, ...], examples: Path) -> list[LetterSample]:
    """Each template with the first example case that builds it: one whose
    ``case.letters`` names it, else any that fits."""
    cases: list[Case] = [load_case(p) for p in sorted(examples.glob("*.toml"))]
    ordered = sorted(cases, key=lambda c: c.stem)
    samples = []
    for info in list_templates(packs):
        entry = LetterSample(info)
        preferred = [c for c in ordered if info.id in (c.case.letters or [])]
        for case in preferred + [c for c in ordered if c not in preferred]:
            try:
                entry.sample = render_info(case, info, packs)
                entry.blanks = blank_variants(case, info, packs)
                if not entry.blanks:
                    raise LetterDoesNotFitError(info.id, ["no blank fill-in letter renders "
                                                          "from this case"])
                entry.blank = entry.blanks[0].letter
                entry.blank_plan = entry.blanks[0].plan
            except LettergenError as exc:
                entry.problems.append(f"{case.stem}: {exc}")
                entry.sample = entry.blank = None
                continue
            entry.case_path = case.source_path
            break
        samples.append(entry)
    return samples


def _md(text: str) -> str:
    """Escape text for a Markdown table cell."""
    return html.escape(text).replace("|", "\\|").replace("\n", " ")


def letter_page(entry: LetterSample, html_fragment: str) -> str:
    info = entry.info
    lines = [f"# {info.title}", "", info.purpose, "",
             f"**When to use it.** {info.when}", "",
             f"**Sent to:** {RECIPIENTS.get(info.to, info.to)}.  ",
             f"**Plan types:** {', '.join(info.plan_types) if info.plan_types else 'any'}.  ",
             f"**Template id:** `{info.id}` (pack: {info.pack.name})", ""]
    if info.needs:
        lines += ["## What your case file needs", ""]
        for path in info.needs:
            table = path.split(".")[0]
            declared = field_at(path)
            meaning = f": {declared.description}" if declared is not None and \
                hasattr(declared, "kind") else ""
            lines.append(f"- [`{path}`](../reference/case-file.md#{table.replace('_', '-')})"
                         f"{meaning}")
        lines.append("")
    if entry.sample is None:
        lines += ["!!! warning \"No sample yet\"", "    No example case builds this letter.", ""]
        return "\n".join(lines)
    stem = info.id
    lines += [
        "## Downloads", "",
        f"Sample letter: [DOCX]({stem}-sample.docx) · [PDF]({stem}-sample.pdf) "
        f"(from the example case `{entry.case_path.name if entry.case_path else ''}`)", "",
        *blank_lines(entry),
        "## Build it for your own case", "",
        "```sh", f"lettergen build my-case.toml -l {info.id}", "```", "",
        "## The sample letter", "",
        '<div class="letter-sample" markdown="0">', html_fragment, "</div>", "",
    ]
    return "\n".join(lines)


def blank_lines(entry: LetterSample) -> list[str]:
    """The blank fill-in letters of a letter page: one row per situation, since a
    blank argues only what its situation says."""
    stem = entry.info.id
    many = len(entry.blanks) > 1
    lines = ["### Blank fill-in letters" if many else "### Blank fill-in letter", "",
             ("The argument depends on your situation: pick the blank whose line fits "
              "your papers. " if many else "")
             + "Replace every [bracketed] placeholder with your own facts"
             + (f". This letter exists only for some plans, so the blank is worded for a "
                f"`{entry.blank_plan}` plan." if entry.blank_plan else "."), "",
             "| Your situation | Download |", "|---|---|"]
    for blank in entry.blanks:
        name = f"{stem}-blank{blank.slug}"
        lines.append(f"| {_md(blank.fits)} | [DOCX]({name}.docx) · [PDF]({name}.pdf) |")
    return lines + [""]


def gallery_page(samples: list[LetterSample]) -> str:
    groups: dict[str, list[LetterSample]] = {}
    for entry in samples:
        groups.setdefault(STAGES.get(entry.info.stage, "Any stage"), []).append(entry)
    lines = ["# Letters", "",
             "Every letter lettergen writes, by the stage of the dispute. Each page explains "
             "when to use the letter, shows a filled-in sample, and offers the sample and a "
             "blank fill-in version to download.", ""]
    for stage in sorted(groups):
        lines += [f"## {stage}", "", "| Letter | Sent to | What it gets you |", "|---|---|---|"]
        for entry in groups[stage]:
            info = entry.info
            lines.append(f"| [{_md(info.title)}]({info.id}.md) | "
                         f"{RECIPIENTS.get(info.to, info.to)} | {_md(info.purpose)} |")
        lines.append("")
    return "\n".join(lines)


STAGES_ES = {
    "bill": "1. Llega una factura",
    "records": "1. Llega una factura",
    "denial": "2. El plan deniega o recorta la reclamación",
    "appeal": "3. Apelaciones y revisiones",
    "collections": "4. Cobranzas e informes de crédito",
    "settlement": "5. Llegar a un acuerdo sobre la factura",
    "any": "En cualquier etapa",
    "": "En cualquier etapa",
}
RECIPIENTS_ES = {
    "provider": "la oficina de facturación del proveedor", "insurer": "el plan de salud",
    "collector-or-provider": "la agencia de cobranza, o el proveedor cuando ninguna "
                             "agencia tiene la cuenta",
    "insurer-or-provider": "el plan de salud, o el proveedor cuando no hay plan",
    "collector": "la agencia de cobranza", "clinician": "su médico tratante",
    "regulator": "la agencia que supervisa el plan",
    "bureau": "una agencia de informes de crédito",
    "qio": "la Organización para el Mejoramiento de la Calidad (QIO) de Medicare",
    "administrator": "el administrador del plan (en un plan de trabajo, por lo general la "
                     "oficina de beneficios del empleador, no la aseguradora)",
    "contact": "la persona con quien usted habló"}


def letter_page_es(info: TemplateInfo) -> str:
    """A letter's page on the Spanish site, from its Spanish front matter when its pack
    has ``es/<id>.md`` (``info.language == "es"``), else from the English one, saying so.
    The sample and the blanks are the English site's (``en:`` links) until Spanish
    samples are built."""
    spanish = info.language == "es"
    stem = info.id
    lines = [f"# {info.title}", ""]
    if not spanish:
        lines += ['!!! note "Esta carta está en inglés"',
                  "    Esta carta todavía no tiene versión en español: su descripción y la "
                  "carta misma están en inglés. lettergen la escribe en inglés aunque su "
                  'archivo del caso pida `language = "es"`, y se lo avisa.', ""]
    plan_types = ", ".join(f"`{p}`" for p in info.plan_types) or "cualquiera"
    lines += [info.purpose, "",
              f"**Cuándo usarla.** {info.when}", "",
              f"**Se envía a:** {RECIPIENTS_ES.get(info.to, info.to)}.  ",
              f"**Tipos de plan:** {plan_types}.  ",
              f"**Identificador de la plantilla:** `{stem}` (paquete: {info.pack.name})", ""]
    if info.needs:
        lines += ["## Lo que su archivo del caso necesita", "",
                  "La [referencia del archivo del caso](en:reference/case-file.md) "
                  "(en inglés) explica cada dato.", ""]
        lines += [f"- [`{path}`](en:reference/case-file.md#{_anchor(path.split('.')[0])})"
                  for path in info.needs]
        lines.append("")
    lines += [
        "## Descargas", "",
        f"Carta de ejemplo, en inglés: [DOCX](en:letters/{stem}-sample.docx) · "
        f"[PDF](en:letters/{stem}-sample.pdf).", "",
        "Cartas en blanco para llenar a mano, en inglés, una por situación: en la "
        f"[página en inglés de esta carta](en:letters/{stem}.md#downloads). Cambie cada "
        "[dato entre corchetes] por los suyos.", "",
        "## Prepárela para su propio caso", "",
        "```sh", f"lettergen build mi-caso.toml -l {stem}", "```", "",
        ('Con `language = "es"` en la tabla `[case]` de su archivo, lettergen escribe '
         "esta carta en español." if spanish else
         "Por ahora lettergen escribe esta carta en inglés."), "",
        "## La carta de ejemplo", "",
        "La carta de ejemplo completa, hecha con un caso de muestra, está en la "
        f"[página en inglés de esta carta](en:letters/{stem}.md).", "",
    ]
    return "\n".join(lines)


def gallery_page_es(infos: list[TemplateInfo]) -> str:
    """The Spanish site's list of letters, by stage; a letter without a Spanish
    template is marked as being in English."""
    groups: dict[str, list[TemplateInfo]] = {}
    for info in infos:
        groups.setdefault(STAGES_ES.get(info.stage, STAGES_ES["any"]), []).append(info)
    lines = ["# Cartas", "",
             "Todas las cartas que escribe lettergen, por etapa del problema. La página de "
             "cada carta explica cuándo usarla y ofrece una carta de ejemplo y cartas en "
             "blanco para descargar. Las cartas marcadas *(en inglés)* todavía no tienen "
             "versión en español.", ""]
    for stage in sorted(groups):
        lines += [f"## {stage}", "", "| Carta | Se envía a | Lo que logra |", "|---|---|---|"]
        for info in groups[stage]:
            note = "" if info.language == "es" else " *(en inglés)*"
            lines.append(f"| [{_md(info.title)}]({info.id}.md){note} | "
                         f"{RECIPIENTS_ES.get(info.to, info.to)} | {_md(info.purpose)} |")
        lines.append("")
    return "\n".join(lines)


def _anchor(table_name: str) -> str:
    """The anchor of a table's section on the case-file reference page."""
    return table_name.replace("_", "-")


def template_variables(reference: str, language: str = "en") -> str:
    """The case-file tables a letter template sees, one row each with its keys, from
    ``casefields.TABLES`` (the declaration the loader validates against); each links to
    its section of the case-file reference page at ``reference``."""
    spanish = language == "es"
    head = ("| Variable | Tabla del archivo | Qué es | Claves |" if spanish
            else "| Variable | Case-file table | What it is | Keys |")
    lines = [head, "|---|---|---|---|"]
    for table in TABLES:
        if table.array:
            kind = ("una lista de entradas: `{% for x in " if spanish else
                    "a list of entries: `{% for x in ") + table.name + " %}`"
        else:
            kind = ("una tabla" if spanish else "a table") + (
                (", obligatoria" if spanish else ", required") if table.required else "")
        keys = ", ".join(f"`{f.name}`" for f in table.fields)
        lines.append(f"| `{table.name}` | [`{table.header}`]({reference}#{_anchor(table.name)}) "
                     f"| {kind} | {keys} |")
    return "\n".join(lines) + "\n"


def case_file_page() -> str:
    lines = ["# The case file", "",
             "A case file is a small TOML text file that describes one bill in dispute. "
             "`lettergen new my-case.toml` writes a commented starter file; the "
             "[case-file builder](../builder.md) makes one in your browser. Every key is "
             "optional unless marked required; a letter that needs an optional key names it. "
             "Editors can check a case file against the "
             "[JSON Schema](case-file.schema.json).", ""]
    for table in TABLES:
        anchor = _anchor(table.name)
        required = " (required)" if table.required else ""
        lines += [f"## `{table.header}`{required} {{#{anchor}}}", "", table.description, "",
                  "| Key | Type | Required | Meaning |", "|---|---|---|---|"]
        for f in table.fields:
            kind = type_label(f)
            if f.choices:
                kind += ": " + ", ".join(f"`{v}`" for v in f.values)
            lines.append(f"| `{f.name}` | {_md(kind)} | {'yes' if f.required else ''} | "
                         f"{_md(f.description)} |")
        lines.append("")
    return "\n".join(lines)


def cli_page(parser: argparse.ArgumentParser) -> str:
    lines = ["# Command line", "",
             "Generated from the command's own help, so it always matches the installed "
             "version.", "", "```text", parser.format_help().rstrip(), "```", ""]
    for action in parser._actions:  # argparse keeps its subparsers here
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                lines += [f"## `lettergen {name}`", "", "```text",
                          sub.format_help().rstrip(), "```", ""]
    return "\n".join(lines)


def rules_page() -> str:
    lines = ["# Rules and sources", "",
             "Every deadline and citation a letter uses comes from this table. Letters cite "
             "only rules marked verified or corroborated, and only for the plan types and "
             "providers a rule applies to. Policies of companies are never presented as law.",
             "", "| Rule | Citation | Status | Applies to | Clock | Source (checked) |",
             "|---|---|---|---|---|---|"]
    for rule in all_rules().values():
        scope = ", ".join(rule.plan_types) or ("uninsured or self-pay" if rule.self_pay
                                               else "any plan")
        if rule.provider_kinds:
            scope += f"; providers: {', '.join(rule.provider_kinds)}"
        if rule.grandfathered is False:
            scope += "; not grandfathered"
        clock = ""
        if rule.clock:
            c = rule.clock
            clock = f"{_length(c)} from {c.start.replace('-', ' ')}"
        lines.append(f"| {_md(rule.title)} | {_md(rule.citation) or '—'} | "
                     f"{STATUS_WORDS.get(rule.status, rule.status)} | {_md(scope)} | "
                     f"{_md(clock)} | {_md(rule.source)} ({rule.checked.isoformat()}) |")
    return "\n".join(lines + [""] + _sources_section()) + "\n"


def _sources_section() -> list[str]:
    """The source register under the table: what each tag in the Source column is, and
    where it was read (lettergen.rules.sources)."""
    lines = ["## Sources", "",
             "The tags in the Source column above, and where each text was read. "
             + " ".join(f"*{kind}*: {words}." for kind, words in KINDS.items()), "",
             "| Tag | Kind | What | Where |", "|---|---|---|---|"]
    for source in all_sources().values():
        where = "<br>".join(_md(w) for w in source.where) or "—"
        lines.append(f"| {_md(source.tag)} | {source.kind} | {_md(source.what) or '—'} | "
                     f"{where} |")
    return lines


def _length(c: Any) -> str:
    """How long a clock runs, in words: "4 months", "72 hours", "30 days", "1 day, to
    noon" (a fast-track appeal), "the same day"."""
    length = (f"{c.months} months" if c.months else f"{c.hours} hours" if c.hours
              else "the same day" if c.days == 0 else "1 day" if c.days == 1
              else f"{c.days} days")
    if c.time:
        length += f", to {c.time}"
    if c.send:
        length += f" ({c.send.replace('-', ' ')}: no time for mail)"
    return length


def deadlines_table() -> str:
    """Deadlines by plan type: every rule with a clock that a patient acts on."""
    lines = ["| Deadline | Plan types | How long | Counted from | Rule |", "|---|---|---|---|---|"]
    for rule in all_rules().values():
        if not rule.clock or not rule.law_grade:
            continue  # conventions, policies and unverified rules are not deadlines
        c = rule.clock
        if c.start in ("appeal-filed", "request", "first-deadline", "letter", "deadline"):
            continue  # decision clocks and conventions, not the patient's deadlines
        length = _length(c)
        if c.presumed_receipt_days:
            length += f" (+{c.presumed_receipt_days} days presumed mailing)"
        if c.upper_bound:
            length = "up to " + length
        who = ", ".join(rule.plan_types) or ("uninsured or self-pay" if rule.self_pay else "any")
        if rule.provider_kinds:
            who += f" (providers: {', '.join(rule.provider_kinds)})"
        lines.append(f"| {_md(rule.title)} | {_md(who)} | "
                     f"{length} | {c.start.replace('-', ' ')} | "
                     f"{_md(rule.citation) if rule.law_grade else '(not cited)'} |")
    return "\n".join(lines)


def findings_page() -> str:
    from lettergen.analysis.findings import FINDING_RULES

    lines = ["# What `check` looks for", "",
             "`lettergen check` reads the bill against the EOB. Each rule below either proves "
             "a finding from the case's own figures or asks a question the case cannot "
             "answer; questions are never shown as findings.", ""]
    for rule in FINDING_RULES:
        doc = (rule.__doc__ or "").strip() or rule.__name__.replace("_", " ")
        lines += [f"## {rule.__name__.replace('_', ' ').capitalize()}", "", doc, ""]
    return "\n".join(lines)


def plan_page() -> str:
    from lettergen.analysis.plan import decision_table

    lines = ["# The plan of letters", "",
             "`check` ends with the letters to send, in order, each with why and by when. "
             "The order comes from this decision table, read top to bottom; a row applies "
             "when all its conditions hold (`!` means *not*).", "",
             "| # | Letter | Conditions | When | Why |", "|---|---|---|---|---|"]
    for number, row in enumerate(decision_table(), 1):
        conditions = ", ".join(f"`{c}`" for c in row.get("if", []))
        if row.get("plan_types"):
            conditions += f"; plan types: {', '.join(row['plan_types'])}"
        lines.append(f"| {number} | [`{row['letter']}`](../letters/{row['letter']}.md) | "
                     f"{conditions} | {_md(row['when'])} | {_md(row['why'])} |")
    return "\n".join(lines) + "\n"


def settlement_formula() -> str:
    from lettergen.analysis import settlement
    doc = (settlement.__doc__ or "").split("\n\n", 1)[1]
    return "```text\n" + doc.strip() + "\n```\n"


BUILDER_FIRST = (
    "case.state", "insurer.plan_type", "insurer.self_funded", "claim.service_date",
    "claim.emergency", "claim.billed", "claim.allowed", "claim.plan_paid",
    "claim.patient_responsibility", "denial.date", "denial.received", "denial.reason",
    "denial.reason_text", "denial.level", "denial.final_internal", "denial.urgent",
    "provider.in_network", "provider.chosen_by_patient", "provider.nonprofit",
    "balance.amount_due", "collector.notice_date", "case.date",
)
"""The keys the builder asks first, in this order: the ones that decide which rules,
deadlines and letters apply (state and plan type), then the money and the denial. Every
other key follows in its own table, as the case file groups them."""


def _builder_field(f: Any, required_note: str) -> dict[str, object]:
    """One key for the builder; ``required_note`` says when a required key is required."""
    from lettergen.case.casefields import _json_example

    out: dict[str, object] = {"name": f.name, "kind": f.kind, "description": f.description,
                              "required": f.required}
    if f.required:
        out["required_note"] = required_note
    if f.choices:
        out["choices"] = [list(c) for c in f.choices]
    for key in ("minimum", "maximum", "pattern"):
        if getattr(f, key) is not None:
            out[key] = getattr(f, key)
    if f.pattern_hint:
        out["pattern_hint"] = f.pattern_hint
    if f.example is not None:
        out["example"] = _json_example(f.example)
    if f.default is not None:
        out["default"] = _json_example(f.default)
    if f.fields:
        out["fields"] = [_builder_field(sub, "Required in each entry.") for sub in f.fields]
    return out


def _required_note(table: Any) -> str:
    if table.required:
        return "Required."
    return "Required in each entry." if table.array else f"Required when {table.header} is used."


def builder_data(samples: list[LetterSample]) -> str:
    """What the case-file builder page needs, all from ``casefields``: every table and key
    with its type, choices (and their meanings), limits and description, the keys to ask
    first, the loader's limits, and the letters the samples show (for [case] letters)."""
    from lettergen.case.casefields import ENCLOSURE_RECIPIENTS, PLACEHOLDER
    from lettergen.case.casefile import EARLIEST_DATE, LATEST_DATE, MAX_TEXT
    from lettergen.case.money import MONEY_PATTERN

    for path in BUILDER_FIRST:
        assert field_at(path) is not None, path  # a renamed key must not vanish here
    tables = [{"name": t.name, "header": t.header, "description": t.description,
               "required": t.required, "array": t.array,
               "fields": [_builder_field(f, _required_note(t)) for f in t.fields]}
              for t in TABLES]
    letters = [{"id": e.info.id, "title": e.info.title} for e in samples]
    return json.dumps({
        "tables": tables, "first": list(BUILDER_FIRST), "letters": letters,
        "placeholder": PLACEHOLDER, "max_text": MAX_TEXT, "money_pattern": MONEY_PATTERN,
        "earliest_date": EARLIEST_DATE.isoformat(), "latest_date": LATEST_DATE.isoformat(),
        "recipients": list(ENCLOSURE_RECIPIENTS),
    }, indent=1)


def schema_json() -> str:
    from lettergen.case.casefields import json_schema

    return json.dumps(json_schema(), indent=2)



PLAN_TYPES = TABLES_BY_NAME["insurer"].field("plan_type").values  # type: ignore[union-attr]


def with_plan_type(case: Case, plan_type: str) -> Case:
    """The same case under another plan type (for the support matrix)."""
    from lettergen.case.casefile import Record

    tables = dict(case.tables())
    if plan_type == "uninsured":
        fields = {k: None for k in vars(case.insurer)} if case.insurer else {}
        tables["insurer"] = Record("insurer", {**fields, "plan_type": "uninsured"}, True)
    else:
        tables["insurer"] = Record("insurer", {**vars(case.insurer), "plan_type": plan_type},
                                   True)
    return Case(case.source_path, tables, case.files)


def support_matrix(samples: list[LetterSample], packs: tuple[Pack, ...]
                   ) -> dict[str, dict[str, str]]:
    """letter id → plan type → "" when the letter builds from its sample case under that
    plan type, else the first reason it is refused."""
    matrix: dict[str, dict[str, str]] = {}
    for entry in samples:
        row: dict[str, str] = {}
        case = load_case(entry.case_path) if entry.case_path else None
        for plan_type in PLAN_TYPES:
            if case is None:
                row[plan_type] = "no sample case"
                continue
            try:
                render_info(with_plan_type(case, plan_type), entry.info, packs)
                row[plan_type] = ""
            except LetterDoesNotFitError as exc:
                row[plan_type] = exc.reasons[0] if exc.reasons else "refused"
            except LettergenError as exc:
                row[plan_type] = f"error: {exc}"
        matrix[entry.info.id] = row
    return matrix


def support_page(samples: list[LetterSample], packs: tuple[Pack, ...]) -> str:
    matrix = support_matrix(samples, packs)
    short = {"employer": "Emp", "public-employer": "Gov", "church": "Ch", "fehb": "FEHB",
             "marketplace": "Mkt", "individual": "Ind", "short-term": "ST",
             "medicare": "MC", "medicare-advantage": "MA", "medicaid": "MCD",
             "medicaid-managed-care": "MMC", "uninsured": "Unins", "other": "Oth"}
    lines = ["# Which letters fit which plans", "",
             "Each letter was built from its sample case under every plan type. ✓ means it "
             "builds; ✗ means lettergen refuses it for that plan, and the reason is listed "
             "below the table. Some letters also depend on the stage of the dispute and on "
             "the provider: `lettergen check` tells which letters fit your own case.", "",
             "Columns: " + "; ".join(f"**{v}** {k}" for k, v in short.items()) + ".", "",
             "| Letter | Stage | " + " | ".join(short[p] for p in PLAN_TYPES) + " |",
             "|---|---|" + "---|" * len(PLAN_TYPES)]
    by_id = {e.info.id: e.info for e in samples}
    for letter_id, row in matrix.items():
        marks = " | ".join("✓" if not row[p] else "✗" for p in PLAN_TYPES)
        lines.append(f"| [`{letter_id}`](../letters/{letter_id}.md) | "
                     f"{by_id[letter_id].stage or 'any'} | {marks} |")
    lines += ["", "## Why a letter is refused", ""]
    for letter_id, row in matrix.items():
        reasons: dict[str, list[str]] = {}
        for plan_type, reason in row.items():
            if reason:
                reasons.setdefault(reason, []).append(plan_type)
        if not reasons:
            continue
        lines.append(f"### `{letter_id}`")
        lines.append("")
        for reason, plans in reasons.items():
            lines.append(f"- **{', '.join(plans)}**: {_md(reason)}")
        lines.append("")
    return "\n".join(lines)


SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "Makefile", "lettergen",
                "letter_templates", "examples")
"""What the site's source download holds: enough for ``pip install`` and ``make demo``."""


def source_zip_name() -> str:
    from importlib.metadata import version

    return f"lettergen-{version('lettergen')}-source.zip"


def source_zip(root: Path) -> bytes:
    """The project's source as a zip that ``pip install`` (or ``pipx install``)
    accepts, for readers who reach the tool through the site. Byte-identical for the
    same files: sorted names, a fixed timestamp, no compiled or build files."""
    import io
    import zipfile

    buffer = io.BytesIO()
    top = source_zip_name().removesuffix(".zip")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in SOURCE_PARTS:
            path = root / part
            files = [path] if path.is_file() else sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                and p.suffix not in (".pyc", ".pyo"))
            for file in files:
                info = zipfile.ZipInfo(f"{top}/{file.relative_to(root).as_posix()}",
                                       date_time=(2026, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, file.read_bytes())
    return buffer.getvalue()
