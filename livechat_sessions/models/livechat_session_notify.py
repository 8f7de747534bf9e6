# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Notifications of a session: who follows it and what the bus carries of
it (bus.bus._livechat_notify writes and wakes)."""
import json
from html import escape as html_escape

from odoo import _, models, tools


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    @staticmethod
    def _audience(values):
        """Who follows a session (``values`` as :meth:`_bus_values` gives
        them): its operator, else its group, else the chat's operators; and
        always the chat's supervisors. Keyword arguments of
        ``bus.bus._livechat_notify``."""
        if values["operator_id"]:
            return {"chat_id": values["chat_id"], "user_id": values["operator_id"]}
        if values["group_id"]:
            return {"chat_id": values["chat_id"], "group_id": values["group_id"]}
        return {"chat_id": values["chat_id"], "operators": True}

    def _bus_values(self):
        self.ensure_one()
        return {
            "session_id": self.id,
            "chat_id": self.chat_id.id,
            "name": self.name,
            "session_state": self.state,
            "operator_id": self.operator_id.id,
            "group_id": self.group_id.id,
            "is_spam": self.is_spam,
        }

    def _notify_staff(self, kind, message_values=None, values=None, audience=None):
        """Wake the people concerned by a session event (one INSERT).

        ``message_values``: the message as :meth:`livechat.message._to_bus`
        gives it, for events that carry one; ``values``: the session as
        :meth:`_bus_values` gives it, when the caller already holds them;
        ``audience``: keyword arguments of ``bus.bus._livechat_notify`` in
        place of the default (the session's followers for a message, the
        chat's whole staff for other events).
        """
        values = values or self._bus_values()
        payload = dict(values, type=kind)
        if message_values:
            payload["message"] = message_values
        Bus = self.env["bus.bus"]
        if kind == "livechat.message":
            Bus._livechat_notify(payload, **(audience or self._audience(values)))
        else:
            # The queue counters of the chat's whole team may have moved:
            # the payload's "queued" is counted by the notifying statement.
            self.env["livechat.chat"].invalidate_cache(
                ["queued_count", "active_count"], [values["chat_id"]]
            )
            Bus._livechat_notify(
                payload,
                queued_of=values["chat_id"],
                **(audience or {"chat_id": values["chat_id"], "operators": True}),
            )

    # Inbox --------------------------------------------------------------------

    def _inbox_new(self, values):
        """A customer opened this session (``values`` as :meth:`_bus_values`
        gives them, after routing): whoever it went to learns of it (the
        operator routing gave it to, the group's members, else every
        operator of the chat)."""
        if values["operator_id"]:
            users = self.env["res.users"].browse(values["operator_id"])
            return self._inbox_notify("assigned", users=users, values=values)
        groups = self.env["res.groups"].browse(values["group_id"] or [])
        return self._inbox_notify(
            "new", groups=groups, chat_operators=not groups, values=values
        )

    def _inbox_notify(
        self, kind, users=None, groups=None, by=None, chat_operators=False, values=None
    ):
        """Tell people of a session event in Discuss's Inbox, with a link
        that opens the session in the workspace: ``kind`` is new, assigned
        (to ``users`` or ``groups``; ``by`` who did, None for routing) or
        closed (``by`` who did). The recipients: ``users``, the members of
        ``groups`` and, with ``chat_operators``, of the chat's operator
        groups; never ``by``, nor a user who muted the chat
        (res.users.livechat_muted_chat_ids). ``values``: the session as
        :meth:`_bus_values` gives them, when the caller holds them.

        One statement writes the notification message, its "need action"
        rows and the Inbox's live updates (what ``mail.message.create`` and
        its notifying would, in 20 queries more, on the way in of every new
        session): a heads-up inside Odoo, never an email. The live update
        carries the message as ``mail.message.message_format`` gives it
        (a test compares them)."""
        self.ensure_one()
        values = values or self.sudo()._bus_values()
        if values["is_spam"]:
            return 0
        chat = self.env["livechat.chat"].sudo().browse(values["chat_id"])
        link = (
            '<a href="/web#action=livechat_workspace&amp;chat_id=%d&amp;session_id=%d">'
            "%s</a>" % (chat.id, self.id, html_escape(values["name"] or ""))
        )
        assignee = users or groups
        names = {
            "session": link,
            "chat": html_escape(chat.name or ""),
            "to": html_escape(", ".join(assignee.mapped("name")) if assignee else ""),
            "by": html_escape(by.name if by else ""),
        }
        if kind == "new":
            text = _("New session %(session)s in %(chat)s.")
        elif kind == "assigned" and by:
            text = _("%(by)s assigned session %(session)s to %(to)s.")
        elif kind == "assigned":
            text = _("Session %(session)s in %(chat)s was assigned to %(to)s.")
        else:
            text = _("%(by)s closed session %(session)s.")
        author = by.partner_id if by else self.env["res.partner"]
        message = {
            "model": self._name,
            "res_id": self.id,
            "record_name": values["name"],
            "message_type": "notification",
            "subject": chat.name,
            "body": "<p>%s</p>" % (text % names),
            # Shown as the author where no one acted (a customer, routing).
            "email_from": author.name or chat.name,
        }
        formatted = dict(
            message,
            # As message_format gives them: (0, email_from) without author.
            author_id=(
                [author.id, author.name_get()[0][1]]
                if author
                else [0, message["email_from"]]
            ),
            attachment_ids=[],
            channel_ids=[],
            partner_ids=[],
            starred_partner_ids=[],
            tracking_value_ids=[],
            customer_email_data=[],
            customer_email_status="sent",
            is_note=False,
            subtype_id=False,
            subtype_description=False,
            module_icon="/livechat_sessions/static/description/icon.png",
        )
        self.env.cr.execute(
            """WITH recipients AS (
                   SELECT DISTINCT u.partner_id FROM res_users u
                   WHERE u.active AND u.partner_id IS NOT NULL AND u.id <> %(by)s
                     AND (u.id = ANY(%(users)s) OR u.id IN (
                          SELECT uid FROM res_groups_users_rel
                          WHERE gid = ANY(%(groups)s) OR gid IN (
                              SELECT group_id
                              FROM livechat_chat_operator_group_rel
                              WHERE chat_id = %(chat)s AND %(chat_operators)s)))
                     AND NOT EXISTS (
                          SELECT 1 FROM livechat_chat_muted_user_rel m
                          WHERE m.user_id = u.id AND m.chat_id = %(chat)s)
               ), message AS (
                   INSERT INTO mail_message
                       (model, res_id, record_name, message_type, subject, body,
                        email_from, author_id, date, message_id,
                        create_uid, create_date, write_uid, write_date)
                   SELECT %(model)s, %(res_id)s, %(record_name)s, %(message_type)s,
                          %(subject)s, %(body)s, %(email_from)s, %(author)s,
                          now() AT TIME ZONE 'UTC', %(message_id)s,
                          %(uid)s, now() AT TIME ZONE 'UTC',
                          %(uid)s, now() AT TIME ZONE 'UTC'
                   WHERE EXISTS (SELECT 1 FROM recipients)
                   RETURNING id, date
               ), needaction AS (
                   INSERT INTO mail_message_res_partner_needaction_rel
                       (mail_message_id, res_partner_id, is_read, is_email,
                        email_status)
                   SELECT message.id, r.partner_id, false, false, 'ready'
                   FROM message, recipients r
               )
               INSERT INTO bus_bus (channel, message, create_date, write_date)
               SELECT %(prefix)s || ',' || r.partner_id || ']',
                      (%(formatted)s::jsonb || jsonb_build_object(
                          'id', message.id,
                          'date', to_char(message.date, 'YYYY-MM-DD HH24:MI:SS'),
                          'needaction_partner_ids',
                          (SELECT jsonb_agg(partner_id ORDER BY partner_id)
                           FROM recipients)))::text,
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
               FROM message, recipients r
               RETURNING channel""",
            dict(
                message,
                chat_operators=bool(chat_operators),
                by=by.id if by else 0,
                users=(users.ids if users else []) or [0],
                groups=(groups.ids if groups else []) or [0],
                chat=chat.id,
                author=author.id or None,
                message_id=tools.generate_tracking_message_id("livechat-inbox"),
                uid=self.env.uid,
                prefix=json.dumps(
                    [self.env.cr.dbname, "ir.needaction"], separators=(",", ":")
                )[:-1],
                formatted=json.dumps(formatted),
            ),
        )
        channels = [row[0] for row in self.env.cr.fetchall()]
        self.env["bus.bus"]._livechat_wake(channels)
        return len(channels)

    def _notify_presence(self, presence):
        """Who is in the session's conversation (``presence``: ``user_id``,
        ``name``, ``state``; ``customer`` when it is the customer typing),
        to the session's followers (``livechat.presence``)."""
        self.ensure_one()
        values = self._bus_values()
        self.env["bus.bus"]._livechat_notify(
            dict(values, type="livechat.presence", presence=presence),
            **self._audience(values),
        )

    def _tell_customer_typing(self):
        """Show the customer that someone is typing a reply, where their
        channel can (livechat_channels: the website chat, the employees'
        chat, Telegram's chat action). Returns whether it was shown."""
        return False
