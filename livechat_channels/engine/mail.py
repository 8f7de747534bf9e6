"""Email: an IMAP mailbox in, SMTP out.

Plain Python over imaplib, smtplib and the email package. Mail is fetched
by UID (the caller keeps the last UID seen and the mailbox's UIDVALIDITY);
a message's identity is its Message-Id, so one fetched twice is stored once.
Replies carry In-Reply-To and References, so the customer's mail program
keeps the conversation in one thread.
"""

import base64
import datetime
import email
import email.policy
import email.utils
import imaplib
import logging
import smtplib
import socket
import ssl
from email.message import EmailMessage

from odoo.addons.livechat_sessions.engine.text import MAX_BODY_LENGTH

from . import delivery, oauth

_logger = logging.getLogger(__name__)

#: Server presets an administrator picks instead of typing hosts and ports.
PRESETS = {
    "gmail": {
        "imap_host": "imap.gmail.com",
        "imap_port": 993,
        "imap_ssl": True,
        "smtp_host": "smtp.gmail.com",
        "smtp_port": 587,
        "smtp_security": "starttls",
    },
    "outlook": {
        "imap_host": "outlook.office365.com",
        "imap_port": 993,
        "imap_ssl": True,
        "smtp_host": "smtp-mail.outlook.com",
        "smtp_port": 587,
        "smtp_security": "starttls",
    },
    "office365": {
        "imap_host": "outlook.office365.com",
        "imap_port": 993,
        "imap_ssl": True,
        "smtp_host": "smtp.office365.com",
        "smtp_port": 587,
        "smtp_security": "starttls",
    },
}
TIMEOUT = 30
#: Messages fetched per run; the next run goes on from the last UID.
BATCH = 100


class MailboxError(Exception):
    """The mailbox could not be read now (network, login, server)."""


class LoginRefused(MailboxError, delivery.RetryLater):
    """The IMAP or SMTP server refused the sign-in. The mailbox waits and a
    reply stays queued: the credentials are the connector's to fix, not the
    message's fault. With OAuth 2.0 it is also the sign of a token the
    provider stopped accepting (the connector renews it and tries once more).
    """


def clip(text, limit=MAX_BODY_LENGTH):
    """Long emails (quoted threads, signatures) are cut to what a chat
    message may hold; the cut is marked."""
    if len(text) <= limit:
        return text
    return text[: limit - 40].rstrip() + "\n[... the rest of the email is cut]"


def fetch_new(
    host, port, use_ssl, login, password, folder, last_uid, uidvalidity, token=None
):
    """Yield ``(uidvalidity, uid, raw_bytes)`` for the messages after
    ``last_uid`` (all of them when the mailbox's UIDVALIDITY changed).
    With ``token``, sign in with SASL XOAUTH2 instead of the password.

    :raises LoginRefused: the server refused the sign-in
    :raises MailboxError: connection or protocol failure
    """
    try:
        if use_ssl:
            imap = imaplib.IMAP4_SSL(
                host, port, ssl_context=ssl.create_default_context()
            )
        else:
            imap = imaplib.IMAP4(host, port)
        imap.sock.settimeout(TIMEOUT)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError("Cannot reach %s:%s: %s" % (host, port, error))
    try:
        _imap_sign_in(imap, login, password, token)
        status, data = imap.select(folder or "INBOX", readonly=True)
        if status != "OK":
            raise MailboxError("Cannot open folder %s: %s" % (folder, data))
        status, data = imap.response("UIDVALIDITY")
        current = int(data[0]) if data and data[0] else 0
        if current != uidvalidity:
            last_uid = 0
        status, data = imap.uid("search", None, "UID %d:*" % (last_uid + 1))
        uids = sorted(
            int(uid) for uid in (data[0] or b"").split() if int(uid) > last_uid
        )
        for uid in uids[:BATCH]:
            status, parts = imap.uid("fetch", str(uid), "(RFC822)")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if status == "OK" and raw:
                yield current, uid, raw
    except (OSError, imaplib.IMAP4.error, socket.timeout) as error:
        raise MailboxError("%s: %s" % (type(error).__name__, error))
    finally:
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error) as error:
            # The mailbox was read; a failed goodbye changes nothing.
            _logger.debug("IMAP logout: %s", error)


def _imap_sign_in(imap, login, password, token):
    try:
        if token:
            response = oauth.xoauth2(login, token).encode()
            # A refusal comes as a continuation carrying the error, which
            # the client answers with an empty line before the final NO.
            imap.authenticate(
                "XOAUTH2", lambda challenge: b"" if challenge else response
            )
        else:
            imap.login(login, password)
    except imaplib.IMAP4.error as error:
        raise LoginRefused(
            "The IMAP server refused the sign-in of %s: %s" % (login, error)
        )


