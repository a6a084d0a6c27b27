"""Collector-facing letters and financial assistance (issue 10, items 8, 11, 12, 13, 16),
read as their recipients read them, from fully filled cases in tests/fixtures/full-cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from conftest import ROOT, case_file, clean_letter_text, cli_letter_texts, refusal
from lettergen.case.casefile import load_case
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from lettergen.reports.check import check_case

FULL = ROOT / "tests" / "fixtures" / "full-cases"
NONPROFIT = "nonprofit-financial-assistance"
BOUGHT = "collections-bought-debt"


def full_case(tmp_path: Path, scenario: str, changes: dict[str, Any] | None = None,
              drop: tuple[str, ...] = ()) -> Path:
    """A copy of a full case with changes (conftest.case_file's rules)."""
    return case_file(tmp_path, f"../tests/fixtures/full-cases/{scenario}", changes, drop,
                     name=scenario)


def findings(path: Path) -> dict[str, str]:
    report = check_case(load_case(path), open_packs([]))
    return {f.id: f.detail for f in report.findings}


def notes(path: Path, letter_id: str) -> str:
    return " ".join(render_letter(load_case(path), letter_id, open_packs([])).notes)


# --- item 11: what could erase or stop the debt, said to the collector -------------------

def test_offer_to_the_collector_says_what_could_erase_or_stop_the_debt(tmp_path):
    text = clean_letter_text(FULL / f"{NONPROFIT}.toml", "settlement-offer")
    assert "I offer $7,800.00 as payment in full" in text
    # 2 people: $15,960 + $5,680 = $21,640; $26,400 is 121% of it (rounded down)
    assert "lives on $26,400.00 a year before taxes, which is 121% of the 2026 federal " \
           "poverty guideline for a household of that size ($21,640.00; 91 FR 1797" in text
    assert "only income is Social Security benefits, which no private creditor may garnish, " \
           "levy or attach" in text and "(42 U.S.C. 407(a))" in text
    assert "application for financial assistance under its policy, sent on November 16, " \
           "2026, is pending" in text
    assert "including those of you, as its collection agency (26 CFR 1.501(r)-6(c))" in text
    assert "reporting the debt to a credit bureau is one of them (26 CFR 1.501(r)-6(b)(1))" \
        in text
    assert "may reduce this balance or cancel it" in text
    assert "does not give up the patient's financial-assistance application" in text
    assert "first reported on August 28, 2026, 4 days after your first notice reached the " \
           "patient on August 24, 2026" in text and "(12 CFR 1006.30(a)(1))" in text
    # the collector sees no discharge summary and no application meant for the hospital
    assert "Discharge summary" not in text and "Completed financial assistance" not in text


def test_without_the_facts_the_offer_claims_none_of_it(tmp_path):
    path = full_case(tmp_path, NONPROFIT, {"hardship.income_source": "wages",
                                           "provider.nonprofit": False,
                                           "credit_report.first_reported": dt.date(2026, 9, 20)},
                     drop=("hardship.application_date",))
    text = clean_letter_text(path, "settlement-offer")
    for words in ("42 U.S.C. 407", "1.501(r)", "is pending", "1006.30"):
        assert words not in text
    assert "121% of the 2026 federal poverty guideline" in text


def test_alaska_gets_no_percentage_from_unverified_figures(tmp_path):
    path = full_case(tmp_path, NONPROFIT, {"case.state": "AK"})
    text = clean_letter_text(path, "settlement-offer")
    assert "lives on $26,400.00 a year before taxes." in text
    assert "poverty guideline" not in text


def test_check_warns_collection_actions_stop_and_asks_about_the_early_report():
    found = findings(FULL / f"{NONPROFIT}.toml")
    assert "it and its collection agencies may not report the debt to a credit bureau" \
        in found["eca-while-pending"]
    assert "4 days after its first notice reached you" in found["reported-early"]
    assert "assistance-before-settlement" not in found  # the application is sent


def test_financial_assistance_comes_before_any_settlement(tmp_path):
    path = full_case(tmp_path, NONPROFIT, drop=("hardship.application_date",))
    assert "Apply first; offer only what the decision leaves" in \
        findings(path)["assistance-before-settlement"]
    assert "apply for financial assistance first" in notes(path, "settlement-offer")
    plan = check_case(load_case(path), open_packs([])).plan
    letters = [s.letter for s in plan]
    assert letters.index("financial-assistance-request") < letters.index("settlement-offer")
    step = next(s for s in plan if s.letter == "settlement-offer")
    assert "after the hospital decides your financial-assistance application" in step.why


# --- item 13: financial assistance ------------------------------------------------------

def test_financial_assistance_request_of_the_retiree(tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, FULL / f"{NONPROFIT}.toml",
                                 "financial-assistance-request")
    for text in (docx, " ".join(pdf.split())):
        assert "The completed application is enclosed" in text
        assert "Please send the policy, its application form" not in text
        assert "121% of the 2026 federal poverty guideline" in text
        assert "screen the patient for presumptive eligibility" in text
        assert "screen the patient for Medicaid" in text
        assert "apply your decision to every account the patient has with St. Brendan " \
               "Regional Medical Center, not only account SBR-88310427" in text
        assert "Please recall the account from Trident Revenue Solutions" in text
        assert "Social Security benefit statement for 2026" in text
        assert "pay stubs" not in text
        assert "Discharge summary" not in text  # records are not for the billing office


def test_without_the_application_enclosed_the_letter_asks_for_the_form(tmp_path):
    path = full_case(tmp_path, NONPROFIT, {"enclosures": [
        {"title": "Statement dated July 10, 2026", "kind": "bill"}]})
    text = clean_letter_text(path, "financial-assistance-request")
    assert "Please send the policy, its application form and its plain-language summary" \
        in text
    assert "is enclosed" not in text.split("Enclosures:")[0].replace(
        "authorization is enclosed", "")
    # the proof of income that fits a Social Security retiree
    assert "Social Security benefit statement for this year (the SSA benefit letter)" in text


def test_the_patients_own_request_speaks_as_i(tmp_path):
    path = full_case(tmp_path, NONPROFIT, {"hardship.income_source": "wages", "enclosures": [
        {"title": "Statement dated July 10, 2026", "kind": "bill"}]}, drop=("sender",))
    text = clean_letter_text(path, "financial-assistance-request")
    body = text.split("Dear ")[1].split("Sincerely")[0]
    assert "Walter J. Kowalski" not in body and "the patient" not in body
    assert "My household of 2 people" in body and "screen me for presumptive" in body
    assert "Recent pay stubs" in text


# --- item 12: debt validation -----------------------------------------------------------

def test_debt_validation_asks_a_buyer_what_it_paid_and_for_its_license():
    text = clean_letter_text(FULL / f"{BOUGHT}.toml", "debt-validation")
    assert "within the validation period, which ends on December 28, 2026" in text
    assert "as the buyer of this account: the date you bought it, from whom, the price you " \
           "paid for it" in text
    assert "the date of delinquency you use for this account, and the one you report" in text
    assert "the license under which you collect debts in Michigan: its number and the agency " \
           "that issued it, or, if you hold none, the law under which you need none" in text
    assert "5 days after your first notice reached me on November 20, 2026" in text
    assert "external review is being requested" in text
    body = text.split("Dear ")[1].split("Sincerely")[0]
    assert "Dana K. Whitaker" not in body  # her own letter: "I", "me"
    assert "Letter of medical necessity" not in text and "Final internal denial" not in text


def test_a_collector_for_the_provider_is_asked_for_its_placement_not_a_price(tmp_path):
    text = clean_letter_text(full_case(tmp_path, BOUGHT, {"collector.bought": False}),
                             "debt-validation")
    assert "the date Great Lakes Ambulance Service LLC placed this account with you" in text
    assert "price you paid" not in text


# --- item 8: settlement letters once an agreement exists; offers against a dispute ------

AGREED = {"date": dt.date(2026, 11, 28), "amount": "1200.00", "representative": "Jason Reyes",
          "reference": "ARH-SET-5521"}


def test_offers_refused_once_a_settlement_is_agreed(tmp_path):
    path = full_case(tmp_path, BOUGHT, {"offer.agreed": AGREED, "offer.previous": [
        {"date": dt.date(2026, 11, 24), "amount": "900.00"}]})
    for letter in ("settlement-offer", "final-offer"):
        why = refusal(path, letter)
        assert "a settlement was already agreed on November 28, 2026" in why
        assert "lettergen build -l settlement-confirmation" in why
    text = clean_letter_text(path, "settlement-confirmation")
    assert "agreed to accept $1,200.00 as payment in full (reference ARH-SET-5521)" in text
    assert "refunded to me" in text


def test_an_offer_inside_the_validation_period_is_warned(tmp_path):
    path = full_case(tmp_path, BOUGHT, {"case.letters": ["settlement-offer"]})
    assert "the validation period runs until December 28, 2026" in notes(path,
                                                                         "settlement-offer")
    assert "validation period runs until December 28, 2026" in \
        findings(path)["offer-during-dispute"]


def test_an_offer_while_the_dispute_awaits_verification_is_warned(tmp_path):
    dispute = {"date": dt.date(2026, 11, 27), "party": "collector", "kind": "letter",
               "letter": "debt-validation", "summary": "Disputed the debt."}
    path = full_case(tmp_path, BOUGHT, {"case.date": dt.date(2027, 1, 8),
                                        "case.letters": ["final-offer"],
                                        "offer.previous": [{"date": dt.date(2026, 12, 1),
                                                            "amount": "900.00"}],
                                        "offer.amount": "1100.00",
                                        "contacts": [dispute]})
    assert "the debt-validation dispute sent on November 27, 2026 has had no answer" in \
        notes(path, "final-offer")
    (tmp_path / "b").mkdir()
    answered = full_case(tmp_path / "b", BOUGHT, {"case.date": dt.date(2027, 1, 8),
                                                  "case.letters": ["final-offer"],
                                                  "offer.previous": [{"date": dt.date(
                                                      2026, 12, 1), "amount": "900.00"}],
                                                  "offer.amount": "1100.00",
                                                  "contacts": [dispute],
                                                  "collector.verified": dt.date(2026, 12, 20)})
    assert notes(answered, "final-offer") == ""
    assert "offer-during-dispute" not in findings(answered)


def test_call_confirmation_words_until_as_the_date_it_is(tmp_path):
    text = clean_letter_text(FULL / f"{NONPROFIT}.toml", "call-confirmation")
    assert "promised written confirmation of the pause" in text
    assert "Date named in what was agreed: November 20, 2026" in text
    assert "write to me by that date about what happens next" in text
    assert "stays in effect" not in text and "Until:" not in text
