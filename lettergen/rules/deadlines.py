"""Deadline arithmetic: days, months with the month-end rule, business days.

Only the rules table says how long a clock runs and from what; this module only
counts. Federal holidays are computed (11 fixed rules, with the observed-day shift
for mailing) rather than listed, so the table never goes stale.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from lettergen.rules.table import Rule


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month; n = -1 for the last."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


@lru_cache(maxsize=128)
def federal_holidays(year: int, observed: bool = True) -> frozenset[dt.date]:
    """US federal holidays (5 U.S.C. 6103) in ``year``: as observed (a Saturday
    holiday on the Friday before, a Sunday one on the Monday after), or, with
    ``observed=False``, on their own dates only."""
    mon, thu = 0, 3
    fixed = [dt.date(year, 1, 1), dt.date(year, 6, 19), dt.date(year, 7, 4),
             dt.date(year, 11, 11), dt.date(year, 12, 25)]
    floating = [
        _nth_weekday(year, 1, mon, 3),   # Martin Luther King Jr. Day
        _nth_weekday(year, 2, mon, 3),   # Washington's Birthday
        _nth_weekday(year, 5, mon, -1),  # Memorial Day
        _nth_weekday(year, 9, mon, 1),   # Labor Day
        _nth_weekday(year, 10, mon, 2),  # Columbus Day
        _nth_weekday(year, 11, thu, 4),  # Thanksgiving Day
    ]
    if not observed:
        return frozenset(fixed) | frozenset(floating)
    days = {_observed(d) for d in fixed} | set(floating)
    if _observed(dt.date(year + 1, 1, 1)).year == year:  # Jan 1 on a Saturday
        days.add(_observed(dt.date(year + 1, 1, 1)))
    return frozenset(days)


def is_business_day(day: dt.date, observed: bool = True) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year, observed)


def next_business_day(day: dt.date, observed: bool = True) -> dt.date:
    """``day`` itself when it is a business day, else the next one."""
    while not is_business_day(day, observed):
        day += dt.timedelta(days=1)
    return day


def previous_business_day(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_months(start: dt.date, months: int, month_end: str = "next") -> dt.date:
    """Calendar months. A date that does not exist in the target month becomes the
    first day of the following month (``month_end="next"``: 45 CFR 147.136(d)(2)(i),
    Oct 30 + 4 → Mar 1), or the last day of the target month (``"last"``: the
    earliest any reading allows where a rule says only "four months")."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return dt.date(year, month, start.day)
    if month_end == "last":
        return dt.date(year, month, last)
    return dt.date(year, month, last) + dt.timedelta(days=1)


def deadline(rule: Rule, start: dt.date, received: dt.date | None = None) -> dt.date:
    """The last day of ``rule``'s clock started on ``start``. Hour clocks give the
    calendar day they run out on (72 hours from a day → three days later).

    A clock counted from the receipt of a notice presumes it arrived
    ``presumed_receipt_days`` after its date; ``received``, the day it really arrived
    (the "evidence to the contrary" the Medicare rules allow), replaces the
    presumption. A deadline moved off a weekend or holiday moves only off a holiday's
    own date, never off the weekday it is observed on (5 U.S.C. 6103(b) is written
    for federal employees' leave): the safe date."""
    day, _ = _count(rule, start, received)
    if getattr(start, "blank_label", None):  # a blank letter: the deadline is a placeholder
        return type(start)(day, "Date")
    return day


def adjustments(rule: Rule, start: dt.date, received: dt.date | None = None) -> tuple[str, ...]:
    """Which of the rule's adjustments moved the deadline ``deadline`` gives, so that a
    letter explains only those: "month-end" when the start's day is missing from the
    target month (the first of the next month, or that month's last day with
    ``month_end = "last"``), "next-business-day" when the date fell on a weekend or
    holiday and was rolled. () for a blank letter."""
    if rule.clock is None or getattr(start, "blank_label", None):
        return ()
    return _count(rule, start, received)[1]


def _count(rule: Rule, start: dt.date, received: dt.date | None) -> tuple[dt.date, tuple[str, ...]]:
    """The one count behind ``deadline`` and ``adjustments``: the last day, and the
    adjustments that moved it."""
    if rule.clock is None:
        raise ValueError(f"rule '{rule.id}' has no clock")
    clock = rule.clock
    day = received if received is not None else \
        start + dt.timedelta(days=clock.presumed_receipt_days)
    moved = []
    if clock.months:
        counted = add_months(day, clock.months, clock.month_end or "next")
        if counted.day != day.day:
            moved.append("month-end")
        day = counted
    day += dt.timedelta(days=clock.days) + dt.timedelta(days=-(-clock.hours // 24))
    if clock.roll == "next-business-day":
        rolled = next_business_day(day, observed=False)
        if rolled != day:
            moved.append("next-business-day")
        day = rolled
    return day, tuple(moved)


def mail_by(due: dt.date, mailing_days: int = 5) -> dt.date:
    """The last business day to post a letter so that it arrives by ``due``."""
    return shift_business_days(due, -mailing_days)


def shift_business_days(day: dt.date, count: int) -> dt.date:
    """The business day ``count`` business days after ``day`` (before it when
    ``count`` is negative): posting and arrival by mail, counted one way or the other."""
    step = dt.timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_business_day(day):
            remaining -= 1
    return day
