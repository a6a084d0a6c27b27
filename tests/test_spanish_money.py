"""The Spanish money letters (settlement offer, final offer, settlement confirmation,
repricing request, financial-assistance request): each builds exactly when its English
letter builds, refuses with the same English reasons, reads as Spanish, is tagged es-US,
and tells the recipient the same amount, arithmetic, dates and rules."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from conftest import document_text
from lettergen.case.casefile import load_case
from lettergen.cli import main
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters.render import render_letter
from lettergen.packs.folder import builtin_pack
from spanish import (
    FULL,
    FULL_CASES,
    assert_matches_english,
    build_pair,
    built_from,
    english_left,
    full_pair,
    full_texts,
    spanish_copy,
)

LETTERS = ("settlement-offer", "final-offer", "settlement-confirmation", "repricing-request",
           "financial-assistance-request")


def variant(tmp_path: Path, case: str, letter_id: str, changes: dict | None = None,
            drop: tuple[str, ...] = ()) -> str:
    """The Spanish letter of a full case with changes, as its recipient reads it."""
    path = spanish_copy(FULL / f"{case}.toml", tmp_path, changes, drop)
    letter = render_letter(load_case(path), letter_id, (builtin_pack(),))
    assert letter.document.language == "es-US"
    assert english_left(letter, FULL / f"{case}.toml") == []
    return document_text(letter.document)


@pytest.mark.parametrize("letter_id", LETTERS)
@pytest.mark.parametrize("source", FULL_CASES, ids=lambda p: p.stem)
def test_spanish_builds_when_english_does_and_reads_as_spanish(source, letter_id):
    en, es = full_pair(source.stem, letter_id)
    assert_matches_english(en, es, source)
    if isinstance(en, list):
        return
    # The representative's authority is said once, in the body or above the signature.
    assert len(re.findall(r"\bEscribo (?:como|en nombre de)\b", document_text(es.document))) <= 1


WITH_SENDER = [s for s in FULL_CASES if "\n[sender]" in s.read_text("utf-8")]
LEFTOVERS = ("{{", "}}", "{%", "None", "FILL IN", " ,", " .", ",,", "...")


@pytest.mark.parametrize("letter_id", LETTERS)
@pytest.mark.parametrize("source", WITH_SENDER, ids=lambda p: p.stem)
def test_the_patients_own_spanish_letter_is_in_the_first_person(tmp_path, source, letter_id):
    en, es = build_pair(source, tmp_path, letter_id, drop=("sender",))
    if isinstance(en, list):
        assert es == en
        return
    assert not isinstance(es, list), f"Spanish refused where English built: {es}"
    assert english_left(es, source) == []
    name = load_case(spanish_copy(source, tmp_path, drop=("sender",))).patient.name
    text = document_text(es.document)
    lines = text.split("Atentamente,")[0].splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith(("Estimad", "A quien corresponda:")))
    body = "\n".join(lines[start + 1:])
    assert f"en nombre de {name}" not in body
    third = re.findall(re.escape(name) + r" (?:no )?(?:tiene|tenía|ha|puede|reúne|cumple|"
                       r"recibió|pagó)\b", body)
    assert third == []
    assert f"a {name}" not in body
    for leftover in LEFTOVERS:
        assert leftover not in body, leftover


def test_every_letter_builds_from_some_full_case():
    for letter_id in LETTERS:
        built = built_from(letter_id)
        assert built, letter_id


# --- settlement offer ------------------------------------------------------------------

def test_settlement_offer_to_the_agency_in_the_patients_words():
    es = full_texts("collections-uninsured", "settlement-offer")[1]
    assert ("Les escribo sobre su cuenta SCR-2026-55120: los $18,000.00 que, según ustedes, "
            "se deben a Peachtree Surgical Center") in es
    assert "Sin admitir que se deba el saldo, ofrezco $4,500.00 como pago total" in es
    assert "La oferta está abierta hasta el 24 de septiembre de 2026." in es
    assert "yo no tenía seguro médico" in es
    # The benchmark table and its total, with the multiple.
    assert "Fecha | Código | Descripción | Facturado | Precio de referencia | Múltiplo" in es
    assert "Total |  |  | $15,100.00 | $2,760.00 | 5.5×" in es
    assert "lo que equivale al 143 % de las pautas federales de pobreza de 2026" in es
    assert "$4,500.00 es lo que puedo pagar." in es
    assert "ustedes son dueños de esta cuenta" in es
    assert "lo pagado en virtud de este acuerdo se me reembolsará" in es
    assert "A quien corresponda:" in es


def test_settlement_offer_by_a_representative_names_the_pending_application():
    es = full_texts("nonprofit-financial-assistance", "settlement-offer")[1]
    assert "Les escribo en nombre de Walter J. Kowalski sobre su cuenta TRS-77-204519" in es
    assert ("la solicitud de asistencia financiera de Walter J. Kowalski conforme a su "
            "política, enviada el 16 de noviembre de 2026, está pendiente") in es
    assert "26 CFR 1.501(r)-6(c)" in es and "26 CFR 1.501(r)-6(b)(1)" in es
    assert ("4 días después de que su primer aviso llegó a Walter J. Kowalski el 24 de "
            "agosto de 2026") in es
    assert "12 CFR 1006.30(a)(1)" in es
    assert "42 U.S.C. 407(a)" in es
    assert "$7,800.00 es lo que Walter J. Kowalski puede pagar." in es
    assert "se le reembolsará a Walter J. Kowalski" in es
    # The representative never says "el paciente" or "la paciente" of the patient.
    assert " la paciente" not in es and "el paciente puede" not in es


def test_settlement_offer_from_the_calculator_shows_its_comparison():
    en, es_letter = full_pair("er-anesthesia", "settlement-offer")
    es = document_text(es_letter.document)
    assert ("$682.00 es más que el total de los precios de referencia de arriba para los "
            "mismos servicios ($612.40).") in es
    assert "Esta línea se factura a 10.1× el precio de referencia: $6,200.00 frente a $612.40" in es
    assert "esa decisión está en disputa: se está apelando la denegación" in es
    assert any("opening figure, $682.00" in n for n in es_letter.notes)


def test_settlement_offer_payment_plan_shows_the_installments(tmp_path):
    es = variant(tmp_path, "collections-uninsured", "settlement-offer",
                 {"offer.payment": "payment-plan", "offer.monthly": Decimal("400.00")})
    assert ("ofrezco $4,500.00 como pago total de esta cuenta, pagados en 12 cuotas mensuales "
            "de $400.00 (la última de $100.00), sin intereses ni cargos") in es
    assert "no se añadirán intereses, cargos ni recargos por mora mientras se hagan los pagos" in es
    assert "haré el primer pago" in es


# --- final offer -----------------------------------------------------------------------

def test_final_offer_lists_the_earlier_offers_and_its_reasons():
    es = full_texts("collections-final-offer", "final-offer")[1]
    assert ("Les escribo sobre su cuenta SCR-2026-55120, que según ustedes se debe a "
            "Peachtree Surgical Center por la atención que recibió Alicia Marquez el 11 de "
            "febrero de 2026, con un saldo de $18,000.00.") in es
    assert ("Hago una oferta final de $5,400.00 como pago total de esta cuenta, en un pago "
            "único") in es
    assert "14 de septiembre de 2026: $4,500.00" in es
    assert "12 de octubre de 2026: $5,000.00" in es
    assert "He subido mi oferta de $5,000.00 a $5,400.00 para llegar a un acuerdo." in es
    assert ("Las líneas con un precio de referencia publicado se facturaron a $15,100.00, 5.5× "
            "el total de referencia de $2,760.00") in es
    assert "Alicia Marquez no tenía seguro médico para esta atención" in es
    assert ("$5,400.00 se aceptarán como pago total de su cuenta SCR-2026-55120 (Peachtree "
            "Surgical Center, cuenta PSC-7719)") in es
    assert ("Les ruego que envíen su aceptación por escrito a más tardar el 30 de noviembre de "
            "2026") in es


def test_final_offer_by_the_patient_and_from_the_calculator(tmp_path):
    es = variant(tmp_path, "er-anesthesia", "final-offer",
                 {"offer.previous": [{"date": dt.date(2026, 4, 1), "amount": Decimal("500.00")}]})
    assert "Les escribo sobre la cuenta por la atención del 2 de marzo de 2026" in es
    assert "Esta oferta sigue a mi oferta anterior para resolver esta cuenta:" in es
    assert "1 de abril de 2026: $500.00" in es
    assert "He subido mi oferta de $500.00 a $1,550.00" in es
    assert "Supera el total de los precios de referencia para los mismos servicios ($612.40)." in es
    assert "Mi hogar, de 3 personas, vive con $42,000.00 al año antes de impuestos" in es


def test_final_offer_refuses_like_the_english_without_an_earlier_offer(tmp_path):
    path = spanish_copy(FULL / "collections-final-offer.toml", tmp_path,
                        {"offer.previous": None})
    with pytest.raises(LetterDoesNotFitError) as refused:
        render_letter(load_case(path), "final-offer", (builtin_pack(),))
    assert "a final offer follows at least one earlier offer" in str(refused.value)


# --- settlement confirmation -----------------------------------------------------------

def test_settlement_confirmation_states_the_agreement():
    es = full_texts("layout-collections-settled", "settlement-confirmation")[1]
    assert "Asunto: Confirmación del acuerdo: $5,000.00 como pago total" in es
    assert "Cantidad del acuerdo: $5,000.00" in es
    assert ("El 8 de octubre de 2026, Dana Pruitt, de su oficina, aceptó recibir $5,000.00 como "
            "pago total (referencia SET-5531).") in es
    assert "(saldo reclamado: $18,000.00)" in es
    assert "a más tardar el 23 de octubre de 2026" in es
    assert "Peachtree Surgical Center la registrará como saldada en su totalidad" in es
    assert "si Peach State Health Plan paga más adelante" in es


# --- repricing request -----------------------------------------------------------------

def test_repricing_request_names_the_benchmark_total():
    es = full_texts("er-bill-review", "repricing-request")[1]
    assert ("que ajusten las líneas de la tabla de abajo de $18,000.00 a su total de referencia "
            "de $920.62") in es
    assert "Total |  |  | $18,000.00 | $920.62 | 19.6×" in es
    # A benchmark without a source is a reference price, and no source is claimed for it.
    assert "Fuente del precio de referencia de 99285: Medicare physician fee schedule 2026" in es
    assert "La cifra de 44970 es un precio de referencia que consulté" in es
    assert "en lugar de $18,000.00" in es
    assert "26 CFR 1.501(r)-5" in es
    assert "código 0250 del 3 de marzo de 2026, $1,400.00" in es
    assert "a más tardar el 19 de noviembre de 2026" in es


def test_repricing_request_of_the_uninsured_patient():
    es = full_texts("collections-uninsured", "repricing-request")[1]
    assert "No tenía seguro médico para esta atención." in es
    assert "Estimado equipo de Billing Office:" in es


# --- financial assistance --------------------------------------------------------------

def test_financial_assistance_501r_rights_and_dates():
    es = full_texts("nonprofit-financial-assistance", "financial-assistance-request")[1]
    assert "Solicito asistencia financiera conforme a la política de asistencia financiera" in es
    assert "Adjunto la solicitud completa" in es
    assert ("El hogar de Walter J. Kowalski, de 2 personas, vive con $26,400.00 al año antes de "
            "impuestos, lo que equivale al 121 %") in es
    assert "el plazo de solicitud dura como mínimo hasta el 6 de diciembre de 2026" in es
    assert "antes del 8 de agosto de 2026, 120 días después de su primer estado de cuenta" in es
    assert "Les ruego que retiren la cuenta de Trident Revenue Solutions" in es
    assert "26 U.S.C. 501(r)" in es and "26 CFR 1.501(r)-1(b)(3)" in es
    assert "a más tardar el 30 de noviembre de 2026" in es


def test_financial_assistance_encloses_spanish_proof_of_income(tmp_path):
    es = variant(tmp_path, "collections-uninsured", "financial-assistance-request",
                 {"hardship.income_source": "social-security"}, drop=("enclosures",))
    assert "Documentos adjuntos:" in es
    assert "Carta de beneficios del Seguro Social de este año" in es
    assert "Su estado de cuenta del " in es
    assert "No tenía seguro médico cuando recibí esta atención" in es
    assert "El único ingreso del hogar son los beneficios del Seguro Social" in es


def test_spanish_final_offer_docx_through_build(tmp_path):
    path = spanish_copy(FULL / "collections-final-offer.toml", tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(path), "-l", "final-offer", "-f", "docx", "-o", str(out)]) == 0
    docx = next(out.rglob("final-offer.docx"))
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Asunto: Oferta final para resolver la cuenta" in text
    assert "He subido mi oferta de $5,000.00 a $5,400.00" in text
    with zipfile.ZipFile(docx) as z:
        assert "<dc:language>es-US</dc:language>" in z.read("docProps/core.xml").decode()
