"""The Spanish letters to the provider about its bill (billing correction, billing hold,
coding review, refund) and the confirmation of a call: each builds exactly when its
English letter builds, refuses with the same reasons, reads as Spanish, is tagged es-US,
and tells the recipient the same remedy, amounts, dates and rules."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from conftest import _to_toml, document_text
from lettergen.case.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.render import render_letter
from spanish import (
    FULL,
    FULL_CASES,
    PACKS,
    assert_matches_english,
    built_from,
    english_left,
    full_pair,
    full_texts,
)

LETTERS = ("billing-correction-request", "billing-hold-request", "coding-review-request",
           "refund-request", "call-confirmation")


def variant(tmp_path: Path, case: str, letter_id: str, edit: Callable[[dict], Any]
            ) -> tuple[Any, Any, Path]:
    """One full case changed by ``edit`` (on its parsed TOML), built in English and in
    Spanish: (english, spanish, the Spanish case file); a refusal is its reasons."""
    data = tomllib.loads((FULL / f"{case}.toml").read_text("utf-8"), parse_float=Decimal)
    edit(data)
    out: list[Any] = []
    path = tmp_path
    for language in ("en", "es"):
        data.setdefault("case", {})["language"] = language
        path = tmp_path / f"{case}-{language}.toml"
        path.write_text(tomli_w.dumps(_to_toml(data)), "utf-8")
        try:
            out.append(render_letter(load_case(path), letter_id, PACKS))
        except LetterDoesNotFitError as exc:
            out.append(list(exc.reasons))
    return out[0], out[1], path


def spanish_text(tmp_path: Path, case: str, letter_id: str, edit: Callable[[dict], Any]
                 ) -> str:
    """The Spanish letter of a changed full case, after checking it builds when the
    English does and leaves no English behind."""
    en, es, path = variant(tmp_path, case, letter_id, edit)
    assert not isinstance(en, list), en
    assert not isinstance(es, list), es
    assert english_left(es, path) == []
    assert es.document.language == "es-US"
    return document_text(es.document)


@pytest.mark.parametrize("letter_id", LETTERS)
@pytest.mark.parametrize("source", FULL_CASES, ids=lambda p: p.stem)
def test_spanish_builds_when_english_does_and_reads_as_spanish(source, letter_id):
    en, es = full_pair(source.stem, letter_id)
    assert_matches_english(en, es, source)


def test_every_letter_builds_from_some_full_case():
    for letter_id in LETTERS:
        built = built_from(letter_id)
        assert built, letter_id


def enclosures(text: str, heading: str) -> list[str]:
    """The enclosure lines under a letter's enclosures heading."""
    lines = text.split("\n")
    if heading not in lines:
        return []
    out = []
    for line in lines[lines.index(heading) + 1:]:
        if not line.strip() or line.startswith("cc:"):
            break
        out.append(line)
    return out


@pytest.mark.parametrize("letter_id", LETTERS)
def test_spanish_lists_as_many_enclosures_as_english(letter_id):
    # A document the case already lists, named by its English date, is not listed a
    # second time under its Spanish title.
    for source in FULL_CASES:
        en, es = full_pair(source.stem, letter_id)
        if isinstance(en, list):
            continue
        english = enclosures(document_text(en.document), "Enclosures:")
        spanish = enclosures(document_text(es.document), "Documentos adjuntos:")
        assert len(spanish) == len(english), (source.stem, english, spanish)


# --- changes to the full cases that reach the other branches -------------------------

def _no_eob(data: dict) -> None:
    for key in ("allowed", "plan_paid", "patient_responsibility", "eob_date"):
        data["claim"].pop(key, None)
    for charge in data["charges"]:
        charge.pop("allowed", None)


def _denied(reason: str, text: str = "") -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        data["denial"] = {"date": dt.date(2026, 8, 5), "reason": reason}
        if text:
            data["denial"]["reason_text"] = text
        for key in ("allowed", "plan_paid", "patient_responsibility"):
            data["claim"].pop(key, None)
        for charge in data["charges"]:
            charge.pop("allowed", None)
    return edit


