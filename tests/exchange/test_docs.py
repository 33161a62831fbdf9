"""docs/data-package.md's sheet tables are generated from the registered sheets.

`canbo package-docs` writes them (canbo/exchange/docs.py); these tests fail when the file
and the code disagree, so a new sheet or column cannot ship undocumented.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import models

from canbo.exchange import docs
from canbo.exchange.registry import Part, Registry, registry
from canbo.exchange.sheets import GUIDE_TITLE, Column, Sheet
from canbo.exchange.template import write_template

BEGIN = "<!-- Sinh tự động từ mã: canbo package-docs. Không sửa tay. -->"
END = "<!-- hết phần sinh tự động -->"
HAND_WRITTEN_BEFORE = "# Gói dữ liệu\n\nPhần viết tay ở trên.\n\n"
HAND_WRITTEN_AFTER = "\n\n## Thêm một sheet\n\nPhần viết tay ở dưới.\n"


class Grade(models.TextChoices):
    A = "a", "Hạng A"
    B = "b", "Hạng B"


TRIAL = Sheet(
    "trial",
    "Thử nghiệm",
    (
        Column("code", "Mã", "code", required=True, help="Mã của dòng | có gạch đứng.",
               example="A1"),
        Column("unit", "Mã đơn vị", "unit", help="Đơn vị.", example="01"),
        Column("grade", "Hạng", "choice", choices=Grade),
        Column("share", "Tỷ lệ", "decimal", allowed="0–100"),
        Column("when", "Ngày", "date", required=True),
        Column("person", "Số định danh cá nhân", "person"),
        Column("name", "Tên", readonly=True, help="Hệ thống điền.", example="Tên A"),
    ),
    help="Một sheet để thử.",
    natural_key="Mã + Ngày",
    notes="(mỗi mã một ngày). Chỉ dùng trong phép thử.",
    depends=("units", "people"),
    admin_only=True,
)  # fmt: skip

TRIAL_TEXT = """\
### Thử nghiệm (`trial`)

Một sheet để thử.

Khóa nhận dạng: **Mã + Ngày** (mỗi mã một ngày). Chỉ quản trị viên được thêm hoặc sửa \
(dòng không đổi thì ai nhập cũng được). Chỉ dùng trong phép thử.

