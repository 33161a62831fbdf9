"""The data package format's building blocks: sheets, columns and cell kinds.

A domain app declares its sheets with these (in its own `package` module) and
registers them (`registry.py`); the exchange core reads, checks, writes and
documents every sheet the same way. The headers are part of the file format,
like the column names of a table: they do not change with the interface
language, so they are plain strings rather than translatable messages.

Column kinds (how a cell is read, see `cells.py`):
  text, note (text of several lines, kept as written), code, id_number,
  partial_date (date + precision), date, int, decimal, bool, choice (a Django
  choices class), term (a term of the body named in the same row: "2030–2035",
  a start year, or its start date), and the kinds domains register: references
  to other records by code (`registry.Reference`: area, unit, title), lookups
  in a catalog stored in the database (`registry.Lookup`: ethnicity) and other
  cell kinds (`registry.Kind`: person).
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_NAME = "canbo-data-package"
FORMAT_VERSION = 1

META_TITLE = "Thông tin gói"
GUIDE_TITLE = "Hướng dẫn"
CATALOG_TITLE = "Danh mục"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"
    required: bool = False
    readonly: bool = False
    choices: type | None = None
    # The model field whose validators apply (defaults to `key`).
    field: str | None = None
    help: str = ""
    example: str = ""
    # What the documentation says a cell may hold, when the kind's own text is not enough.
    allowed: str = ""

    @property
    def model_field(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple[Column, ...]
    help: str = ""
    natural_key: str = ""
    # The model a row of this sheet creates or updates (its field rules apply to the cells).
    model: type | None = None
    # Keys of the sheets whose records this sheet's rows name: they come first.
    depends: tuple[str, ...] = ()
    # Only administrators may add or change its rows (catalogs shared by every unit).
    admin_only: bool = False
    # The sheet of people: its row count is how many people a package carries.
    counts_people: bool = False
    # More about the key and who may write the rows, for the documentation: sentences after
    # "Khóa nhận dạng: **…**."; a leading "(…)." is a remark on the key itself, written
    # right after it ("**Quy hoạch + Ngày rà soát** (mỗi quy hoạch …).").
    notes: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def writable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.readonly)


def continuation_title(title: str, part: int) -> str:
    """The name of the part-th worksheet of a sheet too long for one: "Đánh giá (2)"."""
    return title if part == 1 else f"{title} ({part})"


# How the guide sheet and the documentation name each kind of cell the core reads
# (`docs.kind_text`), and what such a cell may hold (`docs.allowed_text`).
KIND_TEXT = {
    "text": "Chữ",
    "note": "Chữ (có thể nhiều dòng)",
    "code": "Mã (chữ, phân biệt hoa thường)",
    "id_number": "12 chữ số (ô Văn bản)",
    "partial_date": "Ngày: dd/mm/yyyy, mm/yyyy hoặc yyyy",
    "date": "Ngày: dd/mm/yyyy",
    "int": "Số nguyên",
    "decimal": "Số thập phân",
    "bool": "Có / Không",
    "choice": "Danh mục",
    "term": "Nhiệm kỳ: năm bắt đầu–năm kết thúc (2030–2035) hoặc ngày bắt đầu dd/mm/yyyy",
}
KIND_ALLOWED = {
    "id_number": "Đúng 12 chữ số",
    "partial_date": "Năm 1900–2100",
    "date": "Năm 1900–2100",
    "bool": "Có; Không",
    "term": "Nhiệm kỳ có trong sheet Nhiệm kỳ hoặc trong hệ thống",
}
READONLY_TEXT = "Chỉ đọc (hệ thống tính)"
# Kinds written as text cells, so that Excel keeps leading zeros and date strings as typed.
TEXT_KINDS = {"text", "note", "code", "id_number", "date", "partial_date", "choice", "bool", "term"}
