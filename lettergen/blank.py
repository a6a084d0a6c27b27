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
from decimal import Decimal
from typing import Any

from .casefields import TABLES
from .casefile import Case, Record

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
KEEP = ("enum", "bool", "int", "state")  # kinds that steer the wording: kept as in the sample


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
    if value is None or kind in KEEP:
        return value
    name = label(path)
    if kind == "money":
        return BlankMoney(value, name)
    if kind == "date":
        return BlankDate(value, name)
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