| Tiêu đề cột | Khóa JSON | Ý nghĩa | Kiểu | Bắt buộc | Giá trị cho phép | Ví dụ |
|---|---|---|---|---|---|---|
| Mã | `code` | Mã của dòng \\| có gạch đứng. | Mã (chữ, phân biệt hoa thường) | Có |  | A1 |
| Mã đơn vị | `unit` | Đơn vị. | Mã đơn vị |  | Mã có trong sheet Đơn vị hoặc trong hệ thống | 01 |
| Hạng | `grade` |  | Danh mục |  | Hạng A; Hạng B |  |
| Tỷ lệ | `share` |  | Số thập phân |  | 0–100 |  |
| Ngày | `when` |  | Ngày: dd/mm/yyyy | Có | Năm 1900–2100 |  |
| Số định danh cá nhân | `person` |  | Số định danh (12 chữ số) |  | \
Cán bộ có trong sheet Cán bộ hoặc trong hệ thống |  |
| Tên | `name` | Hệ thống điền. | Chỉ đọc (hệ thống tính) |  |  | Tên A |
"""


class TrialPart(Part):
    app = "trial"
    sheets = (TRIAL,)


@pytest.fixture
def with_trial() -> Registry:
    """The registered parts and one more, on a registry of their own."""
    fresh = Registry()
    for part in registry.parts():
        fresh.register(part)
    fresh.register(TrialPart())
    return fresh


@pytest.fixture
def doc_copy(tmp_path):
    """A documentation file with hand-written text around the markers."""

    def make(section: str):
        path = tmp_path / "data-package.md"
        path.write_text(f"{HAND_WRITTEN_BEFORE}{BEGIN}\n{section}{END}{HAND_WRITTEN_AFTER}")
        return path

    return make


# --- the repository's file ------------------------------------------------------------


def test_the_documentation_file_is_what_the_registered_sheets_generate():
    text = docs.DOC_PATH.read_text(encoding="utf-8")
    assert docs.check() is None, docs.check()
    assert (text.count(BEGIN), text.count(END)) == (1, 1)
    written = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert written == docs.block(), "run `canbo package-docs` and commit docs/data-package.md"
    # The hand-written prose sits outside the markers.
    assert text.index("## Import — Nhập") < text.index(BEGIN)
    assert written.splitlines()[1] == "## Sheets — Các sheet và cột"


def test_every_registered_sheet_is_documented_once_in_order_with_one_row_per_column():
    text = docs.DOC_PATH.read_text(encoding="utf-8")
    headings = re.findall(r"^### (.+) \(`([^`]+)`\)$", text, flags=re.MULTILINE)
    assert headings == [(s.title, s.key) for s in registry.sheets()]
    for sheet in registry.sheets():
        section = text.split(f"### {sheet.title} (`{sheet.key}`)\n", 1)[1].split("\n### ")[0]
        rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
        # Seven cells in every row: no unescaped "|" in a help text breaks the table.
        cells = [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]
        assert [len(row) for row in cells] == [7] * len(sheet.columns), sheet.key
        assert [(row[0], row[1], row[4]) for row in cells] == [
            (c.header, f"`{c.key}`", "Có" if c.required else "") for c in sheet.columns
        ]


def test_descriptions_of_real_columns_come_from_their_kinds_and_declarations():
    people = registry.sheet("people")
    entries = registry.sheet("plan_entries")
    plans = registry.sheet("plans")
    assert [(docs.kind_text(c), docs.allowed_text(c)) for c in (
        people.column("id_number"), people.column("ethnicity"), people.column("hometown"),
        people.column("birth_date"), people.column("sex"), people.column("age"),
        entries.column("person"), entries.column("term"), entries.column("first_time"),
        entries.column("added_review"), plans.column("min_minority_share"),
    )] == [
        ("12 chữ số (ô Văn bản)", "Đúng 12 chữ số"),
        ("Danh mục", "54 dân tộc (danh mục Dân tộc)"),
        ("Mã địa bàn", "Mã có trong sheet Địa bàn hoặc trong hệ thống"),
        ("Ngày: dd/mm/yyyy, mm/yyyy hoặc yyyy", "Năm 1900–2100"),
        ("Danh mục", "Nam; Nữ"),
        ("Chỉ đọc (hệ thống tính)", ""),
        ("Số định danh (12 chữ số)", "Cán bộ có trong sheet Cán bộ hoặc trong hệ thống"),
        ("Nhiệm kỳ: năm bắt đầu–năm kết thúc (2030–2035) hoặc ngày bắt đầu dd/mm/yyyy",
         "Nhiệm kỳ có trong sheet Nhiệm kỳ hoặc trong hệ thống"),
        ("Có / Không", "Có; Không"),
        ("Ngày: dd/mm/yyyy", "Ngày của một đợt rà soát của quy hoạch"),
        ("Số thập phân", "0–100"),
    ]  # fmt: skip
    assert docs.key_text(registry.sheet("titles")) == (
        "Khóa nhận dạng: **Mã chức danh**. Chỉ quản trị viên được thêm hoặc sửa (dòng không "
        "đổi thì ai nhập cũng được)."
    )
    assert docs.key_text(registry.sheet("plan_reviews"), bold=False) == (
        "Khóa nhận dạng: Quy hoạch + Ngày rà soát (mỗi quy hoạch một đợt rà soát một ngày; "
        "trùng là lỗi). Cán bộ nhập liệu chỉ tạo mới hoặc sửa đợt rà soát của quy hoạch thuộc "
        "phạm vi của mình."
    )
    assert docs.key_text(registry.sheet("units")) == "Khóa nhận dạng: **Mã đơn vị**."


# --- a sheet the file does not document ------------------------------------------------


def test_a_new_sheet_is_rendered_from_its_declaration(with_trial):
    assert docs.sheet_text(TRIAL, with_trial) == TRIAL_TEXT
    assert [s.key for s in with_trial.sheets()][-1] == "trial"
    assert docs.render(with_trial) == docs.render() + "\n" + TRIAL_TEXT


def test_registering_a_sheet_without_documenting_it_fails_the_check_and_names_it(with_trial):
    assert docs.check(docs.DOC_PATH, with_trial) == (
        "docs/data-package.md không khớp với các sheet khai báo trong mã (Thử nghiệm "
        "(`trial`): chưa có trong tài liệu). Hãy chạy `canbo package-docs` để sinh lại."
    )
    assert docs.check(docs.DOC_PATH) is None


def test_writing_the_new_sheet_keeps_the_hand_written_text(with_trial, doc_copy):
    path = doc_copy(docs.render() + "\n")
    assert docs.check(path) is None
    assert docs.write(path, with_trial) is True
    assert path.read_text() == (
        f"{HAND_WRITTEN_BEFORE}{BEGIN}\n{docs.render()}\n{TRIAL_TEXT}\n{END}{HAND_WRITTEN_AFTER}"
    )
    assert docs.check(path, with_trial) is None
    assert docs.write(path, with_trial) is False
    # Back with the registered sheets only: the trial sheet is documented but no longer declared.
    assert docs.check(path) == (
        f"{path} không khớp với các sheet khai báo trong mã (Thử nghiệm (`trial`): không "
        "còn trong mã). Hãy chạy `canbo package-docs` để sinh lại."
    )


# --- the command ------------------------------------------------------------------------


def test_command_check_fails_on_an_edited_table_and_names_the_sheet(doc_copy):
    section = docs.render().replace("| Năm đánh giá; mỗi cán bộ", "| Năm; mỗi cán bộ")
    path = doc_copy(section + "\n")
    with pytest.raises(CommandError) as failure:
        call_command("package_docs", "--check", file=path)
    assert str(failure.value) == (
        f"{path} không khớp với các sheet khai báo trong mã (Đánh giá (`evaluations`): khác "
        "với mã). Hãy chạy `canbo package-docs` để sinh lại."
    )


def test_command_writes_the_section_then_check_passes(doc_copy, capsys):
    path = doc_copy("## Sheets — Các sheet và cột\n\ncũ\n")
    with pytest.raises(CommandError, match="phần mở đầu: khác với mã"):
        call_command("package_docs", "--check", file=path)
    call_command("package_docs", file=path)
    assert path.read_text() == (
        f"{HAND_WRITTEN_BEFORE}{BEGIN}\n{docs.render()}\n{END}{HAND_WRITTEN_AFTER}"
    )
    call_command("package_docs", "--check", file=path)
    call_command("package_docs", file=path)
    assert capsys.readouterr().out.splitlines() == [
        f"Đã cập nhật {path}.",
        f"{path} khớp với mã.",
        f"{path} đã khớp với mã, không có gì thay đổi.",
    ]


def test_command_refuses_a_file_without_its_markers(tmp_path):
    path = tmp_path / "data-package.md"
    text = "# Gói dữ liệu\n\n## Sheets — Các sheet và cột\n"
    path.write_text(text)
    message = f"Tài liệu phải có đúng một cặp dấu đánh dấu phần sinh tự động: “{BEGIN}” … “{END}”."
    for args in (("--check",), ()):
        with pytest.raises(CommandError) as failure:
            call_command("package_docs", *args, file=path)
        assert str(failure.value) == message
    assert path.read_text() == text


# --- the template's guide sheet says the same ------------------------------------------


def test_the_template_guide_describes_columns_as_the_documentation_does(db, tmp_path):
    path = tmp_path / "mau.xlsx"
    write_template(str(path))
    guide = [
        [c.value for c in row] for row in openpyxl.load_workbook(path)[GUIDE_TITLE].iter_rows()
    ]
    rows = {(r[0], r[1]): r for r in guide if r[0] and r[1]}
    assert rows["Cán bộ", "Dân tộc"] == [
        "Cán bộ", "Dân tộc", "Dân tộc, ghi tên như trong danh mục.", "Danh mục", None,
        "54 dân tộc (danh mục Dân tộc)", "Kinh",
    ]  # fmt: skip
    assert rows["Cán bộ", "Tuổi"] == [
        "Cán bộ", "Tuổi", "Tuổi tròn tại ngày xuất; hệ thống tính, bỏ qua khi nhập.",
        "Chỉ đọc (hệ thống tính)", None, None, "45",
    ]  # fmt: skip
    assert rows["Quy hoạch", "Tỷ lệ người dân tộc thiểu số (%)"][3:6] == [
        "Số thập phân",
        None,
        "0–100",
    ]
    key_row = next(r for r in guide if r[0] == "Địa bàn" and r[1] is None)
    assert key_row[5] == (
        "Khóa nhận dạng: Mã địa bàn. Chỉ quản trị viên được thêm hoặc sửa (dòng không đổi "
        "thì ai nhập cũng được)."
    )
