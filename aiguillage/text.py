"""Text normalisation shared by every stage."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case without accents: 'Réclamation' and 'reclamation' become one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("’", "'")


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    """``fold`` for one token, cached: words repeat, and folding is the costliest per-token step."""
    return fold(token)
