# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Replies written now and sent later ("Send later").

An operator schedules a reply for a date and time; until it leaves, its
author (or a supervisor of the chat) may change its text or time, or cancel
it. It leaves through a queue job whose ETA is the time set, on whichever
server's runner takes it.

It leaves once: the job turns the row from ``scheduled`` to ``sent`` with
one conditional UPDATE (on a row still scheduled and due) in the same
transaction that stores the reply, so a second run of the job, a job left
from an earlier time (the time was changed: a new job is queued, the old
one finds it not due), or an edit or a cancellation racing the job, each
see the row's final state; PostgreSQL settles which came first. A reply
whose session closed, or whose channel does not take it at that time
(WhatsApp's 24-hour window), or whose author no longer operates the chat,
does not leave: it is marked failed with the reason, and the staff see it.

Nobody reads this model over RPC (its access list grants nothing): the
conversation shows the rows (``livechat.conversation.messages``) and the
methods of ``livechat.session`` change them, with the session's checks.
"""

import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.livechat_sessions.engine import text
from odoo.addons.queue_job.job import job

from .livechat_message import JOB_CHANNEL

#: How far ahead a reply may be scheduled.
MAX_DAYS = 365


class LivechatScheduledReply(models.Model):
    _name = "livechat.scheduled.reply"
    _description = "Live Chat Scheduled Reply"
    _order = "send_at, id"

    session_id = fields.Many2one(
        "livechat.session", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", "Author", required=True, ondelete="cascade")
    body = fields.Text(required=True)
    send_at = fields.Datetime("Send at", required=True, index=True)
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("sent", "Sent"),
            ("cancelled", "Cancelled"),
            ("failed", "Not sent"),
        ],
        default="scheduled",
        required=True,
        index=True,
    )
    error = fields.Char("Why it was not sent")
    message_id = fields.Many2one("livechat.message", "Sent as", ondelete="set null")

    @api.model
    def _checked_values(self, body, send_at):
        """The ``body`` and ``send_at`` (UTC, "YYYY-MM-DD HH:MM:SS") a client
        sent, checked: text that a reply may carry, a time in the future
        and less than :data:`MAX_DAYS` ahead."""
        if not isinstance(body, str) or not body.strip():
            raise ValidationError(_("Write the reply to send later."))
        try:
            text.to_html(body, "text")
        except text.BodyError as error:
            raise ValidationError(str(error))
        if not isinstance(send_at, str):
            raise ValidationError(_("Choose when to send the reply."))
        try:
            when = fields.Datetime.from_string(send_at)
        except ValueError:
            raise ValidationError(_("%s is not a date and time.") % send_at[:40])
        now = datetime.datetime.utcnow()
        if when <= now:
            raise ValidationError(_("Choose a time in the future."))
        if when > now + datetime.timedelta(days=MAX_DAYS):
            raise ValidationError(
                _("A reply can be scheduled up to %d days ahead.") % MAX_DAYS
            )
        return {"body": body, "send_at": fields.Datetime.to_string(when)}

    def _queue(self):
        """Queue the job that sends this reply at its time."""
        self.ensure_one()
        self.with_delay(
            channel=JOB_CHANNEL,
            eta=fields.Datetime.from_string(self.send_at),
            description=_("Send the scheduled reply %s of %s")
            % (self.id, self.session_id.name),
        )._send_job()

    def _change(self, values):
        """Apply ``values`` to this reply if it has not left yet (one
        conditional UPDATE); raise a clear error if it has."""
        self.ensure_one()
        sets = ", ".join("%s = %%(%s)s" % (name, name) for name in values)
        self.env.cr.execute(
            """UPDATE livechat_scheduled_reply
               SET %s, write_uid = %%(uid)s, write_date = now() AT TIME ZONE 'UTC'
               WHERE id = %%(id)s AND state = 'scheduled'
               RETURNING id"""
            % sets,
            dict(values, uid=self.env.uid, id=self.id),
            # Racing the job that sends it: Odoo retries the call.
            log_exceptions=False,
        )
        changed = bool(self.env.cr.fetchone())
        self.invalidate_cache(ids=self.ids)
        if not changed:
            raise UserError(
                _("This reply is no longer scheduled: it is %s.")
                % dict(self._fields["state"].selection)[self.state].lower()
            )
        self._notify()

    def _notify(self):
        """The session's open conversations read the scheduled replies
        again (``livechat.conversation_changed``: they read the
        conversation again)."""
        session = self.sudo().session_id
        values = session._bus_values()
        self.env["bus.bus"]._livechat_notify(
            dict(values, type="livechat.conversation_changed"),
            **session._audience(values),
        )

    @job(default_channel=JOB_CHANNEL)
    def _send_job(self):
        """Send this reply if it is still scheduled and due (a job)."""
        self.ensure_one()
        self.env.cr.execute(
            """UPDATE livechat_scheduled_reply SET state = 'sent'
               WHERE id = %s AND state = 'scheduled'
                 AND send_at <= now() AT TIME ZONE 'UTC'
               RETURNING id""",
            (self.id,),
            # Two runs at once: the second waits, then fails to serialize
            # and queue_job runs it again later (it then finds it sent).
            log_exceptions=False,
        )
        if not self.env.cr.fetchone():
            return "Nothing to do: the reply is not due or not scheduled any more."
        scheduled = self.sudo()
        scheduled.invalidate_cache(ids=scheduled.ids)
        author = scheduled.user_id
        session = scheduled.session_id.sudo(author)
        try:
            with self.env.cr.savepoint():
                chat = session.sudo().chat_id
                if not (chat._is_operator(author) or chat._is_supervisor(author)):
                    raise UserError(
                        _("%s no longer operates live chat %s.")
                        % (author.name, chat.name)
                    )
                if session.sudo().state == "closed":
                    raise UserError(_("The session was closed."))
                session._check_channel_takes_reply()
                message = (
                    self.env["livechat.message"]
                    .sudo(author)
                    ._post_reply(session, scheduled.body)
                )
        except (UserError, ValidationError) as error:
            scheduled.write({"state": "failed", "error": error.name[:200]})
            scheduled._notify()
            return "Not sent: %s" % error.name
        scheduled.write({"message_id": message.id})
        scheduled._notify()
        return "Sent as message %s." % message.id

    def _rows(self, user):
        """The replies as the conversation shows them to ``user``."""
        return [
            {
                "id": reply.id,
                "body": reply.body,
                "send_at": reply.send_at,
                "state": reply.state,
                "error": reply.error or False,
                "author": reply.user_id.name,
                "mine": reply.user_id == user,
                "can_change": reply.user_id == user
                or reply.session_id.chat_id._is_supervisor(user),
            }
            for reply in self
        ]
