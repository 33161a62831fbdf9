"""Data for the 2C record's tests: commune A's Nguyễn Văn An with a full record, Trần Thị
Cúc (born 06/1985, month only) and commune B's Đặng Thị Bình (out of commune A's sight)."""

import datetime as dt
import io

import pytest
from docx import Document

from canbo.people import selectors
from canbo.people.models import Assignment, Discipline, Evaluation, Reward, Training
from tests.factories import PersonFactory

TODAY = dt.date(2026, 2, 5)


@pytest.fixture(autouse=True, name="fixed_today")
def fixed_today_fixture(monkeypatch):
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture(name="record")
def record_fixture(world):
    an = PersonFactory(
        id_number="001080000001", family_name="Nguyễn", middle_name="Văn", given_name="An",
        sex="M", birth_date=dt.date(1980, 3, 5), hometown=world.commune_a,
        birthplace=world.commune_a, unit=world.xa, religion="none",
        party_joined_date=dt.date(2005, 5, 19), party_official_date=dt.date(2006, 5, 19),
        professional_degree=3, professional_major="Luật", political_theory=3,
        state_management=1, foreign_language="Tiếng Anh B1", it_level="Cơ bản",
    )  # fmt: skip
    rows = [  # written newest first: the record lists them oldest first
        ("Bí thư Đảng ủy xã", "Đảng ủy xã An Bình", dt.date(2021, 1, 1), "M", None, "D"),
        ("Phó Chủ tịch Ủy ban nhân dân xã", "Ủy ban nhân dân xã An Bình", dt.date(2015, 6, 1),
         "M", dt.date(2020, 12, 1), "M"),
        ("Công chức Văn phòng - Thống kê", "Ủy ban nhân dân xã An Bình", dt.date(2003, 1, 1),
         "Y", dt.date(2015, 5, 31), "D"),
    ]  # fmt: skip
    for title, unit, start, start_p, end, end_p in rows:
        Assignment.objects.create(person=an, title_name=title, unit_name=unit, start_date=start,
                                  start_precision=start_p, end_date=end, end_precision=end_p)  # fmt: skip
    Reward.objects.create(person=an, year=2022, form="Bằng khen", authority="UBND tỉnh",
                          decision_number="123/QĐ-UBND")  # fmt: skip
    Discipline.objects.create(person=an, form="reprimand", effective_date=dt.date(2018, 4, 2),
                              authority="Đảng ủy xã", reason="Chậm nộp báo cáo")  # fmt: skip
    Evaluation.objects.create(person=an, year=2024, rating="good")
    Evaluation.objects.create(person=an, year=2023, rating="excellent")
    Training.objects.create(person=an, kind="political_theory", program="Cao cấp lý luận chính trị",
                            institution="Học viện Chính trị quốc gia Hồ Chí Minh",
                            start_date=dt.date(2017, 3, 1), end_date=dt.date(2018, 9, 30),
                            qualification="Bằng cao cấp")  # fmt: skip
    world.an = an
    world.cuc = PersonFactory(
        id_number="001085000002", family_name="Trần", middle_name="Thị", given_name="Cúc",
        sex="F", birth_date=dt.date(1985, 6, 1), birth_date_precision="M", unit=world.xa,
    )  # fmt: skip
    world.binh = PersonFactory(
        id_number="001075000003", family_name="Đặng", middle_name="Thị", given_name="Bình",
        sex="F", birth_date=dt.date(1975, 1, 1), birth_date_precision="Y", unit=world.xb,
    )  # fmt: skip
    return world


def docx_lines(data: bytes) -> list[str]:
    """Every paragraph's text, those of table cells included (cells of a merged or nested
    table once), in document order."""
    document = Document(io.BytesIO(data))
    lines = []

    def walk(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            elif block.text:
                lines.append(block.text)

    walk(document)
    return lines


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
