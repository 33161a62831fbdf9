"""Small hooks the security libraries call (named in settings)."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address for django-axes' lockout.

    Behind the reverse proxy (CANBO_BEHIND_PROXY), every request comes from the proxy,
    which puts the client's address in X-Real-IP (overwriting whatever the client sent);
    otherwise the connection's own address.
    """
    if settings.CANBO_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
