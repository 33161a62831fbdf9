"""The one DOCX → PDF converter (LibreOffice headless): its refusals name the document."""

from __future__ import annotations

import stat

import pytest

from canbo.core import officepdf


def fake(tmp_path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_missing_libreoffice(monkeypatch):
    monkeypatch.setattr(officepdf, "soffice_binary", lambda: None)
    with pytest.raises(officepdf.ConversionError) as error:
        officepdf.docx_to_pdf(b"PK")
    assert str(error.value) == (
        "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản Word (DOCX) hoặc "
        "đề nghị quản trị viên cài gói libreoffice-writer-nogui."
    )  # fmt: skip
    with pytest.raises(officepdf.ConversionError):
        officepdf.require(None)
    assert officepdf.require("/usr/bin/soffice") == "/usr/bin/soffice"


def test_a_failure_names_the_document(tmp_path):
    binary = fake(tmp_path, "exit 1")
    with pytest.raises(officepdf.ConversionError) as error:
        officepdf.docx_to_pdf(b"PK", binary=binary, document="báo cáo thống kê")
    assert str(error.value) == ("LibreOffice không chuyển được báo cáo thống kê sang PDF; hãy thử "
                                "lại hoặc tải bản Word (DOCX).")  # fmt: skip
    with pytest.raises(officepdf.ConversionError) as error:
        officepdf.docx_to_pdf(b"PK", binary=binary)
    assert "không chuyển được văn bản sang PDF" in str(error.value)


def test_an_output_that_is_not_a_pdf_is_refused(tmp_path):
    # Exits 0 and writes a file that is no PDF where LibreOffice would write its output.
    binary = fake(tmp_path, 'for a; do out="$a"; done; mkdir -p "$(dirname "$out")/out"; '
                            'echo nope > "$(dirname "$out")/out/van-ban.pdf"')  # fmt: skip
    with pytest.raises(officepdf.ConversionError):
        officepdf.docx_to_pdf(b"PK", binary=binary)
