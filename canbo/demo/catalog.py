"""Static catalogs for the demo province: titles, unit templates, terms, profiles.

Everything here is plain ordered data so that a seeded generator is
deterministic. Title codes are stable: a second province reuses the titles
created by the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canbo.organizations.choices import ManagementLevel, TermBody, UnitKind, UnitLevel

C, P, X, U = (
    ManagementLevel.CENTRAL,
    ManagementLevel.PROVINCE,
    ManagementLevel.COMMUNE,
    ManagementLevel.UNIT,
)
PROV, COMM = UnitLevel.PROVINCE, UnitLevel.COMMUNE


@dataclass(frozen=True)
class TitleSpec:
    code: str
    name: str
    level: str
    rank: int
    is_key: bool = False
    is_head: bool = False
    management_level: int = U


# Rank: a larger number is a higher post, so "planned only for a higher post"
# compares ranks. Management level follows QĐ 377-QĐ/TW (provincial
# secretaries, chairs and the heads of police, court and procuracy are managed
# centrally; commune key posts by the provincial standing committee).
TITLES: tuple[TitleSpec, ...] = (
    # Province
    TitleSpec("TU-BT", "Bí thư Tỉnh ủy", PROV, 100, True, True, C),
    TitleSpec("TU-PBT", "Phó Bí thư Tỉnh ủy", PROV, 92, True, False, C),
    TitleSpec("HDND-T-CT", "Chủ tịch HĐND tỉnh", PROV, 90, True, True, C),
    TitleSpec("UBND-T-CT", "Chủ tịch UBND tỉnh", PROV, 90, True, True, C),
    TitleSpec("HDND-T-PCT", "Phó Chủ tịch HĐND tỉnh", PROV, 80, False, False, P),
    TitleSpec("UBND-T-PCT", "Phó Chủ tịch UBND tỉnh", PROV, 80, False, False, P),
    TitleSpec("TU-TB", "Trưởng ban Tỉnh ủy", PROV, 75, False, True, P),
    TitleSpec("TU-CNUBKT", "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", PROV, 75, False, True, P),
    TitleSpec("MTTQ-T-CT", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", PROV, 75, False, True, P),
    TitleSpec("CA-T-GD", "Giám đốc Công an tỉnh", PROV, 75, False, True, C),
    TitleSpec("TU-CVP", "Chánh Văn phòng Tỉnh ủy", PROV, 72, False, True, P),
    TitleSpec("TAND-T-CA", "Chánh án Tòa án nhân dân tỉnh", PROV, 72, False, True, C),
    TitleSpec("VKS-T-VT", "Viện trưởng Viện kiểm sát nhân dân tỉnh", PROV, 72, False, True, C),
    TitleSpec("SO-GD", "Giám đốc Sở", PROV, 70, False, True, P),
    TitleSpec("UBND-T-CVP", "Chánh Văn phòng UBND tỉnh", PROV, 70, False, True, P),
    TitleSpec("TT-T-CTT", "Chánh Thanh tra tỉnh", PROV, 70, False, True, P),
    TitleSpec("HDND-T-TB", "Trưởng ban HĐND tỉnh", PROV, 68, False, False, P),
    TitleSpec("CA-T-PGD", "Phó Giám đốc Công an tỉnh", PROV, 65, False, False, C),
    TitleSpec("TU-PTB", "Phó Trưởng ban Tỉnh ủy", PROV, 62, False, False, P),
    TitleSpec("TU-PCNUBKT", "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", PROV, 62, False, False, P),
    TitleSpec("MTTQ-T-PCT", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", PROV, 62, False, False, P),
    TitleSpec("TAND-T-PCA", "Phó Chánh án Tòa án nhân dân tỉnh", PROV, 62, False, False, C),
    TitleSpec(
        "VKS-T-PVT", "Phó Viện trưởng Viện kiểm sát nhân dân tỉnh", PROV, 62, False, False, C
    ),
    TitleSpec("SO-PGD", "Phó Giám đốc Sở", PROV, 60, False, False, P),
    TitleSpec("TU-PCVP", "Phó Chánh Văn phòng Tỉnh ủy", PROV, 60, False, False, P),
    TitleSpec("UBND-T-PCVP", "Phó Chánh Văn phòng UBND tỉnh", PROV, 60, False, False, P),
    TitleSpec("TT-T-PCTT", "Phó Chánh Thanh tra tỉnh", PROV, 60, False, False, P),
    TitleSpec("HDND-T-PTB", "Phó Trưởng ban HĐND tỉnh", PROV, 58, False, False, P),
    TitleSpec("T-TP", "Trưởng phòng", PROV, 45, False, False, U),
    TitleSpec("T-PTP", "Phó Trưởng phòng", PROV, 40, False, False, U),
    TitleSpec("T-THP", "Thẩm phán", PROV, 30, False, False, U),
    TitleSpec("T-KSV", "Kiểm sát viên", PROV, 30, False, False, U),
    TitleSpec("T-CV", "Chuyên viên", PROV, 15, False, False, U),
    TitleSpec("T-CB", "Cán bộ Công an tỉnh", PROV, 15, False, False, U),
    # Commune
    TitleSpec("X-BT", "Bí thư Đảng ủy xã", COMM, 50, True, True, P),
    TitleSpec("X-PBT", "Phó Bí thư Đảng ủy xã", COMM, 46, True, False, P),
    TitleSpec("X-HDND-CT", "Chủ tịch HĐND xã", COMM, 46, True, True, P),
    TitleSpec("X-UBND-CT", "Chủ tịch UBND xã", COMM, 46, True, True, P),
    TitleSpec("X-HDND-PCT", "Phó Chủ tịch HĐND xã", COMM, 38, False, False, X),
    TitleSpec("X-UBND-PCT", "Phó Chủ tịch UBND xã", COMM, 38, False, False, X),
    TitleSpec("X-CNUBKT", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã", COMM, 38, False, True, X),
    TitleSpec("X-CVP", "Chánh Văn phòng Đảng ủy xã", COMM, 32, False, True, X),
    TitleSpec("X-HDND-TB", "Trưởng ban HĐND xã", COMM, 32, False, False, X),
    TitleSpec("X-TP", "Trưởng phòng thuộc UBND xã", COMM, 30, False, True, X),
    TitleSpec("X-PTP", "Phó Trưởng phòng thuộc UBND xã", COMM, 25, False, False, U),
    TitleSpec("X-CC", "Công chức cấp xã", COMM, 10, False, False, U),
)
TITLE_BY_CODE = {t.code: t for t in TITLES}

# Posts that must not be held by a local person (R4, DOMAIN.md §3).
NON_LOCAL_TITLES = frozenset(
    {"TU-BT", "UBND-T-CT", "TU-CNUBKT", "TT-T-CTT", "CA-T-GD", "TAND-T-CA", "VKS-T-VT"}
)
# Who is voted on, and by which body (QĐ 96-QĐ/TW 2023).
PARTY_VOTED = frozenset(
    {"TU-BT", "TU-PBT", "TU-TB", "TU-CNUBKT", "TU-CVP", "HDND-T-CT", "UBND-T-CT",
     "CA-T-GD", "MTTQ-T-CT", "X-BT", "X-PBT", "X-CNUBKT"}
)  # fmt: skip
COUNCIL_VOTED = frozenset(
    {"HDND-T-CT", "HDND-T-PCT", "HDND-T-TB", "UBND-T-CT", "UBND-T-PCT", "SO-GD",
     "UBND-T-CVP", "TT-T-CTT", "TAND-T-CA", "VKS-T-VT", "X-HDND-CT", "X-HDND-PCT",
     "X-UBND-CT", "X-UBND-PCT", "X-HDND-TB"}
)  # fmt: skip

# The post one step below each title, held by people whose current post began
# after 1 July 2025 (None: they came from outside or were recruited).
STEP_BELOW: dict[str, str] = {
    "TU-BT": "TU-PBT", "TU-PBT": "TU-TB", "HDND-T-CT": "HDND-T-PCT", "UBND-T-CT": "UBND-T-PCT",
    "HDND-T-PCT": "HDND-T-TB", "UBND-T-PCT": "SO-GD", "TU-TB": "TU-PTB",
    "TU-CNUBKT": "TU-PCNUBKT", "MTTQ-T-CT": "MTTQ-T-PCT", "CA-T-GD": "CA-T-PGD",
    "TU-CVP": "TU-PCVP", "TAND-T-CA": "TAND-T-PCA", "VKS-T-VT": "VKS-T-PVT", "SO-GD": "SO-PGD",
    "UBND-T-CVP": "UBND-T-PCVP", "TT-T-CTT": "TT-T-PCTT", "HDND-T-TB": "HDND-T-PTB",
    "CA-T-PGD": "T-TP", "TU-PTB": "T-TP", "TU-PCNUBKT": "T-TP", "MTTQ-T-PCT": "T-TP",
    "TAND-T-PCA": "T-TP", "VKS-T-PVT": "T-TP", "SO-PGD": "T-TP", "TU-PCVP": "T-TP",
    "UBND-T-PCVP": "T-TP", "TT-T-PCTT": "T-TP", "HDND-T-PTB": "T-TP", "T-TP": "T-PTP",
    "T-PTP": "T-CV", "T-THP": "T-TP", "T-KSV": "T-TP",
    "X-BT": "X-PBT", "X-PBT": "X-UBND-PCT", "X-HDND-CT": "X-HDND-PCT", "X-UBND-CT": "X-UBND-PCT",
    "X-HDND-PCT": "X-HDND-TB", "X-UBND-PCT": "X-TP", "X-CNUBKT": "X-CVP", "X-CVP": "X-TP",
    "X-HDND-TB": "X-TP", "X-TP": "X-PTP", "X-PTP": "X-CC",
}  # fmt: skip


@dataclass(frozen=True)
class UnitTemplate:
    key: str  # code prefix, e.g. "SNV" -> "SNV-01"
    name: str  # template with {committee}, {word}, {bare}
    short_name: str
    kind: str
    parent: str | None  # key of the parent template
    positions: tuple[tuple[str, int], ...]
    staff_title: str | None = None
    staff_weight: int = 0


_AGENCY_SEATS = (("T-TP", 3), ("T-PTP", 2))
_DEPT_SEATS = (("T-TP", 3), ("T-PTP", 2))


def _dept(key, name, head="SO-GD", deputy="SO-PGD", weight=10):
    return UnitTemplate(
        key,
        name + " {word} {bare}",
        name,
        UnitKind.DEPARTMENT,
        "UBND",
        ((head, 1), (deputy, 3), *_DEPT_SEATS),
        "T-CV",
        weight,
    )


# The provincial units, parents before children. Departments follow the
# 2025 reorganisation (Nghị định 45/2025/NĐ-CP): 14 agencies under UBND.
PROVINCE_UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("TU", "{committee} {bare}", "{committee} {bare}", UnitKind.PARTY_COMMITTEE, None,
                 (("TU-BT", 1), ("TU-PBT", 3))),
    UnitTemplate("BTC", "Ban Tổ chức {committee} {bare}", "Ban Tổ chức", UnitKind.PARTY_AGENCY,
                 "TU", (("TU-TB", 1), ("TU-PTB", 2), *_AGENCY_SEATS), "T-CV", 8),
    UnitTemplate("BTGDV", "Ban Tuyên giáo và Dân vận {committee} {bare}",
                 "Ban Tuyên giáo và Dân vận", UnitKind.PARTY_AGENCY, "TU",
                 (("TU-TB", 1), ("TU-PTB", 2), *_AGENCY_SEATS), "T-CV", 7),
    UnitTemplate("UBKT", "Ủy ban Kiểm tra {committee} {bare}", "Ủy ban Kiểm tra",
                 UnitKind.PARTY_AGENCY, "TU",
                 (("TU-CNUBKT", 1), ("TU-PCNUBKT", 2), *_AGENCY_SEATS), "T-CV", 7),
    UnitTemplate("VPTU", "Văn phòng {committee} {bare}", "Văn phòng {committee}",
                 UnitKind.PARTY_AGENCY, "TU",
                 (("TU-CVP", 1), ("TU-PCVP", 2), *_AGENCY_SEATS), "T-CV", 8),
    UnitTemplate("HDND", "Hội đồng nhân dân {word} {bare}", "HĐND {word} {bare}",
                 UnitKind.PEOPLES_COUNCIL, "TU",
                 (("HDND-T-CT", 1), ("HDND-T-PCT", 2), ("HDND-T-TB", 3), ("HDND-T-PTB", 2))),
    UnitTemplate("UBND", "Ủy ban nhân dân {word} {bare}", "UBND {word} {bare}",
                 UnitKind.PEOPLES_COMMITTEE, "TU", (("UBND-T-CT", 1), ("UBND-T-PCT", 4))),
    _dept("VPUB", "Văn phòng UBND", "UBND-T-CVP", "UBND-T-PCVP", 8),
    _dept("SNV", "Sở Nội vụ"),
    _dept("STC", "Sở Tài chính", weight=12),
    _dept("STP", "Sở Tư pháp", weight=7),
    _dept("SCT", "Sở Công Thương"),
    _dept("SXD", "Sở Xây dựng", weight=11),
    _dept("SNNMT", "Sở Nông nghiệp và Môi trường", weight=13),
    _dept("SKHCN", "Sở Khoa học và Công nghệ", weight=8),
    _dept("SGDDT", "Sở Giáo dục và Đào tạo", weight=10),
    _dept("SYT", "Sở Y tế", weight=10),
    _dept("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", weight=9),
    _dept("SDTTG", "Sở Dân tộc và Tôn giáo", weight=6),
    _dept("SNGV", "Sở Ngoại vụ", weight=5),
    _dept("TTT", "Thanh tra", "TT-T-CTT", "TT-T-PCTT", 7),
    UnitTemplate("CA", "Công an {word} {bare}", "Công an {word} {bare}", UnitKind.ARMED, "TU",
                 (("CA-T-GD", 1), ("CA-T-PGD", 4), ("T-TP", 5), ("T-PTP", 4)), "T-CB", 14),
    UnitTemplate("TAND", "Tòa án nhân dân {word} {bare}", "TAND {word} {bare}", UnitKind.JUDICIAL,
                 "TU", (("TAND-T-CA", 1), ("TAND-T-PCA", 2), ("T-TP", 2)), "T-THP", 6),
    UnitTemplate("VKS", "Viện kiểm sát nhân dân {word} {bare}", "VKSND {word} {bare}",
                 UnitKind.JUDICIAL, "TU", (("VKS-T-VT", 1), ("VKS-T-PVT", 2), ("T-TP", 2)),
                 "T-KSV", 6),
    UnitTemplate("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam {word} {bare}", "Ủy ban MTTQ {word} {bare}",
                 UnitKind.FRONT, "TU", (("MTTQ-T-CT", 1), ("MTTQ-T-PCT", 2), ("T-TP", 2)),
                 "T-CV", 5),
)  # fmt: skip

# Commune units: the party committee directly under the provincial committee,
# the council and the people's committee under it.
COMMUNE_UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("DU", "Đảng ủy {word} {bare}", "ĐU {word} {bare}", UnitKind.PARTY_COMMITTEE, None,
                 (("X-BT", 1), ("X-PBT", 2), ("X-CNUBKT", 1), ("X-CVP", 1)), "X-CC", 3),
    UnitTemplate("HDND", "Hội đồng nhân dân {word} {bare}", "HĐND {word} {bare}",
                 UnitKind.PEOPLES_COUNCIL, "DU",
                 (("X-HDND-CT", 1), ("X-HDND-PCT", 1), ("X-HDND-TB", 2))),
    UnitTemplate("UBND", "Ủy ban nhân dân {word} {bare}", "UBND {word} {bare}",
                 UnitKind.PEOPLES_COMMITTEE, "DU",
                 (("X-UBND-CT", 1), ("X-UBND-PCT", 2), ("X-TP", 3), ("X-PTP", 3)), "X-CC", 9),
)  # fmt: skip

# Communes (and their units) were created on 1 July 2025.
COMMUNES_FROM = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class TermSpec:
    body: str
    name: str
    start: dt.date
    end: dt.date


# Party congresses are held in the autumn of the term's first year; the
# 2026–2031 councils were elected on 15 March 2026.
TERMS: tuple[TermSpec, ...] = (
    TermSpec(TermBody.PARTY, "2015–2020", dt.date(2015, 10, 1), dt.date(2020, 9, 30)),
    TermSpec(TermBody.PARTY, "2020–2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30)),
    TermSpec(TermBody.PARTY, "2025–2030", dt.date(2025, 10, 1), dt.date(2030, 9, 30)),
    TermSpec(TermBody.PARTY, "2030–2035", dt.date(2030, 10, 1), dt.date(2035, 9, 30)),
    TermSpec(TermBody.PEOPLES_COUNCIL, "2016–2021", dt.date(2016, 5, 22), dt.date(2021, 5, 22)),
    TermSpec(TermBody.PEOPLES_COUNCIL, "2021–2026", dt.date(2021, 5, 23), dt.date(2026, 3, 14)),
    TermSpec(TermBody.PEOPLES_COUNCIL, "2026–2031", dt.date(2026, 3, 15), dt.date(2031, 3, 14)),
)


@dataclass(frozen=True)
class RegionProfile:
    """Share of ethnic minorities among cadres and which groups, by province code."""

    minority_share: float
    groups: tuple[tuple[str, float], ...]
    religions: tuple[tuple[str, float], ...] = ()


_NORTH_DEFAULT = (("06", 3), ("02", 2), ("04", 1), ("07", 1))
PROFILES: dict[str, RegionProfile] = {
    "04": RegionProfile(0.85, (("02", 5), ("07", 4), ("08", 1), ("09", 1))),
    "20": RegionProfile(0.75, (("07", 5), ("02", 4), ("09", 1))),
    "08": RegionProfile(0.55, (("02", 5), ("09", 2), ("08", 2), ("07", 1))),
    "15": RegionProfile(0.45, (("02", 4), ("08", 3), ("09", 2), ("03", 1))),
    "11": RegionProfile(0.75, (("03", 5), ("08", 4))),
    "12": RegionProfile(0.75, (("08", 4), ("03", 4), ("09", 1))),
    "14": RegionProfile(0.75, (("03", 6), ("08", 3), ("06", 1))),
    "19": RegionProfile(0.30, (("02", 5), ("07", 2), ("09", 1), ("18", 1))),
    "25": RegionProfile(0.30, (("06", 6), ("09", 1), ("02", 1))),
    "22": RegionProfile(0.10, (("09", 3), ("02", 2), ("18", 2), ("04", 1))),
    "38": RegionProfile(0.15, (("06", 5), ("03", 4))),
    "40": RegionProfile(0.12, (("03", 6), ("08", 2))),
    "37": RegionProfile(0.05, (("06", 1),), (("catholic", 10),)),
    "79": RegionProfile(0.05, (("04", 6), ("05", 1))),
    "75": RegionProfile(0.05, (("04", 3), ("02", 1), ("07", 1)), (("catholic", 8),)),
    "80": RegionProfile(0.03, (("05", 2), ("04", 1)), (("cao_dai", 6),)),
    "86": RegionProfile(0.08, (("05", 8), ("04", 1))),
    "92": RegionProfile(0.15, (("05", 8), ("04", 2))),
    "91": RegionProfile(0.08, (("05", 6), ("04", 1)), (("hoa_hao", 6),)),
    "96": RegionProfile(0.05, (("05", 5), ("04", 2))),
    "52": RegionProfile(0.08, (("02", 2), ("07", 2), ("06", 1))),
    "66": RegionProfile(0.08, (("02", 2), ("07", 2), ("06", 1))),
    "68": RegionProfile(0.06, (("02", 2), ("07", 2), ("04", 1))),
}
DEFAULT_PROFILE = RegionProfile(0.02, _NORTH_DEFAULT)
BASE_RELIGIONS: tuple[tuple[str, float], ...] = (
    ("none", 86),
    ("buddhism", 8),
    ("catholic", 4),
    ("protestant", 1),
)

# Majors by unit key (falls back to GENERAL_MAJORS).
GENERAL_MAJORS = (
    "Luật", "Kinh tế", "Quản trị kinh doanh", "Hành chính công", "Kế toán",
    "Xây dựng Đảng và Chính quyền nhà nước", "Tài chính – Ngân hàng", "Quản lý nhà nước",
    "Kinh tế nông nghiệp", "Công nghệ thông tin", "Quản lý đất đai", "Sư phạm Ngữ văn",
)  # fmt: skip
MAJORS_BY_UNIT = {
    "BTC": ("Xây dựng Đảng và Chính quyền nhà nước", "Luật", "Hành chính công"),
    "BTGDV": ("Triết học", "Báo chí", "Lịch sử Đảng", "Công tác xã hội"),
    "UBKT": ("Luật", "Kế toán", "Xây dựng Đảng và Chính quyền nhà nước"),
    "STC": ("Tài chính – Ngân hàng", "Kế toán", "Kinh tế"),
    "STP": ("Luật",),
    "SCT": ("Kinh tế", "Quản trị kinh doanh", "Kinh tế đối ngoại"),
    "SXD": ("Xây dựng dân dụng và công nghiệp", "Kiến trúc", "Kỹ thuật giao thông"),
    "SNNMT": ("Nông học", "Quản lý đất đai", "Khoa học môi trường", "Lâm nghiệp"),
    "SKHCN": ("Công nghệ thông tin", "Vật lý", "Kỹ thuật điện tử – viễn thông"),
    "SGDDT": ("Sư phạm Toán", "Sư phạm Ngữ văn", "Quản lý giáo dục"),
    "SYT": ("Y đa khoa", "Dược học", "Y tế công cộng"),
    "SVHTTDL": ("Văn hóa học", "Quản lý văn hóa", "Du lịch"),
    "SNGV": ("Quan hệ quốc tế", "Ngôn ngữ Anh", "Ngôn ngữ Trung Quốc"),
    "CA": ("Điều tra trinh sát", "An ninh nhân dân", "Cảnh sát nhân dân"),
    "TAND": ("Luật",),
    "VKS": ("Luật", "Kiểm sát"),
    "TTT": ("Luật", "Kế toán", "Thanh tra"),
}
UNIVERSITIES = (
    "Đại học Quốc gia Hà Nội", "Đại học Kinh tế Quốc dân", "Học viện Hành chính Quốc gia",
    "Đại học Luật Hà Nội", "Học viện Tài chính", "Đại học Kinh tế Thành phố Hồ Chí Minh",
    "Đại học Huế", "Đại học Đà Nẵng", "Đại học Cần Thơ", "Đại học Thái Nguyên",
    "Đại học Vinh", "Học viện Báo chí và Tuyên truyền",
)  # fmt: skip
LANGUAGES = (
    ("Tiếng Anh B1", 30), ("Tiếng Anh B", 15), ("Tiếng Anh B2", 10), ("Tiếng Anh C", 4),
    ("Tiếng Trung B1", 3), ("Tiếng Pháp B", 2), ("Tiếng Anh A2", 12), ("", 24),
)  # fmt: skip
IT_LEVELS = (
    ("Ứng dụng CNTT cơ bản", 50), ("Tin học B", 15), ("Ứng dụng CNTT nâng cao", 10),
    ("Tin học văn phòng", 15), ("", 10),
)  # fmt: skip

# Pre-2025 provincial departments and party agencies, for work histories.
OLD_DEPARTMENTS = (
    "Sở Kế hoạch và Đầu tư", "Sở Lao động – Thương binh và Xã hội",
    "Sở Thông tin và Truyền thông", "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Nội vụ",
    "Sở Tài chính", "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng", "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
)  # fmt: skip
OLD_PARTY_AGENCIES = (
    "Ban Tổ chức", "Ban Tuyên giáo", "Ban Dân vận", "Ban Nội chính", "Ủy ban Kiểm tra",
    "Văn phòng",
)  # fmt: skip
DISTRICT_OFFICES = (
    "Nội vụ", "Tài chính – Kế hoạch", "Tư pháp", "Tài nguyên và Môi trường", "Kinh tế",
    "Văn hóa và Thông tin", "Giáo dục và Đào tạo", "Lao động – Thương binh và Xã hội",
)  # fmt: skip
COMMUNE_CIVIL_SERVANT_POSTS = (
    "Văn phòng – Thống kê", "Tài chính – Kế toán", "Tư pháp – Hộ tịch",
    "Địa chính – Xây dựng", "Văn hóa – Xã hội",
)  # fmt: skip

DISCIPLINE_REASONS = (
    "Vi phạm quy định về quản lý tài chính, ngân sách",
    "Thiếu trách nhiệm trong lãnh đạo, chỉ đạo, để xảy ra sai phạm trong quản lý đất đai",
    "Vi phạm quy định về kê khai tài sản, thu nhập",
    "Vi phạm quy định về đấu thầu, mua sắm tài sản công",
    "Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc",
    "Thiếu trách nhiệm trong công tác quản lý, để xảy ra sai phạm kéo dài",
)
