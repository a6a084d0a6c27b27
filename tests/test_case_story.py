"""One consistent story across an insurance case (issue 10, items 5, 6, 7, 10, 16).

Every test builds a fully filled case (tests/fixtures/full-cases) and reads the letters
back as their recipients would: the stage of the dispute said the same way to the
provider, the plan and the clinician as ``check`` prints it; each recipient's contact log
only its own; evidence named only when it is enclosed, with what it shows; no letter that
argues the wrong question at the case's stage.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import tomli_w

from conftest import assert_clean, cli_letter_texts, letter_text, refusal
from lettergen.cli import main

FULL = Path(__file__).resolve().parent / "fixtures" / "full-cases"


def full(name: str) -> Path:
    return FULL / f"{name}.toml"


def variant(tmp_path: Path, name: str, changes: dict[str, dict]) -> Path:
    """A copy of a full case with some tables' keys changed (``None`` deletes a key)."""
    data = tomllib.loads(full(name).read_text("utf-8"))
    for table, keys in changes.items():
        for key, value in keys.items():
            if value is None:
                data[table].pop(key, None)
            else:
                data[table][key] = value
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    return path


def text(path: Path, letter: str) -> str:
    out = letter_text(path, letter)
    assert_clean(out)
    return out


def check_json(capsys, path: Path) -> dict:
    assert main(["check", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# ---- item 5: the stage, computed once, told to every recipient -------------------------


def test_after_the_final_denial_the_provider_hears_external_review_with_checks_date(capsys):
    path = full("er-out-of-network")
    stage = check_json(capsys, path)["stage"]
    assert stage == {"kind": "external-review", "due": "2026-11-20",
                     "text": "external review is being requested, due November 20, 2026"}
    assert main(["check", str(path)]) == 0
    assert "Stage: external review is being requested, due November 20, 2026" \
        in capsys.readouterr().out
    for letter in ("billing-hold-request", "itemized-bill-request"):
        body = text(path, letter)
        assert "external review is being requested, due November 20, 2026" in body, letter
        assert "being appealed" not in body and "under appeal" not in body, letter
    hold = text(path, "billing-hold-request")
    assert "the plan's final denial is under independent external review" in hold
    assert "reprocessed after the external review of Acme Health Plan's denial" in hold


def test_the_plan_and_the_clinician_count_toward_external_review_after_the_final_denial():
    path = full("er-out-of-network")
    assert "I need the file to prepare the external review request, which must be filed by " \
           "November 20, 2026" in text(path, "claim-file-request")
    reprocess = text(path, "reprocessing-request")
    assert "This request does not take the place of external review. The external review " \
           "deadline, November 20, 2026, continues to run" in reprocess
    assert "internal appeal" not in reprocess


def test_before_the_appeal_the_stage_is_the_appeal_and_its_deadline(capsys):
    path = full("er-anesthesia")
    assert check_json(capsys, path)["stage"]["text"] == \
        "the denial is being appealed; the internal appeal is due October 11, 2026"
    assert "and the denial is being appealed; the internal appeal is due October 11, 2026" \
        in text(path, "billing-hold-request")


def test_a_filed_appeal_is_pending_with_its_decision_date_and_no_deadline_to_meet(capsys):
    path = full("preventive-billed-diagnostic")
    stage = check_json(capsys, path)["stage"]
    assert stage["kind"] == "decision"
    # filed Monday August 3, 2026: by mail it reaches the plan five business days later,
    # August 10; the plan has 60 days from receipt: October 9, 2026
    words = "the internal appeal filed on August 3, 2026 is pending; a decision is due by " \
            "October 9, 2026"
    assert stage["text"] == words
    assert words in text(path, "billing-hold-request")
    assert words in text(path, "itemized-bill-request")
    reprocess = text(path, "reprocessing-request")
    assert f"This request does not take the place of the appeal: {words}." in reprocess
    assert "I will file" not in reprocess  # the appeal is already in
    assert "I need the file to prepare" not in text(path, "claim-file-request")


def test_each_recipient_sees_only_its_own_contacts():
    path = full("mri-external-review")
    hold = text(path, "billing-hold-request")
    assert "COA-H-2291" in hold and "COA-H-2417" in hold  # the billing office's calls
    assert "LS-44120" not in hold  # not the plan's
    appeal_path = full("mri-medical-necessity")
    appeal = text(appeal_path, "internal-appeal")
    assert "LS-44120" in appeal  # the plan's own call
    assert "COA-H-2291" not in appeal and "Dr. Ortiz's office" not in appeal
    # a regulator judges the whole dispute: every contact
    complaint = text(path, "regulator-complaint")
    assert "LS-44120" in complaint and "COA-H-2417" in complaint


# ---- item 6: no letter that argues the wrong question at this stage ---------------------


def test_network_gap_refuses_a_final_medical_necessity_denial_and_points_to_external_review(
        tmp_path):
    path = variant(tmp_path, "er-anesthesia-network-gap", {"denial": {
        "reason": "medical-necessity",
        "reason_text": "Appeal denied: anesthesia services not medically necessary"}})
    why = refusal(path, "network-gap-exception")
    assert "denied the claim for medical necessity" in why
    assert "not for the provider's network status" in why
    assert "ask for external review by November 6, 2026" in why
    assert "external-review-request" in why


def test_network_gap_after_a_final_network_denial_keeps_the_external_review_deadline():
    body = text(full("er-anesthesia-network-gap"), "network-gap-exception")
    assert "Your decision dated July 2, 2026 gives the reason \"Appeal denied: " \
           "non-participating provider; no network exception on file\"" in body
    assert "This request does not take the place of external review. The external review " \
           "deadline, November 6, 2026, continues to run" in body
    assert "internal appeal" not in body


def test_the_clinician_is_asked_for_a_supplemental_letter_to_the_external_reviewer():
    body = text(full("mri-external-review"), "medical-necessity-request")
    assert "RE: Request for a supplemental letter for external review" in body
    assert "external review is being requested, due December 24, 2026" in body
    assert "a supplemental letter, addressed to the independent reviewer" in body
    assert "Your earlier letter is enclosed (Letter of medical necessity from Dr. Samuel " \
           "Ortiz dated June 30, 2026)" in body
    assert "addressed to the independent review organization" in body
    assert "peer-to-peer" not in body.lower()
    assert "so that it goes with the request for external review" in body


def test_before_the_appeal_the_clinician_is_asked_for_a_letter_and_a_peer_to_peer():
    body = text(full("mri-medical-necessity"), "medical-necessity-request")
    assert "RE: Request for a letter of medical necessity and a peer-to-peer review" in body
    assert "supplemental" not in body and "Your earlier letter" not in body


# ---- item 7: the No Surprises Act cap while coverage itself is denied -------------------


def test_surprise_bill_is_conditional_while_coverage_itself_is_denied(tmp_path):
    path = variant(tmp_path, "er-anesthesia-network-gap", {"denial": {
        "reason": "medical-necessity",
        "reason_text": "Appeal denied: anesthesia services not medically necessary"}})
    body = text(path, "surprise-bill-dispute")
    assert "RE: Bill for care whose coverage is under review: request to hold the account" \
        in body
    assert "Acme Health Plan has denied coverage of this care in its decision dated July 2, " \
           "2026" in body
    assert "external review is being requested, due November 6, 2026" in body
    assert "I ask you to hold the account while that review is pending. If the denial is " \
           "reversed, the federal No Surprises Act limits what you may bill me for this care " \
           "to the in-network cost-sharing Acme Health Plan then sets (45 CFR 149.410)" in body
    assert "barred" not in body and "withdraw the balance bill" not in body
    assert "This care is protected by the federal No Surprises Act" not in body


def test_surprise_bill_states_the_cap_when_the_plan_denied_for_network_status():
    body = text(full("er-anesthesia"), "surprise-bill-dispute")
    assert "RE: Balance bill barred by the No Surprises Act" in body
    assert "This care is protected by the federal No Surprises Act" in body
    assert "withdraw the balance bill" in body


# ---- item 10: evidence named only when enclosed, with what it shows ---------------------


def test_the_appeal_states_what_the_enclosed_records_show_and_claims_no_letter():
    body = text(full("mri-medical-necessity"), "internal-appeal")
    assert "Physical therapy notes, March 20 to May 1, 2026: six weeks of physical therapy, " \
           "from March 20 to May 1, 2026, before the MRI on May 2." in body
    assert "letter of medical necessity" not in body.lower()
    assert "explains in the enclosed letter" not in body


def test_external_review_names_the_enclosed_letter_and_what_each_document_shows():
    body = text(full("mri-external-review"), "external-review-request")
    assert "Dr. Samuel Ortiz (Orthopedic surgery) explains in the enclosed letter" in body
    assert "Letter of medical necessity from Dr. Samuel Ortiz dated June 30, 2026: that " \
           "radicular pain persisted after the six weeks of therapy" in body
    # only what the case encloses is listed
    assert "Medical records for the care on" not in body
    assert "explaining why the care is needed" not in body


def test_external_review_without_a_clinicians_letter_claims_none(tmp_path):
    data = tomllib.loads(full("mri-external-review").read_text("utf-8"))
    data["enclosures"] = [e for e in data["enclosures"]
                          if e.get("kind") != "medical-necessity-letter"]
    path = tmp_path / "no-letter.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    body = text(path, "external-review-request")
    assert "enclosed letter" not in body
    assert "Letter of medical necessity" not in body
    assert "Physical therapy notes, March 20 to May 1, 2026: six weeks" in body


def test_medical_records_and_what_they_show_stay_away_from_the_billing_office():
    hold = text(full("mri-external-review"), "billing-hold-request")
    assert "Physical therapy notes" not in hold
    assert "six weeks of physical therapy" not in hold


# ---- item 16: the patient's own letter speaks as "I"; a representative names once -----


def test_the_patients_own_surprise_bill_letter_speaks_as_i():
    body = text(full("er-anesthesia"), "surprise-bill-dispute")
    assert "I received emergency care at Springfield General Hospital on March 2, 2026." in body
    assert "I did not choose Prairie Anesthesia Associates" in body
    assert "I signed no notice-and-consent form" in body
    assert "Jordan A. Rivera received" not in body
    assert "Jordan A. Rivera did not choose" not in body


def test_a_representatives_billing_hold_names_the_patient_once_in_the_body():
    body = text(full("er-out-of-network"), "billing-hold-request")
    opening = body.split("Dear Patient Financial Services:", 1)[1].split("Sincerely,", 1)[0]
    assert opening.count("Jordan A. Rivera") <= 3  # the opening and the authorization
    assert "what the patient will owe" in body
    assert "the patient will pay the cost-sharing shown on the corrected Explanation of " \
           "Benefits" in body


# ---- the same words in the files the recipient gets --------------------------------------


def test_the_stage_reaches_the_docx_and_the_pdf(tmp_path):
    docx, pdf = cli_letter_texts(tmp_path, full("er-out-of-network"), "billing-hold-request")
    assert "external review is being requested, due November 20, 2026" in docx
    assert "external review is being requested" in " ".join(pdf.split())
