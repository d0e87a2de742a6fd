import re

import pytest

from aiguillage.taxonomy import CHANNELS, EMETTEUR, HEADS, MOTIFS, PRESTATIONS, RECEVABILITE, ROUTING
from tests.conftest import REPO

TAXONOMY_FILE = REPO.parent / "shared" / "TAXONOMY.md"
if not TAXONOMY_FILE.exists():  # CI and the team's checkouts have shared/ beside the repository
    pytest.skip(f"{TAXONOMY_FILE} is not beside this checkout", allow_module_level=True)
TAXONOMY = TAXONOMY_FILE.read_text(encoding="utf-8")


def _section_codes(title: str) -> list[str]:
    section = TAXONOMY.split(f"`{title}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def test_taxonomy_codes_match_document():
    assert list(MOTIFS.codes) == _section_codes("motifs")
    assert list(PRESTATIONS.codes) == _section_codes("prestations")
    assert list(RECEVABILITE.codes) == _section_codes("recevabilite")
    emetteur_line = TAXONOMY.split("`emetteur`", 1)[1].split("\n## ", 1)[0]
    assert list(EMETTEUR.codes) == re.findall(r"`([a-z_]+)` \(", emetteur_line)


def test_taxonomy_libelles_match_document():
    for head in (MOTIFS, PRESTATIONS, RECEVABILITE):
        for label in head.labels:
            row = re.search(rf"^\| `{label.code}` \| ([^|]+) \|", TAXONOMY, flags=re.MULTILINE)
            assert row is not None
            assert row.group(1).strip().replace(":", " :").replace("  ", " ") == label.libelle


def test_taxonomy_every_recevabilite_has_a_route():
    assert set(ROUTING) == set(RECEVABILITE.codes)
    assert [head.name for head in HEADS] == ["motifs", "prestations", "recevabilite", "emetteur", "urgence"]
    assert CHANNELS == ("teleprocedure", "courriel", "courrier")
