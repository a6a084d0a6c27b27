"""Complaints when the other side's silence breaks a rule (issue 14): a collector that
kept collecting after a timely dispute, a credit bureau past its reinvestigation time, a
provider that did not send the records asked for.

Each is read as the agency reads it: the letter sent, the day it arrived (or the day
assumed, said so), the rule and its date, what came from the other side and the remedy;
the CFPB's and OCR's online text is headed with where it is pasted and is no mailed
letter. Each refusal says what the case does not establish. The Spanish letters build
and refuse exactly as the English ones do, with no English left.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import (
    EXAMPLES,
    case_file,
    clean_letter_text,
    cli_letter_texts,
    document_text,
    refusal,
)
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.letters.render import render_letter
from lettergen.packs.folder import open_packs
from spanish import assert_matches_english, build_pair

COLLECTOR = "collector-ignored-dispute"
BUREAU = "credit-dispute-late"
RECORDS = "records-not-sent"
AG = {"name": "Ohio Attorney General, Consumer Protection Section",
      "address": ["30 East Broad Street, 14th Floor", "Columbus, OH 43215"]}
OCR = {"name": "U.S. Department of Health and Human Services, Office for Civil Rights",
       "address": ["Centralized Case Management Operations", "200 Independence Avenue, S.W.",
                   "Washington, DC 20201"]}


def flat(text: str) -> str:
    return " ".join(text.split())


def built(path: Path, letter_id: str):
    return render_letter(load_case(path), letter_id, open_packs([]))


def contacts(example: str) -> list[dict]:
    import tomllib

    data = tomllib.loads((EXAMPLES / f"{example}.toml").read_text("utf-8"))
    return data["contacts"]


# --- (a) a collector that kept collecting -----------------------------------------------


def test_collector_complaint_is_the_cfpb_text_with_the_dispute_the_rule_and_what_came(tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, EXAMPLES / f"{COLLECTOR}.toml", "collector-complaint")
    for text in (flat(docx), flat(pdf)):
        assert text.startswith("Text to paste into the CFPB's online complaint form")
        assert "This is not a letter to mail." in text
        # an online form: no address block, no salutation, no signature lines
        assert "Dear " not in text and "Sincerely" not in text
        assert "PO Box 39012" not in text and "Sent by certified mail" not in text
        assert "consumerfinance.gov" not in text  # the address was not verified
        assert ("On September 22, 2026, I sent Great Lakes Account Solutions LLC a written "
                "dispute of the debt") in text
        assert ("It reached Great Lakes Account Solutions LLC on September 25, 2026, as its "
                "delivery record shows, within the validation period") in text
        assert "It gave October 13, 2026 as the last day to dispute the debt" in text
        assert "Under 15 U.S.C. 1692g(b) and 12 CFR 1006.38(d)(2)" in text
        assert "has not mailed verification" in text
        assert ("On October 6, 2026, a call from Great Lakes Account Solutions LLC (Mark): "
                "Called asking for payment of $2,340.00 today by card") in text
        assert ("On October 20, 2026, a letter from Great Lakes Account Solutions LLC: Letter "
                "headed 'Final notice'") in text
        assert "stop collecting this debt, and any part of it, until it mails verification" in text
        assert "Copy of the letter from Great Lakes Account Solutions LLC of October 20, 2026" \
            in text
        assert "Filed by Denise M. Okafor" in text


def test_collector_complaint_goes_to_the_cfpb_whatever_the_plan_and_asks_for_the_attorney_general(
        tmp_path):
    path = case_file(tmp_path, COLLECTOR, {"insurer.self_funded": True})
    letter = built(path, "collector-complaint")
    text = flat(document_text(letter.document))
    for other in ("Department of Labor", "ERISA", "insurance department", "Medicare"):
        assert other not in text
    assert letter.notes == (
        "This is the text to paste into the CFPB's online complaint "
        "form, not a letter to mail. To send the same complaint to the Ohio attorney "
        "general's consumer protection office, put its name and complaint address in "
        "[regulator] and build this letter again.",)


def test_a_regulator_of_the_plan_is_not_used_for_a_collector(tmp_path):
    path = case_file(tmp_path, COLLECTOR, {"regulator": {
        "name": "Ohio Department of Insurance", "address": ["50 W. Town Street", "Columbus"]}})
    letter = built(path, "collector-complaint")
    text = flat(document_text(letter.document))
    assert text.startswith("Text to paste into the CFPB's online complaint form")
    assert "Ohio Department of Insurance" not in text
    assert "[regulator] (Ohio Department of Insurance) is not used" in letter.notes[0]


def test_collector_complaint_to_the_attorney_general_is_a_mailed_letter(tmp_path):
    path = case_file(tmp_path, COLLECTOR, {"regulator": AG})
    text = flat(clean_letter_text(path, "collector-complaint"))
    assert ("Ohio Attorney General, Consumer Protection Section 30 East Broad Street, 14th "
            "Floor Columbus, OH 43215") in text
    assert "Text to paste" not in text
    assert "Dear Sir or Madam:" in text and "Sincerely, Denise M. Okafor" in text
    assert "give me its reference number by December 2, 2026" in text
    assert "its answer to this complaint, with a copy to you" in text
    assert "cc: Great Lakes Account Solutions LLC" in text
    assert built(path, "collector-complaint").notes == ()


def test_an_attorney_general_without_an_address_is_asked_for(tmp_path):
    path = case_file(tmp_path, COLLECTOR, {"regulator": {"name": AG["name"]}})
    assert "gives no address" in refusal(path, "collector-complaint")


def test_a_dispute_without_a_delivery_record_says_the_day_is_assumed(tmp_path):
    logged = contacts(COLLECTOR)
    del logged[0]["received"]
    path = case_file(tmp_path, COLLECTOR, {"contacts": logged})
    text = flat(clean_letter_text(path, "collector-complaint"))
    # mailed Tuesday September 22: five business days later
    assert ("No delivery record is at hand: mailed that day, it should have reached Great "
            "Lakes Account Solutions LLC by September 29, 2026") in text


def test_verification_that_came_after_some_collection_leaves_only_those_contacts(tmp_path):
    path = case_file(tmp_path, COLLECTOR, {"collector.verified": dt.date(2026, 10, 10)})
    text = flat(clean_letter_text(path, "collector-complaint"))
    assert "verification arrived only on October 10, 2026" in text
    assert "On October 6, 2026, a call" in text
    assert "On October 20, 2026, a letter from" not in text
    assert "stop collecting this debt" not in text  # it has verified now
    assert "explain in writing why it collected before it mailed verification" in text


def test_collector_complaint_sends_the_cfpb_no_chart_notes(tmp_path):
    enclosures = [{"title": "Emergency department chart notes", "kind": "medical-records"},
                  {"title": "Denial letter dated June 12, 2026", "kind": "denial"},
                  {"title": "Phone log kept by the patient", "kind": "other",
                   "for": ["regulator"]}]
    path = case_file(tmp_path, COLLECTOR, {"enclosures": enclosures})
    text = clean_letter_text(path, "collector-complaint")
    assert "chart notes" not in text and "Denial letter" not in text
    assert "Phone log kept by the patient" in text


@pytest.mark.parametrize(("changes", "words"), [
    ({"contacts": [c for c in contacts(COLLECTOR) if c.get("letter") != "debt-validation"]},
     "no written dispute to Great Lakes Account Solutions LLC"),
    ({"collector.validation_end": dt.date(2026, 9, 24)},
     "after the validation period ended on September 24, 2026"),
    ({"collector.verified": dt.date(2026, 10, 1)},
     "verification arrived on October 1, 2026 ([collector] verified), before the collection "
     "contacts"),
    ({"contacts": contacts(COLLECTOR)[:1]},
     "no collection letter or call from Great Lakes Account Solutions LLC after the dispute "
     "reached Great Lakes Account Solutions LLC on September 25, 2026"),
    ({"collector.validation_end": None, "collector.notice_date": None},
     "the end of the validation period is not known"),
    ({"collector.name": "Miami Valley Regional Hospital"},
     "a provider collecting its own bill under its own name"),
], ids=["no-dispute", "dispute-late", "verified-first", "no-collection", "period-unknown",
        "provider-collects"])
def test_collector_complaint_refuses_what_the_case_does_not_establish(tmp_path, changes, words):
    path = case_file(tmp_path, COLLECTOR, changes)
    assert words in refusal(path, "collector-complaint")
    assert main(["build", str(path), "-l", "collector-complaint", "-o",
                 str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()


def test_the_plan_names_the_collector_complaint(capsys):
    assert main(["check", str(EXAMPLES / f"{COLLECTOR}.toml")]) == 0
    assert "Send collector-complaint now." in capsys.readouterr().out


# --- (b) a credit bureau past its reinvestigation time ----------------------------------


def test_credit_dispute_complaint_counts_from_receipt_and_the_results_days(tmp_path):
    path = EXAMPLES / f"{BUREAU}.toml"
    letter = built(path, "credit-dispute-complaint")
    text = flat(document_text(letter.document))
    assert text.startswith("Text to paste into the CFPB's online complaint form")
    assert "Dear " not in text and "Sincerely" not in text
    assert "Complaint about Experian: reinvestigation of a disputed entry not completed in time" \
        in text
    assert ("Experian's credit report (report number 3318-4472-09) shows a medical collection "
            "reported by Canyon Recovery Group, with a balance of $1,260.00") in text
    assert "It reached Experian on September 4, 2026, as its delivery record shows." in text
    assert "Under 15 U.S.C. 1681i, a credit bureau must complete its reinvestigation within 30 " \
        "days" in text
    assert "under 15 U.S.C. 1681i(a)(6) it must send the results in writing within 5 business " \
        "days" in text
    assert ("the reinvestigation had to be completed by October 4, 2026, and its results sent "
            "by October 9, 2026") in text
    assert "October 19, 2026: A letter to Experian (a written follow-up)" in text
    assert "Delivered on October 22, 2026." in text
    assert "delete the entry, or correct it, if it cannot be verified" in text
    assert "Copy of the letter to Experian of October 19, 2026" in text
    assert "1681i(a)(1)(B)" not in text  # no more information was sent
    assert letter.notes == ("This is the text to paste into the CFPB's online complaint form, "
                            "not a letter to mail.",)


def test_more_information_within_the_30_days_gives_the_bureau_15_more(tmp_path):
    logged = contacts(BUREAU)
    logged[0]["added_information"] = dt.date(2026, 9, 20)
    path = case_file(tmp_path, BUREAU, {"contacts": logged})
    text = flat(clean_letter_text(path, "credit-dispute-complaint"))
    assert "On September 20, 2026, within the first 30 days, more information" in text
    assert "(15 U.S.C. 1681i(a)(1)(B)-(C))" in text
    assert ("had to be completed by October 19, 2026, and its results sent by October 26, "
            "2026") in text


@pytest.mark.parametrize(("changes", "words"), [
    ({"case.date": dt.date(2026, 10, 8)},
     "the bureau's time is not over: the dispute reached Experian on September 4, 2026, its "
     "reinvestigation may run until October 4, 2026 and its results may be mailed until "
     "October 9, 2026"),
    ({"contacts": [dict(contacts(BUREAU)[0], answered=True)]},
     "was answered ([[contacts]] entry 1: answered = true)"),
    ({"contacts": contacts(BUREAU)[1:]}, "the case logs no credit-report dispute"),
], ids=["not-late", "answered", "no-dispute"])
def test_credit_dispute_complaint_refuses_when_the_bureau_is_not_late(tmp_path, changes, words):
    path = case_file(tmp_path, BUREAU, changes)
    assert words in refusal(path, "credit-dispute-complaint")


def test_the_bureau_complaint_is_due_the_day_after_the_results_date(tmp_path):
    path = case_file(tmp_path, BUREAU, {"case.date": dt.date(2026, 10, 10),
                                        "contacts": contacts(BUREAU)[:1]})
    assert "had to be completed by October 4, 2026" in clean_letter_text(
        path, "credit-dispute-complaint")


# --- (c) records not sent ----------------------------------------------------------------


def test_records_complaint_is_the_ocr_portal_text_within_its_180_days(tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, EXAMPLES / f"{RECORDS}.toml",
                                 "records-access-complaint")
    for text in (flat(docx), flat(pdf)):
        assert text.startswith("Text to paste into OCR's Complaint Portal")
        assert "Dear " not in text and "Sincerely" not in text
        assert "Amount in dispute" not in text  # a records complaint is not about the bill
        assert ("the written request reached it on August 6, 2026, the time to act on it ended "
                "on September 5, 2026, and nothing has been sent") in text
        assert "Under 45 CFR 164.524, a covered provider or health plan must act" in text
        assert "(45 CFR 164.524(b)(2))" in text
        assert "sent no written extension, so the time ended on September 5, 2026" in text
        assert "even after the follow-up listed below" in text
        assert ("filed within 180 days of September 5, 2026, when the time ran out, as 45 CFR "
                "160.306(b)(3) requires: those 180 days end on March 4, 2027") in text
        assert "September 30, 2026: A call to Susquehanna Valley Medical Center" in text
        assert "My follow-up letter of September 14, 2026" in text
        assert "Copy of the letter to Susquehanna" not in text  # the case encloses it already


def test_records_complaint_reaches_ocr_whatever_the_plan(tmp_path):
    path = case_file(tmp_path, RECORDS, {"insurer.plan_type": "medicare"})
    letter = built(path, "records-access-complaint")
    text = flat(document_text(letter.document))
    assert "Centers for Medicare" not in text and "CMS" not in text
    assert "OCR also takes complaints on paper" in letter.notes[0]


def test_records_complaint_to_ocr_by_mail_when_the_case_names_it(tmp_path):
    path = case_file(tmp_path, RECORDS, {"regulator": OCR})
    letter = built(path, "records-access-complaint")
    text = flat(document_text(letter.document))
    assert ("U.S. Department of Health and Human Services, Office for Civil Rights "
            "Centralized Case Management Operations") in text
    assert "Text to paste" not in text and "Sincerely, Thomas J. Brennan" in text
    assert letter.notes == ()


def test_a_written_extension_moves_the_last_day_and_the_window(tmp_path):
    logged = contacts(RECORDS)
    logged.insert(1, {"date": dt.date(2026, 8, 28), "party": "provider", "kind": "letter",
                      "direction": "received", "until": dt.date(2026, 9, 30),
                      "summary": "Request backlog; the records will be sent by September 30"})
    path = case_file(tmp_path, RECORDS, {"contacts": logged})
    text = flat(clean_letter_text(path, "records-access-complaint"))
    assert ("On August 28, 2026, Susquehanna Valley Medical Center wrote: Request backlog; the "
            "records will be sent by September 30. Counted as that one extension, the time "
            "ended on September 30, 2026.") in text
    assert "those 180 days end on March 29, 2027" in text
    # an extension's date beyond the 30 more days the rule allows counts only to day 60
    logged[1]["until"] = dt.date(2026, 11, 15)
    path = case_file(tmp_path, RECORDS, {"contacts": logged, "case.date": dt.date(2026, 10, 9)})
    assert "the time ended on October 5, 2026" in clean_letter_text(
        path, "records-access-complaint")


@pytest.mark.parametrize(("changes", "words"), [
    ({"case.date": dt.date(2026, 9, 2), "contacts": contacts(RECORDS)[:1]},
     "the time to answer is not over: the request reached Susquehanna Valley Medical Center on "
     "August 6, 2026, and the answer is due by September 5, 2026"),
    ({"contacts": [dict(contacts(RECORDS)[0], answered=True)]},
     "was answered ([[contacts]] entry 1: answered = true)"),
    ({"case.date": dt.date(2027, 3, 10)},
     "the 180 days to complain to the HHS Office for Civil Rights ended on March 4, 2027"),
    ({"contacts": contacts(RECORDS)[2:]}, "the case logs no records request"),
], ids=["not-late", "answered", "window-passed", "no-request"])
def test_records_complaint_refuses_what_the_case_does_not_establish(tmp_path, changes, words):
    path = case_file(tmp_path, RECORDS, changes)
    assert words in refusal(path, "records-access-complaint")


def test_a_passed_window_says_what_is_left(tmp_path):
    path = case_file(tmp_path, RECORDS, {"case.date": dt.date(2027, 3, 10)})
    found = refusal(path, "records-access-complaint")
    assert "send a new records request (lettergen build -l records-request)" in found
    assert "good cause" in found


# --- the Spanish letters ------------------------------------------------------------------

SPANISH = [
    (COLLECTOR, "collector-complaint", {}),
    (COLLECTOR, "collector-complaint", {
        "regulator.name": AG["name"], "regulator.address": AG["address"],
        "sender.name": "Chidi Okafor", "sender.role": "Hijo", "sender.authorization": "enclosed"}),
    (COLLECTOR, "collector-complaint", {"collector.verified": dt.date(2026, 10, 1)}),
    (BUREAU, "credit-dispute-complaint", {}),
    (BUREAU, "credit-dispute-complaint", {"case.date": dt.date(2026, 10, 8)}),
    (RECORDS, "records-access-complaint", {}),
    (RECORDS, "records-access-complaint", {"regulator.name": OCR["name"],
                                           "regulator.address": OCR["address"]}),
    (RECORDS, "records-access-complaint", {"case.date": dt.date(2027, 3, 10)}),
]


@pytest.mark.parametrize(("example", "letter_id", "changes"), SPANISH,
                         ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(SPANISH)])
def test_spanish_builds_and_refuses_as_the_english_does(tmp_path, example, letter_id, changes):
    english, spanish = build_pair(EXAMPLES / f"{example}.toml", tmp_path, letter_id,
                                  changes=changes)
    assert_matches_english(english, spanish, tmp_path / f"{example}-es.toml")


def _spanish(tmp_path: Path, example: str, letter_id: str, changes=None) -> str:
    _, spanish = build_pair(EXAMPLES / f"{example}.toml", tmp_path, letter_id,
                            changes=changes or {})
    assert not isinstance(spanish, list), spanish
    return flat(document_text(spanish.document))


def test_spanish_collector_complaint_reads_as_the_cfpb_reads_it(tmp_path):
    text = _spanish(tmp_path, COLLECTOR, "collector-complaint")
    assert text.startswith("Texto para pegar en el formulario de quejas en línea de la CFPB")
    assert "Esto no es una carta para enviar por correo." in text
    assert "Llegó a Great Lakes Account Solutions LLC el 25 de septiembre de 2026" in text
    assert "Según 15 U.S.C. 1692g(b), de la Fair Debt Collection Practices Act" in text
    assert "El 6 de octubre de 2026, una llamada de Great Lakes Account Solutions LLC" in text
    assert "hasta que me envíe por correo la verificación" in text
    assert "Atentamente" not in text and "Estimados" not in text


def test_spanish_bureau_and_records_complaints_give_the_dates_and_rules(tmp_path):
    bureau = _spanish(tmp_path / "b", BUREAU, "credit-dispute-complaint")
    assert ("la nueva investigación debía terminar a más tardar el 4 de octubre de 2026, y sus "
            "resultados enviarse a más tardar el 9 de octubre de 2026") in bureau
    records = _spanish(tmp_path / "r", RECORDS, "records-access-complaint")
    assert records.startswith("Texto para pegar en el Portal de Quejas de la OCR")
    assert "como exige 45 CFR 160.306(b)(3): esos 180 días terminan el 4 de marzo de 2027" \
        in records
    assert "el plazo terminó el 5 de septiembre de 2026" in records


# --- the fully filled cases ----------------------------------------------------------------

FULL = Path(__file__).resolve().parent / "fixtures" / "full-cases"


def test_a_representative_complains_to_the_attorney_general_without_the_chart():
    text = flat(clean_letter_text(FULL / f"{COLLECTOR}.toml", "collector-complaint"))
    assert text.startswith("Chidi Okafor 2270 Salem Avenue")
    assert ("I write as Denise M. Okafor's son and authorized representative; the patient's "
            "written authorization is enclosed.") in text
    assert "a written dispute of the debt was sent to Great Lakes Account Solutions LLC for " \
        "Denise M. Okafor" in text
    assert "September 12, 2026: A call to Great Lakes Account Solutions LLC" in text
    assert "discharge summary" not in text.lower()
    assert "Written authorization signed by Denise M. Okafor" in text


def test_a_written_in_process_letter_counts_as_the_extension_to_day_60():
    text = flat(clean_letter_text(FULL / f"{RECORDS}.toml", "records-access-complaint"))
    assert ("On August 20, 2026, Susquehanna Valley Medical Center wrote: Letter from Health "
            "Information Management: the request is in process; no date given. Counted as that "
            "one extension, the time ended on October 5, 2026.") in text
    assert "those 180 days end on April 3, 2027" in text
    assert "Copy of the letter from Susquehanna Valley Medical Center of August 20, 2026" in text
