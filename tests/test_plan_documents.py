"""plan-documents-request: the ERISA plan administrator asked for the plan's documents.

Read as the administrator reads it (the employer's benefits office): the documents
ERISA section 104(b)(4) reaches and nothing else, the 25-cent cap, the date 30 days
after the request reaches it, the court's discretionary daily amount said as such;
nothing about the care; refused, with where the documents come from, for every plan
ERISA does not govern and for a case that does not name the administrator.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from conftest import (
    EXAMPLES,
    assert_clean,
    case_file,
    clean_letter_text,
    cli_letter_texts,
    document_text,
    refusal,
)
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.letters.blank import blank_variants
from lettergen.letters.render import render_letter
from lettergen.letters.templates import find_template
from lettergen.packs.folder import open_packs
from spanish import assert_matches_english, build_pair

LETTER = "plan-documents-request"
EXAMPLE = "erisa-plan-documents"
ADMINISTRATOR = "Prairie State Freight, Inc., Employee Benefits Committee"
# What the employer's benefits office must never read in this letter: the care, the
# provider, the claim, the codes, the money, the diagnosis-bearing papers.
CARE = ("Riverfront", "GLB26-0918344", "97110", "97140", "CO-119", "therapy", "rehabilitation",
        "$1,680.00", "Benefit maximum", "Explanation of Benefits", "plan of care", "denial",
        "Date of service", "Dates of service", "Amount in dispute", "born")


def _letter(tmp_path, changes=None, drop=(), name=None):
    return clean_letter_text(case_file(tmp_path, EXAMPLE, changes, drop, name), LETTER)


def test_the_administrator_reads_the_request_in_docx_and_pdf(tmp_path):
    path = case_file(tmp_path, EXAMPLE)
    for text in cli_letter_texts(tmp_path, path, LETTER):
        flat = " ".join(text.split())
        assert ADMINISTRATOR in flat and "4400 West War Memorial Drive" in flat
        assert "Great Lakes Benefit Services" not in flat  # never the claims administrator
        assert "PO Box 7720" not in flat
        assert "Dear Benefits Office:" in flat
        assert ("I am covered by Prairie State Freight Employee Medical Plan and am writing to "
                "ask, under 29 U.S.C. 1024(b)(4), for copies of the documents under which the "
                "plan is set up and run. I ask you, as the plan administrator, to mail them to "
                "me within 30 days of receiving this request.") in flat
        assert "Plan: Prairie State Freight Employee Medical Plan" in flat
        assert "Member ID: GLB-5520371-01; group PSF-3310" in flat
        for asked in ("the latest updated summary plan description, with every later summary "
                      "of material modifications",
                      "the plan document, with every amendment to it",
                      "any trust agreement under which the plan's benefits are funded",
                      "the latest annual report filed for the plan (Form 5500"):
            assert asked in flat, asked
        assert "29 U.S.C. 1024(b)(4)" in flat
        assert "never more than 25 cents a page (29 CFR 2520.104b-30)" in flat
        # Sent September 14 by certified mail, it should arrive September 21: 30 days.
        assert "Please mail the documents by October 21, 2026, 30 days from September 21, " \
               "2026, the day this request should reach you" in flat
        assert ("a plan administrator who does not mail the requested documents within 30 "
                "days may be liable, in a court's discretion, for up to $110 a day") in flat
        assert "29 U.S.C. 1132(c)(1)" in flat and "29 CFR 2575.502c-1" in flat
        # The claim file is another right, asked of the claims administrator.
        assert "2560.503-1" not in flat and "claim file" not in flat.lower()
        assert "will be liable" not in flat and "penalty of $" not in flat
        for word in CARE:
            assert word not in flat, word
        assert "Enclosures" not in flat  # the EOB and the plan of care stay home


@pytest.mark.parametrize("language", ["en", "es"])
def test_one_page_like_a_simple_request(tmp_path, language):
    from pypdf import PdfReader

    path = case_file(tmp_path, EXAMPLE, {"case.language": language})
    out = tmp_path / "out"
    assert main(["build", str(path), "-l", LETTER, "-o", str(out)]) == 0
    pdf = (out / EXAMPLE / f"{LETTER}.pdf").read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_the_funding_names_the_instrument(tmp_path):
    insured = _letter(tmp_path, {"insurer.self_funded": False}, name="insured")
    assert ("the group insurance contract or policy issued by Great Lakes Benefit Services "
            "under which the plan's benefits are provided") in insured
    assert "trust agreement" not in insured
    unknown = _letter(tmp_path, {"insurer.self_funded": None}, name="unknown")
    assert "the group insurance contract or policy, or the trust agreement," in unknown


def test_the_reply_date_counts_from_the_day_it_arrives(tmp_path):
    # By email it arrives the day it is sent: September 14 + 30 days.
    email = _letter(tmp_path, {"case.delivery": "email"}, name="email")
    assert "by October 14, 2026, 30 days from September 14, 2026" in email
    # Day 30 on a Saturday (October 3, 2026, from September 3) moves to Monday.
    weekend = _letter(tmp_path, {"case.delivery": "email", "case.date": dt.date(2026, 9, 3)},
                      name="weekend")
    assert "by October 5, 2026, 30 days from September 3, 2026" in weekend
    assert "moved to the next business day" in weekend


def test_a_representative_writes_for_the_patient(tmp_path):
    text = _letter(tmp_path, {"sender": {
        "name": "Alicia M. Whitaker", "role": "Spouse", "authorization": "enclosed",
        "email": "alicia@example.com"}}, name="spouse")
    assert "I am writing for Darnell K. Whitaker, who is covered by Prairie State Freight " \
           "Employee Medical Plan, to ask, under 29 U.S.C. 1024(b)(4), for copies" in text
    assert "the patient's written authorization is enclosed" in text
    assert "Written authorization signed by Darnell K. Whitaker" in text
    assert "An electronic copy sent to alicia@example.com" in text


@pytest.mark.parametrize(("plan", "words"), [
    ("public-employer", ("not an ERISA plan", "state law")),
    ("church", ("elected", "plan_type = \"employer\"")),
    ("fehb", ("not ERISA", "brochure", "opm.gov")),
    ("marketplace", ("not an ERISA plan", "complete policy")),
    ("individual", ("not an ERISA plan", "complete policy")),
    ("short-term", ("not an ERISA plan", "complete policy")),
    ("medicare", ("not an ERISA plan", "1-800-MEDICARE")),
    ("medicare-advantage", ("Medicare's rules", "Evidence of Coverage")),
    ("medicaid", ("state program", "state Medicaid agency")),
    ("medicaid-managed-care", ("state program", "member handbook")),
    ("other", ("cannot tell that ERISA covers", "plan_type = \"employer\"")),
])
def test_a_plan_erisa_does_not_govern_is_refused_with_where_its_documents_are(
        tmp_path, plan, words):
    reason = refusal(case_file(tmp_path, EXAMPLE, {"insurer.plan_type": plan}), LETTER)
    for word in words:
        assert word in reason, (plan, reason)
    assert "Next step:" in reason


def test_an_uninsured_case_is_refused(tmp_path):
    reason = refusal(case_file(tmp_path, EXAMPLE, {"insurer": {"plan_type": "uninsured"}},
                               drop=["denial", "administrator"]), LETTER)
    assert "plan type 'uninsured'" in reason


def test_without_the_administrator_it_says_who_that_is_and_never_writes_the_insurer(tmp_path):
    reason = refusal(case_file(tmp_path, EXAMPLE, drop=["administrator"]), LETTER)
    assert "no [administrator] name and address" in reason
    assert "summary plan description" in reason
    assert "employer's benefits office" in reason and "not the insurer" in reason
    assert "Great Lakes" not in reason
    no_address = refusal(case_file(tmp_path, EXAMPLE, drop=["administrator.address"],
                                   name="no-address"), LETTER)
    assert "no [administrator] address" in no_address


def test_the_insurer_named_as_administrator_gets_a_note(tmp_path):
    path = case_file(tmp_path, EXAMPLE, {"administrator.name": "Great Lakes Benefit Services"})
    letter = render_letter(load_case(path), LETTER, open_packs([]))
    assert any("only the plan administrator must answer" in n for n in letter.notes)
    plain = render_letter(load_case(case_file(tmp_path, EXAMPLE, name="plain")), LETTER,
                          open_packs([]))
    assert plain.notes == ()


def test_no_paper_about_the_care_reaches_the_administrator(tmp_path):
    enclosures = [
        {"title": "Physical therapy notes, July 2026", "kind": "medical-records"},
        {"title": "Letter of medical necessity from Dr. Ruth Amadi"},
        {"title": "Denial letter dated September 1, 2026"},
        {"title": "Explanation of Benefits dated September 1, 2026"},
        {"title": "Statement from Riverfront Physical Therapy", "kind": "bill"},
        {"title": "Plan of care, July 28, 2026", "kind": "medical-records", "for": ["insurer"]},
        {"title": "Employee ID card", "kind": "id"},
        {"title": "My earlier request of August 1, 2026", "for": ["administrator"]},
    ]
    path = case_file(tmp_path, EXAMPLE, {"enclosures": enclosures})
    letter = render_letter(load_case(path), LETTER, open_packs([]))
    text = document_text(letter.document)
    assert_clean(text)
    sent = [e.title for e in letter.enclosures]  # what a packet would attach
    assert sent == ["Employee ID card", "My earlier request of August 1, 2026"]
    for title in sent:
        assert title in text
    for title in (e["title"] for e in enclosures if e["title"] not in sent):
        assert title not in text
    # The same papers still reach the insurer with the claim-file request.
    to_plan = render_letter(load_case(path), "claim-file-request", open_packs([]))
    assert "Physical therapy notes, July 2026" in [e.title for e in to_plan.enclosures]


def test_the_answer_awaited_is_the_same_date_and_a_late_one_is_followed_up(tmp_path):
    sent = {"date": dt.date(2026, 9, 14), "party": "administrator", "kind": "letter",
            "letter": LETTER}
    waiting = load_case(case_file(tmp_path, EXAMPLE, {"contacts": [sent]}, name="waiting"))
    (awaited,) = Facts(waiting).awaited
    assert awaited.rule.id == "erisa-document-penalty" and awaited.legal
    assert awaited.due == dt.date(2026, 10, 21)  # the date the letter itself asks for
    assert awaited.received_assumed and not awaited.overdue
    late = load_case(case_file(tmp_path, EXAMPLE, {
        "contacts": [{**sent, "received": dt.date(2026, 9, 16)}],
        "case.date": dt.date(2026, 10, 30)}, name="late"))
    (awaited,) = Facts(late).awaited
    assert awaited.due == dt.date(2026, 10, 16) and awaited.overdue
    assert awaited.next_letter == "follow-up"


def test_lettergen_list_names_the_plan_administrator(capsys):
    assert main(["list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if LETTER in line)
    assert "plan administrator" in line


def test_the_blank_keeps_the_employer_plan():
    packs = open_packs([])
    info = find_template(LETTER, packs, "en")
    variants = blank_variants(load_case(EXAMPLES / f"{EXAMPLE}.toml"), info, packs)
    assert variants and variants[0].plan == "employer"
    text = document_text(variants[0].letter.document)
    assert "Prairie State" not in text and "[Administrator name]" in text


# --- Spanish ---------------------------------------------------------------------------


def test_spanish_reads_the_same_request(tmp_path):
    english, spanish = build_pair(EXAMPLES / f"{EXAMPLE}.toml", tmp_path, LETTER)
    assert_matches_english(english, spanish, tmp_path / f"{EXAMPLE}-es.toml")
    text = " ".join(document_text(spanish.document).split())
    assert_clean(text)
    for said in ("descripción resumida del plan", "documento del plan", "Formulario 5500",
                 "nunca más de 25 centavos por página (29 CFR 2520.104b-30)",
                 "a más tardar el 21 de octubre de 2026, 30 días después del 21 de septiembre "
                 "de 2026",
                 "puede ser responsable, a discreción de un tribunal, de hasta $110 por día",
                 "29 U.S.C. 1132(c)(1)", "29 CFR 2575.502c-1", "29 U.S.C. 1024(b)(4)"):
        assert said in text, said
    for word in CARE:
        assert word not in text, word


@pytest.mark.parametrize("changes", [
    {"insurer.self_funded": False},
    {"insurer.self_funded": None, "case.delivery": "email", "case.date": dt.date(2026, 9, 3)},
    {"sender.name": "Alicia M. Whitaker", "sender.role": "Spouse",
     "sender.authorization": "on-file"},
    {"administrator.name": "Great Lakes Benefit Services"},
], ids=["insured", "unknown-funding-weekend", "representative", "insurer-as-administrator"])
def test_spanish_fits_where_english_fits(tmp_path, changes):
    english, spanish = build_pair(EXAMPLES / f"{EXAMPLE}.toml", tmp_path, LETTER,
                                  changes=changes)
    assert not isinstance(english, list)
    assert_matches_english(english, spanish, tmp_path / f"{EXAMPLE}-es.toml")


@pytest.mark.parametrize("plan", ["public-employer", "church", "fehb", "marketplace", "medicare",
                                  "medicare-advantage", "medicaid", "other"])
def test_spanish_refuses_where_english_refuses(tmp_path, plan):
    english, spanish = build_pair(EXAMPLES / f"{EXAMPLE}.toml", tmp_path, LETTER,
                                  changes={"insurer.plan_type": plan})
    assert isinstance(english, list)
    assert_matches_english(english, spanish, tmp_path / f"{EXAMPLE}-es.toml")


def test_spanish_refuses_without_the_administrator(tmp_path):
    english, spanish = build_pair(EXAMPLES / f"{EXAMPLE}.toml", tmp_path, LETTER,
                                  drop=("administrator",))
    assert isinstance(english, list) and "[administrator]" in english[0]
    assert_matches_english(english, spanish, tmp_path / f"{EXAMPLE}-es.toml")


FULL_CASE = EXAMPLES.parent / "tests" / "fixtures" / "full-cases" / f"{EXAMPLE}.toml"


def test_the_full_case_sends_the_authorization_and_nothing_about_the_care():
    letter = render_letter(load_case(FULL_CASE), LETTER, open_packs([]))
    text = document_text(letter.document)
    assert_clean(text)
    assert [e.title for e in letter.enclosures] == [
        "Written authorization signed by Darnell K. Whitaker"]
    flat = " ".join(text.split())
    assert "I write as Darnell K. Whitaker's wife and authorized representative; the " \
           "patient's written authorization is enclosed." in flat
    for word in CARE:
        assert word not in flat, word


def test_the_full_case_in_spanish_fits_as_in_english(tmp_path):
    english, spanish = build_pair(FULL_CASE, tmp_path, LETTER)
    assert_matches_english(english, spanish, tmp_path / f"{EXAMPLE}-es.toml")
    text = " ".join(document_text(spanish.document).split())
    assert "Les escribo en nombre de Darnell K. Whitaker" in text
    assert "Darnell K. Whitaker, que tiene cobertura de Prairie State Freight" in text
    for word in CARE:
        assert word not in text, word
