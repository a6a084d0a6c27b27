"""The rule tables of the guide page on the other side's deadlines
(``site/their-deadlines.md`` and its Spanish twin), filled in by the MkDocs plugin.

The page explains, letter by letter, what the recipient owes and what its silence
means; the numbers, citations, marks and sources under each explanation come from the
rules table, through the marker ``<!-- lettergen:their-deadlines SECTION -->``, so that
a rule corrected in ``data/rules.toml`` is corrected on the page. ``SECTIONS`` names the
rules of each section: the deadlines the recipient has, then the rules that say what
happens when it misses them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from lettergen.rules.table import Rule, all_rules, get_rule


def _sections() -> dict[str, tuple[str, ...]]:
    """Section → its rule ids. The rule each letter sent waits on is the one
    ``analysis.waiting`` uses (tests/test_site_deadlines.py checks the appeal decisions
    plan type by plan type); the rest are the rules that say what a late answer opens."""
    from lettergen.analysis.waiting import ANSWER_RULES, DEFAULT_REPLY_RULE, REPLY_RULES

    replies = sorted({DEFAULT_REPLY_RULE} | {r for r in REPLY_RULES.values()
                                            if get_rule(r).status == "practice"})
    return {
        "internal-appeal": (
            "erisa-decision-urgent", "erisa-decision-pre-service",
            "erisa-decision-pre-service-two-levels", "erisa-decision-post-service",
            "erisa-decision-post-service-two-levels",
            "aca-decision-urgent", "aca-decision-pre-service", "aca-decision-post-service",
            "ma-decision-expedited", "ma-decision-pre-service", "ma-decision-payment",
            "medicare-redetermination-decision", "medicare-redetermination-decision-statute",
            "medicare-reconsideration-decision", "medicare-reconsideration-decision-statute",
            "medicaid-mc-decision", "medicaid-mc-extension", "medicaid-hearing-decision",
            "fehb-reconsideration-decision"),
        "internal-appeal-late": (
            "erisa-deemed-exhaustion-general", "aca-deemed-exhaustion",
            "aca-deemed-exhaustion-hhs", "ma-late-reconsideration-forward",
            "medicaid-mc-deemed-exhaustion", "medicare-qic-escalation"),
        "external-review-request": (
            "external-review-decision", "external-review-expedited",
            "external-review-decision-dol", "external-review-expedited-dol"),
        "records-request": (ANSWER_RULES["records-request"], "hipaa-access-extension",
                            "hipaa-ocr-complaint"),
        "plan-documents-request": (
            "erisa-plan-documents", "erisa-administrator", "erisa-document-fee",
            ANSWER_RULES["plan-documents-request"], "erisa-document-penalty-amount"),
        "credit-report-dispute": (ANSWER_RULES["credit-report-dispute"],
                                  "fcra-reinvestigation-extension", "fcra-results-notice"),
        "debt-validation": ("fdcpa-dispute-freeze", "regf-dispute-freeze"),
        "financial-assistance-request": (ANSWER_RULES["financial-assistance-request"],
                                         "irs-501r-suspend"),
        "reply": (*replies, "mailing-time"),
    }


SECTIONS = _sections()
"""Section (the letter sent, or ``reply`` for a letter's own reply date) → rule ids."""

MARKER = re.compile(r"<!-- lettergen:their-deadlines ([a-z-]+) -->")
CHECK_MARKER = re.compile(r"<!-- lettergen:check-section ([a-z0-9-]+) ([A-Za-z ]+?) -->")

_HEAD = {
    "en": ("Rule", "Applies to", "How long, counted from", "Citation (status)",
           "Source (checked)"),
    "es": ("Regla", "Se aplica a", "Plazo, contado desde", "Cita (estado)",
           "Fuente (revisada)"),
}
_STATUS = {
    "en": {"V": "verified", "C": "corroborated", "practice": "lettergen's convention"},
    "es": {"V": "verificada", "C": "corroborada", "practice": "convención de lettergen"},
}
# The event a clock counts from, in the words of someone who sent a letter.
_FROM = {
    "en": {"request": "the day they received your letter",
           "request-receipt": "the day they received your letter",
           "appeal-receipt": "the day they received your appeal",
           "appeal-filed": "the day they received your appeal",
           "dispute-receipt": "the day they received your dispute",
           "letter": "the date of your letter",
           "first-deadline": "the end of the first deadline",
           "reinvestigation-complete": "the end of the reinvestigation",
           "violation-known": "the day you knew of the problem",
           "deadline": "the deadline"},
    "es": {"request": "el día en que recibieron su carta",
           "request-receipt": "el día en que recibieron su carta",
           "appeal-receipt": "el día en que recibieron su apelación",
           "appeal-filed": "el día en que recibieron su apelación",
           "dispute-receipt": "el día en que recibieron su disputa",
           "letter": "la fecha de su carta",
           "first-deadline": "el fin del primer plazo",
           "reinvestigation-complete": "el fin de la reinvestigación",
           "violation-known": "el día en que usted supo del problema",
           "deadline": "la fecha límite"},
}
_WORDS = {
    "en": {"any": "everyone", "self-pay": "uninsured or self-pay",
           "not-grandfathered": "not grandfathered", "providers": "providers",
           "nonprofit": "nonprofit", "not-cited": "not cited: not law"},
    "es": {"any": "todos", "self-pay": "sin seguro o pago propio",
           "not-grandfathered": "no protegidos por derechos adquiridos",
           "providers": "proveedores", "nonprofit": "sin fines de lucro",
           "not-cited": "no se cita: no es ley"},
}


def section_rules(section: str) -> list[Rule]:
    """The rules of one section of the page, each a rule of the table that may be
    shown as a deadline: law-grade (verified or corroborated) or lettergen's own
    convention, never an unverified rule or a company's policy."""
    try:
        ids = SECTIONS[section]
    except KeyError:
        raise ValueError(f"their-deadlines: unknown section '{section}' (known: "
                         f"{', '.join(SECTIONS)})") from None
    unknown = [rule_id for rule_id in ids if rule_id not in all_rules()]
    if unknown:
        raise ValueError(f"their-deadlines: section '{section}' names rules that are not in "
                         f"the rules table: {', '.join(unknown)}")
    rules = [get_rule(rule_id) for rule_id in ids]
    shown = [r for r in rules if r.law_grade or r.status == "practice"]
    if len(shown) != len(rules):
        bad = sorted(set(ids) - {r.id for r in shown})
        raise ValueError(f"their-deadlines: section '{section}' names rules that may not be "
                         f"shown as deadlines: {', '.join(bad)}")
    return shown


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|").replace("\n", " ")


def _length(rule: Rule, language: str) -> str:
    """How long the rule gives, in words: "30 days from the day they received your
    letter"; "—" for a rule without a clock (a duty, a consequence, an amount)."""
    c = rule.clock
    business = rule.extra.get("business_days")
    if c is None:
        if business:
            return f"{business} business days" if language == "en" else f"{business} días hábiles"
        return "—"
    if language == "en":
        from lettergen.guide.sitegen import _length as english

        length = english(c)
    else:
        length = (f"{c.months} meses" if c.months else f"{c.hours} horas" if c.hours
                  else "el mismo día" if c.days == 0 else "1 día" if c.days == 1
                  else f"{c.days} días")
        if c.time:
            length += f", hasta el {'mediodía' if c.time == 'noon' else c.time}"
    start = _FROM[language].get(c.start, c.start.replace("-", " "))
    return length + (" from " if language == "en" else " desde ") + start


def _scope(rule: Rule, language: str) -> str:
    words = _WORDS[language]
    parts = [", ".join(f"`{p}`" for p in rule.plan_types)] if rule.plan_types else []
    if rule.self_pay:
        parts.append(words["self-pay"])
    if rule.grandfathered is False:
        parts.append(words["not-grandfathered"])
    if rule.provider_kinds:
        parts.append(f"{words['providers']}: {', '.join(rule.provider_kinds)}")
    if rule.nonprofit:
        parts.append(words["nonprofit"])
    return "; ".join(parts) or words["any"]


def table(section: str, language: str = "en") -> str:
    """One section's rules as a Markdown table, in a block that names the section
    (``<div class="their-deadlines" data-section=...>``) so that readers' tools and the
    tests find it."""
    lines = [f'<div class="their-deadlines" data-section="{section}" markdown="1">', "",
             "| " + " | ".join(_HEAD[language]) + " |", "|---" * len(_HEAD[language]) + "|"]
    for rule in section_rules(section):
        length = _length(rule, language)
        status = _STATUS[language][rule.status]
        checked = "checked" if language == "en" else "revisada el"
        citation = (_cell(rule.citation) if rule.law_grade else _WORDS[language]["not-cited"]) \
            + f"<br>({status})"
        lines.append(f"| {_cell(rule.title)} | {_scope(rule, language)} | {length} | "
                     f"{citation} | {_cell(rule.source)}; {checked} {rule.checked.isoformat()} |")
    return "\n".join(lines + ["", "</div>", ""])


def check_section(case_path: Path, heading: str, width: int = 72) -> str:
    """One section of ``lettergen check``'s report on a case (``Waiting on them``), as
    the command prints it, in a text block: the page shows the program's own words."""
    from lettergen.case.casefile import load_case
    from lettergen.packs.folder import open_packs
    from lettergen.reports.check import check_case

    case = load_case(case_path)
    lines = check_case(case, open_packs([])).as_text(width=width).splitlines()
    if heading not in lines:
        raise ValueError(f"check-section: lettergen check {case_path.name} has no "
                         f"'{heading}' section")
    start = lines.index(heading)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return "\n".join(["```text", f"$ lettergen check {case_path.name}", "...",
                      *lines[start:end], "```", ""])


def fill(markdown: str, language: str = "en", examples: Path | None = None) -> str:
    """The page with each ``<!-- lettergen:their-deadlines SECTION -->`` marker replaced
    by that section's table, and each ``<!-- lettergen:check-section EXAMPLE HEADING -->``
    by that section of ``check``'s report on ``examples/EXAMPLE.toml``."""
    markdown = MARKER.sub(lambda m: table(m.group(1), language), markdown)
    if examples is not None:
        markdown = CHECK_MARKER.sub(
            lambda m: check_section(examples / f"{m.group(1)}.toml", m.group(2)), markdown)
    return markdown