def _medicare(data: dict, **extra: Any) -> None:
    data["insurer"] = {"name": "Medicare", "address": ["PO Box 1", "Columbus, OH 43215"],
                       "plan_type": "medicare", **extra}


def _sister(data: dict) -> None:
    data["sender"] = {"name": "Ana Ruiz", "role": "Sister", "address": ["1 Main St",
                      "Tacoma, WA 98402"], "authorization": "enclosed"}


def both(*edits: Callable[[dict], Any]) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        for one in edits:
            one(data)
    return edit


# --- billing correction ---------------------------------------------------------------

def test_billing_correction_above_the_eob_with_its_arithmetic():
    en, es = full_texts("overpaid-clinic-visit", "billing-correction-request")
    assert "$700.00 plus $780.00 is $1,480.00" in en
    assert "les ruego que reduzcan el saldo a $0.00, la responsabilidad del paciente que fija " \
           "la Explicación de Beneficios, menos lo que he pagado, y que reembolsen los $88.00 " \
           "pagados por encima de ella." in es
    assert "$700.00 más $780.00 suman $1,480.00 cobrados en total: $1,480.00 menos $612.00 " \
           "son $868.00 más que la responsabilidad del paciente" in es
    assert "$700.00 menos $612.00, es decir, $88.00, se pagaron por encima" in es
    assert "Cantidad facturada por encima de la responsabilidad del paciente: $868.00" in es
    assert "Les ruego que corrijan el saldo a $0.00 y que reembolsen $88.00." in es
    assert "a más tardar el 14 de octubre de 2026" in es
    assert "Harbor View Family Clinic pertenece a la red de Cascade Shield Health." in es


def test_billing_correction_prior_authorization_by_a_representative():
    en, es = full_texts("medicare-advantage-representative", "billing-correction-request")
    assert "les ruego que cancelen los cargos que Sunshine Senior Advantage denegó por falta " \
           "de autorización previa" in es
    assert "que lo eliminen de la cuenta de Harold B. Whitfield" in es
    assert "en lugar de cobrar a Harold B. Whitfield" in es
    assert "42 CFR 422.504(g)(1)" in en and "42 CFR 422.504(g)(1)" in es
    assert "a más tardar el 31 de diciembre de 2026" in es
    # The hold asked for while the bill is corrected is a paragraph of its own.
    assert any(line.startswith("Mientras corrigen la factura") for line in es.split("\n"))


def test_billing_correction_claim_never_billed_to_the_plan(tmp_path):
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "billing-correction-request", _no_eob)
    assert "les ruego que presenten la reclamación a Cascade Shield Health." in es
    assert "yo tenía cobertura de Cascade Shield Health (plan de salud del Marketplace), con " \
           "el número de afiliado CSC-30091177" in es
    assert "No ha llegado ninguna Explicación de Beneficios de la reclamación " \
           "CSH-26-0771932" in es
    assert "que no me cobren hasta que Cascade Shield Health la haya resuelto" in es
    assert "Copia de la tarjeta del seguro de Priya Natarajan, por ambos lados" in es


def test_billing_correction_refuses_in_english_like_the_english_letter(tmp_path):
    def no_member_id(data: dict) -> None:
        _no_eob(data)
        data["patient"].pop("member_id")
    en, es, _ = variant(tmp_path, "overpaid-clinic-visit", "billing-correction-request",
                        no_member_id)
    assert isinstance(en, list) and es == en
    assert "[patient] member_id" in es[0]


