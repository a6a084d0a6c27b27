"""The one declaration of the case file: every table and key, its type and its meaning.

The loader (``casefile``) validates against ``TABLES``; the JSON Schema
(``json_schema``), the starter file (``starter_case_text``) and the reference page are
generated from it. Nothing about the case file's shape is written anywhere else, so a
key cannot be documented in one place and spelled differently in another.

Descriptions are published to patients: plain words, and which paper to copy from.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from lettergen.case.money import MONEY_PATTERN, format_money

__all__ = [
    "Field", "Kind", "PLACEHOLDER", "STATES", "TABLES", "TABLES_BY_NAME", "Table",
    "field_at", "json_schema", "starter_case_text", "toml_value", "type_label",
]

Kind = Literal["str", "int", "bool", "date", "money", "lines", "list", "enum", "state",
               "table", "tables"]
"""``lines`` is an address (a list of lines), ``list`` any other list of text, ``table`` an
inline table and ``tables`` a list of inline tables (their keys are in ``Field.fields``)."""

PLACEHOLDER = "FILL IN"
"""Starts every placeholder value in the starter file, so a check can spot one left in."""


@dataclass(frozen=True)
class Field:
    """One key of a table: its type, its meaning, and what the starter file shows."""

    name: str
    kind: Kind
    description: str
    example: object = None
    required: bool = False
    default: object = None
    default_is_today: bool = False  # case.date: the real date when absent
    choices: tuple[tuple[str, str], ...] = ()  # (value, meaning); meaning may be ""
    minimum: int | None = None
    maximum: int | None = None  # for a whole number: well above any real value
    pattern: str | None = None  # for text: a regular expression it must match
    pattern_hint: str = ""  # what the pattern means, for the error message
    fields: tuple[Field, ...] = ()  # for "table" and "tables"
    placeholder: object = None  # the starter file's value for a required key

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed values of an enum, in declared order."""
        return tuple(value for value, _ in self.choices)


@dataclass(frozen=True)
class Table:
    """One table of the case file (``[claim]``) or an array of tables (``[[charges]]``)."""

    name: str
    description: str
    fields: tuple[Field, ...]
    required: bool = False
    array: bool = False
    implicit: bool = False  # always present, defaults applied, even when not written

    @property
    def header(self) -> str:
        return f"[[{self.name}]]" if self.array else f"[{self.name}]"

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _f(name: str, kind: Kind, description: str, example: object = None, **kw: object) -> Field:
    return Field(name, kind, description, example, **kw)  # type: ignore[arg-type]


def _enum(name: str, choices: tuple[str | tuple[str, str], ...], description: str,
          example: object = None, **kw: object) -> Field:
    pairs = tuple(c if isinstance(c, tuple) else (c, "") for c in choices)
    return Field(name, "enum", description, example, choices=pairs, **kw)  # type: ignore[arg-type]


def _d(text: str) -> Decimal:
    return Decimal(text)


STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}
"""The two-letter codes ``case.state`` accepts (50 states, DC, Puerto Rico) and their names."""

_ADDRESS = ["PO Box 1000", "Springfield, IL 62701"]

