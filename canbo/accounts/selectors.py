"""Reads on accounts."""

from django.db.models import QuerySet

from .models import ApiToken


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A user's API tokens, newest first (what they are for, when they expire; never the token)."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-id")
