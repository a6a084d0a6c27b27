"""Issue 10 items 4, 16, 18: who signs and with what authority, the letter's voice and
salutation, reply dates off holidays, the clinician's channel, one quotation-mark style,
and the language a letter is tagged with. Every test builds a fully filled case
(tests/fixtures/full-cases) and reads back what the recipient would read."""

from __future__ import annotations

import datetime as dt
import io
import json
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

from conftest import _to_toml, assert_clean, docx_text, pdf_text
from lettergen.analysis.facts import Facts
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.letters.document import Signature, plain_text
from lettergen.letters.render import person_salutation, plain_role, render_letter
from lettergen.packs.folder import open_packs
from lettergen.rules import deadlines

FULL = Path(__file__).parent / "fixtures" / "full-cases"
PATIENT_WRITES = "medicare-advantage-prior-auth"
DAUGHTER_WRITES = "medicare-advantage-representative"
SON_WRITES = "medicare-snf-discharge"
SPANISH = "spanish-er-visit"
CASES = (PATIENT_WRITES, DAUGHTER_WRITES, SON_WRITES, SPANISH)


def full_case(tmp_path: Path, name: str, changes: dict | None = None,
              drop: tuple[str, ...] = ()) -> Path:
    """A copy of a full case with dotted ``changes`` and ``drop``ped keys."""
    data = tomllib.loads((FULL / f"{name}.toml").read_text("utf-8"), parse_float=Decimal)
    for dotted in drop:
        table, _, key = dotted.partition(".")
        data[table].pop(key)
    for dotted, value in (changes or {}).items():
        table, _, key = dotted.partition(".")
        data.setdefault(table, {})[key] = value
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
    return path


def render(path: Path, letter_id: str):
    """The English letter (the Spanish case's too: its English wording is tested here)."""
    return render_letter(load_case(path), letter_id, open_packs([]), language="en")


def text_of(letter) -> str:
    from conftest import document_text
    return document_text(letter.document)


def signature(letter) -> list[str]:
    block = next(b for b in letter.document.blocks if isinstance(b, Signature))
    return [plain_text(line) for line in block.lines]


def case_letters(path: Path) -> list[str]:
    return list(load_case(path).case.letters)


# --- item 4: the representative's authority ---------------------------------------------


def without_authorization(tmp_path: Path) -> Path:
    """The daughter's case before any authorization was signed: none given, none enclosed."""
    path = full_case(tmp_path, DAUGHTER_WRITES, drop=("sender.authorization",))
    data = tomllib.loads(path.read_text("utf-8"))
    data["enclosures"] = [e for e in data["enclosures"] if "1696" not in e["title"]]
    path.write_text(tomli_w.dumps(data), "utf-8")
    return path


def test_without_authorization_no_letter_claims_it(tmp_path):
    path = without_authorization(tmp_path)
    for letter_id in case_letters(path):
        if letter_id == "representative-authorization":
            continue
        letter = render(path, letter_id)
        text = text_of(letter)
        assert_clean(text)
        lines = signature(letter)
        assert "authorized" not in " ".join(lines).lower(), (letter_id, lines)
        assert "representative" not in " ".join(lines).lower(), (letter_id, lines)
        assert "written authorization is" not in text, letter_id
        assert "I signed is" not in text, letter_id
        assert "Written authorization signed by" not in text, letter_id
        if letter_id == "records-request":
            # the right of access is the patient's: he signs, in the first person
            assert lines == ["Harold B. Whitfield"]
            assert text.startswith("Harold B. Whitfield\n5120 Gulf Breeze Drive")
            assert "copies of my medical and billing records" in text
            assert "under my right of access, 45 CFR 164.524." in text
            assert "Susan Whitfield" not in text
            assert "Copy of my photo identification" in text
            assert any("written for Harold B. Whitfield to sign" in n for n in letter.notes)
        else:
            assert lines == ["Susan Whitfield", "Daughter of Harold B. Whitfield"], letter_id
            assert text.count("I write as Harold B. Whitfield's daughter. If you need the "
                              "patient's written authorization before you can answer me, "
                              "please tell me, and send a copy of your answer to Harold B. "
                              "Whitfield.") == 1, letter_id


