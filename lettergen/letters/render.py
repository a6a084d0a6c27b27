"""One letter from one case: check that it fits, render it, read it into a Document.

``render_letter`` is the library's entry point for a single letter; ``build`` calls it
for every requested letter before writing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from lettergen.analysis.directory import Directory, find_bureau
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import Record
from lettergen.errors import LetterDoesNotFitError, TemplateError
from lettergen.letters.document import Document, Paragraph, Run
from lettergen.letters.markdown_reader import read_markdown
from lettergen.letters.sandbox import LimitExceeded, time_limit
from lettergen.letters.templates import (
    LetterRefused,
    TemplateInfo,
    base_language,
    find_template,
    render_markdown,
)
from lettergen.packs.folder import Pack
from lettergen.packs.manifest import effective_style
from lettergen.rules import table as rules
from lettergen.template_types import template_function, template_value

template_value(Record)  # the case's tables: read-only, plain values inside

DELIVERY_LINES = {
    "certified-mail": "Sent by certified mail, return receipt requested",
    "fax": "Sent by fax",
    "portal": "Submitted through the online portal",
    "email": "Sent by email",
    "hand": "Delivered by hand",
}
# The same lines in the Spanish letters (a letter is "la carta": feminine).
DELIVERY_LINES_ES = {
    "certified-mail": "Enviada por correo certificado, con acuse de recibo",
    "fax": "Enviada por fax",
    "portal": "Presentada por el portal en línea",
    "email": "Enviada por correo electrónico",
    "hand": "Entregada en mano",
}


@dataclass(frozen=True)
class Letter:
    """A rendered letter: its template, its Markdown, and the document model."""

    info: TemplateInfo
    markdown: str
    document: Document
    notes: tuple[str, ...] = ()  # what the writer of the case should know (printed by build)
    reading_copy: str = ""  # the language of a reading copy ("es"); "" for the letter sent
    # The [[enclosures]] meant for this letter's recipient (as its Enclosures list names
    # them), and the recipient: an appeal packet attaches exactly these documents.
    enclosures: tuple[Any, ...] = ()
    recipient: Party | None = None

    @property
    def file_stem(self) -> str:
        """The output file's name without its format: the template id, and for a
        reading copy its language ("internal-appeal.es")."""
        return f"{self.info.id}.{self.reading_copy}" if self.reading_copy else self.info.id


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
    portal: str = ""  # a patient portal where the party reads messages (a clinician's office)


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
             "clinician": case.clinician, "regulator": case.regulator, "qio": case.qio,
             "administrator": case.administrator}.get(to)
    if table is None or not table.name:
        return None
    return Party(table.name, tuple(table.address or ()), fax=getattr(table, "fax", None) or "",
                 portal=getattr(table, "portal", None) or "")


# Words by which a signer claims the authority to act for the patient ("Son and authorized
# representative"); without [sender] authorization the signature leaves them out.
_AUTHORITY = re.compile(r"\b(authori[sz]ed|appointed|representative|power of attorney|"
                        r"poa|proxy|guardian)\b", re.IGNORECASE)


def plain_role(role: str) -> str:
    """``role`` without its claim of authority: "Son and authorized representative" →
    "Son"; "" when nothing else is left. A representative who has shown no written
    authorization signs as what they are to the patient, never as "authorized"."""
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", role.strip())
    kept = [part for part in parts if part and not _AUTHORITY.search(part)]
    return " and ".join(kept)


def _signer(case: Any) -> Party:
    """Who signs: ``[sender]`` when the case has one (with its role only as far as an
    authorization enclosed or on file backs it), else the patient."""
    sender = case.sender
    if sender and sender.name:
        role = sender.role or "Authorized representative"
        if not sender.authorization:
            role = plain_role(role)
        return Party(sender.name, tuple(sender.address or case.patient.address or ()),
                     role, sender.phone or "", sender.email or "")
    patient = case.patient
    return Party(patient.name, tuple(patient.address or ()), "", patient.phone or "",
                 patient.email or "")


_TITLES = {"dr": "Dr.", "doctor": "Dr.", "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "mx": "Mx.",
           "prof": "Professor", "professor": "Professor"}
# The titles as a Spanish letter writes them (English and Spanish titles alike).
_TITLES_ES = {"dr": "Dr.", "doctor": "Dr.", "dra": "Dra.", "doctora": "Dra.", "mr": "Sr.",
              "sr": "Sr.", "mrs": "Sra.", "ms": "Sra.", "sra": "Sra.", "srta": "Srta.",
              "mx": "Mx.", "prof": "Prof.", "professor": "Prof.", "profesor": "Prof.",
              "profesora": "Prof."}
_DOCTORS = {"md", "do", "dpm", "dds", "dmd", "od", "dc", "phd"}  # degrees read as "Dr."
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_PARTICLES = {"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den"}
# The first line of an address that names an office ("Attn: Appeals Unit", "Billing Office").
# An "Attn:" line or one with an office's noun: "Appeals and Grievances" alone is not one.
_DEPARTMENT = re.compile(r"^(attn|attention)\b|\b(department|dept|unit|office|division|"
                         r"services|team|desk|section)\b", re.IGNORECASE)


def person_salutation(name: str, language: str = "en") -> str:
    """A person's name as a salutation: title and surname ("Dr. Anjali Patel" and
    "Anjali Patel, MD" → "Dr. Patel"); without a title, the name as given (lettergen
    never guesses Mr. or Ms., nor Sr. or Sra.)."""
    titles = _TITLES_ES if language == "es" else _TITLES
    main, _, degrees = str(name).partition(",")
    words = main.split()
    title = titles.get(words[0].rstrip(".").lower(), "") if words else ""
    if title:
        words = words[1:]
    elif {d.replace(".", "").strip().lower() for d in degrees.split(",")} & _DOCTORS:
        title = "Dr."
    while len(words) > 1 and words[-1].rstrip(".").lower() in _SUFFIXES:
        words = words[:-1]
    if not title or not words:
        return " ".join(main.split()) or str(name)
    first = len(words) - 1
    while first > 1 and words[first - 1].lower() in _PARTICLES:
        first -= 1
    return f"{title} {' '.join(words[first:])}"


def department_line(address: tuple[str, ...]) -> str:
    """The office an address is for, from its first line ("Attn: Appeals Unit" →
    "Appeals Unit"), or "" when the first line is a street, a box or a name."""
    if len(address) < 2:
        return ""
    line = str(address[0]).strip()
    if any(ch.isdigit() for ch in line) or not _DEPARTMENT.search(line):
        return ""
    return re.sub(r"^(attn|attention)\b\s*[:.]?\s*", "", line, flags=re.IGNORECASE).strip()


def salutation(chosen: str, recipient: Party | None, addressee: str, language: str = "en"
               ) -> str:
    """What follows "Dear": a person (the treating clinician, or a template's choice
    of the recipient's own name) by title and surname; else the office the address
    names on its first line, since the letter goes there; else the template's choice
    ("Billing Office"); else "Sir or Madam". A template's choice of an officer ("Hearing
    Officer", "Privacy Officer") is a person the letter is for and wins over the office."""
    if recipient and (addressee == "clinician" or chosen == recipient.name):
        return person_salutation(recipient.name, language)
    if re.search(r"\b(officer|oficial)\b", chosen, re.IGNORECASE):  # "Oficial de Audiencias"
        return chosen
    # A Spanish letter has no "Sir or Madam": "" tells its head to write "A quien
    # corresponda:".
    default = "" if language == "es" else "Sir or Madam"
    return (recipient and department_line(recipient.address)) or chosen or default


def _delivery(case: Any, facts: Facts, addressee: str) -> str:
    """How the letter is sent: to the treating clinician by fax, or through the patient
    portal, when the case gives one (a request to one's own doctor goes the way the
    office reads it, not by certified mail); else ``[case] delivery``; else by fax for an
    expedited appeal to an insurer whose fax the case gives (mail is too slow for a
    decision due within hours); else certified mail."""
    if addressee == "clinician" and (case.clinician.fax or case.clinician.portal):
        return "fax" if case.clinician.fax else "portal"
    if case.case.delivery:
        return str(case.case.delivery)
    if facts.expedited and addressee == "insurer" and case.insurer.fax:
        return "fax"
    return "certified-mail"


_HEAD_LABELS = {"en": {"claim": "Claim", "account": "Account", "report": "Report"},
                "es": {"claim": "Reclamación", "account": "Cuenta", "report": "Informe"}}


def _running_head(case: Any, addressee: str, language: str = "en") -> str:
    """The head of every page after the first: the patient and the number this
    recipient files the letter under (a collector its account, a provider its account,
    a bureau its report, everyone else the claim), the first of them the case gives."""
    label = _HEAD_LABELS.get(language, _HEAD_LABELS["en"])
    refs = {"claim": (label["claim"], case.claim.number),
            "provider": (label["account"], case.provider.account_number),
            "collector": (label["account"], case.collector.account_number),
            "report": (label["report"], case.credit_report.report_number)}
    order = {"collector": ("collector", "provider", "claim"),
             "provider": ("provider", "claim"),
             "bureau": ("report", "collector", "provider", "claim"),
             "administrator": ()}.get(  # the employer's benefits office: no claim or care
        addressee, ("claim", "provider"))
    head = [case.patient.name]
    head += [f"{refs[key][0]} {refs[key][1]}" for key in order if refs[key][1]][:1]
    return " · ".join(str(part) for part in head if part)


LETTER_LANGUAGE = "en"  # the language of a pack's root folder
# The tag each language's documents carry (DOCX w:lang, PDF /Lang, HTML lang): it must
# match the text, or a screen reader reads it with the wrong voice.
LANGUAGE_TAGS = {"en": "en", "es": "es-US"}


def letter_language(case: Any) -> str:
    """The language the case asks its letters in ("en" when it names none)."""
    return base_language(case.case.language)


def language_note(case: Any) -> str:
    """What ``build`` says when the case asks for a language lettergen has no letters
    in: the letters stay English and are tagged English in their files."""
    asked = case.case.language or LETTER_LANGUAGE
    if base_language(asked) in LANGUAGE_TAGS:
        return ""
    return (f"[case] language = \"{asked}\": there are no letters in that language yet, so "
            "these letters are in English and marked as English. Have them translated if "
            "the reader needs it, and keep the English original.")


def fallback_note(info: TemplateInfo, asked: str) -> str:
    """What ``build`` says when the case asks for Spanish and the pack that holds this
    letter has it in English only: the letter is built in English, whole, never a
    Spanish letter with English parts."""
    if asked == info.language or asked not in LANGUAGE_TAGS:
        return ""
    names = {"es": "Spanish"}
    return (f"{info.id}: pack {info.pack.name} has no {names.get(asked, asked)} version "
            f"of this letter (no {asked}/{info.id}.md), so it is built in English from "
            f"{info.path.name} and marked as English")


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


# Letters about an answer that is late: without --contact N they are about the newest
# letter sent whose answer is overdue (lettergen.analysis.waiting), not the newest contact.
LATE_ANSWER_LETTERS = ("follow-up",)


def _chosen_contact(info: TemplateInfo, case: Any, facts: Facts, contact_index: int | None
                    ) -> Any:
    """The ``[[contacts]]`` entry a letter is about: entry N of ``--contact N``; else,
    for a letter about a late answer, the newest letter sent whose answer is overdue
    (a follow-up is about the letter it follows, never itself), or a dispute whose
    answer no law dates and that is still unanswered; else the newest entry."""
    if contact_index:
        return case.contacts[contact_index - 1]
    if info.id in LATE_ANSWER_LETTERS:
        # late, or never late but owed (a collector's verification: no date, no collecting)
        late = [a for a in facts.awaited if a.letter not in LATE_ANSWER_LETTERS
                and (a.overdue or (a.due is None and not a.answered))]
        if late:
            return max(late, key=lambda a: a.sent).contact
    return case.contacts[-1] if case.contacts else None


def letter_context(info: TemplateInfo, case: Any, contact_index: int | None = None
                   ) -> tuple[dict[str, Any], list[str]]:
    """Everything a template sees (the case's tables, derived facts, the parties, and
    the functions that read the rules table), and the list its ``note()`` fills.
    Only template values (``template_types``): no path, file or live object."""
    language = info.language
    facts = Facts(case)
    contact = _chosen_contact(info, case, facts, contact_index)
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
        text = rules.cite(rule_id, case)
        # "29 CFR 2560.503-1(h)(2)(ii) and (iv)": the one English word citations carry.
        return text.replace(" and ", " y ") if language == "es" else text

    @template_function
    def rule(rule_id: str) -> rules.Rule:
        return rules.rule_for_case(rule_id, case)

    @template_function
    def applies(rule_id: str) -> bool:
        return rules.get_rule(rule_id).applies_to(case)

    @template_function
    def first_rule(rule_ids: Any) -> str:
        return rules.first_rule(rule_ids, case)

    said: set[str] = set()

    @template_function
    def once(key: str) -> bool:
        """True only the first time a letter asks: a sentence a letter says once
        wherever it comes first (the representative's authority, in the first paragraph
        or else above the signature)."""
        first = str(key) not in said
        said.add(str(key))
        return first

    @template_function
    def salute(chosen: str = "") -> str:
        return salutation(str(chosen or ""), recipient, addressee, language)

    @template_function
    def clock(rule_id: str, start: Any) -> Any:
        rules.rule_for_case(rule_id, case)
        return facts.clock(rule_id, start)

    addressee = _addressee(info.to, case, contact)
    recipient = _recipient(addressee, case)
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
    context["enclosures"] = facts.enclosures_for(addressee, info.meta.get("enclosures_as"))
    context.update(
        letter=info.view(to=addressee),
        facts=facts,
        today=today,
        signer=_signer(case),
        recipient=recipient,
        contact=contact,
        directory=Directory(case),
        delivery=delivery,
        delivery_line=(DELIVERY_LINES_ES if language == "es" else DELIVERY_LINES)[delivery],
        language=language,
        reply_by=facts.reply_by(reply_rule, reply_start),
        cite=cite,
        rule=rule,
        applies=applies,
        first_rule=first_rule,
        salute=salute,
        once=once,
        clock=clock,
        refuse=refuse,
        note=note,
    )
    return context, notes


def render_letter(case: Any, template_id: str, packs: tuple[Pack, ...],
                  contact_index: int | None = None, language: str | None = None) -> Letter:
    """Render one letter for a case, or raise ``LetterDoesNotFitError`` with every
    reason it cannot be built. ``language`` overrides the case's (a reading copy)."""
    info = find_template(template_id, packs, language or letter_language(case))
    return render_info(case, info, packs, contact_index, language)


# The notice at the top of a reading copy, in the copy's language.
READING_COPY_NOTICES = {
    "es": "Copia para leer: no la envíe. Es la traducción al español de la carta en "
          "inglés del mismo nombre, para que usted sepa lo que firma. Firme y envíe la "
          "carta en inglés.",
    "en": "Reading copy: do not send. This is the English translation of the Spanish "
          "letter of the same name, so that you know what you sign. Sign and send the "
          "Spanish letter.",
}


def no_copy_note(letter: Letter, case: Any) -> str:
    """What ``build`` says when a letter has no reading copy in the language asked."""
    names = {"es": "Spanish", "en": "English"}
    wanted = case.case.reading_copy
    return (f"no {names.get(wanted, wanted)} reading copy: pack {letter.info.pack.name} "
            f"has this letter in {names.get(letter.info.language, letter.info.language)} "
            "only")


def render_reading_copy(case: Any, template_id: str, packs: tuple[Pack, ...],
                        contact_index: int | None = None) -> Letter | None:
    """The letter in ``[case] reading_copy``'s language, headed as a copy not to send;
    None when the pack holding the letter has it in the letter's language only (``build``
    says so: a copy in the wrong language is no copy)."""
    copy_language = case.case.reading_copy
    info = find_template(template_id, packs, copy_language)
    if info.language != copy_language:
        return None
    letter = render_info(case, info, packs, contact_index, copy_language)
    notice = Paragraph((Run(READING_COPY_NOTICES[copy_language], bold=True),))
    document = replace(letter.document, blocks=(notice, *letter.document.blocks))
    return replace(letter, document=document, reading_copy=copy_language)


def render_info(case: Any, info: TemplateInfo, packs: tuple[Pack, ...],
                contact_index: int | None = None, language: str | None = None) -> Letter:
    reasons = fit_reasons(info, case)
    if contact_index is not None and not (1 <= contact_index <= len(case.contacts)):
        reasons.append(f"--contact {contact_index}: the case has {len(case.contacts)} "
                       "[[contacts]] entries")
    if reasons:
        raise LetterDoesNotFitError(info.id, reasons)
    context, notes = letter_context(info, case, contact_index)
    fallback = fallback_note(info, language or letter_language(case))
    if fallback:
        notes.insert(0, fallback)
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
        language=LANGUAGE_TAGS.get(info.language, info.language),
        running_head=_running_head(case, context["letter"].to, info.language),
        style=effective_style(packs),
    )
    return Letter(info, markdown, document, tuple(notes),
                  enclosures=tuple(context["enclosures"]), recipient=context["recipient"])


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