@pytest.mark.parametrize("name, edit, says", [
    ("late filing", _denied("timely-filing", "Claim filed after the filing limit"),
     ["que eliminen los cargos que Cascade Shield Health denegó porque la reclamación se "
      "presentó fuera de plazo", "La decisión de Cascade Shield Health del 5 de agosto de 2026 "
      "(\"Claim filed after the filing limit\")", "Les ruego que cancelen el saldo de $780.00"]),
    ("no ABN", both(_denied("medical-necessity"), _medicare,
                    lambda d: d["provider"].update(abn_signed=False)),
     ["Advance Beneficiary Notice (el aviso previo por escrito al beneficiario de Medicare)",
      "Según 42 U.S.C. 1395pp", "no me entregó un Advance Beneficiary Notice válido"]),
    ("QMB, by a representative", both(_sister, lambda d: _medicare(d, qmb=True)),
     ["Qualified Medicare Beneficiary (beneficiario calificado de Medicare, QMB)",
      "Priya Natarajan tiene la condición de Qualified Medicare Beneficiary.",
      "42 U.S.C. 1396a(n)(3)(B)", "Les escribo en nombre de Priya Natarajan",
      "Comprobante de la inscripción de Priya Natarajan como Qualified Medicare Beneficiary"]),
    ("Medicaid managed care", lambda d: d.update(insurer={
        "name": "Apple Health", "address": ["PO Box 1", "Olympia, WA 98504"],
        "plan_type": "medicaid-managed-care"}),
     ["que no cobren al paciente más que el costo compartido que permite el plan de Medicaid",
      "yo tenía cobertura de Apple Health (plan de atención administrada de Medicaid)",
      "(42 CFR 438.106)", "menos los $700.00 ya pagados, lo que deja $0.00"]),
])
def test_billing_correction_each_error_and_its_fix(tmp_path, name, edit, says):
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "billing-correction-request", edit)
    for words in says:
        assert words in es, (name, words)


# --- billing hold ---------------------------------------------------------------------

def test_billing_hold_during_external_review_with_a_nonprofit_hospital():
    en, es = full_texts("er-out-of-network", "billing-hold-request")
    assert "Les ruego que marquen la cuenta como en disputa y la pongan en espera" in es
    assert "mientras la denegación final del plan esté en revisión externa independiente, " \
           "haya cargos de la factura en disputa, el hospital resuelva la solicitud de " \
           "asistencia financiera de Jordan A. Rivera y yo revise la factura detallada" in es
    assert "se está solicitando una revisión externa, con plazo hasta el 20 de noviembre " \
           "de 2026" in es
    assert "(26 CFR 1.501(r)-6(c))" in es and "(26 CFR 1.501(r)-6(c))" in en
    assert "Les ruego que la retiren, ya que la suspensión abarca también a sus agencias" in es
    assert "a más tardar el 17 de agosto de 2026" in es
    assert "Pido que dure hasta que se haya vuelto a tramitar la reclamación tras la revisión " \
           "externa de la denegación de Acme Health Plan" in es


def test_billing_hold_pays_the_part_the_eob_caps(tmp_path):
    def edit(data: dict) -> None:
        data["charges"][0]["dispute"] = "upcoding"
        data["balance"]["amount_due"] = Decimal("1480.00")
        data["balance"].pop("paid")
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "billing-hold-request", edit)
    assert "Codificado en un nivel más alto que la atención documentada" in es
    assert "Pagaré la parte del saldo que no disputo, $612.00: la Explicación de Beneficios " \
           "de Cascade Shield Health fija la responsabilidad del paciente en $612.00, y un " \
           "proveedor dentro de la red no puede cobrar más al paciente." in es
    assert "El resto del saldo de $1,480.00, $868.00, está en disputa" in es


def test_billing_hold_good_faith_estimate_dispute(tmp_path):
    def edit(data: dict) -> None:
        data["case"]["date"] = dt.date(2026, 6, 1)
        data["case"]["letters"] = []
        for table in ("hardship", "collector", "credit_report"):
            data.pop(table, None)
        data["contacts"] = []
    es = spanish_text(tmp_path, "collections-uninsured", "billing-hold-request", edit)
    assert "Cantidad superior al estimado de buena fe: $1,500.00" in es
    assert "El total facturado, $18,000.00, supera en $1,500.00 su estimado de buena fe de " \
           "$16,500.00." in es
    assert "(45 CFR 149.620), que puede iniciarse hasta el 29 de junio de 2026" in es
    assert "No disputo la cantidad de su estimado de buena fe, $16,500.00." in es
    assert "Estimado de buena fe" in enclosures(es, "Documentos adjuntos:")


