"""PDF from DOCX through LibreOffice headless, offline: the one converter of canbo.

Every PDF canbo hands out (the 2C personal record, the report forms) is the DOCX it
writes, converted here. Each conversion runs in a temporary directory of its own (the
file, the output and a private LibreOffice user profile, so that conversions running at
the same time do not clash), in a process group of its own stopped whole after
`CANBO_SOFFICE_TIMEOUT` seconds (LibreOffice starts helper processes). A missing,
failing or overrunning LibreOffice is a `ConversionError` whose text tells the user what
to do (download the DOCX), never a crash. Nothing leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class ConversionError(Exception):
    """The PDF could not be made; `str(error)` says why, in Vietnamese."""


def soffice_binary() -> str | None:
    """The LibreOffice program on this server, None when it has none."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require(binary: str | None) -> str:
    """`binary`, or ConversionError saying LibreOffice is not installed when it is None."""
    if binary is None:
        raise ConversionError(_(
            "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản Word (DOCX) "
            "hoặc đề nghị quản trị viên cài gói libreoffice-writer-nogui."
        ))  # fmt: skip
    return binary


def libreoffice() -> str:
    """The LibreOffice program; ConversionError saying so when the server has none."""
    return require(soffice_binary())


def docx_to_pdf(data: bytes, *, timeout: int | None = None, binary: str | None = None,
                document: str | None = None) -> bytes:  # fmt: skip
    """The DOCX `data` as PDF bytes. `binary`: the LibreOffice program (found on the path
    when None); `document`: what is converted, as the error messages name it ("sơ yếu lý
    lịch"; "văn bản" when None). ConversionError when LibreOffice is missing, fails or
    overruns `timeout` seconds (CANBO_SOFFICE_TIMEOUT when None)."""
    binary = binary or libreoffice()
    timeout = timeout or settings.CANBO_SOFFICE_TIMEOUT
    failed = _("LibreOffice không chuyển được %(document)s sang PDF; hãy thử lại hoặc tải bản "
               "Word (DOCX).") % {"document": document or _("văn bản")}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="canbo-pdf-") as work:
        folder = Path(work)
        source = folder / "van-ban.docx"
        source.write_bytes(data)
        command = [binary, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(folder / "out"), str(source)]  # fmt: skip
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "HOME": work}, start_new_session=True,
            )  # fmt: skip
        except OSError as error:
            raise ConversionError(failed) from error
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            # LibreOffice starts helper processes: the whole group it leads is stopped.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ConversionError(
                _("LibreOffice chưa chuyển xong bản PDF sau %(seconds)d giây; hãy thử lại hoặc "
                  "tải bản Word (DOCX).") % {"seconds": timeout}
            ) from error  # fmt: skip
        pdf = folder / "out" / "van-ban.pdf"
        result = pdf.read_bytes() if pdf.exists() else b""
    if process.returncode != 0 or not result.startswith(b"%PDF"):
        raise ConversionError(failed)
    return result
