"""Blank fill-in letters: a sample case whose every value prints as a placeholder.

A blank letter is rendered from a real sample case, so every condition in the
template takes the same path as for the sample, but each value the case supplies
prints as a visible placeholder such as ``[Claim number]``. Free text becomes the
placeholder itself; money and dates keep their sample value for comparisons but
print as their placeholder (``BlankMoney``, ``BlankDate``), and arithmetic on them
gives another placeholder, so no sample figure leaks into a blank. The plan type is
set to "other" so the wording is the plan-neutral one: no plan-specific citation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lettergen.case.casefields import TABLES
from lettergen.case.casefile import Case, Record

PLAN_NEUTRAL = "other"
LABELS = {
    "patient.name": "Patient name",
    "patient.member_id": "Member ID",
    "patient.date_of_birth": "Date of birth",
    "provider.name": "Provider name",
    "provider.account_number": "Account number",
    "insurer.name": "Insurer name",
    "insurer.group_number": "Group number",
    "claim.number": "Claim number",
    "claim.service_date": "Date of service",
    "claim.service_end_date": "Last date of service",
    "claim.billed": "Amount billed",
    "balance.amount_due": "Amount due",
    "denial.date": "Date of the denial",
    "denial.reason_text": "Denial reason as written",
    "collector.name": "Collection agency name",
    "collector.account_number": "Collector account number",
    "case.date": "Date",
    "denial.services_end": "Date care ends",
    "denial.why_disagree": "Why you disagree, in your own words",
    "qio.name": "QIO name",
    "qio.phone": "QIO phone number",
    "qio.fax": "QIO fax number",
}
KEEP = ("enum", "bool", "state")  # kinds that steer the wording: kept as in the sample
# Text fields that steer the wording as a choice does: a [[contacts]] entry's `letter`
# names the template of a letter sent, which sets whose answer is awaited and by which
# rule (lettergen.analysis.waiting); a placeholder there would be no letter at all.
KEEP_PATHS = ("contacts.letter",)


def label(path: str) -> str:
    if path in LABELS:
        return LABELS[path]
    table, _, key = path.partition(".")
    words = key.replace("_", " ")
    return f"{table.replace('_', ' ').capitalize()} {words}"


class BlankMoney(Decimal):
    """An amount that compares as its sample value and prints as its placeholder."""

    blank_label: str

    def __new__(cls, value: Any, blank_label: str = "Amount") -> BlankMoney:
        self = super().__new__(cls, value)
        self.blank_label = blank_label
        return self

    def _wrap(self, result: Any) -> Any:
        return BlankMoney(result, "Amount") if isinstance(result, Decimal) else result

    def __add__(self, other: Any) -> Any:
        return self._wrap(Decimal(self) + other)

    def __radd__(self, other: Any) -> Any:
        return self._wrap(other + Decimal(self))

    def __sub__(self, other: Any) -> Any:
        return self._wrap(Decimal(self) - other)

    def __rsub__(self, other: Any) -> Any:
        return self._wrap(other - Decimal(self))

    def __mul__(self, other: Any) -> Any:
        return self._wrap(Decimal(self) * other)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        return self._wrap(Decimal(self) / other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._wrap(other / Decimal(self))

    def quantize(self, *args: Any, **kwargs: Any) -> Any:
        return self._wrap(Decimal(self).quantize(*args, **kwargs))


class BlankInt(int):
    """A whole number (a household's size, an appeal level) that compares as its sample
    value, so the wording it steers stays, and prints as its placeholder."""

    blank_label: str

    def __new__(cls, value: int, blank_label: str = "Number") -> BlankInt:
        self = super().__new__(cls, value)
        self.blank_label = blank_label
        return self


class BlankDate(dt.date):
    """A date that compares as its sample value and prints as its placeholder."""

    blank_label: str

    def __new__(cls, value: dt.date, blank_label: str = "Date") -> BlankDate:
        self = super().__new__(cls, value.year, value.month, value.day)
        self.blank_label = blank_label
        return self

    def __add__(self, other: Any) -> Any:
        result = dt.date(self.year, self.month, self.day) + other
        return BlankDate(result, "Date") if isinstance(result, dt.date) else result

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        result = dt.date(self.year, self.month, self.day) - other
        return BlankDate(result, "Date") if isinstance(result, dt.date) else result


def blank_value(value: Any, kind: str, path: str) -> Any:
    if value is None or kind in KEEP or path in KEEP_PATHS:
        return value
    name = label(path)
    if kind == "money":
        return BlankMoney(value, name)
    if kind == "date":
        return BlankDate(value, name)
    if kind == "int":
        return BlankInt(value, name)
    if kind == "lines":
        return [f"[{name}, line {i}]" for i in range(1, 3)]
    if kind == "list":
        return [f"[{name}]"] if value else value
    return f"[{name}]"


def _blank_record(record: Record, fields: Any, prefix: str) -> Record:
    if not record:
        return record
    values = {}
    for field in fields:
        value = getattr(record, field.name)
        path = f"{prefix}.{field.name}"
        if field.kind == "table":
            values[field.name] = _blank_record(value, field.fields, path)
        elif field.kind == "tables":
            values[field.name] = [_blank_record(v, field.fields, path) for v in value]
        else:
            values[field.name] = blank_value(value, field.kind, path)
    return Record(prefix, values, True)


def blank_case(case: Case, keep_plan: bool = False) -> Case:
    """The placeholder version of a sample case: plan-neutral unless ``keep_plan``
    (for a letter that only exists for some plan types, such as a surprise-bill
    dispute)."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        value = getattr(case, table.name)
        if table.array:
            tables[table.name] = [_blank_record(v, table.fields, table.name) for v in value]
        else:
            tables[table.name] = _blank_record(value, table.fields, table.name)
    insurer = dict(vars(tables["insurer"])) if tables["insurer"] else {}
    if insurer and not keep_plan and insurer.get("plan_type") not in ("uninsured",):
        insurer["plan_type"] = PLAN_NEUTRAL
        insurer["self_funded"] = None
        tables["insurer"] = Record("insurer", insurer, True)
    meta = dict(vars(tables["case"]))
    meta["date"] = BlankDate(case.today, "Date")
    tables["case"] = Record("case", meta, True)
    return Case(case.source_path, tables, case.files)


def is_blank(value: Any) -> bool:
    return hasattr(value, "blank_label")


# --- blanks per situation ----------------------------------------------------------------
#
# A blank must argue only what its situation says. Each blank is therefore built from
# the sample's placeholder case with every fact that steers the wording (a yes/no, a
# choice, a table such as [collector] whose presence is a fact, the plan year's
# accumulators) taken out, one at a time, as long as the letter still renders. What
# a letter cannot do without stays, and is named in the blank's "Use this one if"
# line. A template's front matter ``blank_variants`` lists case fields (choices or
# yes/no) whose every value is tried: one blank per value whose letter differs.

SITUATION_TABLES = ("sender", "collector", "credit_report", "offer", "contacts",
                    "enclosures", "charges")
"""Tables whose mere presence is a fact of the sample (a representative, an agency)."""
STEERING_MONEY = ("insurer",)
"""Tables whose amounts steer the argument (a deductible met), not just fill a space."""
PHRASES = {
    "denial.reason": "the denial gives this reason: {meaning}",
    "provider.nonprofit": ("the provider is a nonprofit (501(c)(3)) organization",
                           "the provider is not a nonprofit, or you do not know"),
    "provider.in_network": ("the provider is in the plan's network",
                            "the provider is not in the plan's network"),
    "provider.kind": "the provider is: {meaning}",
    "provider.facility_in_network": ("the place of care is in the plan's network",
                                     "the place of care is not in the plan's network"),
    "provider.chosen_by_patient": ("the patient chose this provider",
                                   "the patient did not choose this provider"),
    "claim.emergency": ("this was emergency care", "this was not emergency care"),
    "denial.final_internal": ("the plan's own appeals are used up (a final denial)",
                              "this is not yet the plan's final denial"),
    "denial.urgent": ("waiting could seriously harm the patient's health",
                      "the case is not urgent"),
    "denial.notice": "the notice is the {meaning}",
}


@dataclass
class BlankVariant:
    """One blank fill-in letter: the situation it fits and the letter."""

    fits: str  # "Use this one if ..."
    slug: str  # the download's name after "<id>-blank": "" or "-medical-necessity"
    letter: Any  # with the fits line as a note above the letter
    plan: str = ""  # the sample's plan type, when the blank cannot be plan-neutral


def phrase(path: str, value: Any, negate: bool = False) -> str:
    """The situation a field's value (or any of a list of values) describes, in words
    for the patient; ``negate`` for "anything but" those values."""
    from lettergen.case.casefields import field_at

    known = PHRASES.get(path)
    if isinstance(value, bool):
        if isinstance(known, tuple):
            return known[0] if value else known[1]
        return f"{label(path).lower()}: {'yes' if value else 'no'}"
    if value is _DROPPED:
        words = TABLE_WORDS.get(path, path.replace("_", " "))
        return f"the case has {words}"
    choices = dict(getattr(field_at(path), "choices", ()))
    values = value if isinstance(value, list) else [value]
    meaning = " or ".join(choices.get(v) or str(v) for v in values)
    if negate:
        meaning = f"anything but {meaning}"
    if isinstance(known, str):
        return known.format(meaning=meaning)
    return f"{label(path).lower()}: {meaning}"


TABLE_WORDS = {"sender": "a representative who signs for the patient",
               "collector": "a collection agency holding the account",
               "credit_report": "a collection on a credit report",
               "offer": "a settlement offer",
               "contacts": "a contact log entry (a call, or a letter sent)",
               "enclosures": "documents to enclose", "charges": "an itemized bill"}
_DROPPED = object()


def _with(case: Case, path: str, value: Any) -> Case:
    """The case with one value changed; ``_DROPPED`` as the value of a table's name
    takes the whole table out."""
    from lettergen.case.casefields import TABLES_BY_NAME
    from lettergen.case.casefile import _absent

    tables = dict(case.tables())
    table, _, key = path.partition(".")
    declared = TABLES_BY_NAME[table]
    if not key:
        tables[table] = [] if declared.array else _absent(table, declared.fields)
    else:
        record = tables[table]
        values = dict(vars(record)) if record else dict(vars(_absent(table, declared.fields)))
        values[key] = value
        tables[table] = Record(table, values, True)
    return Case(case.source_path, tables, case.files)


def _steering(case: Case, skip: tuple[str, ...]) -> list[str]:
    """The paths of every fact of ``case`` that steers the wording, in declared order."""
    paths = [t for t in SITUATION_TABLES if getattr(case, t)]
    for table in TABLES:
        record = getattr(case, table.name)
        if table.array or not record:
            continue
        for f in table.fields:
            path = f"{table.name}.{f.name}"
            money = f.kind == "money" and table.name in STEERING_MONEY
            if (f.kind in ("enum", "bool") or money) and path != "insurer.plan_type" \
                    and getattr(record, f.name) is not None:
                paths.append(path)
    return [p for p in paths if p not in skip]


def _values(path: str) -> tuple[Any, ...]:
    from lettergen.case.casefields import field_at

    declared = field_at(path)
    if declared is None or declared.kind not in ("enum", "bool"):
        raise ValueError(f"blank_variants: {path} is not a choice or a yes/no field")
    return (True, False) if declared.kind == "bool" else declared.values


def _render(case: Case, info: Any, packs: Any) -> Any:
    from lettergen.errors import LetterDoesNotFitError
    from lettergen.letters.render import render_info

    try:
        return render_info(case, info, packs)
    except LetterDoesNotFitError:
        return None


def _least(case: Case, info: Any, packs: Any, skip: tuple[str, ...]) -> tuple[Any, list]:
    """The letter from ``case`` with every steering fact it can do without taken out,
    and the facts it could not: (letter, [(path, value)])."""
    kept = []
    letter = _render(case, info, packs)
    for path in _steering(case, skip):
        table, _, key = path.partition(".")
        trial = _with(case, path, None)
        result = _render(trial, info, packs)
        if result is None:
            kept.append((path, getattr(getattr(case, table), key) if key else _DROPPED))
        else:
            case, letter = trial, result
    return letter, kept


def blank_variants(case: Case, info: Any, packs: Any) -> list[BlankVariant]:
    """The blanks of one template from one sample case: one per situation that
    changes the letter (see the section's comment); empty when none renders. The
    plan-neutral wording is used unless no situation renders without the sample's
    plan type (a letter only some plans have)."""
    declared = tuple(info.meta.get("blank_variants", ()))
    plan = ""
    groups = _groups(blank_case(case), info, packs, declared)
    if not groups:
        groups = _groups(blank_case(case, keep_plan=True), info, packs, declared)
        plan = case.insurer.plan_type or "uninsured"
    variants, slugs = [], set()
    for entries in groups.values():
        combos = [c for c, _, _ in entries]
        kept = entries[0][1]
        parts, names = _describe(declared, combos)
        parts += [phrase(p, v) for p, v in kept if not _premise(info, p, v)]
        fits = ("Use this one if " + "; ".join(parts)) if parts else \
            "Fits every situation this letter is for"
        slug = "-".join(names) if len(groups) > 1 else ""
        if slug in slugs or (len(groups) > 1 and not slug):
            slug = f"{slug}-{len(variants) + 1}".strip("-")
        slugs.add(slug)
        variants.append(BlankVariant(fits + ".", f"-{slug}" if slug else "",
                                     _noted(entries[0][2], fits + "."), plan))
    return variants


def _noted(letter: Any, fits: str) -> Any:
    """The letter with a note above it: which situation it fits, and what to do."""
    from dataclasses import replace

    from lettergen.letters.document import Paragraph, Run

    note = Paragraph((Run("Blank fill-in letter. ", bold=True),
                      Run(f"{fits} Replace every [bracketed] placeholder with your own "
                          "facts, and delete this note before you send it.", italic=True)))
    document = replace(letter.document, blocks=(note, *letter.document.blocks))
    return replace(letter, document=document)


def _groups(base: Case, info: Any, packs: Any, declared: tuple[str, ...]) -> dict[str, list]:
    """Letter text -> [(combination of declared values, facts kept, letter)]: the
    combinations that render, grouped when their letters read the same."""
    import itertools

    groups: dict[str, list] = {}
    for combo in itertools.product(*(_values(p) for p in declared)):
        trial = base
        for path, value in zip(declared, combo, strict=True):
            trial = _with(trial, path, value)
        if _render(trial, info, packs) is None:
            continue
        letter, kept = _least(trial, info, packs, declared)
        if letter is not None:
            groups.setdefault(letter.markdown, []).append((combo, kept, letter))
    return groups


def _describe(declared: tuple[str, ...], combos: list[tuple]) -> tuple[list[str], list[str]]:
    """The situation a group of combinations covers, in words, and its short name for
    the file. A field whose every value is in the group does not matter and is left
    out; a group that is not every mix of its fields' values is listed whole."""
    import itertools

    sets = [list(dict.fromkeys(c[i] for c in combos)) for i in range(len(declared))]
    if len(set(combos)) != len(list(itertools.product(*sets))):
        return [" or ".join(", ".join(phrase(p, v) for p, v in zip(declared, c, strict=True))
                            for c in combos)], ["other"]
    parts, names = [], []
    for path, values in zip(declared, sets, strict=True):
        every = _values(path)
        if len(values) == len(every):
            continue
        if len(values) == 1:
            parts.append(phrase(path, values[0]))
            value = values[0]
            key = path.partition(".")[2].replace("_", "-")
            names.append(str(value) if not isinstance(value, bool)
                         else key if value else f"not-{key}")
        elif len(values) > len(every) / 2:
            missing = [v for v in every if v not in values]
            parts.append(phrase(path, missing, negate=True))
            names.append("other")
        else:
            parts.append(phrase(path, values))
            names.append(str(values[0]))
    return parts, names


def _premise(info: Any, path: str, value: Any) -> bool:
    """A fact the letter exists for (its own recipient's table, a table it needs),
    which the letter's title already says."""
    table = path.partition(".")[0]
    return value is _DROPPED and (table in info.to.split("-or-")
                                  or any(n.split(".")[0] == table for n in info.needs))
