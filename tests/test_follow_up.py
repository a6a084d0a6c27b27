"""The letters that follow a late answer (issue 14): ``follow-up`` and
``deemed-exhaustion-notice``, in English and in Spanish.

Each is built from a fully filled case for one party or plan type and read as the
recipient reads it (DOCX and PDF through the command line, or the document model both
writers read): the letter sent and the day it arrived (or that the day is assumed), the
deadline with the rule that sets it (only rules of the law are cited; a practice date is
the date the letter asked for), the short new date, and what the patient does next.
Every refusal names what is wrong and the next step; the Spanish letter fits exactly
when the English one does, for the same reasons, and reads as Spanish.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import case_file, clean_letter_text, cli_letter_texts, document_text, refusal
from lettergen.cli import main
from spanish import assert_matches_english, build_pair

FOLLOW_UP = "follow-up"
DEEMED = "deemed-exhaustion-notice"
APPEAL_CASE = "erisa-appeal-no-decision"      # appeal reached the plan 2026-06-26; today 09-15
ASSISTANCE_CASE = "assistance-no-decision"    # application reached the hospital 2026-07-23


def flat(text: str) -> str:
    return " ".join(text.split())


def letter_sent(day: dt.date, party: str, letter: str, **more: Any) -> dict[str, Any]:
    """A [[contacts]] entry for a letter the patient sent."""
    return {"date": day, "party": party, "kind": "letter", "letter": letter, **more}


def case_with(tmp_path: Path, example: str, contacts: list[dict[str, Any]],
              **changes: Any) -> Path:
    """The example with these [[contacts]] and changes (dotted keys as ``case_file``)."""
    return case_file(tmp_path, example, {"contacts": contacts, **changes})


def text_of(path: Path, letter_id: str) -> str:
    return flat(clean_letter_text(path, letter_id))


# ---- follow-up: every party ------------------------------------------------------------

def test_a_hospital_that_has_not_decided_financial_assistance_gets_the_date_asked_for(
        tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, Path("examples") / f"{ASSISTANCE_CASE}.toml",
                                 FOLLOW_UP)
    for text in (flat(docx), flat(pdf)):
        assert "Riverside Community Hospital" in text
        assert "follow up on my application for financial assistance dated July 20, 2026" \
            in text
        assert "It reached you on July 23, 2026" in text
        # a practice date: the date the letter asked for, not a deadline of the law
        assert "the date my letter asked for, August 24, 2026, has passed" in text
        assert "the time the law allows" not in text
        assert "(26 CFR 1.501(r)-6(c))" in text  # collection suspended while pending
        assert "Please send it by September 28, 2026" in text
        assert "Copy of my letter of July 20, 2026 and its proof of delivery" in text


def test_without_contact_n_it_follows_up_the_newest_overdue_answer_not_the_newest_entry(
        tmp_path):
    # the example's newest entry is a call (August 12); the letter is about the
    # application of July 20
    text = text_of(Path("examples") / f"{ASSISTANCE_CASE}.toml", FOLLOW_UP)
    assert "application for financial assistance dated July 20, 2026" in text
    assert "August 12" not in text


def test_a_plan_that_has_not_decided_an_erisa_appeal_hears_the_rule_and_external_review(
        tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, Path("examples") / f"{APPEAL_CASE}.toml",
                                 FOLLOW_UP)
    for text in (flat(docx), flat(pdf)):
        assert "Midwest Health Insurance Company" in text
        assert "had 60 days after receiving the internal appeal to decide it " \
               "(29 CFR 2560.503-1(i)(2)(iii)(A)): that is, by August 25, 2026" in text
        assert "the time the law allows for it ended on August 25, 2026" in text
        assert "(29 CFR 2590.715-2719(b)(2)(ii)(F))" in text
        assert "I will ask for external review and consider my remedies under ERISA " \
               "§502(a)" in text


def test_the_follow_up_of_a_late_appeal_points_to_the_deemed_exhaustion_notice(tmp_path,
                                                                                capsys):
    out = tmp_path / "out"
    assert main(["build", f"examples/{APPEAL_CASE}.toml", "-l", FOLLOW_UP, "-f", "md",
                 "-o", str(out)]) == 0
    assert "lettergen build -l deemed-exhaustion-notice" in capsys.readouterr().err


def test_a_records_request_with_no_delivery_record_says_the_day_it_should_have_arrived(
        tmp_path):
    path = case_with(tmp_path, ASSISTANCE_CASE, [
        letter_sent(dt.date(2026, 8, 3), "provider", "records-request")])
    docx, pdf = cli_letter_texts(tmp_path, path, FOLLOW_UP)
    for text in (flat(docx), flat(pdf)):
        assert "Dear Privacy Officer:" in text
        assert "I have no confirmation of the day it arrived: sent by mail, it should have " \
               "reached you by August 10, 2026, and I count from that day" in text
        assert "within 30 days after it receives it (45 CFR 164.524): here, by September " \
               "9, 2026" in text
        assert "(45 CFR 164.524(b)(2))" in text  # one extension, only with a notice
        assert "Office for Civil Rights (45 CFR 160.306(b)(3))" in text
        assert "proof of delivery" not in text


def test_a_collector_that_kept_collecting_hears_the_freeze_not_a_deadline(tmp_path):
    path = case_with(tmp_path, ASSISTANCE_CASE, [
        letter_sent(dt.date(2026, 8, 20), "collector", "debt-validation",
                    received=dt.date(2026, 8, 24)),
        {"date": dt.date(2026, 9, 2), "party": "collector", "kind": "call",
         "direction": "received", "representative": "Mark",
         "summary": "Asked for payment of the full balance by card."}],
        collector={"name": "Great Lakes Account Solutions",
                   "address": ["PO Box 900", "Toledo, OH 43601"],
                   "account_number": "GLAS-55120", "notice_date": dt.date(2026, 8, 10),
                   "validation_end": dt.date(2026, 9, 14), "amount_claimed": "7000.00"})
    docx, pdf = cli_letter_texts(tmp_path, path, FOLLOW_UP)
    for text in (flat(docx), flat(pdf)):
        assert "Great Lakes Account Solutions" in text
        assert "Your account number: GLAS-55120" in text
        assert "My dispute reached you within the validation period, which ended on " \
               "September 14, 2026" in text
        assert "(15 U.S.C. 1692g(b); 12 CFR 1006.38(d)(2))" in text
        assert "The law sets no date by which you must answer" in text
        assert "September 2, 2026: a telephone call from Mark: Asked for payment" in text
        assert "Each of these came before you mailed any verification" in text
        for wrong in ("overdue", "the time the law allows", "has passed"):
            assert wrong not in text
        # a collector sees no insurance details and no claim file
        assert "Buckeye Care Plan" not in text


def test_a_dispute_that_reached_the_collector_after_the_period_claims_no_freeze(tmp_path):
    path = case_with(tmp_path, ASSISTANCE_CASE, [
        letter_sent(dt.date(2026, 9, 1), "collector", "debt-validation",
                    received=dt.date(2026, 9, 4))],
        collector={"name": "Great Lakes Account Solutions",
                   "address": ["PO Box 900", "Toledo, OH 43601"],
                   "validation_end": dt.date(2026, 9, 2)})
    text = text_of(path, FOLLOW_UP)
    assert "reached you after the validation period, which ended on September 2, 2026" \
        in text
    assert "1692g(b)" not in text and "must stop collecting" not in text


def test_a_credit_bureau_is_late_only_after_the_results_could_be_mailed(tmp_path):
    contacts = [letter_sent(dt.date(2026, 8, 3), "bureau", "credit-report-dispute",
                            received=dt.date(2026, 8, 6))]
    bureau = {"bureau": "equifax", "reported_by": "Great Lakes Account Solutions",
              "reported_balance": "7000.00", "first_reported": dt.date(2026, 7, 1)}
    early = case_with(tmp_path, ASSISTANCE_CASE, contacts, credit_report=bureau,
                      **{"case.date": dt.date(2026, 9, 8)})
    # 30 days from August 6 is September 5; the results may be mailed 5 business days
    # after the reinvestigation's last day (Labor Day, September 7, is not one)
    reason = refusal(early, FOLLOW_UP)
    assert "is not late until after September 14, 2026" in reason
    path = case_with(tmp_path, ASSISTANCE_CASE, contacts, credit_report=bureau,
                     **{"case.date": dt.date(2026, 9, 21)})
    docx, pdf = cli_letter_texts(tmp_path, path, FOLLOW_UP)
    for text in (flat(docx), flat(pdf)):
        assert "Equifax" in text
        assert "within 30 days after it receives the dispute (15 U.S.C. 1681i)" in text
        assert "(15 U.S.C. 1681i(a)(6)): by September 14, 2026" in text
        assert "Consumer Financial Protection Bureau" in text
        assert "1.501(r)" not in text


def test_a_plan_administrator_hears_the_courts_discretion_never_a_certain_penalty(tmp_path):
    path = case_with(tmp_path, APPEAL_CASE, [
        letter_sent(dt.date(2026, 7, 20), "administrator", "plan-documents-request",
                    received=dt.date(2026, 7, 23))])
    docx, pdf = cli_letter_texts(tmp_path, path, FOLLOW_UP)
    for text in (flat(docx), flat(pdf)):
        assert "Harbor Tool & Die Co., Benefits Office" in text
        assert "within 30 days after the request (29 U.S.C. 1132(c)(1)(B)): here, by " \
               "August 22, 2026" in text
        assert "A court may, in its discretion, hold a plan administrator" in text
        assert "for up to $110.00 a day from the date of the failure" in text
        assert "(29 U.S.C. 1132(c)(1)(B); 29 CFR 2575.502c-1)" in text
        for threat in ("you will pay", "you owe", "penalty of $110", "will be liable"):
            assert threat not in text
        # the employer's benefits office hears nothing of the care or the claim
        assert "arthroscopy" not in text.lower() and "CO-50" not in text


# ---- follow-up: refusals -------------------------------------------------------------

def test_it_refuses_a_contact_that_is_no_letter_sent(tmp_path):
    case = Path("examples") / f"{ASSISTANCE_CASE}.toml"
    out = tmp_path / "out"
    assert main(["build", str(case), "-l", FOLLOW_UP, "--contact", "2", "-o", str(out)]) == 1
    assert not out.exists()


def test_the_refusals_say_what_is_wrong_and_the_next_step(tmp_path, capsys):
    case = Path("examples") / f"{ASSISTANCE_CASE}.toml"
    assert main(["build", str(case), "-l", FOLLOW_UP, "--contact", "2", "-o",
                 str(tmp_path / "o")]) == 1
    err = flat(capsys.readouterr().err)
    assert "[[contacts]] entry 2 (August 12, 2026) is not a letter you sent" in err
    assert "lettergen build -l follow-up --contact 1" in err

    answered = case_with(tmp_path, ASSISTANCE_CASE, [
        letter_sent(dt.date(2026, 7, 20), "provider", "financial-assistance-request",
                    received=dt.date(2026, 7, 23), answered=True)])
    assert "has been answered" in refusal(answered, FOLLOW_UP)

    not_yet = case_with(tmp_path, ASSISTANCE_CASE, [
        letter_sent(dt.date(2026, 9, 1), "provider", "records-request")])
    reason = refusal(not_yet, FOLLOW_UP)
    # sent September 1: 5 business days by mail (Labor Day between), then 30 days
    assert "is not late until after October 9, 2026" in reason
    assert "counted from September 9, 2026, the day it should have arrived" in reason


def test_a_second_follow_up_waits_for_the_first_and_then_names_the_complaint(tmp_path):
    first = letter_sent(dt.date(2026, 7, 1), "provider", "records-request",
                        received=dt.date(2026, 7, 6))
    again = letter_sent(dt.date(2026, 9, 8), "provider", "follow-up",
                        received=dt.date(2026, 9, 10))
    waiting = case_with(tmp_path, ASSISTANCE_CASE, [first, again])
    reason = refusal(waiting, FOLLOW_UP)
    assert "you followed up on the records-request letter on September 8, 2026" in reason
    assert "not due until September 22, 2026" in reason  # reply-short: 14 days

    itself = case_with(tmp_path, ASSISTANCE_CASE, [first, again],
                       **{"case.date": dt.date(2026, 10, 5)})
    text = text_of(itself, FOLLOW_UP)
    assert "I wrote again on September 8, 2026, and that letter has had no answer either" \
        in text
    out = tmp_path / "out"
    assert main(["build", str(itself), "-l", FOLLOW_UP, "--contact", "2", "-f", "md",
                 "-o", str(out)]) == 1  # a follow-up is not itself followed up


# ---- deemed-exhaustion-notice ---------------------------------------------------------

def test_an_erisa_plan_past_its_60_days_is_told_internal_appeals_are_exhausted(tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, Path("examples") / f"{APPEAL_CASE}.toml", DEEMED)
    for text in (flat(docx), flat(pdf)):
        assert "RE: Internal appeal not decided in time: internal appeals deemed exhausted" \
            in text
        assert "Member ID: MWH-20441987; group HTD-0419" in text
        assert "It was sent on June 22, 2026" in text
        assert "It reached you on June 26, 2026" in text
        assert "60 days after receiving the internal appeal to decide it (29 CFR " \
               "2560.503-1(i)(2)(iii)(A)): that is, by August 25, 2026" in text
        assert "deemed to have exhausted the internal claims and appeals process (29 CFR " \
               "2590.715-2719(b)(2)(ii)(F)); see also 29 CFR 2560.503-1(l)(1)" in text
        assert "I may therefore ask for external review now, or bring a civil action " \
               "under ERISA §502(a)" in text
        assert "no later than September 29, 2026" in text
        assert "cc: Harbor Tool & Die Co., Benefits Office" in text


def test_a_grandfathered_erisa_plan_hears_only_what_l1_says(tmp_path):
    path = case_file(tmp_path, APPEAL_CASE, {"insurer.grandfathered": True})
    text = text_of(path, DEEMED)
    assert "(29 CFR 2560.503-1(l)(1))" in text
    assert "ERISA §502(a)" in text
    for more in ("2590.715-2719", "external review", "minor violations", "147.136"):
        assert more not in text


@pytest.mark.parametrize("plan", ["marketplace", "individual", "public-employer"])
def test_a_non_grandfathered_aca_plan_cites_the_hhs_rule_and_no_erisa(tmp_path, plan):
    path = case_file(tmp_path, APPEAL_CASE, {"insurer.plan_type": plan},
                     drop=["administrator"])
    text = text_of(path, DEEMED)
    assert "(45 CFR 147.136(b)(2)(ii)(F) and (b)(3)(ii)(F))" in text
    assert "may therefore ask for external review now, without waiting" in text
    assert "ERISA" not in text and "2560.503-1(l)" not in text


def test_medicare_advantage_is_asked_to_confirm_the_case_went_to_the_ire(tmp_path):
    path = case_file(tmp_path, APPEAL_CASE, {"insurer.plan_type": "medicare-advantage"},
                     drop=["administrator"])
    text = text_of(path, DEEMED)
    assert "confirm in writing that you have sent the case to the independent review " \
           "entity, and to tell me the date you sent it and the entity's case number" in text
    assert "(42 CFR 422.590)" in text
    assert "deemed" not in text and "external review" not in text


def test_medicaid_managed_care_hears_that_a_state_fair_hearing_may_be_asked_now(tmp_path):
    path = case_file(tmp_path, APPEAL_CASE, {"insurer.plan_type": "medicaid-managed-care"},
                     drop=["administrator"])
    text = text_of(path, DEEMED)
    assert "30 days after receiving the appeal to decide it (42 CFR 438.408(b)): that is, " \
           "by July 26, 2026" in text
    assert "may request a State fair hearing (42 CFR 438.408(c)(3))" in text
    assert "external review" not in text


def test_an_appeal_known_only_from_appeal_filed_is_named_by_its_date(tmp_path):
    path = case_file(tmp_path, APPEAL_CASE, {"denial.appeal_filed": dt.date(2026, 6, 22),
                                             "contacts": []})
    text = text_of(path, DEEMED)
    assert "It was sent on June 22, 2026" in text
    assert "it should have reached you by June 29, 2026" in text  # 5 business days by mail
    assert "proof of delivery" not in text


@pytest.mark.parametrize(("changes", "words"), [
    ({"insurer.plan_type": "medicare"},
     ("Original Medicare has no deemed exhaustion", "lettergen build -l follow-up --contact 2",
      "42 CFR 405.950")),
    ({"insurer.plan_type": "medicare", "denial.level": 2},
     ("escalate the appeal to an Administrative Law Judge", "5 more calendar days",
      "42 CFR 405.1002(b)")),
    ({"insurer.plan_type": "fehb"}, ("Federal Employees Health Benefits",
                                     "Office of Personnel Management")),
    ({"insurer.plan_type": "church"}, ("no verified deemed-exhaustion rule for church plans",
                                       "regulator-complaint")),
    ({"insurer.plan_type": "short-term"}, ("short-term health plans",)),
    ({"insurer.plan_type": "public-employer", "insurer.grandfathered": True},
     ("a grandfathered public-employer plan is not bound",)),
    ({"insurer.plan_type": "medicaid-managed-care", "denial.level": 2},
     ("the State fair hearing, which the state agency decides",)),
    ({"case.date": dt.date(2026, 8, 20)},
     ("is not due until August 25, 2026", "wait until after August 25, 2026")),
    ({"denial.date": dt.date(2026, 8, 28)},
     ("has been decided", "lettergen build -l external-review-request")),
    ({"contacts": []}, ("the case logs no internal appeal sent", "letter = \"internal-appeal\"")),
])
def test_the_notice_refuses_where_no_rule_reaches_with_the_next_step(tmp_path, changes,
                                                                      words):
    reason = flat(refusal(case_file(tmp_path, APPEAL_CASE, changes), DEEMED))
    for word in words:
        assert word in reason


# ---- Spanish: the same fit, no English left -----------------------------------------

REFUSED = True  # the variant is refused in both languages, for the same reasons
SPANISH_VARIANTS = [
    (APPEAL_CASE, DEEMED, {}),
    (APPEAL_CASE, DEEMED, {"insurer.grandfathered": True}),
    (APPEAL_CASE, DEEMED, {"insurer.plan_type": "marketplace"}),
    (APPEAL_CASE, DEEMED, {"insurer.plan_type": "medicare-advantage"}),
    (APPEAL_CASE, DEEMED, {"insurer.plan_type": "medicaid-managed-care"}),
    (APPEAL_CASE, DEEMED, {"insurer.plan_type": "medicare", "denial.level": 2}, REFUSED),
    (APPEAL_CASE, DEEMED, {"case.date": dt.date(2026, 8, 20)}, REFUSED),
    (APPEAL_CASE, FOLLOW_UP, {}),
    (APPEAL_CASE, FOLLOW_UP, {"insurer.plan_type": "medicare", "denial.level": 2}),
    (APPEAL_CASE, FOLLOW_UP, {"contacts": [letter_sent(
        dt.date(2026, 7, 20), "administrator", "plan-documents-request",
        received=dt.date(2026, 7, 23))]}),
    (ASSISTANCE_CASE, FOLLOW_UP, {}),
    (ASSISTANCE_CASE, FOLLOW_UP, {"contacts": [letter_sent(
        dt.date(2026, 8, 3), "provider", "records-request")]}),
    (ASSISTANCE_CASE, FOLLOW_UP, {"contacts": [
        letter_sent(dt.date(2026, 8, 20), "collector", "debt-validation",
                    received=dt.date(2026, 8, 24)),
        {"date": dt.date(2026, 9, 2), "party": "collector", "kind": "call",
         "direction": "received", "summary": "Asked for payment."}],
        "collector": {"name": "Great Lakes Account Solutions", "address": ["PO Box 900"],
                      "validation_end": dt.date(2026, 9, 14)}}),
    (ASSISTANCE_CASE, FOLLOW_UP, {"contacts": [letter_sent(
        dt.date(2026, 8, 3), "bureau", "credit-report-dispute",
        received=dt.date(2026, 8, 6))], "credit_report": {"bureau": "equifax"}}, REFUSED),
    (ASSISTANCE_CASE, FOLLOW_UP, {"contacts": [letter_sent(
        dt.date(2026, 8, 3), "bureau", "credit-report-dispute",
        received=dt.date(2026, 8, 6))], "credit_report": {"bureau": "equifax"},
        "case.date": dt.date(2026, 9, 21)}),
    (ASSISTANCE_CASE, FOLLOW_UP, {"sender": {
        "name": "Marcus Brooks", "role": "Husband", "authorization": "enclosed"}}),
]


@pytest.mark.parametrize(("example", "letter_id", "changes", "refused"),
                         [(*v, False) if len(v) == 3 else v for v in SPANISH_VARIANTS])
def test_the_spanish_letter_fits_as_the_english_does_and_reads_as_spanish(
        tmp_path, example, letter_id, changes, refused):
    source = case_file(tmp_path, example, changes)
    english, spanish = build_pair(source, tmp_path / "pair", letter_id)
    assert_matches_english(english, spanish, tmp_path / "pair" / f"{source.stem}-es.toml")
    assert isinstance(english, list) == refused, english


def test_the_spanish_notice_cites_the_same_rules_and_dates(tmp_path):
    source = case_file(tmp_path, APPEAL_CASE)
    _, spanish = build_pair(source, tmp_path / "pair", DEEMED)
    text = flat(document_text(spanish.document))
    assert "Apelación interna no decidida a tiempo: apelaciones internas agotadas" in text
    assert "a más tardar el 25 de agosto de 2026" in text
    assert "(29 CFR 2590.715-2719(b)(2)(ii)(F)); véase también 29 CFR 2560.503-1(l)(1)" \
        in text
    assert "puedo pedir ahora una revisión externa" in text
    assert "a más tardar el 29 de septiembre de 2026" in text


def test_the_spanish_follow_up_asks_by_the_same_date(tmp_path):
    source = case_file(tmp_path, ASSISTANCE_CASE)
    _, spanish = build_pair(source, tmp_path / "pair", FOLLOW_UP)
    text = flat(document_text(spanish.document))
    assert "la fecha que pedía mi carta, el 24 de agosto de 2026, ya pasó" in text
    assert "Les ruego que me la envíen a más tardar el 28 de septiembre de 2026" in text
    assert "(26 CFR 1.501(r)-6(c))" in text


def test_a_representative_follows_up_for_the_patient_with_the_authority_named(tmp_path):
    path = case_file(tmp_path, ASSISTANCE_CASE, {"sender": {
        "name": "Marcus Brooks", "role": "Husband", "authorization": "enclosed",
        "address": ["310 Maple Avenue", "Columbus, OH 43215"]}})
    text = text_of(path, FOLLOW_UP)
    assert "I am writing for Tanisha Brooks to follow up on the patient's application for " \
           "financial assistance dated July 20, 2026" in text
    assert "I write as Tanisha Brooks's husband; the patient's written authorization is " \
           "enclosed." in text
    assert "Written authorization signed by Tanisha Brooks" in text
