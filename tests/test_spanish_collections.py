"""The Spanish collections and complaint letters: debt validation, the credit-report
dispute, the complaint to a regulator and the representative's authorization.

Each is built from every full case in English and in Spanish: the Spanish letter
builds exactly when the English one does, for the same reasons, reads as Spanish
(``spanish.english_left``) and is tagged es-US; then what its recipient acts on is
read: the rule cited, the amounts, the dates in Spanish, the remedy asked.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from conftest import document_text
from spanish import FULL, FULL_CASES, build_pair, english_left

IDS = ("debt-validation", "credit-report-dispute", "regulator-complaint",
       "representative-authorization")


@cache
def _pair(source: Path, letter_id: str, tmp: Path):
    return build_pair(source, tmp, letter_id)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("spanish-collections")


@pytest.mark.parametrize("letter_id", IDS)
def test_each_spanish_letter_builds_when_the_english_does_and_reads_as_spanish(letter_id, tmp):
    built = 0
    for source in FULL_CASES:
        english, spanish = _pair(source, letter_id, tmp)
        assert isinstance(english, list) == isinstance(spanish, list), source.name
        if isinstance(english, list):
            assert english == spanish, source.name  # the same refusal, word for word
            continue
        assert spanish.document.language == "es-US"
        assert english_left(spanish, source) == [], source.name
        assert len(spanish.notes) == len(english.notes), source.name
        built += 1
    assert built >= 3, letter_id


def _text(name: str, letter_id: str, tmp: Path) -> str:
    _, spanish = _pair(FULL / f"{name}.toml", letter_id, tmp)
    return " ".join(document_text(spanish.document).split())


def test_debt_validation_disputes_in_time_and_asks_a_buyer_its_price(tmp):
    text = _text("collections-bought-debt", "debt-validation", tmp)
    assert "Disputo esta deuda en su totalidad" in text
    assert "dentro del período de validación, que termina el 28 de diciembre de 2026" in text
    assert "15 U.S.C. 1692g(b) de la Fair Debt Collection Practices Act" in text
    assert "el precio que pagaron por ella" in text
    assert "no es una promesa de pago" in text
    assert "a más tardar el 31 de diciembre de 2026" in text


def test_credit_report_dispute_shows_the_eob_cap_and_cites_the_fcra(tmp):
    text = _text("credit-report-unpaid", "credit-report-dispute", tmp)
    assert "fija mi parte en $240.00, lo que deja como máximo $240.00 por pagar" in text
    assert "Número de expediente de TransUnion: TU-558812" in text
    assert "15 U.S.C. 1681i, de la Fair Credit Reporting Act" in text
    assert "dentro de los 30 días siguientes a la recepción de esta disputa" in text


def test_regulator_complaint_names_what_went_wrong_with_the_rule(tmp):
    text = _text("er-bill-review", "regulator-complaint", tmp)
    assert "Les escribo en nombre de Jordan A. Rivera para presentar una queja" in text
    assert "Lo que salió mal:" in text
    assert "Debía hacerse a más tardar el 25 de junio de 2026, y no se ha hecho." in text
    assert "2 de marzo de 2026 | Springfield General Hospital | Atención recibida" \
        in document_text(_pair(FULL / "er-bill-review.toml", "regulator-complaint",
                               tmp)[1].document)
    assert "Denegación confirmada en apelación" in text


def test_the_authorization_is_the_patients_own_with_the_hipaa_elements(tmp):
    text = _text("medicare-advantage-representative", "representative-authorization", tmp)
    assert text.count("Yo, Harold B. Whitfield") == 1
    for element in ("Quién puede divulgarla:", "Qué información:", "A quién:", "Propósito:",
                    "Vencimiento:", "Mi derecho a revocarla:", "Sin condiciones:",
                    "Nueva divulgación:"):
        assert element in text
    assert "CMS-1696" in text and "Fecha de la firma:" in text