TABLES: tuple[Table, ...] = (
    Table("case", "About the case itself: its name, its state, the letters to make and the "
          "date to print on them.", implicit=True, fields=(
        _f("title", "str", "A short name for this case, for your own records and reports.",
           "Emergency visit, March 2026"),
        _f("extends", "str", "Another case file this one starts from (for example one with "
           "the patient and plan that several bills share), as a path relative to this "
           "file; what you write here wins.", "er-visit-common.toml"),
        Field("state", "state", "The two-letter code of the state whose rules apply, "
              "usually where you live or where your plan was issued.", "IL",
              choices=tuple(STATES.items())),
        _f("language", "str", 'The language of the letters: "en" for English, or another '
           'code such as "es" where the template pack has it.', "en", default="en",
           pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$",
           pattern_hint='expected a language code such as "en" or "es"'),
        _enum("reading_copy", (("es", "Spanish"), ("en", "English")),
              "A copy of every letter in this language, for the patient to read before "
              "signing; it is written beside the letter as <id>.es.pdf (or .en) and "
              "marked as a copy not to send. Use it to send English letters to an "
              'English-speaking office with language = "en" while the patient reads '
              "Spanish.", "es"),
        _f("date", "date", "The date printed on the letters and counted as today for every "
           "deadline; leave it out to use the real date.", _dt.date(2026, 5, 1),
           default_is_today=True),
        _f("letters", "list", "The letters to make when you run build without -l, by "
           "template id (lettergen list shows them).", ["itemized-bill-request"]),
        _enum("delivery", ("certified-mail", "fax", "portal", "email", "hand"),
              "How you will send the letters; certified mail with a return receipt proves "
              "when they arrived. Left out: certified mail, except an urgent appeal to an "
              "insurer whose fax the case gives, which goes by fax.", "certified-mail"),
    )),
    Table("patient", "The patient whose care was billed.", required=True, fields=(
        _f("name", "str", "The patient's full name as it appears on the bill and the "
           "insurance card.", "Jordan A. Rivera", required=True,
           placeholder=f"{PLACEHOLDER}: the patient's full name"),
        _f("address", "lines", "The patient's mailing address, one line per item in the "
           "brackets.", ["1200 Elm Street, Apt 4B", "Springfield, IL 62701"], required=True,
           placeholder=[f"{PLACEHOLDER}: street address", f"{PLACEHOLDER}: city, state ZIP"]),
        _f("phone", "str", "A phone number where the patient can be reached.",
           "(217) 555-0142"),
        _f("email", "str", "An email address where the patient can be reached.",
           "jordan@example.org"),
        _f("date_of_birth", "date", "The patient's date of birth, which billing offices and "
           "insurers use to find the account.", _dt.date(1985, 4, 12)),
        _f("member_id", "str", "The member ID printed on the patient's insurance card; "
           "letters to the insurer need it.", "XJH123456789"),
    )),
    Table("sender", "Who signs the letters when it is not the patient (a parent, an advocate, "
          "an authorized representative); leave it out when the patient signs.", fields=(
        _f("name", "str", "The signer's full name.", "Casey Morgan"),
        _f("role", "str", "The signer's relationship to the patient, printed under the "
           "signature.", "Authorized representative"),
        _f("address", "lines", "The signer's mailing address, one line per item, where "
           "answers should go.", _ADDRESS),
        _f("phone", "str", "The signer's phone number.", "(217) 555-0150"),
        _f("email", "str", "The signer's email address.", "casey@example.org"),
        _enum("authorization", (
            ("enclosed", "a copy of the patient's signed authorization goes with the letter"),
            ("on-file", "the recipient already has it")),
            "Where the patient's written permission for the signer to act is.", "enclosed"),
    )),
    Table("insurer", "The health plan that handled, or should have handled, the claim; with "
          'no insurance give only plan_type = "uninsured".', fields=(
        _f("name", "str", "The insurer's name as printed on the Explanation of Benefits or "
           "the denial letter.", "Acme Health Plan"),
        _f("address", "lines", "The address for appeals printed on the denial letter (or on "
           "the back of the insurance card), one line per item.",
           ["Attn: Appeals Unit", "PO Box 1000", "Chicago, IL 60601"]),
        _f("fax", "str", "The insurer's fax number for appeals, if the denial letter gives "
           "one.", "(312) 555-0100"),
        _f("plan_name", "str", "The plan's name as printed on the insurance card or the "
           "plan documents.", "Acme Gold PPO"),
        _enum("plan_type", (
            ("employer", "private employer or union group plan (ERISA)"),
            ("public-employer", "state or local government employer plan (not ERISA)"),
            ("church", "a church's group plan"),
            ("fehb", "Federal Employees Health Benefits"),
            ("marketplace", "ACA exchange plan (HealthCare.gov or a state exchange)"),
            ("individual", "individual plan bought outside the exchange"),
            ("short-term", "short-term limited-duration plan"),
            ("medicare", "Original Medicare"),
            ("medicare-advantage", "Medicare Advantage (Part C) plan"),
            ("medicaid", "Medicaid paid directly by the state (fee-for-service)"),
            ("medicaid-managed-care", "Medicaid through a managed-care plan"),
            ("uninsured", "no insurance"),
            ("other", "anything else")),
            "What kind of coverage this is, because the rules and the appeal steps differ "
            "by kind; the card, the plan documents or an employer's HR office tell you.",
            "employer"),
        _f("self_funded", "bool", "For a job-based plan, true if the employer pays claims "
           "itself and an insurer only administers them; the plan documents or HR say "
           "which.", False),
        _f("grandfathered", "bool", 'True if the plan documents call the plan "grandfathered" '
           "under the Affordable Care Act, which exempts it from most ACA rules.", False),
        _f("qmb", "bool", "True when the patient is enrolled as a Qualified Medicare "
           "Beneficiary (the state pays Medicare costs; check the Medicaid or Medicare Savings "
           "Program card).", False),
        _f("group_number", "str", "The group number printed on the insurance card.",
           "G-44021"),
        _f("deductible", "money", "This plan year's deductible, from the plan summary.",
           _d("3000.00")),
        _f("deductible_met", "money", "How much of this year's deductible is met so far, "
           "from the latest Explanation of Benefits or the insurer's website.",
           _d("3000.00")),
        _f("out_of_pocket_max", "money", "This plan year's out-of-pocket maximum, from the "
           "plan summary.", _d("8000.00")),
        _f("out_of_pocket_met", "money", "How much counts toward this year's out-of-pocket "
           "maximum so far, from the latest Explanation of Benefits or the insurer's "
           "website.", _d("8000.00")),
    )),
    Table("administrator", "The plan administrator of a job-based (ERISA) plan, named in the "
          "summary plan description: usually the employer's benefits office, not the "
          "insurer.", fields=(
        _f("name", "str", "The administrator's name as the summary plan description gives "
           "it.", "Lakeside Manufacturing Benefits Committee"),
        _f("address", "lines", "The administrator's mailing address from the summary plan "
           "description, one line per item.", ["100 Industrial Way", "Peoria, IL 61602"]),
        _f("phone", "str", "The administrator's phone number.", "(309) 555-0140"),
        _f("email", "str", "The administrator's email address, if the plan gives one.",
           "benefits@example.com"),
    )),
    Table("provider", "Whoever sent this bill: a hospital, a doctors' group, a lab, an "
          "ambulance company.", required=True, fields=(
        _f("name", "str", "The provider's name as printed on the bill.",
           "Prairie Anesthesia Associates", required=True,
           placeholder=f"{PLACEHOLDER}: the name on the bill"),
        _f("address", "lines", "The billing office's address printed on the bill, one line "
           "per item.", ["PO Box 450", "Springfield, IL 62705"], required=True,
           placeholder=[f"{PLACEHOLDER}: street or PO box", f"{PLACEHOLDER}: city, state ZIP"]),
        _f("phone", "str", "The billing office's phone number printed on the bill.",
           "(217) 555-0199"),
        _f("account_number", "str", "The account number printed on the bill.", "PAA-889900"),
        _f("npi", "str", "The provider's 10-digit National Provider Identifier, printed on "
           "the Explanation of Benefits or found in the public NPI registry.", "1234567893",
           pattern=r"^\d{10}$", pattern_hint='expected 10 digits in quotes, such as '
           '"1234567893"'),
        _enum("kind", ("hospital", "physician-group", "clinic", "lab", "imaging", "ambulance",
                       "other"), "What kind of provider sent the bill.", "physician-group"),
        _f("nonprofit", "bool", "True if the provider is a nonprofit (501(c)(3)) "
           "organisation, as its website or IRS Form 990 says; nonprofit hospitals must "
           "offer financial assistance.", False),
        _f("in_network", "bool", "True if the provider is in the plan's network, as the "
           "Explanation of Benefits or the plan's directory shows.", False),
        _f("chosen_by_patient", "bool", "False if the patient did not choose or meet this "
           "clinician, such as an anesthesiologist assigned at the hospital.", False),
        _f("consent_signed", "bool", "True only if the patient signed a form agreeing to be "
           "billed out of network by this provider (a No Surprises Act notice and "
           "consent).", False),
        _f("abn_signed", "bool", "True when the provider had you sign an Advance Beneficiary "
           "Notice of Noncoverage (form CMS-R-131) before the service; false when it did "
           "not.", False),
        _f("facility", "str", "The hospital or center where the care was given, when it is "
           "not the provider that sent this bill.", "Springfield General Hospital"),
        _enum("facility_kind", ("hospital", "hospital-outpatient", "ambulatory-surgery-center",
                                "critical-access-hospital", "office", "other"),
              "What kind of place the care was given in.", "hospital"),
        _f("facility_in_network", "bool", "True if the place where the care was given is in "
           "the plan's network.", True),
    )),
    Table("clinician", "The doctor who treated the patient, who can write a letter of "
          "medical necessity.", fields=(
        _f("name", "str", "The clinician's name and title.", "Dr. Anita Patel"),
        _f("specialty", "str", "The clinician's specialty.", "Cardiology"),
        _f("address", "lines", "The clinician's office address, one line per item.", _ADDRESS),
        _f("fax", "str", "The clinician's office fax number; letters to the clinician go "
           "by fax when it is given.", "(217) 555-0177"),
        _f("portal", "str", "The patient portal where you message the clinician's office "
           "(such as \"MyChart\"); letters to the clinician go through it when there is no "
           "fax number.", "MyChart"),
    )),
    Table("claim", "The claim for this care, with the figures from the insurer's Explanation "
          "of Benefits (EOB).", fields=(
        _f("number", "str", "The claim number printed on the Explanation of Benefits.",
           "CLM-2026-000123"),
        _f("service_date", "date", "The date the care was given (the first day of a stay), "
           "as printed on the bill or the Explanation of Benefits.", _dt.date(2026, 3, 2),
           required=True),
        _f("service_end_date", "date", "The last day of care, for a hospital stay or care "
           "over several days.", _dt.date(2026, 3, 4)),
        _f("emergency", "bool", "True if this was emergency care.", True),
        _f("self_pay", "bool", "True if the patient is insured but the care was billed as "
           "self-pay, with no claim sent to the insurer.", False),
        _f("ongoing_treatment", "bool", "True when the care continues (a course of "
           "treatment, therapy, or more visits to come).", True),
        _f("billed", "money", "The total the provider charged, from the bill or the amount "
           "billed on the Explanation of Benefits.", _d("27000.00")),
        _f("allowed", "money", "The allowed amount printed on the Explanation of Benefits.",
           _d("0.00")),
        _f("plan_paid", "money", "What the plan paid, from the Explanation of Benefits.",
           _d("0.00")),
        _f("patient_responsibility", "money", "What the Explanation of Benefits says the "
           "patient owes (patient responsibility, or you may owe).", _d("27000.00")),
        _f("eob_date", "date", "The date printed on the Explanation of Benefits.",
           _dt.date(2026, 4, 10)),
        _f("good_faith_estimate", "money", "The total of the written good faith estimate "
           "given before the care, for a patient uninsured or paying for themselves.",
           _d("1800.00")),
        _f("first_bill_date", "date", "The date on this provider's first bill, which "
           "starts some dispute deadlines.", _dt.date(2026, 3, 20)),
    )),
    Table("denial", "The insurer's written decision denying or cutting the claim; leave it "
          "out if nothing was denied.", fields=(
        _f("date", "date", "The date printed on the denial letter or the Explanation of "
           "Benefits that denied the claim.", _dt.date(2026, 4, 10)),
        _f("received", "date", "The date the denial reached you; when left out, deadlines "
           "count from the printed date, which is earlier and so safe.",
           _dt.date(2026, 4, 14)),
        _f("review_by", "date", "The last day to ask for the next review, when the notice "
           "itself prints one (for example the external review deadline on a final denial). "
           "lettergen still shows the earliest date the rules allow.", _dt.date(2026, 9, 1)),
        _f("action_date", "date", "Medicaid: the date the change takes effect, printed on "
           "the notice (its \"effective date\" or \"date of action\"). Benefits continue "
           "during a hearing or appeal only if you ask in time, counted from this date.",
           _dt.date(2026, 4, 20)),
        _enum("reason", (
            ("medical-necessity", "not medically necessary"),
            ("prior-authorization", "no prior authorization (approval in advance)"),
            ("out-of-network", "the provider is out of network"),
            ("coding", "a coding error"),
            ("bundling", "the service is counted as part of another"),
            ("coverage-terminated", "coverage had ended or was not active"),
            ("rescission", "the plan cancelled the coverage back to its start"),
            ("benefit-limit", "a benefit limit was reached"),
            ("experimental", "experimental or investigational"),
            ("timely-filing", "the claim was sent too late"),
            ("preventive-as-diagnostic", "preventive care charged as diagnostic care"),
            ("coordination-of-benefits", "another plan should pay first"),
            ("other", "anything else")),
            "Why the claim was denied, in the closest of these words to what the denial "
            "letter says.", "out-of-network"),
        _f("reason_text", "str", "The reason exactly as the denial letter words it.",
           "Services rendered by a non-participating provider"),
        _f("codes", "list", "The denial codes printed on the Explanation of Benefits or the "
           "denial letter, such as CO-242.", ["CO-242"]),
        _f("criteria", "str", "The guideline or policy the denial letter says the plan "
           "used, if it names one.", "Clinical policy CP-114, section 3"),
        _f("level", "int", "Which decision this is: 1 for the first denial, 2 if a first "
           "appeal was denied too, and so on.", 1, default=1, minimum=1, maximum=10),
        _f("final_internal", "bool", "True once the plan's own appeals are used up, as the "
           "letter says when it is the final internal decision.", False),
        _f("urgent", "bool", "True if waiting the normal time could seriously harm the "
           "patient's life or health, to ask for a fast (expedited) decision.", False),
        _f("appeal_filed", "date", "The date the appeal was sent, which starts the clock "
           "for the plan's decision.", _dt.date(2026, 4, 20)),
        _enum("notice", (
            ("nomnc", "Notice of Medicare Non-Coverage: skilled nursing, home health, "
             "hospice or outpatient rehabilitation (CORF) services are ending"),
            ("important-message", "Important Message from Medicare: a hospital says it is "
             "time to leave the hospital")),
            "Medicare only: the notice you got when covered care is about to end, which "
            "gives you a fast appeal to the Quality Improvement Organization (QIO); leave it "
            "out for an ordinary denial of a claim. Put the date printed on the notice in "
            "date and the day you got it in received.", "nomnc"),
        _f("services_end", "date", "The day covered care ends: the effective date printed "
           "on the Notice of Medicare Non-Coverage, or the planned discharge date on the "
           "Important Message from Medicare.", _dt.date(2026, 12, 4)),
        _enum("service_kind", (
            ("skilled-nursing", "care in a skilled nursing facility"),
            ("home-health", "home health care"),
            ("hospice", "hospice care"),
            ("corf", "a comprehensive outpatient rehabilitation facility (CORF)"),
            ("hospital", "a hospital stay")),
            "Which care is ending, as the notice says.", "skilled-nursing"),
        _f("why_disagree", "str", "In your own words, why the care should not end yet (what "
           "you still cannot do, what your doctor or therapist told you); the fast appeal "
           "letter quotes it as you write it.",
           "I still cannot walk to the bathroom without help, and my therapist says I am "
           "making progress."),
    )),
    Table("charges", "One entry per line of the itemized bill, with the Explanation of "
          "Benefits figures where you have them.", array=True, fields=(
        _f("date", "date", "The date of service on this line of the itemized bill.",
           _dt.date(2026, 3, 2)),
        _f("code", "str", "The billing code on this line (CPT, HCPCS, revenue code, NDC or "
           "DRG).", "00840"),
        _enum("code_type", ("CPT", "HCPCS", "REV", "NDC", "DRG", "other"),
              "What kind of code it is; REV is a hospital revenue code.", "CPT"),
        _f("modifiers", "list", "Any modifiers printed next to the code.", ["QK"]),
        _f("description", "str", "The description of the line as printed on the itemized "
           "bill.", "Anesthesia, intraperitoneal procedure, lower abdomen"),
        _f("units", "int", "How many units were billed on this line.", 1, default=1,
           minimum=1, maximum=100_000),
        _f("billed", "money", "The amount charged on this line.", _d("6200.00"),
           required=True),
        _f("allowed", "money", "The allowed amount for this line, from the Explanation of "
           "Benefits.", _d("850.00")),
        _f("benchmark", "money", "A fair reference price you looked up for this code, such "
           "as the Medicare rate.", _d("612.40")),
        _f("benchmark_source", "str", "Where the reference price comes from.",
           "Medicare physician fee schedule 2026"),
        _enum("dispute", (
            ("duplicate", "billed twice"),
            ("upcoding", "billed as a more expensive service than the one given"),
            ("unbundling", "parts of one service billed separately"),
            ("not-received", "never given"),
            ("wrong-code", "the wrong code"),
            ("price", "the price is far above a fair price"),
            ("other", "anything else")),
            "What is wrong with this line, if you dispute it.", "price"),
        _f("note", "str", "A short note about this line, in your own words.",
           "Anesthesiologist was not chosen by the patient"),
    )),
    Table("balance", "What the provider says is owed now, from its latest statement.", fields=(
        _f("amount_due", "money", "The amount due printed on the latest statement.",
           _d("6200.00")),
        _f("statement_date", "date", "The date printed on the latest statement.",
           _dt.date(2026, 4, 20)),
        _f("first_statement_date", "date", "The date of the first bill after the care or "
           "the discharge, which starts a nonprofit hospital's financial-assistance "
           "deadlines.", _dt.date(2026, 3, 20)),
        _f("paid", "money", "What has already been paid on this bill.", _d("500.00")),
    )),
    Table("collector", "The collection agency, when one is asking for payment of this bill.",
          fields=(
        _f("name", "str", "The agency's name as printed on its notice.",
           "Midwest Recovery Services"),
        _f("address", "lines", "The agency's mailing address from its notice, one line per "
           "item.", ["PO Box 77", "Peoria, IL 61601"]),
        _f("account_number", "str", "The account or reference number on the agency's "
           "notice.", "MRS-55120"),
        _f("notice_date", "date", "The date the agency's first notice was received.",
           _dt.date(2026, 7, 1)),
        _f("validation_end", "date", "The end date of the validation period printed on the "
           "notice: the last day to dispute the debt and have collection paused.",
           _dt.date(2026, 8, 5)),
        _f("amount_claimed", "money", "The amount the agency says is owed.", _d("6200.00")),
        _f("bought", "bool", "True if the notice says the agency bought the debt (it is the "
           "creditor now); false if it collects for the provider. The dispute asks a buyer "
           "what it paid.", True),
        _f("verified", "date", "The day the agency's verification of the debt arrived, after "
           "you disputed it in writing; until then the dispute is open and no offer should "
           "be made.", _dt.date(2026, 8, 20)),
    )),
    Table("credit_report", "A medical collection that shows on a credit report.", fields=(
        _enum("bureau", ("equifax", "experian", "transunion"),
              "The credit bureau whose report shows the collection.", "equifax"),
        _f("reported_by", "str", "The company that reported the collection, as named on the "
           "credit report.", "Midwest Recovery Services"),
        _f("reported_balance", "money", "The balance shown on the credit report.",
           _d("6200.00")),
        _f("first_reported", "date", "The date the credit report says the collection was "
           "first reported.", _dt.date(2026, 9, 1)),
        _f("paid_date", "date", "The day the collection was paid in full (or the settlement "
           "in [offer] agreed was paid); leave it out while anything is unpaid. The bureaus "
           "leave paid medical collections off their reports.", _dt.date(2026, 10, 20)),
        _f("report_number", "str", "The number printed on the credit report that identifies "
           "it (Equifax: confirmation number; Experian: report number; TransUnion: file "
           "number), so the bureau finds the report you read.", "4417-2209-18"),
        _f("ssn_last4", "str", "The last four digits of the patient's Social Security number, "
           "if you want the bureau to match the report with them; only the credit bureau "
           "letter prints it, and never the whole number.", "0142", pattern=r"^\d{4}$",
           pattern_hint='expected the last 4 digits only, in quotes, such as "0142"'),
    )),
    Table("qio", "The Quality Improvement Organization (QIO) that decides Medicare fast "
          "appeals when care is ending, as named on the Notice of Medicare Non-Coverage or "
          "the Important Message from Medicare (for example Livanta or Acentra Health).",
          fields=(
        _f("name", "str", "The QIO's name as printed on the notice.", "Lakeside BFCC-QIO"),
        _f("address", "lines", "The QIO's mailing address, if the notice gives one, one line "
           "per item.", ["PO Box 4400", "Columbus, OH 43215"]),
        _f("phone", "str", "The QIO's phone number for appeals, printed on the notice: call "
           "it when the deadline is today or tomorrow.", "1-800-555-0123"),
        _f("fax", "str", "The QIO's fax number for appeals, printed on the notice; the fast "
           "appeal letter is faxed there.", "1-800-555-0124"),
    )),
    Table("regulator", "The government agency a complaint goes to; lettergen check tells "
          "which agency fits the plan.", fields=(
        _f("name", "str", "The agency's name.", "Illinois Department of Insurance"),
        _f("address", "lines", "The agency's mailing address for complaints, one line per "
           "item.", ["320 West Washington Street", "Springfield, IL 62767"]),
    )),
    Table("offer", "A settlement offer to the provider or the collection agency.", fields=(
        _f("amount", "money", "The amount offered; leave it out and the settlement "
           "calculator proposes one.", _d("1500.00")),
        _enum("payment", (("lump-sum", "one payment"), ("payment-plan", "monthly payments")),
              "How the amount would be paid.", "lump-sum"),
        _f("monthly", "money", 'The monthly payment offered, with payment = "payment-plan" '
           "only.", _d("150.00")),
        _f("respond_within_days", "int", "How many days the other side has to answer the "
           "offer in writing.", 14, minimum=1, maximum=365),
        _f("previous", "tables", "Earlier offers, oldest first, each with its date and "
           "amount.", [{"date": _dt.date(2026, 6, 1), "amount": _d("1000.00")}], fields=(
            _f("date", "date", "The date of the earlier offer.", _dt.date(2026, 6, 1),
               required=True),
            _f("amount", "money", "The amount offered then.", _d("1000.00"), required=True),
        )),
        _f("agreed", "table", "The settlement reached, to confirm in writing.",
           {"date": _dt.date(2026, 7, 15), "amount": _d("1500.00"), "representative": "Dana",
            "reference": "SET-1"}, fields=(
            _f("date", "date", "The date the settlement was agreed.", _dt.date(2026, 7, 15)),
            _f("amount", "money", "The amount agreed as payment in full.", _d("1500.00")),
            _f("representative", "str", "The name of the person who agreed to it.", "Dana"),
            _f("reference", "str", "The reference number they gave for the agreement.",
               "SET-1"),
        )),
    )),
    Table("hardship", "The household's finances, for financial assistance and negotiation.",
          fields=(
        _f("household_size", "int", "How many people are in the household, counting the "
           "patient, as on a tax return.", 3, minimum=1, maximum=100),
        _f("annual_income", "money", "The household's total yearly income before taxes.",
           _d("42000.00")),
        _f("summary", "str", "A few sentences, in your own words, on why paying this bill is "
           "hard.", "Single income household; the balance exceeds two months of income."),
        _enum("income_source", (
            ("wages", "pay from work"), ("self-employment", ""),
            ("social-security", "Social Security retirement, survivor or disability "
             "benefits only"),
            ("ssi", "Supplemental Security Income only"), ("pension", ""),
            ("unemployment", ""), ("several", "more than one of these"), ("other", "")),
              "Where the household's income comes from. Social Security benefits cannot be "
              "garnished by a private creditor, and the letters name the proof of income that "
              "fits (a benefit statement, pay stubs).", "wages"),
        _f("application_date", "date", "The day you sent the provider's financial-assistance "
           "application (or a letter that starts one). While no decision has come, a nonprofit "
           "hospital and its collection agencies must hold off collection actions, and a "
           "settlement should wait.", _dt.date(2026, 7, 20)),
        _f("decision_date", "date", "The day the provider's written decision on that "
           "application arrived; leave it out while the application is pending.",
           _dt.date(2026, 8, 30)),
    )),
    Table("contacts", "The log of calls, letters and visits about this bill, oldest first.",
          array=True, fields=(
        _f("date", "date", "The date of the call, letter or visit.", _dt.date(2026, 4, 12),
           required=True),
        _enum("party", ("provider", "insurer", "collector", "bureau", "regulator", "clinician",
                        "administrator", "other"),
              "Who was contacted (bureau: the credit bureau of [credit_report]; "
              "administrator: the plan administrator of [administrator]).", "provider",
              required=True),
        _enum("kind", ("call", "letter", "fax", "portal", "email", "visit"),
              "How the contact happened.", "call"),
        _enum("direction", (("sent", "you contacted them"),
                            ("received", "they contacted you")),
              "received for a letter, call or notice that came FROM the party (a collection "
              "letter or call after your dispute); sent, the default, for your own letters "
              "and calls.", "sent", default="sent"),
        _f("letter", "str", "For a letter sent, its template id, which starts that letter's "
           "deadlines.", "records-request"),
        _f("received", "date", "For a letter you sent: the day it reached them (the "
           "certified-mail return receipt or tracking, the fax confirmation, the portal's "
           "receipt). Their deadlines count from it; without it lettergen assumes the mailing "
           "time.", _dt.date(2026, 4, 17)),
        _f("added_information", "date", "For a credit-report dispute: the day you sent the "
           "bureau more information during its 30 days, which gives it 15 more days.",
           _dt.date(2026, 5, 1)),
        _f("representative", "str", "The name of the person spoken to.", "Dana"),
        _f("reference", "str", "The call reference or confirmation number given.",
           "CALL-5521"),
        _f("summary", "str", "What was said or agreed, in your own words.",
           "Account placed on a 30-day billing hold while the denial is reviewed."),
        _f("until", "date", "The date named in what was agreed: the end of a billing hold, "
           "or the day something was promised by (a written confirmation, a call back).",
           _dt.date(2026, 5, 12)),
        _f("answered", "bool", "For a letter you sent, or something promised on a call: "
           "false when no answer (or nothing of what was promised) came by its deadline or "
           "until date; true once it came. A complaint to a regulator names what was "
           "requested or promised and never sent only when this says false.", False),
    )),
    Table("enclosures", "The documents sent with the letters, listed at their foot.",
          array=True, fields=(
        _f("title", "str", "What the document is, as the letter lists it.",
           "Explanation of Benefits dated April 10, 2026", required=True),
        _f("file", "str", "The document as a PDF or image file, relative to this case file, "
           "for printed packets.", "documents/eob.pdf"),
        _enum("kind", (("medical-records", "chart notes, test results, reports"),
                       ("medical-necessity-letter", "a clinician's letter"),
                       ("denial", ""), ("eob", "Explanation of Benefits"),
                       ("bill", "a bill or statement"), ("letter", "your own letter"),
                       ("id", "proof of identity or address"), ("other", "")),
              "What the document is. Medical records and a clinician's letter go only to "
              "the insurer, the regulator, the clinician and the QIO, a denial to no "
              "collector or credit bureau, and no paper about the care (denial, EOB, bill) "
              "to the plan administrator, unless `for` says otherwise; when left out, a "
              "title that names records, medical necessity or a denial counts as one.",
              "eob"),
        _f("for", "list", "Who gets this document, when not the default for its kind: any "
           "of provider, insurer, collector, bureau, regulator, clinician, qio, administrator.",
           ["insurer", "regulator"]),
        _f("shows", "str", "What this document shows that answers the denial, in a few "
           "words the appeal can quote: the fact the plan said was missing. Appeals state "
           "it as shown by this document; leave it out and they only list the document.",
           "six weeks of physical therapy, March 20 to May 1, 2026, before the MRI"),
    )),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def field_at(path: str) -> Table | Field | None:
    """The declaration a dotted path names ("claim.number", "charges", "offer.agreed.amount")."""
    first, _, rest = path.partition(".")
    table = TABLES_BY_NAME.get(first)
    if table is None or not rest:
        return table
    found: Table | Field | None = table
    for part in rest.split("."):
        fields = found.fields if found is not None else ()
        found = next((f for f in fields if f.name == part), None)
    return found


def type_label(field: Field) -> str:
    """The type in a patient's words, for the reference page and the starter file."""
    if field.kind == "enum":
        return "one of: " + ", ".join(field.values)
    return {
        "str": "text", "int": "whole number", "bool": "true or false",
        "date": "date (year-month-day)", "money": "amount of money", "lines": "list of lines",
        "list": "list of text", "state": "two-letter state code", "table": "inline table",
        "tables": "list of inline tables",
    }[field.kind]


def toml_value(value: object) -> str:
    """A value written as TOML, for the starter file and for "got ..." in messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (_dt.date, _dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return str(value)


def _json_example(value: object) -> object:
    """Examples in the schema must be JSON: dates as text, money as "$1,234.56"."""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_example(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_example(v) for k, v in value.items()}
    return value


def _field_schema(field: Field) -> dict[str, object]:
    text: dict[str, object] = {"type": "string"}
    schema: dict[str, object] = {
        "str": lambda: {**text, **({"pattern": field.pattern} if field.pattern else {})},
        "int": lambda: {"type": "integer",
                        **({"minimum": field.minimum} if field.minimum is not None else {}),
                        **({"maximum": field.maximum} if field.maximum is not None else {})},
        "bool": lambda: {"type": "boolean"},
        "date": lambda: {"type": "string", "format": "date"},
        "money": lambda: {"$ref": "#/$defs/money"},
        "lines": lambda: {"type": "array", "items": text},
        "list": lambda: {"type": "array", "items": text},
        "enum": lambda: {"type": "string", "enum": list(field.values)},
        "state": lambda: {"type": "string", "enum": list(field.values)},
        "table": lambda: _object_schema(field.fields),
        "tables": lambda: {"type": "array", "items": _object_schema(field.fields)},
    }[field.kind]()
    schema["description"] = field.description
    if field.default is not None:
        schema["default"] = field.default
    if field.example is not None:
        schema["examples"] = [_json_example(field.example)]
    return schema


def _object_schema(fields: tuple[Field, ...], description: str = "") -> dict[str, object]:
    schema: dict[str, object] = {"type": "object"}
    if description:
        schema["description"] = description
    schema["properties"] = {f.name: _field_schema(f) for f in fields}
    schema["additionalProperties"] = False
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def json_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a whole case file, for editors and `lettergen schema`.

    Required keys are required here as in a whole case; a base file for ``extends`` need
    not be whole, so it may not validate on its own.
    """
    properties: dict[str, object] = {}
    for table in TABLES:
        obj = _object_schema(table.fields, table.description)
        properties[table.name] = ({"type": "array", "description": table.description,
                                   "items": obj} if table.array else obj)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lettergen case file",
        "description": "One bill in dispute: the patient, the provider's bill, the insurer's "
                       "handling of it, the money, and what happened when.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "required": [t.name for t in TABLES if t.required],
        "$defs": {"money": {
            "description": 'An amount of money: a number such as 1234.56 or text such as '
                           '"$1,234.56"; never negative, at most two decimals.',
            "oneOf": [{"type": "number", "minimum": 0},
                      {"type": "string", "pattern": MONEY_PATTERN}]}},
    }


