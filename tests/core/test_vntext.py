import pytest
from hypothesis import given
from hypothesis import strategies as st

from canbo.core.vntext import fold, name_sort_key, title_case, word_sort_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("Đặng Thị Ánh", "dang thi anh"),
        ("  ĐỖ   hữu  ", "do huu"),
        ("Ưng Ơn Ê", "ung on e"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_title_case():
    assert title_case("  NGUYỄN  văn an ") == "Nguyễn Văn An"


def test_words_follow_vietnamese_letter_order():
    words = [
        "Ân",
        "Anh",
        "Ba",
        "Bà",
        "Bác",
        "Ăn",
        "An",
        "Đào",
        "Dũng",
        "Ơn",
        "Ôn",
        "On",
        "Ưng",
        "Uy",
    ]
    ordered = sorted(words, key=word_sort_key)
    assert ordered == [
        "An",
        "Anh",
        "Ăn",
        "Ân",
        "Ba",
        "Bà",
        "Bác",
        "Dũng",
        "Đào",
        "On",
        "Ôn",
        "Ơn",
        "Uy",
        "Ưng",
    ]


def test_tones_order_within_a_syllable():
    words = ["bạ", "bá", "bã", "bả", "bà", "ba"]
    assert sorted(words, key=word_sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]


def test_names_sort_by_given_then_middle_then_family():
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Văn", "An"),
        ("Lê", "Thị", "An"),
        ("Đặng", "Thị", "An"),
        ("Âu Dương", "", "Ánh"),
        ("Nguyễn", "Thị", "Ánh"),
    ]
    ordered = sorted(people, key=lambda p: name_sort_key(*p))
    assert ordered == [
        ("Đặng", "Thị", "An"),
        ("Lê", "Thị", "An"),
        ("Nguyễn", "Văn", "An"),
        ("Âu Dương", "", "Ánh"),
        ("Nguyễn", "Thị", "Ánh"),
        ("Trần", "Văn", "Bình"),
    ]


def test_sort_key_uses_only_lowercase_ascii():
    key = name_sort_key("Nguyễn", "Thị Ánh", "Hồng")
    assert key.isascii() and key.isalpha() and key == key.lower()


def _fold_whole(text):
    """fold as first written: the whole text at once (the reference for the word cache)."""
    import unicodedata

    text = " ".join(text.split()).replace("đ", "d").replace("Đ", "D") if text else ""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@given(
    st.text(
        alphabet=st.sampled_from(
            "aăâeêoôơuưiyAĂÂĐđ ΣσςΑ\u0301\u0300\u0303\u0309\u0323\u0306\u0302\t\nİI"
        ),
        max_size=30,
    )
)
def test_fold_word_by_word_equals_folding_the_whole_text(text):
    assert fold(text) == _fold_whole(text)


@given(st.text(max_size=30))
def test_fold_equals_folding_the_whole_text_for_any_text(text):
    assert fold(text) == _fold_whole(text)
