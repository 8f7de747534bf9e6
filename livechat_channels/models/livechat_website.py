# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The website chat's server side, behind the public routes.

Everything a visitor may do goes through here with the visitor's token: the
token's hash names the visitor's account, and only that account's messages
in that live chat are ever read or written. Ids a visitor sends are never
used to find a session.

Every method is private: the public routes (controllers/website.py) are the
only way to them, with their size and rate limits. Public methods would be
served over RPC to any logged-in user, around those limits.
"""

import hmac
import json
import time
from html import escape as html_escape

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from ..engine import visitor

#: Messages per visitor per minute, and hits per IP address per minute
#: (an office behind one address has many visitors).
VISITOR_LIMIT = 20
IP_LIMIT = 120
#: New visitor tokens one IP address may be given per minute: a visitor who
#: mints a token per message would otherwise dodge VISITOR_LIMIT.
NEW_TOKEN_LIMIT = 10
#: Long polls one IP address may open per minute. A visitor's window polls
#: again at once after each reply and every 50 s otherwise: an office of
#: 100 visitors behind one address stays well within it.
POLL_LIMIT = 600
#: "The visitor is typing" signals per visitor per minute (their window
#: sends one at most every 3 s while they type), on counters of their own:
#: typing never eats into the visitor's messages or the address's hits.
TYPING_LIMIT = 30
HISTORY_PAGE = 50
#: Transcripts by email per visitor and per IP address per hour: each one
#: is an email to an address the visitor types.
TRANSCRIPT_LIMIT = 3
TRANSCRIPT_IP_LIMIT = 10


class LivechatWebsite(models.AbstractModel):
    _name = "livechat.website"
    _description = "Live Chat Website Visitors"

    @api.model
    def _chat(self, key):
        """The live chat a website key opens (sudo), if its website chat is on."""
        if not isinstance(key, str) or not 16 <= len(key) <= 64:
            raise visitor.VisitorError("Unknown website chat.")
        chat = (
            self.env["livechat.chat"]
            .sudo()
            .search(
                [("website_key", "=", key), ("website_enabled", "=", True)], limit=1
            )
        )
        if not chat:
            raise visitor.VisitorError("Unknown website chat.")
        return chat

    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    def _channel_of(self, account_external_id):
        return visitor.bus_channel(self._secret(), account_external_id)

    @api.model
    def _allowed(self, ip, token=None):
        """Whether the address ``ip`` and the visitor ``token`` may make one
        more request now. A request without a well-formed token is about to
        be given a new one: it counts against the address's new tokens."""
        limits = [("ip:%s" % ip, IP_LIMIT)]
        if self._known_token(token):
            limits.append(("visitor:%s" % visitor.account_id(token), VISITOR_LIMIT))
        else:
            limits.append(("new-token:%s" % ip, NEW_TOKEN_LIMIT))
        return self.env["livechat.visitor.rate"]._hit(limits)

    def _known_token(self, token):
        """Whether ``token`` is a visitor's: one we signed, or one of the
        unsigned tokens given before tokens were signed, whose visitor has
        written (so their conversation stays theirs)."""
        if visitor.is_signed(self._secret(), token):
            return True
        return visitor.well_formed(token) and bool(
            self.env["livechat.account"]
            .sudo()
            .search_count(
                [
                    ("channel", "=", "website"),
                    ("external_id", "=", visitor.account_id(token)),
                ]
            )
        )

    def _check_token(self, token):
        if not self._known_token(token):
            raise visitor.VisitorError("Missing or malformed visitor token.")
        return token

    @api.model
    def _poll_allowed(self, ip):
        return self.env["livechat.visitor.rate"]._hit([("poll:%s" % ip, POLL_LIMIT)])

    # The routes' work ---------------------------------------------------------

    @api.model
    def _visitor_start(self, key, token=None):
        """Open the chat for a visitor: their token (a new one when they have
        none or a bad one) and the messages they exchanged before."""
        chat = self._chat(key)
        if not self._known_token(token):
            token = visitor.new_token(self._secret())
        away = self._away(chat, token)
        return {
            "token": token,
            "messages": self._history(chat, token),
            # Nobody can answer now: the window offers to leave a message
            # (with an email address, where the answer will go).
            "away": away and {"reason": away, "text": chat.away_message or ""},
            # The window's clock against ours: "typing" notifications carry
            # our time, and one from before it opened is over.
            "now": time.time(),
        }

    @api.model
    def _visitor_history(self, key, token, before_id=None):
        chat = self._chat(key)
        token = self._check_token(token)
        if before_id is not None and (
            not isinstance(before_id, int) or isinstance(before_id, bool)
        ):
            raise visitor.VisitorError("before_id must be a message id.")
        return {"messages": self._history(chat, token, before_id)}

    @api.model
    def _visitor_post(
        self, key, token, client_id, body, name=None, email=None, file=None
    ):
        """Store what a visitor wrote, through the way in, with the picture
        or PDF they attached (``file``: ``name`` and base64 ``data``). A
        message sent again with the same client id is stored once."""
        chat = self._chat(key)
        token = self._check_token(token)
        client_id = visitor.check_client_id(client_id)
        attachments = [visitor.check_file(file)] if file is not None else []
        if attachments and not (isinstance(body, str) and body.strip()):
            # A file alone: the conversation shows its name, as for a
            # messenger's photo without a caption.
            body = "[%s]" % attachments[0]["name"]
        body = visitor.check_body(body)
        name, email = visitor.clean_profile(name, email)
        external_id = visitor.account_id(token)
        # Left while nobody can answer: the answer goes by email, so the
        # visitor says where (unless their account already has it).
        away = self._away(chat, token)
        if away and not email and not self._account_email(external_id):
            raise visitor.VisitorError(
                _("Leave your email address so that we can answer you.")
            )
        account = {
            "external_id": external_id,
            "name": name or _("Visitor %s") % external_id[2:8].upper(),
        }

        def after(env, message):
            # In the way in's transaction: the request's own snapshot may
            # predate it and not see the message.
            account_rec = message.author_account_id
            if (name and account_rec.name != name) or (
                email and account_rec.email != email
            ):
                account_rec.write(
                    {
                        "name": name or account_rec.name,
                        "email": email or account_rec.email,
                    }
                )
            if away and not message.session_id.answer_by_email:
                message.session_id.answer_by_email = True
            return env["livechat.website"]._format(chat, message)

        try:
            formatted = self.env["livechat.connector"]._receive_for_chat(
                chat,
                "website",
                account,
                body,
                "%s:%s" % (external_id, client_id),
                attachments=attachments,
                after=after,
            )
        except ValidationError as error:
            raise visitor.VisitorError(error.name)
        return {"message": formatted}

    @api.model
    def _visitor_file(self, attachment_id, signature):
        """A file of a website conversation, for the link the visitor's
        window got (:meth:`_format`): the attachment, as superuser, or a
        VisitorError when the link is not one we gave."""
        if not isinstance(signature, str):
            raise visitor.VisitorError("Unknown file.")
        message = (
            self.env["livechat.message"]
            .sudo()
            .search(
                [("attachment_ids", "=", attachment_id), ("channel", "=", "website")],
                limit=1,
            )
        )
        account = message.session_id.account_id
        if (
            not message
            or account.channel != "website"
            or not hmac.compare_digest(
                visitor.file_signature(
                    self._secret(), account.external_id, attachment_id
                ),
                signature,
            )
        ):
            raise visitor.VisitorError("Unknown file.")
        return message.attachment_ids.filtered(lambda a: a.id == attachment_id)

    @api.model
    def _poll_channel(self, token):
        return self._channel_of(visitor.account_id(self._check_token(token)))

    # Helpers -----------------------------------------------------------------

    def _history(self, chat, token, before_id=None):
        domain = [
            ("session_id.entry_chat_id", "=", chat.id),
            ("channel", "=", "website"),
            ("session_id.account_id.external_id", "=", visitor.account_id(token)),
            ("session_id.account_id.channel", "=", "website"),
            # The staff's internal notes never reach the visitor.
            ("direction", "in", ("in", "out")),
        ]
        if before_id:
            domain.append(("id", "<", before_id))
        messages = (
            self.env["livechat.message"]
            .sudo()
            .search(domain, order="date desc, id desc", limit=HISTORY_PAGE)
        )
        return [self._format(chat, message) for message in reversed(messages)]

    @api.model
    def _visitor_rate(self, key, token, message_id, value, comment=None):
        """The visitor answers the rating question ``message_id`` of their
        conversation (a face, and a comment or None). Only a question asked
        of this visitor's account in this chat is answered."""
        chat = self._chat(key)
        token = self._check_token(token)
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            raise visitor.VisitorError("message_id must be a message id.")
        question = (
            self.env["livechat.message"]
            .sudo()
            .search(
                [
                    ("id", "=", message_id),
                    ("is_rating_request", "=", True),
                    ("session_id.entry_chat_id", "=", chat.id),
                    ("session_id.channel", "=", "website"),
                    (
                        "session_id.account_id.external_id",
                        "=",
                        visitor.account_id(token),
                    ),
                ],
                limit=1,
            )
        )
        if not question:
            raise visitor.VisitorError("Unknown rating question.")
        try:
            question.session_id._rate(value, comment)
        except UserError as error:
            raise visitor.VisitorError(error.name)
        return {"message": self._format(chat, question)}

    @staticmethod
    def _author(chat, message):
        """Who the visitor sees writing ``message``: nobody for their own,
        else the operator (if the chat shows their names) or the chat."""
        if message.direction == "in":
            return None
        if chat.show_operator_name and message.author_user_id:
            return message.author_user_id.name
        return chat.name

    @api.model
    def _format(self, chat, message):
        result = {
            "id": message.id,
            "direction": message.direction,
            "author": self._author(chat, message),
            "body": message.body,
            "text": html2plaintext(message.body or "").strip(),
            "date": message.date,
            "attachments": [
                self._format_file(message, attachment)
                for attachment in message.attachment_ids.sudo()
            ],
        }
        if message.is_rating_request:
            # The window shows the answers under the question, the one given
            # chosen, while the visitor may still rate.
            session = message.session_id.sudo()
            result["rating"] = {
                "value": session.rating or None,
                "comment": session.rating_comment or "",
                "open": session._rating_open(),
                "choices": [
                    {"value": value, "label": label}
                    for value, label in session._rating_labels()
                ],
            }
        return result

    def _format_file(self, message, attachment):
        """A file as the visitor's window shows it: its name, whether it is
        a picture shown inline, and its address (see :meth:`file`)."""
        account = message.session_id.account_id
        return {
            "name": attachment.datas_fname or attachment.name,
            "image": attachment.mimetype in visitor.INLINE_TYPES,
            "url": "/livechat/visitor/file/%d/%s"
            % (
                attachment.id,
                visitor.file_signature(
                    self._secret(), account.external_id, attachment.id
                ),
            ),
        }

    def _notify_visitor(self, message):
        """A reply to a website visitor, on their bus channel."""
        chat = message.session_id._way_in()
        channel = self._channel_of(message.session_id.account_id.external_id)
        self.env["bus.bus"].sendone(
            channel,
            {
                "type": "livechat.visitor_message",
                "message": self._format(chat, message),
            },
        )

    def _open_session(self, chat, token):
        """The visitor's open session in ``chat`` (sudo; may be empty)."""
        return self.env["livechat.session"].search(
            [
                ("entry_chat_id", "=", chat.id),
                ("channel", "=", "website"),
                ("account_id.external_id", "=", visitor.account_id(token)),
                ("state", "!=", "closed"),
            ],
            limit=1,
        )

    def _away(self, chat, token):
        """Why nobody can answer the visitor now (``livechat.chat.
        _availability``), or None. A conversation already going on goes
        on: its operator answers it."""
        if visitor.well_formed(token) and self._open_session(chat, token):
            return None
        return chat._availability()

    def _account_email(self, external_id):
        account = self.env["livechat.account"].search(
            [("channel", "=", "website"), ("external_id", "=", external_id)], limit=1
        )
        return account.email

    def _email_reply(self, message):
        """A reply to a visitor who left a message while nobody could
        answer: by email too (they may have closed the page). Queued in
        Odoo's outgoing mail (its mail server and queue)."""
        session = message.session_id
        account = session.account_id
        if message.is_rating_request or not (session.answer_by_email and account.email):
            return None
        chat = session._way_in()
        body = "<p>%s</p>%s<p>%s</p>" % (
            html_escape(_("%s answered your message:") % chat.name),
            message.body,
            html_escape(_("You can also answer in the chat window of our website.")),
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": _("%s: an answer to your message") % chat.name,
                    "email_from": self._email_from(chat),
                    "email_to": account.email,
                    "body_html": body,
                    "auto_delete": True,
                }
            )
        )

    def _email_from(self, chat):
        """Who the emails to a website visitor come from: the chat's
        connected inbox, or the company."""
        sender = self.env["livechat.connector"]._connector_for("email", chat)
        if sender and sender.state == "connected":
            return sender.email_address
        return self.env.user.company_id.email

    @api.model
    def _visitor_transcript(self, key, token, email, tz, ip):
        """Email the visitor's latest conversation in ``chat`` to ``email``
        (in the time zone ``tz`` of their browser, or the chat's). Only a
        conversation someone answered, and at most TRANSCRIPT_LIMIT an hour
        per visitor: the address is whatever the visitor types."""
        chat = self._chat(key)
        token = self._check_token(token)
        _name, email = visitor.clean_profile(None, email)
        if not email:
            raise visitor.VisitorError(_("Which email address should we send it to?"))
        session = self.env["livechat.session"].search(
            [
                ("entry_chat_id", "=", chat.id),
                ("channel", "=", "website"),
                ("account_id.external_id", "=", visitor.account_id(token)),
            ],
            order="id desc",
            limit=1,
        )
        messages = session.message_ids.filtered(
            lambda m: m.direction in ("in", "out")
        ).sorted(lambda m: (m.date, m.id))
        if not any(m.direction == "out" for m in messages):
            raise visitor.VisitorError(
                _("The conversation can be sent by email once we have answered.")
            )
        if not self.env["livechat.visitor.rate"]._hit(
            [
                ("transcript:%s" % visitor.account_id(token), TRANSCRIPT_LIMIT),
                ("transcript-ip:%s" % ip, TRANSCRIPT_IP_LIMIT),
            ],
            window_seconds=3600,
        ):
            raise visitor.VisitorError(
                _("The conversation was sent several times already: try again later.")
            )
        zone = pytz.timezone(
            tz
            if isinstance(tz, str) and tz in pytz.all_timezones_set
            else chat.tz or "UTC"
        )
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        rows = []
        for message in messages:
            author = self._author(chat, message) or _("You")
            when = (
                pytz.utc.localize(fields.Datetime.from_string(message.date))
                .astimezone(zone)
                .strftime("%Y-%m-%d %H:%M")
            )
            text = html_escape(html2plaintext(message.body or "").strip()).replace(
                "\n", "<br/>"
            )
            files = "".join(
                '<br/><a href="%s">%s</a>'
                % (
                    html_escape(base.rstrip("/") + item["url"]),
                    html_escape(item["name"] or ""),
                )
                for item in (
                    self._format_file(message, attachment)
                    for attachment in message.attachment_ids.sudo()
                )
            )
            rows.append(
                '<p><b>%s</b> <span style="color:#888">%s</span><br/>%s%s</p>'
                % (html_escape(author), when, text, files)
            )
        self.env["mail.mail"].sudo().create(
            {
                "subject": _("Your conversation with %s") % chat.name,
                "email_from": self._email_from(chat),
                "email_to": email,
                "body_html": '<p>%s</p>%s<p style="color:#888">%s</p>'
                % (
                    html_escape(
                        _("Your conversation with %s, as you asked in the chat.")
                        % chat.name
                    ),
                    "".join(rows),
                    html_escape(_("Times are in %s.") % zone.zone),
                ),
                "auto_delete": True,
            }
        )
        return {"said": _("The conversation was sent to %s.") % email}

    def _notify_visitor_typing(self, session):
        """The visitor's window shows that a reply is being written."""
        channel = self._channel_of(session.account_id.external_id)
        self.env["bus.bus"].sendone(
            channel,
            {
                "type": "livechat.visitor_typing",
                "session_id": session.id,
                "at": time.time(),
            },
        )

    @api.model
    def _visitor_typing(self, key, token, ip):
        """The visitor is writing: the staff of their open session see it
        (nothing when they have none yet). At most TYPING_LIMIT a minute per
        visitor and POLL_LIMIT per address; past them, quietly not told."""
        chat = self._chat(key)
        token = self._check_token(token)
        external_id = visitor.account_id(token)
        if not self.env["livechat.visitor.rate"]._hit(
            [
                ("typing:%s" % external_id, TYPING_LIMIT),
                ("typing-ip:%s" % ip, POLL_LIMIT),
            ]
        ):
            return {"shown": False}
        session = self._open_session(chat, token)
        if not session:
            return {"shown": False}
        session._notify_presence(
            {"customer": True, "name": session.account_id.name, "state": "typing"}
        )
        return {"shown": True}

    def _notify_visitor_closed(self, session):
        """The visitor's window says the conversation ended (their next
        message starts a new session)."""
        channel = self._channel_of(session.account_id.external_id)
        self.env["bus.bus"].sendone(
            channel, {"type": "livechat.visitor_closed", "session_id": session.id}
        )

    @api.model
    def _widget_config(self, chat, base_url):
        links = []
        bot = chat.telegram_connector_ids.filtered(
            lambda c: c.state == "connected" and c.bot_username
        )[:1]
        if bot:
            links.append(
                {"label": "Telegram", "url": "https://t.me/%s" % bot.bot_username}
            )
        number = chat.whatsapp_connector_ids.filtered(
            lambda c: c.state == "connected" and c.public_number
        )[:1]
        if number:
            digits = "".join(ch for ch in number.public_number if ch.isdigit())
            links.append({"label": "WhatsApp", "url": "https://wa.me/%s" % digits})
        inbox = chat.email_connector_ids.filtered(lambda c: c.state == "connected")[:1]
        if inbox:
            links.append({"label": "Email", "url": "mailto:%s" % inbox.email_address})
        return json.dumps(
            {
                "url": base_url.rstrip("/"),
                "key": chat.website_key,
                "title": chat.website_title or chat.name,
                "welcome": chat.website_welcome or "",
                "color": chat._website_color(),
                "askProfile": bool(chat.website_ask_profile),
                "links": links if chat.website_offer_channels else [],
                "maxLength": visitor.MAX_VISITOR_BODY,
                "maxFile": visitor.MAX_VISITOR_FILE,
                "rules": chat.website_rule_ids._config(),
                "otherPages": chat.website_other_pages or "show",
            }
        )
