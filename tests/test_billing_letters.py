"""The billing and collection letters: repricing-request, coding-review-request,
debt-validation and final-offer.

Every test builds from a real sample case (changed with ``case_file``) and asserts on
the words the recipient reads.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import (
    assert_clean,
    case_file,
    cli_letter_texts,
    letter_text,
    refusal,
)

ACCUSATIONS = ("fraud", "scam", "overcharg", "unfair", "i can't believe", "never pay",
               "not legal advice")
ADMISSIONS = ("i owe", "my debt", "we owe", "the debt i", "the debt that i")
EARLIER_OFFERS = [{"date": dt.date(2026, 6, 15), "amount": Decimal("3000.00")},
                  {"date": dt.date(2026, 8, 3), "amount": Decimal("3500.00")}]


def lower(text: str) -> str:
    return text.lower().replace("’", "'")


def build_files(tmp_path: Path, case: Path, letter_id: str) -> tuple[str, str]:
    """Build DOCX and PDF through the command line and read both back."""
    docx, pdf = cli_letter_texts(tmp_path, case, letter_id)
    # table cells and long lines wrap in the PDF: compare the words, not the lines
    return " ".join(docx.split()), " ".join(pdf.split())


# --- repricing-request -----------------------------------------------------------------


def test_repricing_table_multiples_totals_and_price_asked(tmp_path: Path) -> None:
    text = letter_text(case_file(tmp_path, "er-out-of-network"), "repricing-request")
    assert_clean(text)
    rows = {line.split(" | ")[1]: line.split(" | ") for line in text.splitlines()
            if line.count(" | ") == 5}
    assert rows["99285"][2] == "Emergency department visit, high complexity"
    assert rows["99285"][3:] == ["$3,200.00", "$178.52", "17.9×"]
    assert rows["44970"][3:] == ["$14,800.00", "$742.10", "19.9×"]
    assert "Laparoscopic appendectomy" in rows["44970"][2]
    total = next(line for line in text.splitlines() if line.startswith("Total |"))
    assert total.split(" | ")[3:] == ["$18,000.00", "$920.62", "19.6×"]
    # the price asked for is named, and the source of the benchmark is given
    assert "reprice the lines in the table below from $18,000.00 to their benchmark total " \
           "of $920.62" in text
    assert "Medicare physician fee schedule 2026, Illinois" in text
    # the facts of the case
    for fact in ("Springfield General Hospital", "ACCT-889900", "CLM-2026-000123",
                 "March 2, 2026", "$27,000.00", "Jordan A. Rivera"):
        assert fact in text
    # insured after a denial: self-pay pricing without giving up the appeal
    assert "Acme Health Plan denied the claim on April 10, 2026" in text
    assert "classify the account as self-pay" in text
    assert "right to appeal" in text
    # prompt-pay discount and an interest-free plan, both after the repricing; a hold
    assert "prompt-pay discount" in text
    assert "payment plan on the repriced balance only, free of interest" in text
    assert "hold the account" in text
    assert "corrected statement" in text and "by May 26, 2026" in text
    # the duplicate pharmacy line is not accepted by a price request
    assert "code 0250 on March 3, 2026, $1,400.00" in text
    # nonprofit hospital: the AGB limit, cited; no insurer-appeal law in a provider letter
    assert "26 CFR 1.501(r)-5" in text
    for wrong in ("2560.503-1", "147.136", "1692g"):
        assert wrong not in text
    assert not any(word in lower(text) for word in ACCUSATIONS)


def test_repricing_uninsured_asks_self_pay_and_names_one_benchmark(tmp_path: Path) -> None:
    charges = [
        {"date": dt.date(2026, 2, 11), "code": "29881", "code_type": "CPT",
         "description": "Knee arthroscopy", "billed": Decimal("12000.00"),
         "benchmark": Decimal("1150.40"), "benchmark_source": "FAIR Health, Atlanta"},
        {"date": dt.date(2026, 2, 11), "code": "0360", "code_type": "REV",
         "description": "Operating room", "billed": Decimal("6000.00")},
    ]
    path = case_file(tmp_path, "collections-uninsured", {"charges": charges})
    text = letter_text(path, "repricing-request")
    assert_clean(text)
    assert "had no health insurance for this care" in text
    assert "self-pay (uninsured) pricing" in text
    assert "29881 | Knee arthroscopy | $12,000.00 | $1,150.40 | 10.4×" in text
    assert "Total |" not in text  # one benchmarked line: no totals row
    assert "to its benchmark of $1,150.40" in text
    assert "FAIR Health, Atlanta" in text
    assert "For the other lines of the bill" in text
    assert "1.501(r)" not in text  # not a nonprofit hospital
    assert "Acme" not in text and "denied" not in text


def test_repricing_refused_without_benchmarks(tmp_path: Path) -> None:
    path = case_file(tmp_path, "er-out-of-network")
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^benchmark(_source)? = .*\n", "", text), "utf-8")
    reason = refusal(path, "repricing-request")
    assert "no [[charges]] benchmark to compare with" in reason
    assert "Next step" in reason and "benchmark" in reason.split("Next step")[1]


def test_repricing_refused_without_charges_and_for_medicare(tmp_path: Path) -> None:
    assert "[[charges]]" in refusal(case_file(tmp_path, "collections-uninsured"),
                                    "repricing-request")
    medicare = case_file(tmp_path, "er-out-of-network", {"insurer.plan_type": "medicare"},
                         name="medicare")
    assert "does not fit plan type 'medicare'" in refusal(medicare, "repricing-request")


def test_repricing_refused_when_the_plan_has_not_denied(tmp_path: Path) -> None:
    path = case_file(tmp_path, "er-out-of-network", drop=["denial"])
    reason = refusal(path, "repricing-request")
    assert "has not denied this claim" in reason
    assert "billing-correction-request" in reason


def test_repricing_docx_and_pdf(tmp_path: Path) -> None:
    docx, pdf = build_files(tmp_path, case_file(tmp_path, "er-out-of-network"),
                            "repricing-request")
    for text in (docx, pdf):
        assert "$920.62" in text and "17.9×" in text and "19.9×" in text
        assert "ACCT-889900" in text and "May 26, 2026" in text


# --- coding-review-request ----------------------------------------------------------------


def test_coding_review_lists_the_duplicate_pharmacy_line(tmp_path: Path) -> None:
    text = letter_text(case_file(tmp_path, "er-out-of-network"), "coding-review-request")
    assert_clean(text)
    row = next(line for line in text.splitlines() if "0250" in line and " | " in line)
    cells = row.split(" | ")
    assert cells[0] == "March 3, 2026"
    assert cells[1] == "REV 0250"
    assert cells[2] == "Pharmacy, general"
    assert cells[3] == "$1,400.00"
    assert "Same date, code and amount as another line" in cells[4]
    assert cells[4].rstrip().endswith("?") or "?" in cells[4]
    assert "Charges under review: $1,400.00" in text
    assert "verify it against the medical record" in text
    assert "corrected itemized bill" in text and "May 26, 2026" in text
    assert "corrected claim to Acme Health Plan (claim CLM-2026-000123)" in text
    # the undisputed lines are not questioned
    assert "99285" not in text and "44970" not in text
    assert not any(word in lower(text) for word in ACCUSATIONS)


def test_coding_review_phrases_each_objection_as_a_question(tmp_path: Path) -> None:
    day = dt.date(2026, 3, 2)
    charges = [
        {"date": day, "code": "99285", "code_type": "CPT", "modifiers": ["25"],
         "description": "ED visit", "billed": Decimal("3200.00"), "dispute": "upcoding"},
        {"date": day, "code": "36415", "code_type": "CPT", "description": "Venipuncture",
         "billed": Decimal("80.00"), "dispute": "unbundling"},
        {"date": day, "code": "74177", "code_type": "CPT", "description": "CT abdomen",
         "billed": Decimal("4100.00"), "dispute": "wrong-code",
         "note": "Diagnosis K35.80 does not fit a CT ordered before it"},
        {"date": day, "code": "0270", "code_type": "REV", "description": "Supplies",
         "billed": Decimal("900.00"), "dispute": "not-received"},
        {"date": day, "code": "0360", "code_type": "REV", "description": "Operating room",
         "billed": Decimal("6200.00"), "dispute": "price"},
    ]
    path = case_file(tmp_path, "er-out-of-network", {"charges": charges})
    text = letter_text(path, "coding-review-request")
    assert_clean(text)
    rows = {line.split(" | ")[1]: line.split(" | ")[4] for line in text.splitlines()
            if line.count(" | ") == 4 and not line.startswith("Date |")}
    assert set(rows) == {"CPT 99285-25", "CPT 36415", "CPT 74177", "REV 0270"}
    assert "documentation that supports this level" in rows["CPT 99285-25"]
    assert "modifier 25" in rows["CPT 99285-25"]
    assert "National Correct Coding Initiative" in rows["CPT 36415"]
    assert "ICD-10 diagnosis code" in rows["CPT 74177"] and "K35.80" in rows["CPT 74177"]
    assert "no record of receiving" in rows["REV 0270"]
    assert all("?" in question for question in rows.values())
    assert "the 4 lines listed below, totalling $8,280.00" in text
    assert "Operating room" not in text  # a price dispute is not a coding question
    assert not any(word in lower(text) for word in ACCUSATIONS)


def test_coding_review_refused_without_disputed_lines(tmp_path: Path) -> None:
    charges = [{"date": dt.date(2026, 3, 2), "code": "99285", "code_type": "CPT",
                "billed": Decimal("3200.00")}]
    path = case_file(tmp_path, "er-out-of-network", {"charges": charges})
    reason = refusal(path, "coding-review-request")
    assert "no [[charges]] line is disputed" in reason
    assert "itemized-bill-request" in reason


def test_coding_review_refused_for_price_only(tmp_path: Path) -> None:
    reason = refusal(case_file(tmp_path, "er-anesthesia"), "coding-review-request")
    assert "disputed on price" in reason and "repricing-request" in reason


def test_coding_review_docx_and_pdf(tmp_path: Path) -> None:
    docx, pdf = build_files(tmp_path, case_file(tmp_path, "er-out-of-network"),
                            "coding-review-request")
    for text in (docx, pdf):
        assert "0250" in text and "$1,400.00" in text and "March 3, 2026" in text
        assert "fraud" not in text.lower()


# --- debt-validation -------------------------------------------------------------------


def test_debt_validation_within_the_window(tmp_path: Path) -> None:
    text = letter_text(case_file(tmp_path, "collections-uninsured"), "debt-validation")
    assert_clean(text)
    for fact in ("Southern Credit Recovery LLC", "PO Box 1881", "SCR-2026-55120",
                 "Peachtree Surgical Center", "PSC-7719", "February 11, 2026", "$18,000.00",
                 "Alicia Marquez", "September 10, 2026"):
        assert fact in text
    assert "15 U.S.C. 1692g(b)" in text and "12 CFR 1006.38" in text
    assert "validation period, which ends on October 2, 2026" in text
    assert "you must therefore stop collecting this debt until" in text
    assert "dispute this debt in full" in text
    for item in ("verification of the debt", "name and address of the original creditor",
                 "itemized statement from Peachtree Surgical Center", "date or dates of service",
                 "principal, interest and fees"):
        assert item in text
    assert "report it as disputed" in text
    assert "in writing only" in text
    assert "by October 13, 2026" in text  # 30 days, off a weekend and Columbus Day
    # uninsured: no Explanation of Benefits to ask for, no [U] rule cited
    assert "Explanation of Benefits" not in text
    for uncited in ("1692e", "1692c", "1006.34"):
        assert uncited not in text
    # no admission and no payment offered
    assert not any(word in lower(text) for word in ADMISSIONS)
    assert "does not acknowledge the debt" in text
    for offer in ("offer", "settle", "$4,500.00"):
        assert offer not in text


def test_debt_validation_after_the_window_makes_no_stop_claim(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured", {"case.date": dt.date(2026, 10, 5)})
    text = letter_text(path, "debt-validation")
    assert_clean(text)
    assert "ended on October 2, 2026" in text
    assert "remains disputed" in text and "verify it" in text
    assert "stop" not in text.lower() and "must" not in text
    assert "1692g(b)" not in text
    assert not any(word in lower(text) for word in ADMISSIONS)


def test_debt_validation_uses_the_printed_end_date(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured",
                     {"collector.validation_end": dt.date(2026, 10, 7),
                      "case.date": dt.date(2026, 10, 5)})
    text = letter_text(path, "debt-validation")
    assert "validation period, which ends on October 7, 2026" in text
    assert "stop collecting" in text


def test_debt_validation_insured_asks_for_the_eob(tmp_path: Path) -> None:
    collector = {"name": "Midwest Recovery Services", "address": ["PO Box 77",
                 "Peoria, IL 61601"], "account_number": "MRS-55120",
                 "notice_date": dt.date(2026, 4, 20), "amount_claimed": Decimal("27000.00")}
    path = case_file(tmp_path, "er-out-of-network", {"collector": collector})
    text = letter_text(path, "debt-validation")
    assert_clean(text)
    assert "proof that the bill was submitted to Acme Health Plan (claim CLM-2026-000123)" \
        in text
    assert "Explanation of Benefits" in text
    assert "ends on May 20, 2026" in text
    for wrong in ("2560.503-1", "147.136"):
        assert wrong not in text


def test_debt_validation_refused_for_a_provider_collecting_its_own_bill(tmp_path: Path
                                                                       ) -> None:
    path = case_file(tmp_path, "collections-uninsured",
                     {"collector.name": "Peachtree Surgical Center"})
    reason = refusal(path, "debt-validation")
    assert "provider collecting its own bill" in reason
    assert "billing-hold-request" in reason and "itemized-bill-request" in reason


def test_debt_validation_refused_without_a_collector(tmp_path: Path) -> None:
    reason = refusal(case_file(tmp_path, "er-out-of-network"), "debt-validation")
    assert "[collector] name" in reason and "[collector] address" in reason


def test_debt_validation_docx_and_pdf(tmp_path: Path) -> None:
    docx, pdf = build_files(tmp_path, case_file(tmp_path, "collections-uninsured"),
                            "debt-validation")
    for text in (docx, pdf):
        assert "1692g(b)" in text and "October 2, 2026" in text
        assert "SCR-2026-55120" in text


# --- final-offer ---------------------------------------------------------------------


def test_final_offer_to_the_collector(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured", {"offer.previous": EARLIER_OFFERS})
    text = letter_text(path, "final-offer")
    assert_clean(text)
    recipient = text.index("Southern Credit Recovery LLC\nPO Box 1881\nMarietta, GA 30061")
    assert recipient < text.index("RE: Final offer")
    assert "Your account number: SCR-2026-55120" in text
    assert "Original creditor: Peachtree Surgical Center, account PSC-7719" in text
    # the earlier offers, with dates and amounts, and the final one
    assert "June 15, 2026: $3,000.00" in text
    assert "August 3, 2026: $3,500.00" in text
    assert "final offer of $4,500.00 as payment in full" in text
    assert "paid in one lump sum" in text
    assert "raised my offer from $3,500.00 to $4,500.00" in text
    # the deadline: 14 days (offer.respond_within_days) from September 10, 2026
    assert "open until September 24, 2026" in text
    assert "written acceptance by September 24, 2026" in text
    # terms: written acceptance first, zero balance, reporting, refund kept
    assert "Before any payment, I need your acceptance in writing, on your letterhead" in text
    assert "the balance will be zero" in text
    assert "paid in full with a zero balance" in text and "delete that entry" in text
    assert "does not waive a refund if insurance or another payer later pays" in text
    assert "authorized by Peachtree Surgical Center to settle it" in text
    assert "only after I receive that written acceptance" in text
    # the reasons, with numbers
    assert "household of 2 people lives on $31,000.00 a year before taxes" in text
    assert "no savings beyond one month of rent" in text
    assert "had no health insurance for this care" in text
    # no admission beyond the offer, no threat
    assert "without admitting that the balance is owed" in text
    assert not any(word in lower(text) for word in ADMISSIONS + ACCUSATIONS)
    for threat in ("lawsuit", "sue ", "attorney general", "complaint"):
        assert threat not in lower(text)


def test_final_offer_to_the_provider_with_benchmarks_and_a_plan(tmp_path: Path) -> None:
    changes = {"offer": {"amount": Decimal("2400.00"), "payment": "payment-plan",
                         "monthly": Decimal("200.00"),
                         "previous": [{"date": dt.date(2026, 4, 1),
                                       "amount": Decimal("2400.00")}]},
               "hardship": {"household_size": 3, "annual_income": Decimal("42000")}}
    text = letter_text(case_file(tmp_path, "er-out-of-network", changes), "final-offer")
    assert_clean(text)
    assert "Dear Patient Financial Services:" in text
    assert "Balance claimed: $27,000.00" in text
    assert "April 1, 2026: $2,400.00" in text and "I repeat that amount" in text
    assert "monthly installments of $200.00, without interest or fees" in text
    assert "account ACCT-889900" in text
    assert "19.6× the benchmark total of $920.62" in text
    assert "99285: $3,200.00 against $178.52" in text
    assert "code 0250 on March 3, 2026, $1,400.00, a duplicate of another line" in text
    assert "household of 3 people lives on $42,000.00 a year before taxes" in text
    assert "refund if Acme Health Plan or another payer later pays" in text
    # no offer_respond_within_days: the reply-offer rule, moved off a Saturday
    assert "open until May 11, 2026" in text
    assert "Original creditor" not in text


def test_final_offer_old_debt_says_nothing_that_acknowledges_it(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured",
                     {"offer.previous": EARLIER_OFFERS, "case.date": dt.date(2029, 3, 1)})
    text = letter_text(path, "final-offer")
    assert "nothing in this letter acknowledges the debt" in text
    assert not any(word in lower(text) for word in ADMISSIONS)


def test_final_offer_refused_without_earlier_offers(tmp_path: Path) -> None:
    reason = refusal(case_file(tmp_path, "collections-uninsured"), "final-offer")
    assert "a final offer follows at least one earlier offer" in reason
    assert "settlement-offer" in reason


def test_final_offer_refused_without_an_amount(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured", {"offer.previous": EARLIER_OFFERS},
                     drop=["offer.amount"])
    assert "[offer] amount" in refusal(path, "final-offer")


def test_final_offer_refused_when_not_below_the_balance(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured",
                     {"offer.previous": EARLIER_OFFERS, "offer.amount": Decimal("18000.00")})
    assert "not less than the balance" in refusal(path, "final-offer")


def test_final_offer_docx_and_pdf(tmp_path: Path) -> None:
    path = case_file(tmp_path, "collections-uninsured", {"offer.previous": EARLIER_OFFERS})
    docx, pdf = build_files(tmp_path, path, "final-offer")
    for text in (docx, pdf):
        assert "$4,500.00" in text and "June 15, 2026" in text
        assert "September 24, 2026" in text
        assert "without admitting that the balance is owed" in text


@pytest.mark.parametrize(("example", "letter_id", "changes"), [
    ("er-out-of-network", "repricing-request", {}),
    ("er-out-of-network", "coding-review-request", {}),
    ("collections-uninsured", "debt-validation", {}),
    ("collections-uninsured", "final-offer", {"offer.previous": EARLIER_OFFERS}),
])
def test_signed_by_the_representative(tmp_path: Path, example: str, letter_id: str,
                                      changes: dict) -> None:
    sender = {"name": "Casey Morgan", "role": "Patient advocate", "authorization": "enclosed"}
    text = letter_text(case_file(tmp_path, example, {**changes, "sender": sender}), letter_id)
    assert_clean(text)
    assert "Casey Morgan" in text.splitlines()[0]
    assert "written authorization is enclosed" in text
    assert text.rstrip().endswith("Written authorization signed by " + (
        "Jordan A. Rivera" if example.startswith("er") else "Alicia Marquez"))
