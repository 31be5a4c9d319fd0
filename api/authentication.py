"""How API clients prove who they are: HTTP Basic once to get a token, then the Bearer token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import Token

REALM = "api"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`, checked against the stored digest on every request.

    The user's active flag is read with the token, so deactivating a user stops their
    tokens at once. No session and no CSRF token are involved.
    """

    keyword = b"bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _('Invalid Authorization header: expected "Bearer <token>".')
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            key = None
        token = Token.objects.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        token.user.touch_last_seen()
        return token.user, token

    def authenticate_header(self, request):
        return f'Bearer realm="{REALM}"'


class BasicCredentialsAuthentication(authentication.BasicAuthentication):
    """Username and password, used only to obtain a token (inactive users are refused)."""

    www_authenticate_realm = REALM


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's session (the browsable API in a signed-in browser), with CSRF as in DRF.

    Like the Bearer token, it keeps `last_seen` current: the site's LastSeenMiddleware leaves
    the API's views (marked in api/urls.py) to their authentication classes.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            result[0].touch_last_seen()
        return result
