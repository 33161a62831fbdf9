"""API errors: Django's validation and permission errors become 400/403, never 500;
refused credentials count against the anonymous rate (429 past it)."""

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from canbo.api import parsers
from canbo.api.throttling import AnonRateThrottle


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A model-wide error (`full_clean`'s "__all__", e.g. a second plan for the same
        # unit and term) is worded as DRF words its own: under "non_field_errors".
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        )
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, RequestDataTooBig):  # Django's own answer would be an HTML page
        exc = parsers.TooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = parsers.TooManyFields()
    elif isinstance(exc, Http404):
        # Django's "No Person matches the given query." is English and names the model.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        exc = _unless_too_many(exc, context)
    return drf_exception_handler(exc, context)


def _unless_too_many(exc, context):
    """A request refused for want of valid credentials counts against the anonymous rate.

    DRF checks rates after authentication and permissions, so without this an anonymous
    client (guessing tokens, say) would never meet the limit: each of its requests ends
    in a 401 first. Past the rate it gets 429 ("Gửi quá nhiều yêu cầu…") instead.
    """
    request = context.get("request")
    throttle = AnonRateThrottle()
    if request is not None and not throttle.allow_request(request, context.get("view")):
        return exceptions.Throttled(wait=throttle.wait())
    return exc
