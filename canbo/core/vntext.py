"""Vietnamese text helpers: accent-free folding for search, sort keys for names.

Folding: lower case, accents removed, đ/Đ folded to d (NFD decomposition does
not split đ, so it is mapped explicitly).

Sort keys follow Vietnamese dictionary order: the alphabet
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (foreign letters
f j w z at their Latin places), syllable by syllable; within one syllable the
letters decide first, then the tone (none, huyền, hỏi, ngã, sắc, nặng).
Keys use only the letters a-z so that SQLite (binary) and PostgreSQL (any
locale) order them the same way.
"""

from __future__ import annotations

import functools
import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Combining marks for the tones, in dictionary order after "no tone".
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that make a separate letter of the alphabet.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def normalize_spaces(text: str | None) -> str:
    """Trim and collapse runs of white space."""
    return " ".join(text.split()) if text else ""


def fold(text: str | None) -> str:
    """Lower-case, accent-free form used for search: 'Đặng Thị Ánh' -> 'dang thi anh'."""
    # Word by word: no step crosses a space (NFD reorders only runs of combining marks,
    # and lower-casing looks no further than the word), so the result is the same as
    # folding the whole text, and the same few thousand words come back again and again.
    return " ".join(map(_fold_word, text.split())) if text else ""


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@functools.lru_cache(maxsize=65536)
def _syllable_key(syllable: str) -> str:
    # Cached: a bulk import sees the same few thousand syllables again and again.
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
            continue
        if unicodedata.combining(ch):
            if letters and (letters[-1], ch) in _LETTER_MARKS:
                letters[-1] = _LETTER_MARKS[(letters[-1], ch)]
            continue
        letters.append(ch)
    out = []
    for ch in letters:
        index = _LETTER_INDEX.get(ch)
        if index is None:
            if not ch.isalnum():
                continue
            # Digits and other letters sort after the alphabet, by code point.
            index = len(ALPHABET) + (ord(ch) % 400)
        out.append(chr(98 + index // 24) + chr(98 + index % 24))
    # Syllable end: "a" sorts before any letter code, then the tone.
    out.append("a" + chr(98 + tone))
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def word_sort_key(text: str | None) -> str:
    """Sort key for one name part (possibly several syllables)."""
    return "".join(_syllable_key(s) for s in normalize_spaces(text).split(" ") if s)


def name_sort_key(family: str | None, middle: str | None, given: str | None) -> str:
    """Vietnamese list order: given name, then middle name, then family name."""
    # "aa" ends a part; it sorts before any syllable so shorter parts come first.
    return "aa".join(word_sort_key(p) for p in (given, middle, family)) + "aa"


@functools.lru_cache(maxsize=65536)
def title_case(text: str | None) -> str:
    """'NGUYỄN  văn an ' -> 'Nguyễn Văn An'."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in normalize_spaces(text).split(" ") if w)


def is_clean_text(value: str) -> bool:
    """False for text no database column can hold: NUL bytes or lone surrogates."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
