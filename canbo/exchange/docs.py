"""The sheet tables of docs/data-package.md, written from the registered sheets.

Everything the tables say comes from the sheet declarations (`Sheet.help`, `natural_key`,
`admin_only`, `notes`; `Column.help`, `example`, `allowed`) and from the kinds of cell
(`sheets.KIND_TEXT`, `KIND_ALLOWED`; the `Kind`, `Reference` and `Lookup` a part registers).
`canbo package-docs` writes the section between the two markers of the file and keeps the
hand-written text around it; `canbo package-docs --check` and tests/exchange/test_docs.py
fail when the file and the code disagree, so a new sheet cannot ship undocumented.

The guide sheet of the template (`template.py`) describes each column with the same
`kind_text` and `allowed_text`.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .registry import Registry, registry
from .sheets import KIND_ALLOWED, KIND_TEXT, READONLY_TEXT, Column, Sheet

DOC_PATH = Path(settings.BASE_DIR).parent / "docs" / "data-package.md"

BEGIN = "<!-- Sinh tự động từ mã: canbo package-docs. Không sửa tay. -->"
END = "<!-- hết phần sinh tự động -->"

HEADING = "## Sheets — Các sheet và cột"
INTRO = """\
Các sheet theo thứ tự phụ thuộc: một sheet chỉ tham chiếu tới các sheet ở
trên nó. Cột “Bắt buộc” là Có thì ô không được trống (và cột phải có mặt).
“Kiểu” cho biết ô được đọc thế nào (xem Quy tắc đọc ô). Giá trị danh mục ghi
đúng nhãn trong cột “Giá trị cho phép” (không phân biệt dấu, chữ hoa).
"""
TABLE_HEADERS = (
    "Tiêu đề cột", "Khóa JSON", "Ý nghĩa", "Kiểu", "Bắt buộc", "Giá trị cho phép", "Ví dụ",
)  # fmt: skip
ADMIN_ONLY_TEXT = "Chỉ quản trị viên được thêm hoặc sửa (dòng không đổi thì ai nhập cũng được)."


class DocsError(Exception):
    """The documentation file cannot be updated or checked (its markers are missing)."""


# --- one column, one sheet ------------------------------------------------------------


def kind_text(column: Column, reg: Registry = registry) -> str:
    """How the guide and the documentation name what a column's cells hold ("Kiểu")."""
    if column.readonly:
        return READONLY_TEXT
    if column.kind in KIND_TEXT:
        return KIND_TEXT[column.kind]
    return reg.kinds()[column.kind].text


def allowed_text(column: Column, reg: Registry = registry) -> str:
    """What a column's cells may hold ("Giá trị cho phép"): the column's own `allowed`, or
    what its kind allows."""
    if column.allowed or column.readonly:
        return column.allowed
    if column.kind == "choice":
        return "; ".join(str(label) for _value, label in column.choices.choices)
    if column.kind in KIND_ALLOWED:
        return KIND_ALLOWED[column.kind]
    reference = reg.references().get(column.kind)
    if reference is not None:
        return f"Mã có trong sheet {reg.sheet(reference.sheet).title} hoặc trong hệ thống"
    lookup = reg.lookups().get(column.kind)
    if lookup is not None:
        return lookup.summary
    kind = reg.kinds().get(column.kind)
    return kind.allowed if kind is not None else ""


