"""Files attached to progress notes: checked, kept out of the web root under a random
name (settings.CANBO_ATTACHMENT_DIR), and read back only through a scoped download."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views import View

from canbo.core.validators import validate_line
from canbo.core.vntext import is_clean_text

from .models import TaskNote
from .selectors import visible_assignments, visible_directives

ALLOWED = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".jpg", ".jpeg", ".png",
           ".txt", ".zip")  # fmt: skip


def storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.CANBO_ATTACHMENT_DIR)


def store(upload) -> tuple[str, str, int]:
    """Check an uploaded file and keep it: (key, its own name, size). A ValidationError on
    `file` names what is wrong, in Vietnamese."""
    name = Path(upload.name or "").name.strip()
    suffix = Path(name).suffix.lower()
    try:
        validate_line(name)  # no control or bidirectional characters
    except ValidationError:
        name = ""
    if not name or len(name) > 200 or not is_clean_text(name):
        raise ValidationError({"file": _("Tên tệp không hợp lệ.")})
    if suffix not in ALLOWED:
        raise ValidationError({"file": _("Chỉ nhận tệp %(kinds)s.") % {"kinds": ", ".join(ALLOWED)}})
    limit = settings.CANBO_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": _("Tệp quá lớn (tối đa %(limit)s).") % {"limit": size_text(limit)}})
    if upload.size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    key = storage().save(f"{secrets.token_hex(16)}{suffix}", upload)
    return key, name, upload.size


def size_text(size: int) -> str:
    """20971520 -> "20 MB"; 1000 -> "1000 byte"."""
    return f"{size // 2**20} MB" if size >= 2**20 and size % 2**20 == 0 else f"{size} byte"


def discard(key: str) -> None:
    if key:
        storage().delete(key)


def download(key: str, name: str) -> FileResponse:
    """A stored file as a download (never shown inline, never cached); 404 when missing."""
    if not key or not storage().exists(key):
        raise Http404
    response = FileResponse(storage().open(key, "rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store"
    return response


class NoteFileView(LoginRequiredMixin, View):
    """GET: a note's file, for whoever may read the note's assignment (404 otherwise)."""

    def get(self, request, pk: int):
        note = TaskNote.objects.filter(pk=pk, assignment__in=visible_assignments(request.user)).first()
        if note is None:
            raise Http404
        return download(note.file_key, note.file_name)


class DirectiveFileView(LoginRequiredMixin, View):
    """GET: a directive's own file, for whoever may read the directive (404 otherwise)."""

    def get(self, request, pk: int):
        directive = visible_directives(request.user).filter(pk=pk).first()
        if directive is None:
            raise Http404
        return download(directive.file_key, directive.file_name)
