"""A minimal streaming XLSX writer for exports of millions of rows.

XlsxWriter spends about 25 µs of Python on each cell, which makes the export
of a national dataset (tens of millions of cells) take most of an hour. An
export needs very little of a spreadsheet: text and number cells, a header
style, column widths and a frozen header row. This module writes exactly
that, in the same SpreadsheetML that XlsxWriter produces in its
constant-memory mode (inline strings, no shared-string table), straight into
the ZIP archive as rows arrive, so memory stays flat and each cell costs a
few string operations.

The empty template, which needs drop-down lists, is still made by XlsxWriter.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from typing import IO
from xml.sax.saxutils import escape, quoteattr

# Cell styles (indexes into cellXfs of STYLES below).
PLAIN, HEADER, TEXT, QUOTED, READONLY_HEADER = range(5)
MAX_ROWS = 1_048_576
# XML 1.0 cannot hold these; Excel writes them as _xHHHH_.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@")

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

STYLES = (
    XML_HEAD + f"<styleSheet {NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="@"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><i/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="4"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/>'
    "</patternFill></fill>"
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/>'
    '</right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/>'
    "</bottom><diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    text = escape(value)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if text != text.strip():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


class Sheet:
    """One worksheet being written; rows go straight into the archive."""

    BUFFER = 500

    def __init__(self, book: StreamingWorkbook, title: str, widths: list[float],
                 column_styles: list[int | None]):  # fmt: skip
        self.book, self.title = book, title
        self.letters = [column_letter(i) for i in range(len(widths))]
        self.row = 0
        self.buffer: list[str] = []
        self.part = book.archive.open(f"xl/worksheets/sheet{len(book.sheets) + 1}.xml", "w",
                                      force_zip64=True)  # fmt: skip
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w:.2f}" customWidth="1"'
            + (f' style="{s}"' if s is not None else "")
            + "/>"
            for i, (w, s) in enumerate(zip(widths, column_styles, strict=True))
        )
        self._put(
            XML_HEAD + f"<worksheet {NS} {NS_R}>"
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>"
        )

    def _put(self, text: str) -> None:
        self.part.write(text.encode("utf-8"))

    def write_row(self, values, styles: list[int] | None = None) -> None:
        """Text (str) and number cells; None and "" leave the cell empty."""
        self.row += 1
        if self.row > MAX_ROWS:
            raise ValueError("worksheet full")
        number = self.row
        cells = []
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{self.letters[index]}{number}"
            if type(value) is str:
                if styles is not None:
                    style = styles[index]
                else:
                    style = QUOTED if value.startswith(FORMULA_START) else TEXT
                cells.append(f'<c r="{ref}" s="{style}" t="inlineStr">{_text(value)}</c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        self.buffer.append(f'<row r="{number}">' + "".join(cells) + "</row>")
        if len(self.buffer) >= self.BUFFER:
            self._put("".join(self.buffer))
            self.buffer.clear()

    def close(self) -> None:
        if self.buffer:
            self._put("".join(self.buffer))
            self.buffer.clear()
        self._put("</sheetData></worksheet>")
        self.part.close()


class StreamingWorkbook:
    """Sheets are written one after another; `close` adds the workbook parts."""

    def __init__(self, target: IO[bytes] | str, *, created: dt.datetime | None = None):
        self.archive = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED,
                                       compresslevel=1)  # fmt: skip
        self.sheets: list[Sheet] = []
        self.order: list[int] = []
        self.created = created
        self.current: Sheet | None = None

    def add_sheet(self, title: str, widths: list[float], column_styles: list[int | None],
                  *, position: int | None = None) -> Sheet:  # fmt: skip
        """A new worksheet; `position` puts it earlier in the workbook's tab order."""
        if self.current is not None:
            self.current.close()
        sheet = Sheet(self, title, widths, column_styles)
        self.sheets.append(sheet)
        index = len(self.sheets) - 1
        self.order.insert(len(self.order) if position is None else position, index)
        self.current = sheet
        return sheet

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        entries = [(n, self.sheets[i]) for n, i in enumerate(self.order, start=1)]
        sheets_xml = "".join(
            f"<sheet name={quoteattr(sheet.title)} sheetId=\"{n}\" r:id=\"rId{self.sheets.index(sheet) + 1}\"/>"
            for n, sheet in entries
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument'
            f'/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(self.sheets))
        )
        styles_id = len(self.sheets) + 1
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{SHEET_TYPE}"/>'
            for i in range(len(self.sheets))
        )
        write = self.archive.writestr
        write(
            "[Content_Types].xml",
            XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/>' + overrides + "</Types>",
        )
        write(
            "_rels/.rels",
            XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
        created = (self.created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        write(
            "docProps/core.xml",
            XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            'XMLSchema-instance"><dc:creator>canbo</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            "</cp:coreProperties>",
        )
        write(
            "xl/workbook.xml",
            XML_HEAD + f"<workbook {NS} {NS_R}><bookViews><workbookView/></bookViews>"
            f"<sheets>{sheets_xml}</sheets></workbook>",
        )
        write(
            "xl/_rels/workbook.xml.rels",
            XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}<Relationship Id="rId{styles_id}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        write("xl/styles.xml", STYLES)
        self.archive.close()
