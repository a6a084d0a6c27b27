"""The settlement calculator: an opening offer, a target and a walk-away figure.

The reasoning is the guides': a provider takes far less than its billed charges from
everyone else, so a lump sum now that beats what it would otherwise collect is a good
offer. The references, each from the case file or from a stated assumption in the
rules table:

    M  benchmark total: the [[charges]] benchmarks (for example Medicare's rates)
    A  what an insurer would have allowed: [claim] allowed, else the lines' allowed
    C  what the provider nets if the account goes to collections: billed × the
       rule "settlement-collection-recovery" (an assumption, shown as such)
    B  billed total

    opening   = max(M, C)                               the provider's best alternative
    target    = B × "settlement-target-share", kept between opening and walk-away,
                rounded to the nearest $50
    walk-away = A when known (never pay more than an insurer would have), else target

Without benchmarks for every billed line, the calculator says which figures are
missing and proposes nothing: a number it cannot justify is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lettergen.case.money import format_money
from lettergen.rules.table import get_rule
from lettergen.template_types import template_value

FIFTY = Decimal("50")


def _round50(amount: Decimal) -> Decimal:
    return ((amount / FIFTY).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * FIFTY).quantize(
        Decimal("0.01"))


@template_value
@dataclass(frozen=True)
class Settlement:
    """The three figures with their arithmetic, or the figures that are missing."""

    opening: Decimal | None = None
    target: Decimal | None = None
    walk_away: Decimal | None = None
    steps: tuple[str, ...] = ()
    references: dict[str, Decimal] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return self.target is not None

    def as_json(self) -> dict[str, Any]:
        def money(value: Decimal | None) -> str | None:
            return str(value) if value is not None else None

        return {"opening": money(self.opening), "target": money(self.target),
                "walk_away": money(self.walk_away), "steps": list(self.steps),
                "references": {k: str(v) for k, v in self.references.items()},
                "missing": list(self.missing)}


def calculate(case: Any) -> Settlement:
    charges = case.charges
    billed = case.claim.billed if case.claim.billed is not None else (
        sum((c.billed or Decimal(0) for c in charges), Decimal("0.00")) if charges else None)
    missing = []
    if billed is None:
        missing.append("[claim] billed (or [[charges]] billed)")
    if not charges or any(c.benchmark is None for c in charges):
        missing.append("[[charges]] benchmark for every billed line (a reference price "
                       "such as Medicare's rate)")
    if missing:
        return Settlement(missing=tuple(missing))
    assert billed is not None
    benchmark = sum((c.benchmark for c in charges), Decimal("0.00"))
    allowed = case.claim.allowed if case.claim.allowed else (
        sum((c.allowed for c in charges if c.allowed), Decimal("0.00")) or None)
    recovery = Decimal(get_rule("settlement-collection-recovery").extra["fraction"])
    share = Decimal(get_rule("settlement-target-share").extra["fraction"])
    collected = (billed * recovery).quantize(Decimal("0.01"))
    refs = {"billed": billed, "benchmark": benchmark, "collections": collected}
    steps = [
        f"Billed total B = {format_money(billed)}.",
        f"Benchmark total M = {format_money(benchmark)} (the [[charges]] benchmarks).",
        f"Through collections the provider would net about C = {format_money(billed)} × "
        f"{recovery * 100:.0f}% = {format_money(collected)} (an assumption, not a fact "
        "about this account).",
    ]
    if allowed:
        refs["allowed"] = allowed
        steps.append(f"An insurer would have allowed A = {format_money(allowed)}.")
    opening = max(benchmark, collected)
    steps.append(f"Opening offer = the larger of M and C = {format_money(opening)}.")
    walk_away = max(allowed, opening) if allowed else None
    raw = billed * share
    target = max(_round50(min(max(raw, opening), walk_away) if walk_away
                          else max(raw, opening)), opening)
    steps.append(f"Target = {share * 100:.0f}% of B = {format_money(raw.quantize(Decimal('0.01')))}"
                 f", kept between the opening and the walk-away and rounded to $50: "
                 f"{format_money(target)}.")
    if walk_away is None:
        walk_away = target
        steps.append("Walk-away = the target: with no allowed amount in the case there is no "
                     "insurer rate to justify paying more.")
    else:
        steps.append(f"Walk-away = A = {format_money(walk_away)}: never more than an insurer "
                     "would have paid.")
    return Settlement(opening, target, walk_away, tuple(steps), refs)
