"""One letter from one case: check that it fits, render it, read it into a Document.

``render_letter`` is the library's entry point for a single letter; ``build`` calls it
for every requested letter before writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import rules
from .casefile import Record
from .directory import Directory, find_bureau
from .document import Document
from .errors import LetterDoesNotFitError, TemplateError
from .facts import Facts
from .markdown_reader import read_markdown
from .sandbox import LimitExceeded, time_limit
from .template_types import template_function, template_value
from .templates import LetterRefused, Pack, TemplateInfo, find_template, render_markdown

template_value(Record)  # the case's tables: read-only, plain values inside

DELIVERY_LINES = {
    "certified-mail": "Sent by certified mail, return receipt requested",
    "fax": "Sent by fax",
    "portal": "Submitted through the online portal",
    "email": "Sent by email",
    "hand": "Delivered by hand",
}


@dataclass(frozen=True)
class Letter:
    """A rendered letter: its template, its Markdown, and the document model."""

    info: TemplateInfo
    markdown: str
    document: Document
    notes: tuple[str, ...] = ()  # what the writer of the case should know (printed by build)


@template_value
@dataclass(frozen=True)
class Party:
    """Who a letter is from or to: a name, address lines, and contact details."""

    name: str
    address: tuple[str, ...] = ()
    role: str = ""
    phone: str = ""
    email: str = ""
    fax: str = ""


def _addressee(to: str, case: Any, contact: Any) -> str:
    """The party a letter goes to for this case. Front matter `to` may also be
    "contact" (the contact's party) or "a-or-b": `a` when the case names one, else `b`
    ("collector-or-provider": the collection agency when one holds the account)."""
    if to == "contact":
        return contact.party if contact is not None else "provider"
    first, either, second = to.partition("-or-")
    if either:
        table = getattr(case, first, None)
        return first if table and table.name else second
    return to


def _recipient(to: str, case: Any) -> Party | None:
    """The addressee ``to`` (see ``_addressee``) as a party, or None without a name."""
    if to == "bureau":
        bureau = find_bureau(case.credit_report.bureau)
        return Party(bureau.name, bureau.address) if bureau else None
    table = {"provider": case.provider, "insurer": case.insurer, "collector": case.collector,
             "clinician": case.clinician, "regulator": case.regulator, "qio": case.qio}.get(to)
    if table is None or not table.name:
        return None
    return Party(table.name, tuple(table.address or ()), fax=getattr(table, "fax", None) or "")


def _signer(case: Any) -> Party:
    sender = case.sender
    if sender and sender.name:
        return Party(sender.name, tuple(sender.address or case.patient.address or ()),
                     sender.role or "Authorized representative", sender.phone or "",
                     sender.email or "")
    patient = case.patient
    return Party(patient.name, tuple(patient.address or ()), "", patient.phone or "",
                 patient.email or "")


def _delivery(case: Any, facts: Facts, addressee: str) -> str:
    """How the letter is sent: ``[case] delivery``; else by fax for an expedited
    appeal to an insurer whose fax the case gives (mail is too slow for a decision due
    within hours); else certified mail."""
    if case.case.delivery:
        return str(case.case.delivery)
    if facts.expedited and addressee == "insurer" and case.insurer.fax:
        return "fax"
    return "certified-mail"


def fit_reasons(info: TemplateInfo, case: Any) -> list[str]:
    """Why this letter cannot be built for this case: fields it needs that are
    missing, and a plan type it does not fit. Empty when it fits so far (the
    template may still refuse on the stage)."""
    reasons = []
    plan = case.insurer.plan_type or "uninsured"
    if info.plan_types and plan not in info.plan_types:
        reasons.append(f"it does not fit plan type '{plan}' (it fits: "
                       f"{', '.join(info.plan_types)})")
    missing = case.missing(list(info.needs))
    if missing:
        named = ", ".join(_field_name(path) for path in missing)
        reasons.append(f"the case file lacks {named}")
    return reasons


def _field_name(path: str) -> str:
    table, _, key = path.partition(".")
    if table in ("charges", "contacts", "enclosures"):
        return f"[[{table}]] {key}".rstrip() if key else f"at least one [[{table}]] entry"
    return f"[{table}] {key}"


def letter_context(info: TemplateInfo, case: Any, contact_index: int | None = None
                   ) -> tuple[dict[str, Any], list[str]]:
    """Everything a template sees (the case's tables, derived facts, the parties, and
    the functions that read the rules table), and the list its ``note()`` fills.
    Only template values (``template_types``): no path, file or live object."""
    facts = Facts(case)
    contact = None
    if case.contacts:
        contact = case.contacts[contact_index - 1 if contact_index else -1]
    today = case.today

    notes: list[str] = []

    @template_function
    def note(text: str) -> str:
        """Tell the person building the letter something (on stderr), print nothing."""
        notes.append(str(text))
        return ""

    @template_function
    def refuse(reason: str, next_step: str = "") -> None:
        raise LetterRefused(reason + (f". Next step: {next_step}" if next_step else ""))

    @template_function
    def cite(rule_id: str) -> str:
        return rules.cite(rule_id, case)

    @template_function
    def rule(rule_id: str) -> rules.Rule:
        return rules.rule_for_case(rule_id, case)

    @template_function
    def applies(rule_id: str) -> bool:
        return rules.get_rule(rule_id).applies_to(case)

    @template_function
    def first_rule(rule_ids: Any) -> str:
        return rules.first_rule(rule_ids, case)

    @template_function
    def clock(rule_id: str, start: Any) -> Any:
        rules.rule_for_case(rule_id, case)
        return facts.clock(rule_id, start)

    addressee = _addressee(info.to, case, contact)
    delivery = _delivery(case, facts, addressee)
    reply_rule = info.reply_rule
    # A reply rule of the law counted from the recipient's receipt of the request (HIPAA
    # access, FCRA reinvestigation): the date asked for counts from the day the letter
    # should arrive, never from its own date.
    reply_clock = rules.get_rule(reply_rule).clock
    reply_start = facts.delivered(today, delivery) \
        if reply_clock and reply_clock.start == "request" else today
    context: dict[str, Any] = dict(case.tables())
    # Each recipient sees only the documents meant for it (no chart notes to a collector).
    context["enclosures"] = facts.enclosures_for(addressee)
    context.update(
        letter=info.view(to=addressee),
        facts=facts,
        today=today,
        signer=_signer(case),
        recipient=_recipient(addressee, case),
        contact=contact,
        directory=Directory(case),
        delivery=delivery,
        delivery_line=DELIVERY_LINES[delivery],
        reply_by=facts.reply_by(reply_rule, reply_start),
        cite=cite,
        rule=rule,
        applies=applies,
        first_rule=first_rule,
        clock=clock,
        refuse=refuse,
        note=note,
    )
    return context, notes


def render_letter(case: Any, template_id: str, packs: tuple[Pack, ...],
                  contact_index: int | None = None) -> Letter:
    """Render one letter for a case, or raise ``LetterDoesNotFitError`` with every
    reason it cannot be built."""
    info = find_template(template_id, packs)
    return render_info(case, info, packs, contact_index)


def render_info(case: Any, info: TemplateInfo, packs: tuple[Pack, ...],
                contact_index: int | None = None) -> Letter:
    reasons = fit_reasons(info, case)
    if contact_index is not None and not (1 <= contact_index <= len(case.contacts)):
        reasons.append(f"--contact {contact_index}: the case has {len(case.contacts)} "
                       "[[contacts]] entries")
    if reasons:
        raise LetterDoesNotFitError(info.id, reasons)
    context, notes = letter_context(info, case, contact_index)
    try:
        with time_limit():
            blocks, markdown = _render_and_read(info, packs, context)
    except LimitExceeded as exc:
        if str(exc).startswith("pack "):
            raise
        raise LimitExceeded(f"pack {info.pack.name}, {info.path.name}: {exc}") from None
    signer = context["signer"]
    document = Document(
        title=info.title,
        author=signer.name,
        date=case.today,
        blocks=blocks,
        subject=info.title,
        language=case.case.language or "en",
    )
    return Letter(info, markdown, document, tuple(notes))


def _render_and_read(info: TemplateInfo, packs: tuple[Pack, ...], context: dict[str, Any]
                     ) -> tuple[tuple[Any, ...], str]:
    """The letter's Markdown and the blocks read from it."""
    try:
        markdown = render_markdown(info, packs, context)
    except LetterRefused as exc:
        raise LetterDoesNotFitError(info.id, [str(exc)]) from None
    try:
        return read_markdown(markdown), markdown
    except LimitExceeded:
        raise
    except Exception as exc:  # a parser failure is a template bug, not a crash
        raise TemplateError(f"pack {info.pack.name}, {info.path.name}: the rendered "
                            f"letter is not readable Markdown: {exc}") from None
