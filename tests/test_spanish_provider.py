"""The Spanish letters to the provider about its bill (billing correction, billing hold,
coding review, refund) and the confirmation of a call: each builds exactly when its
English letter builds, refuses with the same reasons, reads as Spanish, is tagged es-US,
and tells the recipient the same remedy, amounts, dates and rules."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from conftest import _to_toml, document_text
from lettergen.casefile import load_case
from lettergen.errors import LetterDoesNotFitError
from lettergen.letters import render_letter
from spanish import FULL, FULL_CASES, PACKS, build_pair, english_left

LETTERS = ("billing-correction-request", "billing-hold-request", "coding-review-request",
           "refund-request", "call-confirmation")

_PAIRS: dict[tuple[str, str], tuple] = {}


@pytest.fixture(scope="module")
def pairs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("spanish-provider")


def pair(folder: Path, case: str, letter_id: str) -> tuple:
    """The (English, Spanish) letters of one full case, built once per module."""
    key = (case, letter_id)
    if key not in _PAIRS:
        sub = folder / f"{case}-{letter_id}"
        sub.mkdir(exist_ok=True)
        _PAIRS[key] = build_pair(FULL / f"{case}.toml", sub, letter_id)
    return _PAIRS[key]


def texts(folder: Path, case: str, letter_id: str) -> tuple[str, str]:
    en, es = pair(folder, case, letter_id)
    assert not isinstance(en, list), en
    assert not isinstance(es, list), es
    return document_text(en.document), document_text(es.document)


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
def test_spanish_builds_when_english_does_and_reads_as_spanish(pairs_dir, source, letter_id):
    en, es = pair(pairs_dir, source.stem, letter_id)
    if isinstance(en, list):
        # Refused in English: refused in Spanish too, with the same reasons (they are for
        # the person running lettergen, in English).
        assert es == en
        return
    assert not isinstance(es, list), f"Spanish refused where English built: {es}"
    assert es.document.language == "es-US"
    assert english_left(es, source) == []
    assert en.notes == es.notes


def test_every_letter_builds_from_some_full_case(pairs_dir):
    for letter_id in LETTERS:
        built = [s.stem for s in FULL_CASES
                 if not isinstance(pair(pairs_dir, s.stem, letter_id)[1], list)]
        assert built, letter_id