def parse(raw):
    """What the way in needs from one email."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, address = email.utils.parseaddr(str(message.get("From") or ""))
    body_part = message.get_body(preferencelist=("plain", "html"))
    body, body_type = "", "text"
    if body_part is not None:
        body = body_part.get_content()
        body_type = "html" if body_part.get_content_type() == "text/html" else "text"
    attachments = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True) or b""
        attachments.append(
            {
                "name": part.get_filename() or "attachment",
                "mimetype": part.get_content_type(),
                "datas": base64.b64encode(content),
            }
        )
    subject = str(message.get("Subject") or "").strip()
    if not body.strip():
        body, body_type = (
            subject
            or "[%s]" % (attachments[0]["name"] if attachments else "Empty email")
        ), "text"
    date = None
    if message.get("Date"):
        try:
            date = email.utils.parsedate_to_datetime(str(message["Date"]))
            if date.tzinfo:
                date = date.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        except (TypeError, ValueError):
            date = None
    return {
        "message_id": str(message.get("Message-Id") or "").strip(),
        "in_reply_to": str(message.get("In-Reply-To") or "").strip(),
        "references": str(message.get("References") or "").split(),
        "subject": subject,
        "address": address.lower(),
        "name": name or address,
        "body": body,
        "body_type": body_type,
        "attachments": attachments,
        "date": date,
    }


def build_reply(
    sender,
    to,
    subject,
    text,
    in_reply_to=None,
    references=(),
    attachments=(),
    domain="localhost",
):
    """An email reply; returns ``(message, message_id)``."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = (
        subject if subject.lower().startswith("re:") else "Re: %s" % subject
    )
    message["Date"] = email.utils.formatdate(localtime=False)
    message_id = email.utils.make_msgid(domain=domain)
    message["Message-Id"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    refs = [ref for ref in references if ref][-10:]
    if refs:
        message["References"] = " ".join(refs)
    message.set_content(text or "")
    for name, content, mimetype in attachments:
        maintype, _sep, subtype = (mimetype or "application/octet-stream").partition(
            "/"
        )
        message.add_attachment(
            content, maintype=maintype, subtype=subtype or "octet-stream", filename=name
        )
    return message, message_id


def send(host, port, security, login, password, message, token=None):
    """Send one message by SMTP; with ``token``, sign in with SASL XOAUTH2
    instead of the password.

    :raises LoginRefused: the server refused the sign-in
    :raises delivery.RetryLater: connection trouble or a 4xx answer
    :raises delivery.Rejected: a 5xx answer to the message (bad recipient)
    """
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(host, port, timeout=TIMEOUT)
        try:
            if security == "starttls":
                server.starttls(context=ssl.create_default_context())
            _smtp_sign_in(server, login, password, token)
            server.send_message(message)
        finally:
            try:
                server.quit()
            except smtplib.SMTPException as error:
                # The message was handed over (or the error is raised below).
                _logger.debug("SMTP quit: %s", error)
    except smtplib.SMTPAuthenticationError as error:
        raise LoginRefused(
            "The SMTP server refused the sign-in of %s: %s %s"
            % (login, error.smtp_code, _text(error.smtp_error))
        )
    except smtplib.SMTPResponseException as error:
        reason = "SMTP %s: %s" % (error.smtp_code, _text(error.smtp_error))
        if 400 <= error.smtp_code < 500:
            raise delivery.RetryLater(reason)
        raise delivery.Rejected(reason)
    except smtplib.SMTPRecipientsRefused as error:
        raise delivery.Rejected("Recipient refused: %s" % error.recipients)
    except (OSError, smtplib.SMTPException) as error:
        raise delivery.RetryLater("%s: %s" % (type(error).__name__, error))


def _smtp_sign_in(server, login, password, token):
    if token:
        server.ehlo_or_helo_if_needed()
        response = oauth.xoauth2(login, token)
        # Called without a challenge for the initial response; a refusal's
        # challenge (the error) is answered with an empty line.
        server.auth("XOAUTH2", lambda challenge=None: "" if challenge else response)
    elif login:
        server.login(login, password or "")


def _text(answer):
    """A server's answer as text (smtplib keeps it as bytes)."""
    if isinstance(answer, bytes):
        return answer.decode("utf-8", "replace")
    return str(answer)