def test_billing_hold_no_surprises_act_glossed_once(tmp_path):
    es = spanish_text(tmp_path, "er-anesthesia", "billing-hold-request",
                      lambda d: d.pop("denial"))
    assert es.count("(ley federal contra las facturas médicas sorpresa)") == 1
    assert "Esta atención está protegida por la No Surprises Act: no debo más que el costo " \
           "compartido dentro de la red que fija Acme Health Plan (45 CFR 149.410)." in es


# --- coding review --------------------------------------------------------------------

def test_coding_review_duplicate_line():
    en, es = full_texts("er-bill-review", "coding-review-request")
    assert "Cargos en revisión: $1,400.00" in es
    assert "Solicito una revisión formal de la codificación de la línea que se indica abajo, " \
           "de $1,400.00" in es
    assert "Tiene la misma fecha, el mismo código y el mismo importe que otra línea de esta " \
           "factura." in es
    assert "a más tardar el 19 de noviembre de 2026" in es
    assert "Les escribo en nombre de Jordan A. Rivera" in es


def test_coding_review_asks_the_question_of_each_kind_of_dispute(tmp_path):
    def edit(data: dict) -> None:
        base = data["charges"][0]
        data["charges"] = []
        kinds = ["upcoding", "unbundling", "wrong-code", "not-received", "other", "duplicate"]
        for i, kind in enumerate(kinds):
            charge = {**base, "code": f"9921{i}", "dispute": kind, "billed": Decimal(100 + i)}
            if kind == "upcoding":
                charge["modifiers"] = ["25", "59"]
            if kind == "wrong-code":
                charge["modifiers"] = ["25"]
            if kind == "unbundling":
                charge["units"] = 3
            if kind == "other":
                charge["note"] = "Never seen by this doctor"
            data["charges"].append(charge)
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "coding-review-request", edit)
    assert "las 6 líneas que se indican abajo, que suman $615.00" in es
    assert "CPT 99210-25-59" in es
    assert "¿Respalda el expediente médico el nivel facturado y los modificadores 25, 59?" in es
    assert "(3 unidades)" in es
    assert "¿Corresponde el código, con el modificador 25, al servicio documentado" in es
    assert "No consta que se recibiera este servicio." in es
    assert "Nota: Never seen by this doctor" in es
    assert "Parece repetir otra línea por el mismo servicio." in es
    # The National Correct Coding Initiative is glossed once, where it first appears.
    assert es.count("el programa federal de codificación correcta") == 1


def test_coding_review_refuses_a_price_dispute_like_english(tmp_path):
    def edit(data: dict) -> None:
        data["charges"][0]["dispute"] = "price"
    en, es, _ = variant(tmp_path, "overpaid-clinic-visit", "coding-review-request", edit)
    assert isinstance(en, list) and es == en
    assert "repricing-request" in es[0]


# --- refund ---------------------------------------------------------------------------

def test_refund_above_the_eob():
    en, es = full_texts("overpaid-clinic-visit", "refund-request")
    assert "Asunto: Solicitud de reembolso de $88.00" in es
    assert "He pagado $700.00 en esta cuenta, es decir, $88.00 más que la responsabilidad del " \
           "paciente que indica la Explicación de Beneficios de Cascade Shield Health." in es
    assert "La Explicación de Beneficios del 5 de agosto de 2026 fija mi parte en $612.00." in es
    assert "El reembolso debido es lo pagado, $700.00, menos lo que se debía, $612.00: " \
           "$88.00." in es
    assert "Les ruego que reembolsen $88.00 a más tardar el 14 de octubre de 2026, mediante " \
           "un cheque a nombre de Priya Natarajan" in es


