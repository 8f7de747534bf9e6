"""Website visitors: who they are without an Odoo session.

A visitor is a random token the server issues and the visitor's browser
keeps (localStorage): it survives page reloads and is never a cookie, so
no other site can make the browser use it (no CSRF) and Odoo's session is
not involved. The token carries the server's signature (HMAC with the
database secret): a visitor cannot mint tokens of their own, so the number
of new visitors an address may start is a limit that holds. The database
stores only the token's hash (the account's
external id), and the visitor's bus channel is derived from the token with
the database secret: unguessable, and never sent to anyone but the visitor.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
#: Longest message a visitor may send (characters).
MAX_VISITOR_BODY = 4000
MAX_NAME = 64
#: Largest file a visitor may attach (a phone's photo is 2-4 MB).
MAX_VISITOR_FILE = 5 * 1024 * 1024
#: What a visitor may attach, recognised by the file's first bytes (what
#: the browser says is not trusted): pictures and PDF documents.
FILE_SIGNATURES = (
    ("image/jpeg", b"\xff\xd8\xff", ".jpg"),
    ("image/png", b"\x89PNG\r\n\x1a\n", ".png"),
    ("image/gif", b"GIF87a", ".gif"),
    ("image/gif", b"GIF89a", ".gif"),
    ("application/pdf", b"%PDF-", ".pdf"),
)
#: Pictures the visitor's window shows inline; other files are downloads.
INLINE_TYPES = ("image/jpeg", "image/png", "image/gif")
EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,190}\.[A-Za-z]{2,}$")


class VisitorError(ValueError):
    """Bad visitor input: answered 400 with this reason."""


#: A token: 32 random characters, then 22 of their signature.
NONCE_LENGTH = 32
SIGNED_LENGTH = 54


def new_token(secret):
    nonce = secrets.token_urlsafe(24)
    return nonce + _token_signature(secret, nonce)


def _token_signature(secret, nonce):
    digest = hmac.new(
        secret.encode(), b"livechat-visitor-token:" + nonce.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode()[: SIGNED_LENGTH - NONCE_LENGTH]


def well_formed(token):
    return isinstance(token, str) and bool(TOKEN_RE.match(token))


def is_signed(secret, token):
    """Whether ``token`` is one :func:`new_token` issued."""
    return (
        well_formed(token)
        and len(token) == SIGNED_LENGTH
        and hmac.compare_digest(
            token[NONCE_LENGTH:], _token_signature(secret, token[:NONCE_LENGTH])
        )
    )


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


def sniff(content):
    """The type and extension of an accepted file's content, or None."""
    for mimetype, magic, extension in FILE_SIGNATURES:
        if content.startswith(magic):
            return mimetype, extension
    return None


def check_file(file):
    """A visitor's attachment (``{"name": ..., "data": base64}``) checked:
    the way in's attachment (``name``, ``mimetype``, ``datas``).

    The type comes from the content; the name keeps only its last path part
    and printable characters, and ends with the type's extension.
    """
    if (
        not isinstance(file, dict)
        or not isinstance(file.get("name"), str)
        or not isinstance(file.get("data"), str)
    ):
        raise VisitorError("A file is an object with a name and base64 data.")
    try:
        content = base64.b64decode(file["data"], validate=True)
    except (binascii.Error, ValueError):
        raise VisitorError("The file's data is not base64.")
    if not content:
        raise VisitorError("The file is empty.")
    if len(content) > MAX_VISITOR_FILE:
        raise VisitorError(
            "Files of at most %d MB are accepted." % (MAX_VISITOR_FILE // 1024 // 1024)
        )
    found = sniff(content)
    if not found:
        raise VisitorError(
            "Only pictures (JPEG, PNG, GIF) and PDF documents are accepted."
        )
    mimetype, extension = found
    name = re.split(r"[\\/]", file["name"])[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:100]
    stem, given = os.path.splitext(name)
    accepted = (extension, ".jpeg") if extension == ".jpg" else (extension,)
    if given.lower() not in accepted:
        name = (stem or "file") + extension
    return {"name": name, "mimetype": mimetype, "datas": base64.b64encode(content)}


def file_signature(secret, account_external_id, attachment_id):
    """The part of a file's address that only its visitor's window knows:
    links to the visitor's files need no token (an <img> cannot send one),
    and cannot be guessed for another visitor's files."""
    return hmac.new(
        secret.encode(),
        ("livechat-visitor-file:%s:%s" % (account_external_id, attachment_id)).encode(),
        hashlib.sha256,
    ).hexdigest()[:40]
