"""Plausible Vietnamese personal names for demo records.

Names are generated in Vietnamese order (family, middle, given). Family names
follow their approximate national frequency (Nguyễn about 38%); middle and
given names depend on sex, and "Thị" is more common for women born earlier.
A few ethnic minorities whose names follow the same order get their own
family names and given names (Tày, Nùng, Thái, Mường, Mông, Dao, Khơ-me, Hoa,
Sán Dìu). Names of the Central Highlands groups (Ê-đê, Gia-rai, …) put the
family name last ("Y Biêr Niê"), which the family/middle/given model cannot
display in the right order, so they are not generated.

All tables are tuples (ordered), so a seeded `random.Random` always draws the
same names.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from canbo.people.choices import Sex


def _nfc(items):
    return tuple((unicodedata.normalize("NFC", name), weight) for name, weight in items)


def _nfc_list(items):
    return tuple(unicodedata.normalize("NFC", name) for name in items)


# Weights are percentages of the population (approximate).
FAMILY_NAMES = _nfc(
    [
        ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.0),
        ("Huỳnh", 1.5), ("Phan", 4.5), ("Vũ", 3.0), ("Võ", 2.0), ("Đặng", 2.1),
        ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0),
        ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.8), ("Mai", 0.5), ("Lương", 0.5),
        ("Hà", 0.5), ("Đào", 0.5), ("Đoàn", 0.5), ("Cao", 0.4), ("Tạ", 0.3),
        ("Lâm", 0.3), ("Trịnh", 0.4), ("Kiều", 0.2), ("Châu", 0.2), ("Tô", 0.2),
        ("Thái", 0.2), ("Lưu", 0.2), ("Quách", 0.1), ("La", 0.1), ("Văn", 0.1),
        ("Tôn Thất", 0.06), ("Âu Dương", 0.03), ("Nguyễn Phước", 0.03),
    ]
)  # fmt: skip
# Women of the Tôn Thất clan carry the family name Tôn Nữ.
FEMALE_FAMILY_FORM = {"Tôn Thất": "Tôn Nữ"}

MALE_MIDDLE = _nfc(
    [
        ("Văn", 40), ("Hữu", 6), ("Đức", 7), ("Minh", 7), ("Quốc", 5), ("Công", 4),
        ("Thanh", 4), ("Xuân", 3), ("Đình", 4), ("Ngọc", 3), ("Quang", 4), ("Trọng", 3),
        ("Tiến", 2), ("Thế", 2), ("Duy", 2), ("Mạnh", 2), ("Anh", 2), ("Hoàng", 2),
        ("Bá", 1), ("Viết", 1), ("Khắc", 1), ("Hồng", 1), ("Việt", 2), ("Trung", 1),
        ("Hải", 1), ("Chí", 1), ("Kim", 1), ("Tuấn", 1), ("Nhật", 1), ("Gia", 1),
    ]
)  # fmt: skip
FEMALE_MIDDLE = _nfc(
    [
        ("Thị", 45), ("Thu", 5), ("Ngọc", 5), ("Thanh", 5), ("Minh", 3), ("Hồng", 4),
        ("Kim", 3), ("Thúy", 3), ("Phương", 3), ("Bích", 2), ("Diệu", 1), ("Mỹ", 2),
        ("Hoài", 2), ("Khánh", 2), ("Quỳnh", 2), ("Hải", 2), ("Tuyết", 1), ("Xuân", 2),
        ("Lan", 1), ("Thùy", 2), ("Như", 1), ("Cẩm", 1), ("Bảo", 1), ("Huyền", 1),
    ]
)  # fmt: skip
MALE_GIVEN = _nfc_list(
    [
        "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hòa", "Hùng", "Hưng",
        "Huy", "Khoa", "Khánh", "Kiên", "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong",
        "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung",
        "Tuấn", "Tùng", "Việt", "Vinh", "Hoàng", "Hiệp", "Lợi", "Lộc", "Tâm", "Thanh",
        "Tiến", "Trí", "Tú", "Chiến", "Công", "Định", "Đông", "Giang", "Hậu", "Hoan",
        "Khải", "Luân", "Mạnh", "Ninh", "Phương", "Quý", "Sang", "Thái", "Thuận", "Tín",
        "Trường", "Tuyên", "Vũ", "Xuân", "Bảo", "Duy", "Đạt", "Hà", "Hạnh", "Kha",
        "Lực", "Nhân", "Pháp", "Quyết", "Sĩ", "Thạch", "Thọ", "Triều", "Vương", "Yên",
    ]
)  # fmt: skip
FEMALE_GIVEN = _nfc_list(
    [
        "Anh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
        "Hoa", "Hồng", "Huệ", "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai",
        "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thanh",
        "Thơ", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Xuân", "Yến", "Hậu",
        "Lệ", "Lý", "Mến", "My", "Nhàn", "Quỳnh", "Thắm", "Thoa", "Thúy", "Vy",
        "Hòa", "Bích", "Hải", "Khánh", "Diệp", "Hoài", "Thư", "Ánh", "Dịu", "Phượng",
    ]
)  # fmt: skip


@dataclass(frozen=True)
class EthnicNaming:
    """How people of one ethnic group are named (family first, as for Kinh)."""

    families: tuple[str, ...]
    male_middle: tuple[tuple[str, float], ...] = (("Văn", 1.0),)
    female_middle: tuple[tuple[str, float], ...] = (("Thị", 1.0),)
    male_given: tuple[str, ...] = MALE_GIVEN
    female_given: tuple[str, ...] = FEMALE_GIVEN


# Keyed by the official ethnicity code (canbo.people.catalogs.ETHNIC_GROUPS).
ETHNIC_NAMING: dict[str, EthnicNaming] = {
    "02": EthnicNaming(  # Tày
        families=_nfc_list(["Hoàng", "Nông", "Lục", "Hà", "Lương", "Bế", "Ma", "Đàm", "Lãnh", "Hứa"]),
    ),
    "03": EthnicNaming(  # Thái
        families=_nfc_list(["Lò", "Cầm", "Lường", "Quàng", "Tòng", "Hà", "Vi", "Lù", "Điêu", "Bạc"]),
        male_given=_nfc_list(["Chiến", "Kiên", "Thanh", "Panh", "Phong", "Xuân", "Ương", "Khăm", "Hùng", "Lả", "Pọm", "Chăn"]),
        female_given=_nfc_list(["Ươi", "Xiêng", "Thoan", "Phương", "Kim", "Bun", "Mai", "Ngọc", "Hoa", "Hiên", "Lả"]),
    ),
    "04": EthnicNaming(  # Hoa
        families=_nfc_list(["Lý", "Trương", "Quách", "Lâm", "Mã", "Hứa", "Tăng", "Diệp", "Thái", "Lưu"]),
        male_middle=_nfc([("Vĩnh", 3), ("Quốc", 2), ("Gia", 2), ("Kiến", 1), ("Chí", 2), ("Văn", 2)]),
        female_middle=_nfc([("Mỹ", 3), ("Ngọc", 3), ("Tuyết", 2), ("Huệ", 1), ("Thị", 2)]),
    ),
    "05": EthnicNaming(  # Khơ-me: men often have no middle name
        families=_nfc_list(["Thạch", "Sơn", "Danh", "Kim", "Lâm", "Châu", "Kiên", "Trầm"]),
        male_middle=_nfc([("", 4), ("Văn", 2), ("Thanh", 1), ("Sô", 1)]),
        female_middle=_nfc([("Thị", 5), ("", 2), ("Ngọc", 1)]),
        male_given=_nfc_list(["Phol", "Sô", "Sang", "Khương", "Chanh", "Út", "Rinh", "Som", "Thươl", "Nhân", "Sóc", "Chăm"]),
        female_given=_nfc_list(["Thi", "Srây", "Sóc", "Mây", "Nhung", "Phượng", "Ry", "Sa", "Đa", "Mến", "Út"]),
    ),
    "06": EthnicNaming(  # Mường
        families=_nfc_list(["Bùi", "Đinh", "Quách", "Hà", "Xa", "Bạch", "Cao"]),
    ),
    "07": EthnicNaming(  # Nùng
        families=_nfc_list(["Hoàng", "Nông", "Lương", "Vi", "Lý", "Triệu", "Chu", "Mã", "Lăng", "Hứa"]),
    ),
    "08": EthnicNaming(  # Mông
        families=_nfc_list(["Giàng", "Sùng", "Vàng", "Mùa", "Thào", "Ly", "Hầu", "Lầu", "Sình", "Vừ", "Tráng"]),
        male_middle=_nfc([("A", 5), ("Seo", 2), ("Văn", 2), ("Mí", 1)]),
        female_middle=_nfc([("Thị", 6), ("Seo", 1)]),
        male_given=_nfc_list(["Páo", "Chứ", "Dế", "Sính", "Lử", "Chống", "Sử", "Dình", "Tủa", "Chính", "Lềnh", "Tếnh", "Pó", "Sào"]),
        female_given=_nfc_list(["Mỷ", "Dợ", "Mai", "Sua", "Ly", "Pằng", "Chở", "Dua", "Máy", "Say", "Và", "Dính"]),
    ),
    "09": EthnicNaming(  # Dao
        families=_nfc_list(["Triệu", "Bàn", "Lý", "Đặng", "Chảo", "Phùng", "Tẩn"]),
        male_middle=_nfc([("Văn", 5), ("Tiến", 1), ("Kim", 1), ("Quý", 1)]),
        male_given=_nfc_list(["Nhất", "Tài", "Phin", "Chòi", "Quyên", "Thành", "Sinh", "Vượng", "Lưu", "Kiềm", "Hùng"]),
        female_given=_nfc_list(["Mẩy", "Sếnh", "Mai", "Liên", "Chiêm", "Nhất", "Xuân", "Dín", "Phương", "Hoa"]),
    ),
    "18": EthnicNaming(  # Sán Dìu
        families=_nfc_list(["Lý", "Trương", "Diệp", "Lưu", "Tạ", "Dương"]),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class GeneratedName:
    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.family, self.middle, self.given) if p)


def _weighted(rng: random.Random, items: tuple[tuple[str, float], ...]) -> str:
    names = [name for name, _ in items]
    weights = [weight for _, weight in items]
    return rng.choices(names, weights=weights, k=1)[0]


def _female_middle_weights(birth_year: int) -> tuple[tuple[str, float], ...]:
    # "Thị" is very common for women born in the 1960s, less so for the 1990s.
    factor = 1.6 if birth_year < 1975 else (1.0 if birth_year < 1988 else 0.55)
    return tuple((n, w * factor if n == "Thị" else w) for n, w in FEMALE_MIDDLE)


def make_name(
    rng: random.Random, sex: str, birth_year: int, ethnicity_code: str | None = None
) -> GeneratedName:
    """One person's name, drawn from the tables of their ethnic group."""
    naming = ETHNIC_NAMING.get(ethnicity_code or "")
    female = sex == Sex.FEMALE
    if naming is None:
        family = _weighted(rng, FAMILY_NAMES)
        if female:
            family = FEMALE_FAMILY_FORM.get(family, family)
        middle_table = _female_middle_weights(birth_year) if female else MALE_MIDDLE
        given_table = FEMALE_GIVEN if female else MALE_GIVEN
    else:
        family = rng.choice(naming.families)
        middle_table = naming.female_middle if female else naming.male_middle
        given_table = naming.female_given if female else naming.male_given
    middle = _weighted(rng, middle_table)
    given = rng.choice(given_table)
    for _attempt in range(5):
        if given != middle and given != family:
            break
        given = rng.choice(given_table)
    return GeneratedName(family=family, middle=middle, given=given)


def all_family_names() -> set[str]:
    """Every family name the generator may produce (for tests)."""
    names = {n for n, _ in FAMILY_NAMES} | set(FEMALE_FAMILY_FORM.values())
    for naming in ETHNIC_NAMING.values():
        names.update(naming.families)
    return names


def all_middle_names() -> set[str]:
    names = {n for n, _ in MALE_MIDDLE} | {n for n, _ in FEMALE_MIDDLE}
    for naming in ETHNIC_NAMING.values():
        names.update(n for n, _ in naming.male_middle)
        names.update(n for n, _ in naming.female_middle)
    return names


def all_given_names() -> set[str]:
    names = set(MALE_GIVEN) | set(FEMALE_GIVEN)
    for naming in ETHNIC_NAMING.values():
        names.update(naming.male_given)
        names.update(naming.female_given)
    return names
