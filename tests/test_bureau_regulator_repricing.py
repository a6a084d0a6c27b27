"""Issue 10 items 9, 14, 15 as the recipient reads them, built from fully filled cases
(tests/fixtures/full-cases): the credit bureau dispute tells one story (paid, or unpaid
and why its balance is wrong) with the identity lines a bureau needs; a provider's RE
block carries what its billing office files the claim under, and a collector's and a
bureau's carry no insurance; the regulator complaint names what went wrong and the rule
broken; a repricing request builds with an unsourced benchmark and warns about a facility
charge measured against the physician fee schedule."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, assert_clean, cli_letter_texts, document_text, letter_text
from lettergen.case.casefile import load_case
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from lettergen.reports.check import check_case

FULL = ROOT / "tests" / "fixtures" / "full-cases"


def full(tmp_path: Path, name: str, edit: tuple[str, str] | None = None) -> Path:
    """A copy of a full case, with one text replacement when given."""
    path = tmp_path / f"{name}.toml"
    shutil.copy(FULL / f"{name}.toml", path)
    if edit:
        text = path.read_text("utf-8")
        assert edit[0] in text
        path.write_text(text.replace(edit[0], edit[1], 1), "utf-8")
    return path


# --- credit-report-dispute (item 9) ------------------------------------------------------


def test_paid_collection_is_asked_off_under_the_paid_policy_only(tmp_path):
    text = letter_text(full(tmp_path, "credit-report-paid"), "credit-report-dispute")
    assert_clean(text)
    assert "Experian\nP.O. Box 4500\nAllen, TX 75013" in text
    assert "The account is paid, and I ask you to delete this item" in text
    assert "It has been paid in full. Southern Credit Recovery LLC agreed on October 8, 2026 " \
           "(through Dana Pruitt, reference SET-5531) to accept $7,800.00 as payment in full, " \
           "and that amount was paid on October 20, 2026." in text
    assert "Your published policy, since July 1, 2022, is to leave paid medical collections " \
           "off credit reports." in text
    assert "It shows a balance of $18,000.00, but nothing is owed on this account" in text
    # one story: nothing about an appeal, a dispute or a denial
    for stale in ("appeal", "being appealed", "I disputed this debt", "denied", "Denial"):
        assert stale not in text, stale
    # identity lines from the case, the SSN's last four only
    assert "Full name: Alicia Marquez\nAddress: 9 Peachtree Row, Atlanta, GA 30303\n" \
           "Date of birth: June 30, 1990\nSocial Security number, last four digits: 0142\n" \
           "Experian report number: 2291-0044-18" in text
    # the case encloses the ID and the report page: no generic line of its own
    assert "government-issued photo ID" not in text
    assert text.count("report page") == 1
    assert "Denial letter" not in text  # a denial goes to no bureau


def test_unpaid_collection_says_why_the_balance_is_wrong(tmp_path):
    text = letter_text(full(tmp_path, "credit-report-unpaid"), "credit-report-dispute")
    assert_clean(text)
    assert "The item is not accurate as reported:" in text
    assert "I disputed this debt in writing with Great Lakes Collection Bureau on March 20, 2027" \
           in text
    assert "The balance reported, $2,400.00, is more than I can owe for this care. The " \
           "Explanation of Benefits from Buckeye Mutual Health dated March 1, 2026 sets my " \
           "share at $240.00, which leaves at most $240.00 owed" in text
    assert "paid" not in text.split("Dear Sir or Madam:")[1].split("I dispute this item")[0]
    assert "Social Security" not in text  # the case gives no SSN digits: none invented
    assert "TransUnion file number: TU-558812" in text
    assert "Date of birth: January 19, 1972" in text
    assert "Buckeye Choice PPO" not in text and "BKO-7781-22" not in text  # no insurance ids


def test_settled_but_unpaid_speaks_of_the_settlement_not_the_appeal(tmp_path):
    path = full(tmp_path, "credit-report-paid", ("paid_date = 2026-10-20\n", ""))
    path.write_text(path.read_text("utf-8").replace("amount_due = 0.00", "amount_due = 7800.00"),
                    "utf-8")
    text = letter_text(path, "credit-report-dispute")
    assert "The account is paid" not in text and "It has been paid" not in text
    assert "agreed on October 8, 2026 (through Dana Pruitt, reference SET-5531) to accept " \
           "$7,800.00 as payment in full. The balance reported, $18,000.00, is not what is " \
           "owed on the account." in text
    assert "appeal" not in text


def test_an_ssn_of_the_wrong_shape_names_the_field(tmp_path):
    from lettergen.cli import main

    path = full(tmp_path, "credit-report-paid", ('ssn_last4 = "0142"', 'ssn_last4 = "123-45-0142"'))
    assert main(["check", str(path)]) == 1


# --- the RE block (item 14) --------------------------------------------------------------


def test_provider_re_block_has_the_insurance_and_birth_date(tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, full(tmp_path, "overpaid-clinic-visit"),
                                 "billing-correction-request")
    for text in (docx, pdf):
        flat = " ".join(text.split())
        assert "Patient: Priya Natarajan, born November 2, 1979" in flat
        assert "Insurance: Cascade Shield Health, Cascade Bronze HSA; member ID CSC-30091177; " \
               "group IND-2026" in flat
        assert "Account number: HVF-58213" in flat


def test_collector_and_bureau_get_no_insurance_details(tmp_path):
    path = full(tmp_path, "credit-report-unpaid")
    text = letter_text(path, "debt-validation")
    re_block = text.split("Dear")[0]
    assert "Great Lakes Collection Bureau" in re_block
    assert "BKO-7781-22" not in re_block and "G-11870" not in re_block
    assert "Insurance:" not in re_block and "born" not in re_block
    bureau = letter_text(path, "credit-report-dispute").split("Dear")[0]
    assert "Insurance:" not in bureau and "BKO-7781-22" not in bureau


# --- regulator-complaint (item 14) -------------------------------------------------------


def test_regulator_complaint_names_the_broken_promise_and_the_rule(tmp_path):
    text = letter_text(full(tmp_path, "er-bill-review"), "regulator-complaint")
    assert_clean(text)
    assert "What went wrong:" in text
    assert "On June 10, 2026, on a call with Acme Health Plan (Marcus, reference AHP-77120), " \
           "this was agreed: \"Asked for the claim file; promised it within 15 days.\" It was " \
           "to be done by June 25, 2026, and it has not been. 29 CFR 2560.503-1(h)(2)(iii) and " \
           "(m)(8) requires the plan to give, on request and free of charge" in text
    assert "Acme Health Plan processed emergency care as out of network. 29 CFR 2590.716-4 " \
           "requires" in text
    assert "ask Acme Health Plan to send the claim file asked for on June 10, 2026" in text
    assert "rules that apply" not in text and "reconsider" not in text
    assert "147.136" not in text and "45 CFR 149.110" not in text  # ERISA plan: DOL's text


def test_regulator_complaint_claims_no_silence_the_case_does_not_record(tmp_path):
    path = full(tmp_path, "er-bill-review", ("answered = false\n", ""))
    text = letter_text(path, "regulator-complaint")
    assert "has not been" not in text and "send the claim file" not in text


def test_claim_file_letter_unanswered_past_hipaa_time(tmp_path):
    path = full(tmp_path, "er-bill-review", (
        'kind = "call"\nrepresentative = "Marcus"',
        'kind = "letter"\nletter = "claim-file-request"\nrepresentative = "Marcus"'))
    text = letter_text(path, "regulator-complaint")
    # sent June 10, 2026 by certified mail: arrives June 17; 30 days: July 17, 2026
    assert "On June 10, 2026, I asked Acme Health Plan in writing for the claim file " \
           "(reference AHP-77120)." in text
    assert "45 CFR 164.524 requires the plan to act on a request for these records within " \
           "30 days of receiving it. Counted from June 17, 2026, the day the request should have " \
           "arrived, that time ended on July 17, 2026." in text
    assert "Nothing has been sent." in text


# --- repricing-request (item 15) ---------------------------------------------------------


def test_repricing_builds_with_an_unsourced_benchmark(tmp_path):
    case = load_case(full(tmp_path, "er-bill-review"))
    letter = render_letter(case, "repricing-request", open_packs([]))
    text = document_text(letter.document)
    assert_clean(text)
    assert "Source of the benchmark for 99285: Medicare physician fee schedule 2026, Illinois." \
           in text
    assert "The figure for 44970 is a reference price I looked up; I do not claim a " \
           "published source for it" in text
    assert "a benchmark or reference price" in text
    assert "a published rate for the same service that both of us can check" not in text
    assert "Insurance: Acme Health Plan, Acme Gold PPO; member ID XJH123456789; group G-44021" \
           in text and "born April 12, 1985" in text
    notes = " ".join(letter.notes)
    assert "44970 on March 2, 2026 has no benchmark_source" in notes
    assert "99285 is a facility charge of Springfield General Hospital" in notes
    assert "44970 is a facility charge" not in notes  # no source: nothing to judge


def test_check_warns_about_the_facility_benchmark(tmp_path):
    report = check_case(load_case(full(tmp_path, "er-bill-review")), open_packs([]))
    ids = [f.id for f in report.findings]
    assert "facility-physician-benchmark" in ids and "benchmark-no-source" in ids
    clinic = check_case(load_case(full(tmp_path, "overpaid-clinic-visit")), open_packs([]))
    assert "facility-physician-benchmark" not in [f.id for f in clinic.findings]


def test_full_cases_build_every_letter_they_list(tmp_path):
    from lettergen.cli import main

    for name in ("er-bill-review", "overpaid-clinic-visit", "credit-report-paid",
                 "credit-report-unpaid"):
        assert main(["build", str(full(tmp_path, name)), "-f", "md", "-o",
                     str(tmp_path / "out")]) == 0, name
