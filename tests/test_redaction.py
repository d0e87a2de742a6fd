import pytest

from aiguillage.redaction import Redactor

redactor = Redactor()


def redact(text: str) -> str:
    return redactor.redact(text).text


def test_redaction_masks_a_nir_whose_key_is_valid():
    assert redact("NIR : 2 61 12 13 609 509 89, merci") == "NIR : [NIR], merci"


def test_redaction_still_masks_a_nir_shaped_number_with_a_wrong_key():
    assert "609" not in redact("numéro de sécu 2 61 12 13 609 509 12")


def test_redaction_masks_iban_card_email_and_phones():
    text = (
        "IBAN FR76 3000 6000 0112 3456 7890 189, carte 4970 1000 0000 0063, "
        "écrivez à karima.benali@orange.fr ou au 06 39 98 12 34 / +33 6 12 34 56 78"
    )
    out = redact(text)
    for secret in ("FR76", "4970", "karima", "06 39", "+33"):
        assert secret not in out
    for placeholder in ("[IBAN]", "[CARTE]", "[COURRIEL]", "[TÉLÉPHONE]"):
        assert placeholder in out


def test_redaction_masks_numero_allocataire_and_address():
    out = redact("Mon numéro allocataire est 4455413. J'habite 12 rue des Lilas, 69003 Lyon.")
    assert "4455413" not in out and "Lilas" not in out and "69003" not in out


@pytest.mark.parametrize(
    "text, name",
    [
        ("Je m'appelle Karima Benali et je vous écris.", "Benali"),
        ("Mme DIALLO attend depuis mars.", "DIALLO"),
        ("Mon fils Yanis est handicapé.", "Yanis"),
        ("Cordialement,\nJean-Pierre Martin", "Martin"),
        ("Monsieur Paul LEFEBVRE est sous curatelle.", "LEFEBVRE"),
    ],
)
def test_redaction_masks_person_names_from_cues(text, name):
    assert name not in redact(text)


def test_redaction_keeps_amounts_dates_and_institutions():
    text = "La Caf m'a retenu 450,50 € le 03/03/2026 ; la CPAM et la MDPH aussi. Madame le Médiateur, merci."
    assert redact(text) == text


def test_redaction_spans_point_into_the_original_text():
    text = "Mail : a.b@exemple.fr"
    (span,) = redactor.redact(text).spans
    assert text[span.start : span.end] == "a.b@exemple.fr" and span.kind == "email"


def test_redaction_prefilters_never_change_a_result_on_the_corpus():
    from aiguillage.records import load_cases
    from tests.conftest import REPO

    for case in load_cases(REPO / "data" / "annotated"):
        assert redactor.find(case.text) == redactor.find(case.text, prefilter=False), case.id


def test_redaction_finds_a_signature_after_windows_line_endings():
    assert "Benali" not in redact("Merci.\r\nCordialement,\r\nKarima Benali\r\n")