def key_text(sheet: Sheet, *, bold: bool = True) -> str:
    """ "Khóa nhận dạng: **…**." followed by who may write the rows and the sheet's notes."""
    line = "Khóa nhận dạng: " + (f"**{sheet.natural_key}**" if bold else sheet.natural_key)
    notes = sheet.notes.strip()
    if notes.startswith("("):  # a remark on the key itself: "**A + B** (…)."
        remark, closed, rest = notes.partition(").")
        line += f" {remark})" if closed else f" {notes}"
        notes = rest if closed else ""
    sentences = [line + "."]
    if sheet.admin_only:
        sentences.append(ADMIN_ONLY_TEXT)
    if notes.strip():
        sentences.append(notes.strip())
    return " ".join(sentences)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(cells) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def sheet_text(sheet: Sheet, reg: Registry = registry) -> str:
    """One sheet's part of the section: heading, help, key and the table of its columns."""
    parts = [f"### {sheet.title} (`{sheet.key}`)"]
    if sheet.help:
        parts.append(sheet.help)
    if sheet.natural_key:
        parts.append(key_text(sheet))
    rows = [_row(TABLE_HEADERS), "|" + "---|" * len(TABLE_HEADERS)]
    rows += [
        _row([column.header, f"`{column.key}`", column.help, kind_text(column, reg),
              "Có" if column.required else "", allowed_text(column, reg), column.example])
        for column in sheet.columns
    ]  # fmt: skip
    parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


# --- the section and the file ---------------------------------------------------------


def render(reg: Registry = registry) -> str:
    """The generated section: its heading, the introduction and every sheet in order."""
    return "\n".join([f"{HEADING}\n", INTRO, *(sheet_text(s, reg) for s in reg.sheets())])


def block(reg: Registry = registry) -> str:
    """The section with its markers, as the file holds it."""
    return f"{BEGIN}\n{render(reg)}\n{END}"


def _bounds(text: str) -> tuple[int, int]:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start or text.count(BEGIN) != 1 or text.count(END) != 1:
        raise DocsError(
            _("Tài liệu phải có đúng một cặp dấu đánh dấu phần sinh tự động: “%(begin)s” … "
              "“%(end)s”.") % {"begin": BEGIN, "end": END}
        )  # fmt: skip
    return start, end + len(END)


def updated(text: str, reg: Registry = registry) -> str:
    """The file's text with the generated section replaced (the rest kept as is)."""
    start, end = _bounds(text)
    return text[:start] + block(reg) + text[end:]


def _by_sheet(section: str) -> dict[str, str]:
    """The section cut at each sheet heading: heading -> its text ("" -> the introduction)."""
    chunks: dict[str, str] = {}
    heading = ""
    for line in section.splitlines(keepends=True):
        if line.startswith("### "):
            heading = line.strip()[4:]
        chunks[heading] = chunks.get(heading, "") + line
    return chunks


def differences(text: str, reg: Registry = registry) -> list[str]:
    """What the file's generated section gets wrong, one line per sheet (empty when it
    matches the code)."""
    start, end = _bounds(text)
    written = _by_sheet(text[start + len(BEGIN) : end - len(END)])
    wanted = _by_sheet(f"\n{render(reg)}\n")
    found = []
    for heading, chunk in wanted.items():
        if heading not in written:
            found.append(_("%(sheet)s: chưa có trong tài liệu") % {"sheet": heading})
        elif written[heading] != chunk:
            found.append(_("%(sheet)s: khác với mã") % {"sheet": heading or _("phần mở đầu")})
    found += [
        _("%(sheet)s: không còn trong mã") % {"sheet": heading}
        for heading in written
        if heading not in wanted
    ]
    return found


def check(path: Path = DOC_PATH, reg: Registry = registry) -> str | None:
    """None when the file documents the registered sheets exactly, else what to do."""
    found = differences(path.read_text(encoding="utf-8"), reg)
    if not found:
        return None
    return _("%(file)s không khớp với các sheet khai báo trong mã (%(what)s). Hãy chạy "
             "`canbo package-docs` để sinh lại.") % {
        "file": _shown(path), "what": "; ".join(found)}  # fmt: skip


def _shown(path: Path) -> str:
    """The file as the message names it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(DOC_PATH.parent.parent))
    except ValueError:
        return str(path)


def write(path: Path = DOC_PATH, reg: Registry = registry) -> bool:
    """Write the generated section into the file; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    new = updated(text, reg)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True