def test_refund_above_a_settlement_by_a_representative(tmp_path):
    def edit(data: dict) -> None:
        _sister(data)
        data["offer"] = {"agreed": {"date": dt.date(2026, 8, 1), "amount": Decimal("500.00"),
                                    "representative": "Tom", "reference": "SET-9"}}
        data["claim"]["eob_date"] = dt.date(2026, 7, 20)
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "refund-request", edit)
    assert "Priya Natarajan ha pagado $700.00 en esta cuenta, es decir, $200.00 más que la " \
           "cantidad acordada con su oficina." in es
    assert "El 1 de agosto de 2026, Tom, de su oficina, aceptó $500.00 como pago total de esta " \
           "cuenta (referencia SET-9)." in es
    assert "menos lo que se debía, $500.00: $200.00." in es


def test_refund_after_the_plans_payment(tmp_path):
    def edit(data: dict) -> None:
        data["provider"]["in_network"] = False
        data["claim"]["plan_paid"] = Decimal("1000.00")
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "refund-request", edit)
    assert "$220.00 más de lo que quedaba por pagar después del pago de Cascade Shield " \
           "Health" in es
    assert "Con mi pago de $700.00, ustedes han recibido $1,700.00 por una factura de " \
           "$1,480.00." in es


def test_refund_from_medicare_names_its_notice_once(tmp_path):
    es = spanish_text(tmp_path, "overpaid-clinic-visit", "refund-request", _medicare)
    assert "que indica el Resumen de Medicare." in es
    assert "de Medicare de Medicare" not in es


def test_refund_refuses_like_english_without_a_payment(tmp_path):
    en, es, _ = variant(tmp_path, "overpaid-clinic-visit", "refund-request",
                        lambda d: d["balance"].pop("paid"))
    assert isinstance(en, list) and es == en


# --- call confirmation ----------------------------------------------------------------

def test_call_confirmation_to_the_plan():
    en, es = full_texts("er-anesthesia", "call-confirmation")
    assert "Asunto: Confirmación de nuestra llamada telefónica del 22 de abril de 2026" in es
    assert "lo que se acordó en nuestra llamada telefónica del 22 de abril de 2026 con Omar, " \
           "referencia ACME-2231, sobre la reclamación CLM-2026-000124" in es
    assert "a más tardar el 18 de mayo de 2026" in es and "May 18, 2026" in en
    assert "Mi registro de lo acordado:" in es


def test_call_confirmation_to_the_clinician_says_usted(tmp_path):
    def edit(data: dict) -> None:
        data["contacts"] = [c for c in data["contacts"] if c["party"] == "clinician"]
        data["contacts"][0].update(kind="email", until=dt.date(2026, 12, 3))
    es = spanish_text(tmp_path, "medicare-snf-discharge", "call-confirmation", edit)
    assert "Estimado Dr. Abernathy:" in es
    assert "Le escribo en nombre de Margaret L. Okafor para confirmar lo que se acordó en " \
           "nuestro intercambio de correos electrónicos del 30 de noviembre de 2026" in es
    assert "Le ruego que lo anote en la cuenta con la fecha indicada arriba, el 3 de " \
           "diciembre de 2026, y que me escriba a más tardar ese día" in es
    assert "Les ruego" not in es


def test_call_confirmation_refuses_a_letter_with_its_english_date(tmp_path):
    en, es, _ = variant(tmp_path, "medicare-snf-discharge", "call-confirmation",
                        lambda d: d["contacts"][-1].update(kind="letter"))
    assert isinstance(en, list) and es == en
    assert "December 1, 2026 is a letter" in es[0]


def test_an_office_the_letter_chooses_is_greeted_with_its_article():
    # The address names no office, so the letter's own choice is greeted: "del
    # Departamento de Facturación", never "equipo de Departamento".
    en, es = full_texts("credit-report-unpaid", "billing-correction-request")
    assert "Dear Billing Office:" in en
    assert "Estimado equipo del Departamento de Facturación:" in es
