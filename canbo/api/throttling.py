"""API rate limits (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from the environment).

DRF's throttles read the rates once, when they are imported; these read them at each
request, so that a changed setting (a test's, an operator's reload) takes effect.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RatesFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    """Requests without a signed-in user, counted per client address."""


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    """Requests of a signed-in user (token or session), counted per user."""
