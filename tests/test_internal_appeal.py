"""internal-appeal: the appeal the plan type provides at the denial's level, argued by
the denial's reason, with the plan type's own process, words and citations.

Every test builds a real sample case (changed with ``case_file``) and reads the letter
as the recipient would."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import (
    assert_clean,
    case_file,
    clean_letter_text,
    cli_letter_texts,
    letter_text,
    refusal,
)

ID = "internal-appeal"

ERISA_WORDS = ("ERISA", "2560.503-1", "502(a)", "2590.715-2719")
MEDICARE_MEDICAID = ("medicare", "medicare-advantage", "medicaid", "medicaid-managed-care")
# Expedited review is for care not yet given: the urgent cases schedule the care after
# the letter date (issue 9 item 6).
UPCOMING = {"claim.service_date": dt.date(2026, 12, 28), "claim.service_end_date": None}


def build(tmp_path, example, changes=None, drop=(), name=None):
    return clean_letter_text(case_file(tmp_path, example, changes, drop, name), ID)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the sample cases -------------------------------------------------------------------


def test_er_out_of_network_employer_emergency(tmp_path):
    text = build(tmp_path, "er-out-of-network")
    # who, what, the exact remedy
    assert "Jordan A. Rivera" in text
    assert "Member ID: XJH123456789; group G-44021" in text
    assert "Claim number: CLM-2026-000123" in text
    assert "Amount in dispute: $27,000.00" in text
    assert "I am writing to appeal Acme Health Plan's decision dated April 10, 2026" in text
    assert "pay the claim at in-network cost-sharing" in text
    # the denial quoted
    assert '"Services rendered by a non-participating provider"' in text
    assert "Codes: CO-242" in text
    # ERISA + ACA process and the emergency-care rule
    assert "29 CFR 2560.503-1" in text
    assert "29 CFR 2590.715-2719" in text
    assert "29 CFR 2590.716-4" in text  # a private employer plan: the Labor Department's text
    assert "45 CFR 149.110" not in text
    assert "without prior authorization" in text
    assert "ERISA §502(a)" in text
    # the deadline, counted from the printed date because [denial] received is absent
    assert "at least 180 days" in text
    assert "Counted from the date printed on the denial, April 10, 2026" in text
    assert "October 7, 2026" in text
    # the argument: the hospital is in network
    assert "Springfield General Hospital was a participating, in-network provider" in text
    # decision clock: 60 days from receipt, asked for 60 days from May 1, 2026, when the
    # letter of April 25 should arrive by certified mail
    assert "within 60 days after you receive this internal appeal" in text
    assert "I ask for it by June 30, 2026, 60 days from May 1, 2026" in text
    # the contact log shows the plan only its own contacts: the call with the hospital's
    # billing office is not the plan's business
    assert "CALL-5521" not in text
    assert "Explanation of Benefits dated April 10, 2026" in text
    assert "cc: Springfield General Hospital" in text
    assert "147.136" not in text  # not urgent: the HHS rule is not needed for an ERISA plan


def test_mri_medical_necessity_employer(tmp_path):
    text = build(tmp_path, "mri-medical-necessity")
    assert "Member ID: BCX-99812-01; group NWL-1200" in text
    assert "Amount in dispute: $2,850.00" in text
    assert "Lone Star Benefits Administrators' decision dated May 28, 2026" in text
    assert '"Lone Star Benefits imaging guideline LS-RAD-12: six weeks of conservative therapy ' \
           'before lumbar MRI"' in text
    assert '"Imaging not medically necessary: conservative therapy of six weeks not ' \
           'documented"' in text
    assert "November 24, 2026" in text
    # the example encloses the therapy notes and no clinician's letter: none is claimed
    assert "letter of medical necessity" not in text.lower()
    assert "the enclosed physical therapy notes, March 20 to May 1, 2026" in text
    assert "peer-to-peer review" in text
    # medical judgment: an independent expert in the field
    assert "trained and experienced in orthopedic surgery" in text
    assert "29 CFR 2560.503-1(h)(3)(iii) and (v)" in text
    assert "29 CFR 2560.503-1(h)(2)(iii) and (m)(8)" in text
    assert "29 CFR 2560.503-1(h)(3)(iv)" in text
    assert "29 CFR 2560.503-1(h)(3)(ii)" in text
    # new evidence asked for, but the unverified rule is not cited
    assert "new or additional evidence or rationale" in text
    assert "(b)(2)(ii)(C)" not in text
    assert "cc: Capitol Orthopedic Associates; Dr. Samuel Ortiz" in text
    assert "Physical therapy notes, March 20 to May 1, 2026" in text


def test_medicare_advantage_prior_auth(tmp_path):
    text = build(tmp_path, "medicare-advantage-prior-auth")
    assert "RE: Request for reconsideration of an organization determination" in text
    assert "request a reconsideration of Sunshine Senior Advantage's organization determination " \
           "dated September 12, 2026" in text
    assert "42 CFR 422.582" in text
    assert "November 16, 2026" in text  # 60 days from receipt, presumed 5 days after the notice
    # the provider is in network: its responsibility, and the enrollee hold-harmless
    assert "Gulf Coast Joint Institute is a contracted provider" in text
    assert "42 CFR 422.504(g)(1)" in text
    assert "retroactive authorization" in text
    # the plan forwards an upheld denial itself
    assert "Independent Review Entity yourself" in text
    assert "42 CFR 422.590(a)(2) and (b)(2)" in text and "422.592" not in text
    # payment request: 60 days
    assert "within 60 days" in text and "42 CFR 422.590" in text
    # the representative
    assert "I am writing for Harold B. Whitfield to request a reconsideration" in text
    assert "appointed representative" in text
    assert "the patient's written authorization is on file with you" in text
    assert "Susan Whitfield" in text
    assert "Member ID: MA-77120034" in text
    assert "Amount in dispute: $48,200.00" in text
    assert "Copy of the organization determination dated September 12, 2026" in text
    for wrong in (*ERISA_WORDS, "147.136", "149.110", "internal appeal", "external review"):
        assert wrong not in text, wrong


def test_docx_and_pdf_via_cli(tmp_path):
    path = case_file(tmp_path, "er-out-of-network")
    docx, pdf = cli_letter_texts(tmp_path, path, ID)
    for text in (flat(docx), flat(pdf)):
        assert "Internal appeal of a denied claim" in text
        assert "XJH123456789" in text
        assert "29 CFR 2590.716-4" in text
        assert "October 7, 2026" in text
        assert "$27,000.00" in text
        assert "Jordan A. Rivera" in text
    assert_clean(docx)


# --- one argument per denial reason ----------------------------------------------------

REASON_PHRASES = {
    "medical-necessity": ["The care was medically necessary"],
    "prior-authorization": ["retroactive authorization", "responsibility under its contract"],
    "out-of-network": ["provider directory"],
    "coding": ["corrected claim"],
    "bundling": ["separate and distinct"],
    "coverage-terminated": ["in force on", "notice of termination"],
    "rescission": ["misrepresentation", "reinstate the coverage"],
    "benefit-limit": ["counted toward the limit"],
    "experimental": ["not experimental or investigational", "peer-reviewed published studies"],
    "timely-filing": ["proof of timely submission"],
    "preventive-as-diagnostic": ["modifier 33", "42 U.S.C. 300gg-13"],
    "coordination-of-benefits": ["coordination of benefits questionnaire"],
    "other": ["specific plan provision"],
}


@pytest.mark.parametrize("example", ["mri-medical-necessity", "er-out-of-network"])
@pytest.mark.parametrize("reason", sorted(REASON_PHRASES))
def test_each_reason_has_its_own_argument(tmp_path, example, reason):
    text = build(tmp_path, example, {"denial.reason": reason})
    assert "Why the denial should be reversed." in text
    assert "Please decide this internal appeal on the following;" in text
    for phrase in REASON_PHRASES[reason]:
        assert phrase in text, f"{reason}: {phrase!r} missing"
    for other, phrases in REASON_PHRASES.items():
        if other != reason:
            for phrase in phrases:
                assert phrase not in text, f"{reason}: {other}'s {phrase!r} present"


@pytest.mark.parametrize("reason", ["medical-necessity", "experimental", "prior-authorization",
                                    "benefit-limit"])
def test_peer_to_peer_for_medical_judgment_where_the_plan_decides(tmp_path, reason):
    text = build(tmp_path, "mri-medical-necessity", {"denial.reason": reason})
    assert "a peer-to-peer review, before you decide, between Dr. Samuel Ortiz" in text
    for plan_type in ("medicare", "medicaid"):  # a redetermination, a fair hearing
        text = build(tmp_path, "mri-medical-necessity",
                     {"denial.reason": reason, "insurer.plan_type": plan_type}, name=plan_type)
        assert "peer-to-peer" not in text, plan_type


@pytest.mark.parametrize("reason", ["coding", "coverage-terminated", "out-of-network"])
def test_no_peer_to_peer_for_other_reasons(tmp_path, reason):
    assert "peer-to-peer" not in build(tmp_path, "mri-medical-necessity",
                                       {"denial.reason": reason})


def test_prior_auth_out_of_network_provider_not_chosen(tmp_path):
    text = build(tmp_path, "er-anesthesia", {"denial.reason": "prior-authorization",
                                            "claim.emergency": False})
    assert "did not choose Prairie Anesthesia Associates" in text
    assert "responsibility under its contract" not in text  # not a network provider
    assert "retroactive authorization" in text


def test_out_of_network_clinician_at_in_network_facility(tmp_path):
    text = build(tmp_path, "er-anesthesia", {"claim.emergency": False})
    assert "I did not choose Prairie Anesthesia Associates" in text
    assert "Springfield General Hospital, an in-network facility" in text
    assert "45 CFR 149.420" in text
    assert "notice-and-consent is never valid for ancillary services" in text
    assert "in-network exception" in text
    assert "149.110" not in text  # not emergency care


def test_rescission_is_appealable_for_aca_plans_only(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {"denial.reason": "rescission"})
    assert "29 CFR 2590.715-2719(a)(2)(i)" in text and "147.136" not in text  # ERISA plan
    text = build(tmp_path, "mri-medical-necessity", {"denial.reason": "rescission",
                                                     "insurer.plan_type": "individual"},
                 name="individual")
    assert "45 CFR 147.136(a)(2)(i)" in text
    text = build(tmp_path, "mri-medical-necessity", {"denial.reason": "rescission",
                                                     "insurer.plan_type": "short-term"})
    assert "147.136" not in text and "misrepresentation" in text


def test_preventive_on_medicare_uses_pt_not_33(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {"denial.reason": "preventive-as-diagnostic",
                                                     "insurer.plan_type": "medicare"})
    assert "modifier PT" in text
    assert "modifier 33" not in text
    assert "300gg-13" not in text


def test_preventive_marketplace_cites_hhs_rule(tmp_path):
    text = build(tmp_path, "preventive-billed-diagnostic")
    assert "42 U.S.C. 300gg-13" in text and "45 CFR 147.130" in text
    assert "29 CFR 2590.715-2713" not in text
    assert "modifier 33" in text
    assert '"Applied to deductible"' in text


def test_medicare_medical_necessity_asks_for_limitation_on_liability(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {"insurer.plan_type": "medicare"})
    assert "42 U.S.C. 1395pp" in text
    assert "Advance Beneficiary Notice" in text
    assert "peer-to-peer" not in text  # not part of a Medicare redetermination


def test_medicare_limitation_on_liability_follows_the_abn_field(tmp_path):
    medicare = {"insurer.plan_type": "medicare"}
    unknown = flat(build(tmp_path, "mri-medical-necessity", medicare))
    assert "generally not liable for it when the provider gave no valid" in unknown
    no_abn = flat(build(tmp_path, "mri-medical-necessity",
                        {**medicare, "provider.abn_signed": False}, name="no-abn"))
    assert "Capitol Orthopedic Associates gave me no valid Advance Beneficiary Notice " \
           "(form CMS-R-131) before the service." in no_abn
    assert "therefore generally not liable for it (42 U.S.C. 1395pp)" in no_abn
    assert "when the provider gave" not in no_abn
    signed = build(tmp_path, "mri-medical-necessity",
                   {**medicare, "provider.abn_signed": True}, name="abn")
    assert "1395pp" not in signed and "Advance Beneficiary Notice" not in signed


def test_case_manager_for_ongoing_treatment(tmp_path):
    ongoing = {"claim.ongoing_treatment": True}
    text = flat(build(tmp_path, "mri-medical-necessity", ongoing))
    assert "Because my treatment is ongoing, I also ask that Lone Star Benefits " \
           "Administrators assign a case manager to my care" in text
    text = build(tmp_path, "medicare-advantage-prior-auth", ongoing)
    assert "Because Harold B. Whitfield's treatment is ongoing" in text
    for plan_type in ("medicare", "medicaid"):  # no case manager from a MAC or a hearing
        text = build(tmp_path, "mri-medical-necessity",
                     {**ongoing, "insurer.plan_type": plan_type}, name=plan_type)
        assert "case manager" not in text, plan_type


# --- one process per plan type ---------------------------------------------------------

PLAN_EXPECT = {
    "employer": (["internal appeal", "29 CFR 2560.503-1", "29 CFR 2590.715-2719",
                  "ERISA §502(a)", "at least 180 days", "November 24, 2026", "external review"],
                 ["147.136", "redetermination", "fair hearing"]),
    "public-employer": (["internal appeal", "45 CFR 147.136", "45 CFR 147.136(b)",
                         "November 24, 2026", "external review",
                         "government employer group health plan"],
                        [*ERISA_WORDS, "at least 180 days"]),
    "church": (["appeal procedure of Northwind Logistics Employee Health Plan"],
               [*ERISA_WORDS, "CFR", "external review"]),
    "fehb": (["appeal procedure of Northwind Logistics Employee Health Plan",
              "5 CFR 890.105(b)(1)", "6 months", "November 28, 2026"],
             [*ERISA_WORDS, "45 CFR", "42 CFR"]),
    "marketplace": (["internal appeal", "45 CFR 147.136", "November 24, 2026"], ERISA_WORDS),
    "individual": (["internal appeal", "45 CFR 147.136", "November 24, 2026"], ERISA_WORDS),
    "short-term": (["appeal procedure of"], [*ERISA_WORDS, "CFR"]),
    "medicare": (["RE: Request for redetermination of a Medicare claim",
                  "request a redetermination of the initial determination dated May 28, 2026",
                  "42 CFR part 405, subpart I", "42 CFR 405.942", "Medicare number BCX-99812-01",
                  "presumed to arrive 5 days after its date", "September 30, 2026",
                  "Medicare Summary Notice", "within 60 days"],
                 [*ERISA_WORDS, "147.136", "internal appeal", "external review"]),
    "medicare-advantage": (["RE: Request for reconsideration of an organization determination",
                            "42 CFR 422.582", "August 1, 2026", "Independent Review Entity"],
                           [*ERISA_WORDS, "147.136", "internal appeal", "external review"]),
    "medicaid": (["RE: Request for a fair hearing", "request a fair hearing on",
                  "42 CFR 431.221(d)", "42 CFR part 431, subpart E", "August 26, 2026",
                  "42 CFR 431.244(f)", "Dear Hearing Officer"],
                 [*ERISA_WORDS, "147.136", "internal appeal", "external review"]),
    "medicaid-managed-care": (["RE: Appeal of an adverse benefit determination",
                               "42 CFR 438.402(c)(2)(ii)", "July 27, 2026", "42 CFR 438.404(b)(2)",
                               "state fair hearing", "42 CFR 438.408(b)", "within 30 days"],
                              [*ERISA_WORDS, "147.136", "internal appeal", "external review"]),
    "other": (["appeal procedure of"], [*ERISA_WORDS, "CFR"]),
}


@pytest.mark.parametrize("plan_type", sorted(PLAN_EXPECT))
def test_each_plan_type_uses_its_own_process(tmp_path, plan_type):
    text = build(tmp_path, "mri-medical-necessity", {"insurer.plan_type": plan_type})
    present, absent = PLAN_EXPECT[plan_type]
    for phrase in present:
        assert phrase in text, f"{plan_type}: {phrase!r} missing"
    for phrase in absent:
        assert phrase not in text, f"{plan_type}: {phrase!r} present"


def test_uninsured_is_refused(tmp_path):
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity",
                                {"insurer.plan_type": "uninsured"}), ID)
    assert "uninsured" in reasons


def test_grandfathered_employer_plan_is_erisa_without_aca(tmp_path):
    text = build(tmp_path, "er-out-of-network", {"insurer.grandfathered": True})
    assert "29 CFR 2560.503-1" in text and "ERISA §502(a)" in text
    assert "29 CFR 2590.716-4" in text  # the No Surprises Act reaches grandfathered plans
    for wrong in ("2590.715-2719", "147.136", "external review", "new or additional evidence"):
        assert wrong not in text, wrong
    # the list of what the review asks for ends with its last item, not with a semicolon
    assert "whether or not you relied on it (29 CFR 2560.503-1(h)(3)(iv))." in text


@pytest.mark.parametrize("plan_type", ["short-term", *MEDICARE_MEDICAID])
def test_no_surprises_emergency_rule_only_where_it_applies(tmp_path, plan_type):
    text = build(tmp_path, "er-out-of-network", {"insurer.plan_type": plan_type})
    assert "149.110" not in text
    assert "This was emergency care" in text


@pytest.mark.parametrize("plan_type, citation", [
    ("public-employer", "45 CFR 149.110"), ("church", "26 CFR 54.9816-4T"),
    ("fehb", "5 CFR 890.114(a)"), ("marketplace", "45 CFR 149.110")])
def test_emergency_rule_for_nsa_plans(tmp_path, plan_type, citation):
    text = build(tmp_path, "er-out-of-network",
                 {"insurer.plan_type": plan_type, "denial.reason": "prior-authorization"})
    assert citation in text
    if plan_type in ("church", "fehb"):
        assert "149.110" not in text
    assert "without prior authorization" in text
    assert "ERISA" not in text


# --- levels, finality, urgency ----------------------------------------------------------


def test_medicare_level_2_is_a_qic_reconsideration(tmp_path):
    text = build(tmp_path, "mri-medical-necessity",
                 {"insurer.plan_type": "medicare", "denial.level": 2})
    assert "RE: Request for reconsideration by a Qualified Independent Contractor" in text
    assert "request a reconsideration by a Qualified Independent Contractor of the " \
           "redetermination dated May 28, 2026" in text
    assert "upheld that denial in the redetermination" in text
    assert "evidence not given to the Qualified Independent Contractor may be excluded" in text
    assert "November 29, 2026" in text  # 180 days from receipt, presumed 5 days after the date
    assert "request a redetermination" not in text
    assert "2560.503-1" not in text and "147.136" not in text


def test_medicare_level_3_is_refused(tmp_path):
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity",
                                {"insurer.plan_type": "medicare", "denial.level": 3}), ID)
    assert "OMHA-100" in reasons


def test_medicare_advantage_level_2_is_refused(tmp_path):
    reasons = refusal(case_file(tmp_path, "medicare-advantage-prior-auth",
                                {"denial.level": 2}), ID)
    assert "Independent Review Entity" in reasons


def test_final_internal_denial_points_to_external_review(tmp_path):
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity",
                                {"denial.final_internal": True}), ID)
    assert "final_internal" in reasons
    assert "external-review-request" in reasons


def test_employer_level_2_references_earlier_decisions(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {"denial.level": 2})
    assert "RE: Level 2 internal appeal of a denied claim" in text
    assert "This is a level 2 internal appeal." in text
    assert "first denied the claim and then, in its decision dated May 28, 2026, upheld that " \
           "denial on appeal" in text
    assert "without deference to either earlier decision" in text
    # a plan with two levels decides each within 30 days of receipt: asked for 30 days from
    # June 23, 2026, the day the letter of June 15 should arrive by certified mail
    assert "within 30 days after you receive this internal appeal" in text
    assert "I ask for it by July 23, 2026, 30 days from June 23, 2026" in text


def test_medicaid_managed_care_level_2_is_a_state_fair_hearing(tmp_path):
    agency = {"name": "Texas HHSC Appeals Division", "address": ["PO Box 149030",
                                                                 "Austin, TX 78714"]}
    text = build(tmp_path, "mri-medical-necessity", {"insurer.plan_type": "medicaid-managed-care",
                                                     "denial.level": 2, "regulator": agency})
    assert "Texas HHSC Appeals Division" in text
    assert "RE: Request for a state fair hearing" in text
    assert "upheld that denial on my appeal to the plan" in text
    assert "42 CFR part 431, subpart E" in text
    assert "cc: Capitol Orthopedic Associates; Lone Star Benefits Administrators" in text
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity",
                                {"insurer.plan_type": "medicaid-managed-care", "denial.level": 2},
                                name="no-agency"), ID)
    assert "state Medicaid agency" in reasons and "[regulator]" in reasons


def test_medicaid_continued_benefits_follow_the_date_of_action(tmp_path):
    """The notice is dated May 28, 2026. Before its date of action (431.230(a)); without
    one, before the earliest date an advance notice allows (431.211); 10 days from
    receipt only where the agency acted without advance notice (431.231(c))."""
    medicaid = {"insurer.plan_type": "medicaid", "case.date": dt.date(2026, 6, 5)}
    unknown = build(tmp_path, "mri-medical-necessity", medicaid)
    assert "42 CFR 431.211" in unknown and "431.231(c)" not in unknown
    assert "please continue it unchanged until the hearing decision" in unknown
    advance = build(tmp_path, "mri-medical-necessity",
                    {**medicaid, "denial.action_date": dt.date(2026, 6, 10)})
    assert "before June 10, 2026, the date of action on the notice (42 CFR 431.230(a))" \
        in advance
    without = build(tmp_path, "mri-medical-necessity",
                    {**medicaid, "denial.action_date": dt.date(2026, 5, 28)})
    assert "acted without advance notice" in without and "42 CFR 431.231(c)" in without
    assert "please reinstate it" in without
    late = build(tmp_path, "mri-medical-necessity",
                 {**medicaid, "case.date": dt.date(2026, 6, 15),
                  "denial.action_date": dt.date(2026, 6, 10)})
    assert "431.230" not in late and "431.231" not in late


def test_urgent_employer_appeal(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {**UPCOMING, "denial.urgent": True})
    assert "RE: URGENT, expedited review requested: Internal appeal" in text
    assert "I ask for expedited review" in text
    assert "29 CFR 2560.503-1(i)(2)(i)" in text
    assert "72 hours" in text
    assert "expedited external review may be requested at the same time" in text
    # the concurrent expedited external review rule, in the Labor Department's text
    assert "29 CFR 2590.715-2719" in text and "147.136" not in text


def test_urgent_aca_appeal(tmp_path):
    text = build(tmp_path, "mri-medical-necessity",
                 {**UPCOMING, "denial.urgent": True, "insurer.plan_type": "marketplace"})
    assert "72 hours" in text and "45 CFR 147.136(b)" in text
    assert "expedited external review may be requested at the same time" in text
    assert "ERISA" not in text


def test_urgent_medicare_advantage(tmp_path):
    text = build(tmp_path, "medicare-advantage-prior-auth", {**UPCOMING, "denial.urgent": True})
    assert "72 hours" in text and "42 CFR 422.590" in text
    assert "when a physician makes or supports the request and indicates" in text
    assert "42 CFR 422.584(c)(2)(ii)" in text
    assert "external review" not in text


def test_urgent_medicaid_managed_care_cites_no_unverified_time(tmp_path):
    text = build(tmp_path, "mri-medical-necessity",
                 {**UPCOMING, "denial.urgent": True, "insurer.plan_type": "medicaid-managed-care"})
    assert "I ask for an expedited appeal" in text
    assert "72" not in text
    assert "438.408(b)" in text  # the standard 30-day clock still stated


def test_pre_service_request_asks_for_approval(tmp_path):
    text = build(tmp_path, "mri-medical-necessity",
                 {"claim.service_date": dt.date(2026, 7, 10)})
    assert "approve the service" in text
    assert "29 CFR 2560.503-1(i)(2)(ii)" in text and "within 30 days" in text
    assert "reprocess the claim" not in text


# --- deadlines ------------------------------------------------------------------------------


def test_deadline_from_the_received_date(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {"denial.received": dt.date(2026, 6, 1)})
    assert "The denial was received on June 1, 2026, so the deadline is November 28, 2026." \
        in text
    assert "date printed on the denial" not in text


def test_missed_deadline_is_refused(tmp_path):
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity",
                                {"case.date": dt.date(2026, 12, 1)}), ID)
    assert "November 24, 2026" in reasons
    assert "[denial] received" in reasons


def test_decision_clock_counts_from_appeal_filed(tmp_path):
    text = build(tmp_path, "mri-medical-necessity", {"denial.appeal_filed": dt.date(2026, 6, 10)})
    # 60 days from June 17, 2026, the day the appeal sent on June 10 should have arrived
    assert "I ask for it by August 16, 2026, 60 days from June 17, 2026, the day the internal " \
           "appeal filed on June 10, 2026 should have reached you" in text


# --- text from the case is text ----------------------------------------------------------


def test_case_text_prints_as_typed(tmp_path):
    path = case_file(tmp_path, "mri-medical-necessity",
                     {"provider.name": "O'Brien *Imaging* Associates",
                      "denial.reason_text": "Not covered <b>{{ x }}</b>"})
    text = letter_text(path, ID)
    assert "from O'Brien *Imaging* Associates on May 2, 2026" in text
    assert '"Not covered <b>{{ x }}</b>"' in text


def test_missing_fields_are_named(tmp_path):
    reasons = refusal(case_file(tmp_path, "mri-medical-necessity", drop=["patient.member_id",
                                                                          "denial.reason"]), ID)
    assert "[patient] member_id" in reasons and "[denial] reason" in reasons


def test_individual_market_level_2_goes_to_external_review(tmp_path):
    reasons = refusal(case_file(tmp_path, "preventive-billed-diagnostic", {"denial.level": 2}), ID)
    assert "one level of internal appeal" in reasons
    assert "external-review-request" in reasons


def test_preventive_without_modifier_asks_for_it(tmp_path):
    path = case_file(tmp_path, "preventive-billed-diagnostic",
                     {"charges": [{"date": dt.date(2026, 6, 18), "code": "45378",
                                   "code_type": "CPT", "billed": "3400.00"}]})
    text = letter_text(path, ID)
    assert_clean(text)
    assert "if the claim lacks modifier 33" in text
    assert "billed it with modifier 33" not in text
