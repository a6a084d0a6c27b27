"""Provider-, collector- and bureau-side letters read from fully filled cases (issue 10,
"go further"): each test builds a real case file from ``tests/fixtures/full-cases``,
changed the way a real user would, and reads back what the billing office, the
collection agency or the credit bureau would read."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from conftest import _to_toml, clean_letter_text, refusal

FULL = Path(__file__).resolve().parent / "fixtures" / "full-cases"


def full_case(tmp_path: Path, scenario: str, changes: dict[str, Any] | None = None,
              drop: tuple[str, ...] = (), name: str = "case") -> Path:
    """A copy of ``full-cases/<scenario>.toml`` with ``changes`` (dotted keys, a whole
    table as a value, None removes) and ``drop`` (tables removed) applied."""
    data = tomllib.loads((FULL / f"{scenario}.toml").read_text("utf-8"), parse_float=Decimal)
    for table in drop:
        data.pop(table, None)
    for dotted, value in (changes or {}).items():
        table, _, key = dotted.partition(".")
        if key and value is None:
            data.get(table, {}).pop(key, None)
        elif key:
            data.setdefault(table, {})[key] = value
        else:
            data[table] = value
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
    return path


def _enclosures(text: str) -> list[str]:
    tail = text.split("\nEnclosures:\n", 1)[1] if "\nEnclosures:\n" in text else ""
    return [line for line in tail.splitlines() if line and not line.startswith("cc:")]


def _without(tmp_path: Path, scenario: str, word: str, **kw: Any) -> Path:
    """The full case with the enclosures whose title holds ``word`` left out."""
    data = tomllib.loads((FULL / f"{scenario}.toml").read_text("utf-8"), parse_float=Decimal)
    kept = [e for e in data["enclosures"] if word not in e["title"].lower()]
    return full_case(tmp_path, scenario, {"enclosures": kept}, **kw)


# ---- billing-hold-request: the application is enclosed only when the case encloses it.

def test_hold_claims_no_financial_assistance_application_the_case_does_not_enclose(
        tmp_path: Path) -> None:
    text = clean_letter_text(_without(tmp_path, "nonprofit-financial-assistance",
                                      "application"), "billing-hold-request")
    assert "application is enclosed" not in text
    assert not any("application" in line.lower() for line in _enclosures(text))
    assert "application is pending" not in text
    assert "please send the application form" in text
    assert "Once it is submitted, and while it is pending, the hospital must suspend" in text


def test_hold_says_the_application_is_enclosed_when_the_case_encloses_it(
        tmp_path: Path) -> None:
    text = clean_letter_text(FULL / "nonprofit-financial-assistance.toml",
                             "billing-hold-request")
    assert "the application is enclosed" in text
    assert "While the application is pending, the hospital must suspend" in text
    assert [line for line in _enclosures(text) if "application" in line.lower()] == [
        "Completed financial assistance application of St. Brendan Regional Medical Center"]


def test_hold_at_a_for_profit_provider_lists_no_request_it_does_not_enclose(
        tmp_path: Path) -> None:
    text = clean_letter_text(FULL / "collections-final-offer.toml", "billing-hold-request")
    assert "the request and proof of income are enclosed" not in text
    assert "proof of income is enclosed" in text
    assert "Request for financial assistance, with proof of income" not in _enclosures(text)
    assert "while you decide the patient's request for financial assistance" in text
    bare = _without(tmp_path, "collections-final-offer", "pay stubs")
    text = clean_letter_text(bare, "billing-hold-request")
    assert "please send me your application form, or tell me what you need to decide" in text
    assert _enclosures(text) == [
        "Signed authorization of Alicia Marquez for Teresa Marquez to act on this account",
        "Statement of Peachtree Surgical Center dated May 1, 2026"]


# ---- final-offer: to the agency as the agency; who writes, said in the first paragraph.

def test_final_offer_to_a_collector_is_not_addressed_to_the_providers_billing_office(
        ) -> None:
    text = clean_letter_text(FULL / "collections-final-offer.toml", "final-offer")
    assert "Dear Sir or Madam:" in text
    assert "Dear Billing Office:" not in text
    first = text.split("Dear Sir or Madam:\n", 1)[1].splitlines()[0]
    assert first.endswith("I write as Alicia Marquez's sister; the patient's written "
                          "authorization is enclosed.")
    assert text.count("written authorization is enclosed") == 1


def test_final_offer_without_a_collector_goes_to_the_billing_office(tmp_path: Path) -> None:
    path = full_case(tmp_path, "collections-final-offer", drop=("collector", "credit_report"))
    text = clean_letter_text(path, "final-offer")
    assert "Peachtree Surgical Center\nBilling Office\n2100 Peachtree Road" in text
    assert "Dear Billing Office:" in text
    assert "Southern Credit Recovery" not in text


# ---- the signature: a relation alone reads as one with the authority the case backs.

def test_a_sister_with_authorization_signs_as_authorized_representative(
        tmp_path: Path) -> None:
    text = clean_letter_text(FULL / "collections-final-offer.toml", "final-offer")
    assert "Teresa Marquez\nSister and authorized representative for Alicia Marquez" in text
    assert "Sister for Alicia Marquez" not in text
    path = full_case(tmp_path, "collections-final-offer", {"sender.authorization": None})
    text = clean_letter_text(path, "final-offer")
    assert "Teresa Marquez\nSister of Alicia Marquez" in text
    assert "authorized representative" not in text


# ---- debt-validation: a dispute already sent is followed up, or, once verified, not redone.

def test_debt_validation_is_refused_once_the_logged_dispute_was_verified() -> None:
    reasons = refusal(FULL / "collections-final-offer.toml", "debt-validation")
    assert "disputed on September 8, 2026" in reasons
    assert "verification arrived on October 2, 2026" in reasons
    assert "credit-report-dispute" in reasons


def test_debt_validation_follows_up_a_dispute_left_unanswered(tmp_path: Path) -> None:
    path = full_case(tmp_path, "collections-final-offer", {"collector.verified": None},
                     drop=("sender",))
    text = clean_letter_text(path, "debt-validation")
    assert ("I disputed this debt in writing on September 8, 2026, within the validation "
            "period, which ended on October 6, 2026, and no verification has reached me.") \
        in text
    assert "you must not collect this debt until you have mailed me its verification" in text
    assert "The validation period for your notice ended" not in text


def test_debt_validation_inside_the_period_with_no_earlier_dispute_is_unchanged() -> None:
    text = clean_letter_text(FULL / "collections-uninsured.toml", "debt-validation")
    assert "This dispute is sent on September 10, 2026, within the validation period, " \
           "which ends on October 6, 2026." in text
    assert "I disputed this debt in writing" not in text


# ---- credit-report-dispute: the earlier dispute with the bureau; a verified one not claimed.

def test_bureau_letter_names_the_dispute_started_online_and_not_a_verified_one(
        tmp_path: Path) -> None:
    text = clean_letter_text(FULL / "collections-final-offer.toml", "credit-report-dispute")
    assert ("This letter follows the dispute the patient started with you online on "
            "September 28, 2026 (confirmation EQ-DSP-55190)") in text
    assert "I disputed this debt in writing with" not in text
    path = full_case(tmp_path, "collections-final-offer", {"collector.verified": None},
                     drop=("sender",))
    text = clean_letter_text(path, "credit-report-dispute")
    assert "This letter follows the dispute I started with you online" in text
    assert ("I disputed this debt in writing with Southern Credit Recovery LLC on "
            "September 8, 2026 and asked it to verify the debt.") in text
