"""Website visitors: who they are without an Odoo session.

A visitor is a random token the server issues and the visitor's browser
keeps (localStorage): it survives page reloads and is never a cookie, so
no other site can make the browser use it (no CSRF) and Odoo's session is
not involved. The database stores only the token's hash (the account's
external id), and the visitor's bus channel is derived from the token with
the database secret: unguessable, and never sent to anyone but the visitor.
"""

import hashlib
import hmac
import re
import secrets

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
#: Longest message a visitor may send (characters).
MAX_VISITOR_BODY = 4000
MAX_NAME = 64
EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,190}\.[A-Za-z]{2,}$")


class VisitorError(ValueError):
    """Bad visitor input: answered 400 with this reason."""


def new_token():
    return secrets.token_urlsafe(32)


def check_token(token):
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        raise VisitorError("Missing or malformed visitor token.")
    return token


def account_id(token):
    """The account's external id: the token's hash, never the token."""
    return "v-" + hashlib.sha256(token.encode()).hexdigest()[:40]


def bus_channel(secret, token):
    digest = hmac.new(
        secret.encode(), b"livechat-visitor:" + token.encode(), hashlib.sha256
    ).hexdigest()
    return "livechat_visitor_" + digest


def clean_profile(name, email):
    """The name and email a visitor typed, checked; empty ones are None."""
    if name is not None and not isinstance(name, str):
        raise VisitorError("The name must be text.")
    if email is not None and not isinstance(email, str):
        raise VisitorError("The email must be text.")
    name = " ".join((name or "").split())[:MAX_NAME] or None
    email = (email or "").strip() or None
    if email and not EMAIL_RE.match(email):
        raise VisitorError("This email address does not look valid.")
    return name, email


def check_body(body):
    if not isinstance(body, str) or not body.strip():
        raise VisitorError("The message is empty.")
    if len(body) > MAX_VISITOR_BODY:
        raise VisitorError(
            "The message is longer than %d characters." % MAX_VISITOR_BODY
        )
    return body


def check_client_id(client_id):
    """The id the visitor's browser gives a message, so that a message sent
    again (a lost answer, a retried request) is stored once."""
    if not isinstance(client_id, str) or not re.match(
        r"^[A-Za-z0-9-]{8,64}$", client_id
    ):
        raise VisitorError("Missing or malformed message id.")
    return client_id