_STARTER_HEAD = """\
# A lettergen case file: one bill in dispute.
#
# Lines that start with "#" are notes and are ignored. Replace every "FILL IN" below,
# then remove the "#" in front of each table and key you know and fill it in from your
# papers (the bill, the Explanation of Benefits, the denial letter). Leave out what you
# do not know: a letter that needs it will say so.
#
# Dates are written year-month-day without quotes: 2026-03-02.
# Money is written as a number, 1234.56, or as text, "$1,234.56".
# An address is a list of lines: ["PO Box 450", "Springfield, IL 62705"].
#
# Check the file with:  lettergen check THIS-FILE
"""


def _comment(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=88, initial_indent="# ", subsequent_indent="# ")


def _field_note(field: Field, table: Table) -> list[str]:
    note = field.description
    if field.kind in ("table", "tables"):
        note += " Keys: " + ", ".join(f.name for f in field.fields) + "."
    if field.kind == "enum" and not any(meaning for _, meaning in field.choices):
        note += " One of: " + ", ".join(field.values) + "."
    if field.default is not None:
        note += f" Default: {toml_value(field.default)}."
    if field.required:
        note += " Required." if table.required else f" Required when {table.header} is used."
    lines = _comment(note)
    if field.kind == "enum" and any(meaning for _, meaning in field.choices):
        width = max(len(v) for v in field.values) + 2
        lines.append("# One of:")
        lines += [f"#   {v:<{width}}{m}".rstrip() for v, m in field.choices]
    return lines


def starter_case_text() -> str:
    """A commented starter case file for `lettergen new`, generated from ``TABLES``.

    Required tables are written out with placeholders for their required keys, so the file
    loads as it is; everything else is commented out with its description and an example.
    """
    lines = [_STARTER_HEAD]
    for table in TABLES:
        lines.append("# " + "-" * 86)
        lines += _comment(table.description)
        lines.append(table.header if table.required else f"# {table.header}")
        for field in table.fields:
            lines += _field_note(field, table)
            if table.required and field.required:
                lines.append(f"{field.name} = {toml_value(field.placeholder)}")
            else:
                lines.append(f"# {field.name} = {toml_value(field.example)}")
        lines.append("")
    return "\n".join(lines)


# Who an enclosure can be meant for ([[enclosures]] for), and who gets medical papers by
# default: never a collector, a credit bureau, the billing office or the plan administrator
# (the employer's benefits office).
ENCLOSURE_RECIPIENTS = ("provider", "insurer", "collector", "bureau", "regulator", "clinician",
                        "qio", "administrator")
MEDICAL_RECIPIENTS = ("insurer", "regulator", "clinician", "qio")
