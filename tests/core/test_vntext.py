import pytest

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
