"""Permissions shared by the API viewsets.

Scope (which records a user reaches) is not decided here: the viewsets read
through the apps' selectors, which are already scoped, so an out-of-scope
record is simply not found (404). These classes decide what kind of request
a signed-in user may make at all.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.settings import api_settings

from canbo.core import scope
from canbo.core.vntext import is_clean_text


def accepted_query_params(view) -> list[str]:
    """The query parameters a view reads: its filters, its pagination's and `format`."""
    names: list[str] = []
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        names += list(filterset_class.base_filters)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names += [p["name"] for p in paginator.get_schema_operation_parameters(view)]
    if api_settings.URL_FORMAT_OVERRIDE:
        names.append(api_settings.URL_FORMAT_OVERRIDE)
    return list(dict.fromkeys(names))


class CleanRequestInput(BasePermission):
    """Refuse URL lookups and query parameters carrying NUL bytes before any query runs,
    and query parameters given more than once (the API would silently read only the last).

    A view with `strict_query_params = True` also refuses parameters it does not read
    (`?as_off=2018-01-01` would otherwise answer for today, as if nothing were asked),
    naming the ones it accepts.

    PostgreSQL rejects NUL in text with a DataError, which would surface as a
    500. A lookup carrying one cannot name any record (404); a query parameter
    carrying one is a client error (400).
    """

    def has_permission(self, request, view) -> bool:
        for value in (getattr(view, "kwargs", None) or {}).values():
            if isinstance(value, str) and not is_clean_text(value):
                raise exceptions.NotFound()
        errors = {}
        for key, values in request.query_params.lists():
            if not is_clean_text(key) or any(not is_clean_text(v) for v in values):
                errors[key if is_clean_text(key) else "non_field_errors"] = [
                    _("Tham số chứa ký tự không hợp lệ.")
                ]
            elif len(values) > 1:  # no parameter of the API takes a list
                errors[key] = [_("Tham số này chỉ được ghi một lần.")]
        if getattr(view, "strict_query_params", False):
            accepted = accepted_query_params(view)
            for key in request.query_params:
                if key not in accepted and is_clean_text(key):
                    errors[key] = [
                        _("Tham số không được nhận. Các tham số được nhận: %(accepted)s.")
                        % {"accepted": ", ".join(accepted)}
                    ]
        if errors:
            raise exceptions.ValidationError(errors)
        return True


class EditorOrReadOnly(BasePermission):
    """Reads for every signed-in user; writes for editors and administrators only.

    Whether the record being written lies in the user's scope is checked by the
    service inside its transaction.
    """

    message = _("Bạn không có quyền thay đổi dữ liệu.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return scope.can_edit(request.user)


#: The permissions of a read-only endpoint and of an endpoint with writes.
READ_ONLY = [IsAuthenticated, CleanRequestInput]
READ_WRITE = [IsAuthenticated, CleanRequestInput, EditorOrReadOnly]
