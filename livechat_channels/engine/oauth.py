"""OAuth 2.0 for mailboxes: the authorization-code grant and its refresh.

Gmail and Microsoft 365 take no password over IMAP and SMTP any more: the
mail client signs in with an access token (SASL ``XOAUTH2``), which it gets
once from the administrator's consent (authorization code) and renews with
the refresh token before it expires. Plain Python over HTTP (RFC 6749);
what to store and when to renew is the connector's business.
"""

import time
from urllib.parse import urlencode

from . import delivery

#: Providers an administrator picks instead of typing endpoints. Google
#: returns a refresh token only with ``access_type=offline``; both ask for
#: consent again with ``prompt=consent``, so re-authorising after a
#: revocation yields a new refresh token.
PRESETS = {
    "gmail": {
        "oauth_authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oauth_token_url": "https://oauth2.googleapis.com/token",
        "oauth_scope": "https://mail.google.com/",
    },
    "outlook": {
        "oauth_authorize_url": (
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
        ),
        "oauth_token_url": "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        "oauth_scope": "https://outlook.office.com/IMAP.AccessAsUser.All "
        "https://outlook.office.com/SMTP.Send offline_access",
    },
}
PRESETS["office365"] = PRESETS["outlook"]

#: A token with less than this left (seconds) is renewed before use: a
#: fetch or a delivery never starts with a token about to die on the way.
RENEW_MARGIN = 300


class Revoked(Exception):
    """The provider no longer accepts the grant (revoked, expired, or the
    client was removed): only the administrator's consent again helps."""


def authorization_url(authorize_url, client_id, redirect_uri, scope, state, login):
    """Where the administrator's browser goes to consent."""
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "access_type": "offline",
        "prompt": "consent",
    }
    if login:
        query["login_hint"] = login
    separator = "&" if "?" in authorize_url else "?"
    return authorize_url + separator + urlencode(query)


def exchange_code(token_url, client_id, client_secret, code, redirect_uri):
    """The tokens of a fresh consent: see :func:`_token_request`."""
    return _token_request(
        token_url,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )


def refresh(token_url, client_id, client_secret, refresh_token):
    """A new access token for ``refresh_token``: see :func:`_token_request`.
    Providers that rotate refresh tokens (Microsoft) return a new one."""
    tokens = _token_request(
        token_url,
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )
    tokens["refresh_token"] = tokens["refresh_token"] or refresh_token
    return tokens


def _token_request(token_url, form):
    """POST to the token endpoint; returns ``{"access_token", "refresh_token"
    (or None), "expires_at"}`` (``expires_at`` in epoch seconds).

    :raises Revoked: the provider refused the grant (``invalid_grant``,
        ``unauthorized_client``, ``invalid_client``)
    :raises delivery.RetryLater: unreachable, 5xx, or an answer that is not
        a token
    """
    response = delivery.call(
        "POST", token_url, data=form, headers={"Accept": "application/json"}
    )
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    if response.status_code >= 400:
        error = str(answer.get("error") or "HTTP %d" % response.status_code)
        description = str(answer.get("error_description") or "")[:200]
        reason = "%s%s" % (error, description and ": %s" % description)
        if error in ("invalid_grant", "unauthorized_client", "invalid_client"):
            raise Revoked(reason)
        raise delivery.RetryLater("The token endpoint answered %s" % reason)
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise delivery.RetryLater("The token endpoint answered without a token")
    try:
        lifetime = int(answer.get("expires_in") or 3600)
    except (TypeError, ValueError):
        lifetime = 3600
    refresh_token = answer.get("refresh_token")
    return {
        "access_token": token,
        "refresh_token": refresh_token if isinstance(refresh_token, str) else None,
        "expires_at": int(time.time()) + max(lifetime, 60),
    }


def xoauth2(login, token):
    """The SASL XOAUTH2 initial response (before base64)."""
    return "user=%s\x01auth=Bearer %s\x01\x01" % (login, token)
