# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading and answering one session's conversation from the web client:
the server side of ``livechat_sessions.Conversation``, shared by the
operator workspace and the Live Chat Messages widget (livechat_widget).

Everything runs with the caller's rights: a session is shown only if the
record rules let the caller read it, and replies go through
``livechat.session.reply`` and its checks. Pages are bounded, so the number
of queries does not grow with the number of messages.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

#: Messages per page in the chat window (the chatter's page is 25).
MESSAGE_PAGE = 30


class LivechatConversation(models.AbstractModel):
    _name = "livechat.conversation"
    _description = "Live Chat Conversation"

    @api.model
    def _no_access_reason(self):
        if not self.env.user.has_group("livechat_sessions.group_livechat_reader"):
            return _("Live chat conversations are shown to the operators, "
                     "supervisors and readers of a live chat. Ask your "
                     "administrator for a role in Live Chats.")
        return None

    @api.model
    def _id(self, value, what):
        """``value`` as a record id, or a clear error (RPC input)."""
        try:
            value = -1 if isinstance(value, bool) and value else int(value or 0)
        except (TypeError, ValueError):
            value = -1
        if value < 0:
            raise ValidationError(_("Invalid %s id.") % what)
        return value

    @api.model
    def _readable(self, model_name, res_id, what):
        """The record, checked readable by the caller (access rights and
        record rules)."""
        record = self.env[model_name].browse(self._id(res_id, what)).exists()
        if not record:
            raise ValidationError(_("This %s does not exist (any more).") % what)
        record.check_access_rights("read")
        record.check_access_rule("read")
        return record

    @api.model
    def _session(self, session_id):
        return self._readable("livechat.session", session_id, "session")

    @api.model
    def _format_sessions(self, sessions):
        rows = sessions.read([
            "name", "state", "chat_id", "channel", "operator_id",
            "last_message_date", "unread_count", "account_id", "priority",
            "is_spam", "first_message_date",
        ])
        for row in rows:
            for key in ("chat_id", "operator_id", "account_id"):
                row[key] = row[key] and row[key][1]
        return rows

    @api.model
    def messages(self, session_id, before_id=0, limit=MESSAGE_PAGE,
                 mark_seen=False):
        """One page of a session's conversation, newest last: its messages
        and, above them, the earlier sessions of the same account in the same
        live chat (its history), bound to the record or not.

        The caller must be able to read the session (record rules). The
        history is then read as superuser: whoever may read a customer's
        session in a chat (its operator, the chat's supervisors and readers)
        may read what that customer wrote to the chat before.
        """
        reason = self._no_access_reason()
        if reason:
            raise AccessError(reason)
        session = self._session(session_id)
        limit = max(1, min(self._id(limit, "page size") or MESSAGE_PAGE, 100))
        before_id = self._id(before_id, "message")
        system = session.sudo()
        self.env.cr.execute(
            """SELECT m.id FROM livechat_message m
               JOIN livechat_session s ON s.id = m.session_id
               WHERE s.chat_id = %(chat)s AND s.account_id = %(account)s
                 AND (s.id = %(session)s OR (
                      s.state = 'closed' AND NOT s.is_spam
                      AND s.first_message_date <= %(since)s))
                 AND (%(before)s = 0 OR m.id < %(before)s)
               ORDER BY m.id DESC LIMIT %(limit)s""",
            {"chat": system.chat_id.id, "account": system.account_id.id,
             "session": system.id, "before": before_id, "limit": limit + 1,
             "since": system.first_message_date or fields.Datetime.now()})
        ids = [row[0] for row in self.env.cr.fetchall()]
        has_more = len(ids) > limit
        messages = self.env["livechat.message"].sudo().browse(
            sorted(ids[:limit]))
        if mark_seen:
            # The caller opened the conversation (a click, not the form
            # loading in the background): they have seen it.
            session.action_mark_seen()
        can_reply, why_not = self._can_reply(session)
        return {
            "session": dict(self._format_sessions(session)[0],
                            can_reply=can_reply, reply_reason=why_not),
            "messages": self._format_messages(messages),
            "has_more": has_more,
        }

    @api.model
    def _format_messages(self, messages):
        """Plain dicts for the conversation view, in a fixed number of
        queries whatever the number of messages."""
        rows = messages.read([
            "session_id", "direction", "author_user_id", "author_account_id",
            "date", "body", "attachment_ids", "quote_id", "channel",
            "delivery_state",
        ])
        attachments = {
            a["id"]: a for a in messages.mapped("attachment_ids").read(
                ["name", "datas_fname", "mimetype", "file_size"])
        }
        quotes = {q.id: q for q in messages.mapped("quote_id")}
        for row in rows:
            author = (row["author_account_id"] if row["direction"] == "in"
                      else row["author_user_id"])
            row["author"] = author and author[1] or ""
            row["session_name"] = row["session_id"][1]
            row["session_id"] = row["session_id"][0]
            row["attachments"] = [attachments[i] for i in row.pop("attachment_ids")
                                  if i in attachments]
            quote = row["quote_id"] and quotes.get(row["quote_id"][0])
            row["quote"] = quote and {
                "id": quote.id,
                "author": (quote.author_account_id.name if quote.direction == "in"
                           else quote.author_user_id.name),
                "text": html2plaintext(quote.body or "")[:200],
            }
            del row["quote_id"], row["author_user_id"], row["author_account_id"]
        return rows

    @api.model
    def _can_reply(self, session):
        """Whether the caller may reply in ``session`` from the widget, and
        why not: the same checks ``livechat.session.reply`` makes."""
        try:
            if session.state == "queued":
                # Replying takes a queued session: any operator of the chat.
                session._check_staff()
            else:
                session._check_responsible()
        except (AccessError, UserError) as error:
            return False, error.name
        return True, None

    @api.model
    def reply(self, session_id, body, attachment_ids=None, quote_id=None):
        """The responsible operator's reply; returns the stored message as the
        conversation view shows it. The checks are ``livechat.session.reply``'s
        own."""
        session = self._session(session_id)
        message = session.reply(body, attachment_ids=attachment_ids,
                                quote_id=quote_id)
        return self._format_messages(message.sudo())[0]