def test_check_warns_of_a_sender_without_authorization(tmp_path, capsys):
    path = without_authorization(tmp_path)
    assert main(["check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = {f["id"]: f for f in report["findings"]}
    warning = found["no-authorization"]
    assert warning["severity"] == "high" and warning["letter"] == "representative-authorization"
    assert '[sender] authorization = "enclosed"' in warning["detail"]
    assert '"on-file"' in warning["detail"]
    assert "CMS-1696" in warning["detail"] and "one year" in warning["detail"]
    # with the authorization given, no warning
    assert main(["check", str(FULL / f"{DAUGHTER_WRITES}.toml"), "--json"]) == 0
    ids = {f["id"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "no-authorization" not in ids


def test_an_authorized_representative_says_so_once_and_encloses_it(tmp_path):
    path = FULL / f"{DAUGHTER_WRITES}.toml"
    form = ("Appointment of Representative, form CMS-1696, signed by Harold B. Whitfield and "
            "Susan Whitfield on October 15, 2026")
    for letter_id in case_letters(path):
        if letter_id == "representative-authorization":
            continue
        letter = render(path, letter_id)
        text = text_of(letter)
        assert text.count("I write as Harold B. Whitfield's daughter and authorized "
                          "representative; the Appointment of Representative form (CMS-1696) "
                          "that the patient and I signed is enclosed.") == 1, letter_id
        assert signature(letter) == ["Susan Whitfield", "Daughter and authorized "
                                     "representative for Harold B. Whitfield"], letter_id
        assert text.count(form) == 1, letter_id  # listed once, not twice
        assert "Written authorization signed by" not in text, letter_id


def test_on_file_authorization_for_original_medicare(tmp_path):
    path = FULL / f"{SON_WRITES}.toml"
    text = text_of(render(path, "records-request"))
    assert "I write as Margaret L. Okafor's son and appointed representative; the patient's " \
           "written authorization is on file with you." in text
    assert "Written authorization signed by" not in text
    assert "as the person the patient's written authorization names to receive them" \
        in text


def test_the_authorization_covers_every_party_with_cms_1696(tmp_path):
    letter = render(FULL / f"{DAUGHTER_WRITES}.toml", "representative-authorization")
    text = text_of(letter)
    assert_clean(text)
    for party in ("Sunshine Senior Advantage, my health plan (Sunshine Senior Advantage PPO), "
                  "member ID MA-77120034, group SSA-IND, claim SSA-2026-118842.",
                  "Gulf Coast Joint Institute, which billed the care (account GCJ-33190).",
                  "Dr. Anjali Patel, who treated me.",
                  "Suncoast Recovery Partners, the collection agency that holds the account "
                  "(account SRP-771205).",
                  "the credit bureau that reports the account."):
        assert party in text, party
    assert "Experian" in text
    assert "dispute the debt, ask for verification" in text
    assert "dispute the item and receive the results of the reinvestigation" in text
    assert "Who may disclose it: each organization listed above" in text
    # Medicare Advantage: the plan's own form, valid one year, cited from the rules table
    assert "Medicare Advantage plans take their own form for appeals and grievances: form " \
           "CMS-1696, Appointment of Representative" in text
    assert "valid for one year from the date we have both signed it" in text
    assert "(42 CFR 422.561)" in text and "405.910" not in text
    assert "The signed form is enclosed." in text
    assert signature(letter)[0] == "Harold B. Whitfield"
    assert "Patient" in signature(letter)
    assert "cc: Susan Whitfield" in text
    # Original Medicare cites its own rule; without the form enclosed, a build note
    snf = render(FULL / f"{SON_WRITES}.toml", "representative-authorization")
    snf_text = text_of(snf)
    assert "(42 CFR 405.910)" in snf_text and "422.561" not in snf_text
    assert "The signed form is enclosed." not in snf_text
    assert "Margaret L. Okafor, my health plan" not in snf_text  # Medicare itself: the plan
    assert "Medicare, my health plan (Original Medicare, Parts A and B)" in snf_text


def test_a_role_without_authority():
    assert plain_role("Son and authorized representative") == "Son"
    assert plain_role("Daughter and appointed representative") == "Daughter"
    assert plain_role("Authorized representative") == ""
    assert plain_role("Patient advocate") == "Patient advocate"
    assert plain_role("Wife, health care proxy") == "Wife"


# --- item 16: the voice, the salutation, the reply date, the clinician's channel ---------


def test_the_patients_own_letters_speak_as_i():
    path = FULL / f"{PATIENT_WRITES}.toml"
    text = text_of(render(path, "records-request"))
    assert "I am writing to ask for copies of my medical and billing records" in text
    assert "These records are part of my designated record set" in text
    assert "Harold B. Whitfield's" not in text
    body = text.split("Dear Privacy Officer:")[1].split("Sincerely,")[0]
    assert "Harold B. Whitfield" not in body


def test_salutations_as_people_write_them():
    assert person_salutation("Dr. Anjali Patel") == "Dr. Patel"
    assert person_salutation("Anjali Patel, MD") == "Dr. Patel"
    assert person_salutation("Dr. Luis Herrera Soto") == "Dr. Soto"
    assert person_salutation("Dr. Maria de la Cruz") == "Dr. de la Cruz"
    assert person_salutation("Sam Lee, NP") == "Sam Lee"  # no title guessed
    by_portal = text_of(render(FULL / f"{PATIENT_WRITES}.toml", "medical-necessity-request"))
    assert "Dear Dr. Patel:" in by_portal and "Anjali Patel, MD\nGulf Coast" in by_portal
    by_fax = text_of(render(FULL / f"{DAUGHTER_WRITES}.toml", "medical-necessity-request"))
    assert "Dear Dr. Patel:" in by_fax and "Dear Dr. Anjali Patel" not in by_fax
    # the office on the address's first line
    appeal = text_of(render(FULL / f"{PATIENT_WRITES}.toml", "internal-appeal"))
    assert "Appeals and Grievances Department\nPO Box 21000" in appeal
    assert "Dear Appeals and Grievances Department:" in appeal
    attn = text_of(render(FULL / f"{SPANISH}.toml", "external-review-request"))
    assert "Dear Appeals Unit:" in attn
    hold = text_of(render(FULL / f"{SPANISH}.toml", "billing-hold-request"))
    assert "Dear Patient Financial Services:" in hold
    # an officer the letter is for wins over the office of the address
    records = text_of(render(FULL / f"{SPANISH}.toml", "records-request"))
    assert "Dear Privacy Officer:" in records


def test_the_clinician_by_fax_or_portal_not_certified_mail(tmp_path):
    by_portal = text_of(render(FULL / f"{PATIENT_WRITES}.toml", "medical-necessity-request"))
    assert "Submitted through the online portal (Gulf Coast MyChart)" in by_portal
    by_fax = text_of(render(FULL / f"{DAUGHTER_WRITES}.toml", "medical-necessity-request"))
    assert "Sent by fax to (941) 555-0177" in by_fax
    for text in (by_portal, by_fax):
        assert "certified mail" not in text
    # neither given: the case's own delivery (certified mail by default)
    path = full_case(tmp_path, DAUGHTER_WRITES)
    data = tomllib.loads(path.read_text("utf-8"))
    del data["clinician"]["fax"], data["clinician"]["portal"]
    path.write_text(tomli_w.dumps(data), "utf-8")
    assert "Sent by certified mail" in text_of(render(path, "medical-necessity-request"))


def test_a_reply_date_never_falls_on_a_federal_holiday():
    # October 28, 2026 + 14 days = Wednesday November 11, Veterans Day: moved to the 12th
    text = text_of(render(FULL / f"{SPANISH}.toml", "billing-hold-request"))
    assert "Please confirm in writing by November 12, 2026" in text
    assert "November 11, 2026" not in text
    # Saturday July 4, 2026 is observed on Friday July 3: a reply is not asked for either day
    facts = Facts(load_case(FULL / f"{SPANISH}.toml"))
    assert facts.reply_by("reply-short", dt.date(2026, 6, 19)) == dt.date(2026, 7, 6)
    day = dt.date(2026, 1, 1)
    while day.year < 2028:
        for rule in ("reply-short", "reply-standard", "hipaa-access"):
            due = facts.reply_by(rule, day)
            assert deadlines.is_business_day(due), (rule, day, due)
            assert deadlines.is_business_day(due, observed=False), (rule, day, due)
        day += dt.timedelta(days=1)


def test_a_records_request_says_when_its_date_was_moved(tmp_path):
    # April 25, 2026 + 5 business days = May 1; + 30 = Sunday May 31: June 1
    path = full_case(tmp_path, SPANISH, {"case.date": dt.date(2026, 4, 25),
                                        "claim.service_date": dt.date(2026, 3, 2),
                                        "claim.service_end_date": dt.date(2026, 3, 3),
                                        "claim.eob_date": dt.date(2026, 3, 20),
                                        "claim.first_bill_date": dt.date(2026, 3, 15),
                                        "balance.statement_date": dt.date(2026, 4, 1),
                                        "balance.first_statement_date": dt.date(2026, 3, 15),
                                        "denial.date": dt.date(2026, 4, 10),
                                        "denial.received": dt.date(2026, 4, 14)})
    text = text_of(render(path, "records-request"))
    assert "Please send the records by June 1, 2026, 30 days from May 1, 2026, the day this " \
           "request should reach you (moved to the next business day, since day 30 falls on " \
           "a weekend or a holiday)." in text


# --- one quotation-mark style: straight quotes ---------------------------------------------

BUILT = sorted({(name, letter_id) for name in CASES
                for letter_id in tomllib.loads((FULL / f"{name}.toml").read_text("utf-8"))
                ["case"]["letters"]} | {(PATIENT_WRITES, "internal-appeal")})


@pytest.mark.parametrize(("name", "letter_id"), BUILT)
def test_every_letter_uses_straight_quotes(name, letter_id):
    text = text_of(render(FULL / f"{name}.toml", letter_id))
    assert not set(text) & set("\u201c\u201d\u2018\u2019"), letter_id


# --- item 18: the language -----------------------------------------------------------------


def test_a_case_in_a_language_without_letters_gets_english_tagged_english(tmp_path, capsys):
    out = tmp_path / "out"
    french = tmp_path / f"{SPANISH}.toml"
    french.write_text((FULL / f"{SPANISH}.toml").read_text("utf-8").replace(
        'language = "es"', 'language = "fr"'), "utf-8")
    assert main(["build", str(french), "-l", "records-request",
                 "-f", "docx", "-f", "pdf", "-f", "html", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count('[case] language = "fr": there are no letters in that language yet, so '
                     "these letters are in English and marked as English") == 1
    folder = out / SPANISH
    html = (folder / "records-request.html").read_text("utf-8")
    assert '<html lang="en">' in html
    with zipfile.ZipFile(io.BytesIO((folder / "records-request.docx").read_bytes())) as docx:
        core = docx.read("docProps/core.xml").decode()
        styles = docx.read("word/styles.xml").decode()
    assert "<dc:language>en-US</dc:language>" in core and "es-US" not in core
    assert 'w:val="en-US"' in styles and "es-US" not in styles
    pdf = (folder / "records-request.pdf").read_bytes()
    assert b"/Lang (en)" in pdf and b"(es)" not in pdf
    assert "Privacy Officer" in docx_text((folder / "records-request.docx").read_bytes())
    assert "Privacy Officer" in pdf_text(pdf)
    # an English case: no note
    assert main(["build", str(FULL / f"{PATIENT_WRITES}.toml"), "-l", "records-request",
                 "-f", "md", "-o", str(out)]) == 0
    assert "language" not in capsys.readouterr().err
