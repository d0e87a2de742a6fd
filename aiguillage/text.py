"""Text normalisation shared by every stage."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("’", "'")


# Latin letters and punctuation folded once; other characters take the slow path.
_FAST_RANGES = ((0x0000, 0x02FF), (0x2000, 0x206F), (0x20A0, 0x20CF))
_FOLD_TABLE = {code: _fold_slowly(chr(code)) for low, high in _FAST_RANGES for code in range(low, high)}
_SLOW_CHARS = re.compile("[^" + "".join(f"\\u{low:04x}-\\u{high - 1:04x}" for low, high in _FAST_RANGES) + "]")


def fold(text: str) -> str:
    """Lower case without accents: 'Réclamation' and 'reclamation' become one word."""
    lowered = text.lower()
    if _SLOW_CHARS.search(lowered) is None:
        return lowered.translate(_FOLD_TABLE)
    return _fold_slowly(text)


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    """``fold`` for one token, cached: words repeat, and folding is the costliest per-token step."""
    return fold(token)
