"""The Spanish collections and complaint letters: debt validation, the credit-report
dispute, the complaint to a regulator and the representative's authorization.

Each is built from every full case in English and in Spanish: the Spanish letter
builds exactly when the English one does, for the same reasons, reads as Spanish
(``spanish.english_left``) and is tagged es-US; then what its recipient acts on is
read: the rule cited, the amounts, the dates in Spanish, the remedy asked.
"""

from __future__ import annotations

import pytest

from spanish import FULL_CASES, assert_matches_english, built_from, full_pair, full_texts

IDS = ("debt-validation", "credit-report-dispute", "regulator-complaint",
       "representative-authorization")


@pytest.mark.parametrize("letter_id", IDS)
@pytest.mark.parametrize("source", FULL_CASES, ids=lambda p: p.stem)
def test_each_spanish_letter_builds_when_the_english_does_and_reads_as_spanish(source,
                                                                              letter_id):
    assert_matches_english(*full_pair(source.stem, letter_id), source)


@pytest.mark.parametrize("letter_id", IDS)
def test_each_letter_builds_from_several_full_cases(letter_id):
    assert len(built_from(letter_id)) >= 3


def _text(name: str, letter_id: str) -> str:
    return " ".join(full_texts(name, letter_id)[1].split())


def test_debt_validation_disputes_in_time_and_asks_a_buyer_its_price():
    text = _text("collections-bought-debt", "debt-validation")
    assert "Disputo esta deuda en su totalidad" in text
    assert "dentro del período de validación, que termina el 28 de diciembre de 2026" in text
    assert "15 U.S.C. 1692g(b) de la Fair Debt Collection Practices Act" in text
    assert "el precio que pagaron por ella" in text
    assert "no es una promesa de pago" in text
    assert "a más tardar el 31 de diciembre de 2026" in text


def test_credit_report_dispute_shows_the_eob_cap_and_cites_the_fcra():
    text = _text("credit-report-unpaid", "credit-report-dispute")
    assert "fija mi parte en $240.00, lo que deja como máximo $240.00 por pagar" in text
    assert "Número de expediente de TransUnion: TU-558812" in text
    assert "15 U.S.C. 1681i, de la Fair Credit Reporting Act" in text
    assert "dentro de los 30 días siguientes a la recepción de esta disputa" in text


def test_regulator_complaint_names_what_went_wrong_with_the_rule():
    text = _text("er-bill-review", "regulator-complaint")
    assert "Les escribo en nombre de Jordan A. Rivera para presentar una queja" in text
    assert "Lo que salió mal:" in text
    assert "Debía hacerse a más tardar el 25 de junio de 2026, y no se ha hecho." in text
    assert "2 de marzo de 2026 | Springfield General Hospital | Atención recibida" \
        in full_texts("er-bill-review", "regulator-complaint")[1]
    assert "Denegación confirmada en apelación" in text


def test_the_authorization_is_the_patients_own_with_the_hipaa_elements():
    text = _text("medicare-advantage-representative", "representative-authorization")
    assert text.count("Yo, Harold B. Whitfield") == 1
    for element in ("Quién puede divulgarla:", "Qué información:", "A quién:", "Propósito:",
                    "Vencimiento:", "Mi derecho a revocarla:", "Sin condiciones:",
                    "Nueva divulgación:"):
        assert element in text
    assert "CMS-1696" in text and "Fecha de la firma:" in text
