# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer satisfaction: when a session closes, its chat may ask the
customer to rate it; each channel shows the question its own way (faces in
the website chat, Telegram's inline buttons, WhatsApp's reply buttons,
links in an email) and hands the answer to :meth:`_rate_by_token`.

The request is a message of the conversation (``is_rating_request``): it
leaves through the channel's delivery like a reply, in order after the
closing message, retried while the provider is away, and never counts as a
reply in the reports. The customer may rate, or change their mind, for
RATING_DAYS after it; a rating that turns bad starts the chat's "low
rating" processes once.
"""
import datetime
import secrets

import psycopg2

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..engine import rating as rating_engine


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    rating = fields.Selection(
        [(value, label) for value, label, _face in rating_engine.RATINGS],
        readonly=True,
        copy=False,
        help="What the customer answered when asked to rate the session.",
    )
    rating_score = fields.Integer(
        "Satisfaction (%)",
        readonly=True,
        copy=False,
        group_operator="avg",
        help="The rating as a percentage: good 100, okay 50, bad 0.",
    )
    rating_comment = fields.Text(readonly=True, copy=False)
    rating_date = fields.Datetime("Rated On", readonly=True, copy=False)
    rating_requested_date = fields.Datetime(
        "Rating Asked On", readonly=True, copy=False
    )
    # The secret naming the session in the rating's links and buttons: the
    # customer's channel has it, the staff never see it (they would rate
    # for the customer).
    rating_token = fields.Char(
        readonly=True, copy=False, index=True, groups="base.group_system"
    )

    def _request_rating(self):
        """Ask the customer of this just closed session to rate it, when its
        chat asks and its channel can (never spam, never a session whose
        customer never wrote, never when the channel cannot take a message
        now: WhatsApp's 24-hour window). Returns the request message, or an
        empty recordset."""
        self.ensure_one()
        session = self.sudo()
        Message = self.env["livechat.message"]
        chat = session.chat_id
        if (
            not chat.rating_enabled
            # An employee's chat with colleagues is not rated: the channels
            # that ask say so (livechat.chat._livechat_channels).
            or not chat._livechat_channels().get(session.channel, {}).get("rated")
            or session.is_spam
            or session.rating_requested_date
            or not Message.sudo().search_count(
                [("session_id", "=", session.id), ("direction", "=", "in")]
            )
        ):
            return Message.browse()
        try:
            with self.env.cr.savepoint():
                self._check_channel_takes_reply()
                session.write(
                    {
                        "rating_requested_date": fields.Datetime.now(),
                        "rating_token": secrets.token_urlsafe(24),
                    }
                )
                return Message._post_rating_request(
                    session, chat.rating_question or _("How would you rate our help?")
                )
        except UserError:
            # The channel cannot carry it now: the session is closed all
            # the same, unrated.
            return Message.browse()

    def _rating_labels(self):
        """The answers' labels, each with its face, in the current
        language: what buttons and links show."""
        labels = dict(self._fields["rating"]._description_selection(self.env))
        return [
            (value, "%s %s" % (face, labels[value]))
            for value, _label, face in rating_engine.RATINGS
        ]

    def _rate_by_token(self, token, value, comment=None):
        """The customer holding the session's rating ``token`` rates it
        (``comment``: None keeps the one given before). Returns the session
        (sudo).

        :raises UserError: an unknown token, a bad value or comment, or a
            session whose time to rate is over
        """
        session = self._for_rating_token(token)
        session._rate(value, comment)
        return session

    def _for_rating_token(self, token):
        """The session (sudo) whose rating ``token`` this is.

        :raises UserError: no session has it
        """
        if not isinstance(token, str) or not 20 <= len(token) <= 48:
            raise UserError(_("This rating link is not valid."))
        session = self.sudo().search([("rating_token", "=", token)], limit=1)
        if not session:
            raise UserError(_("This rating link is not valid."))
        return session

    def _rating_open(self):
        """Whether the customer may still rate this session (or change
        their rating): closed, asked, and not longer ago than RATING_DAYS."""
        self.ensure_one()
        session = self.sudo()
        if session.state != "closed" or not session.rating_requested_date:
            return False
        asked = fields.Datetime.from_string(session.rating_requested_date)
        return datetime.datetime.utcnow() - asked <= datetime.timedelta(
            days=rating_engine.RATING_DAYS
        )

    def _rate(self, value, comment=None):
        """Record the customer's rating of this session (the caller proved
        it is the customer: the visitor's token, the link's or button's
        secret). Settled by one UPDATE that also returns the rating before
        it: a bad rating starts the chat's "low rating" processes once, even
        when the same button is pressed on two phones at once."""
        self.ensure_one()
        try:
            value, comment = rating_engine.check(value, comment)
        except rating_engine.RatingError as error:
            raise UserError(str(error))
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """UPDATE livechat_session s
                       SET rating = %(value)s, rating_score = %(score)s,
                           rating_comment = CASE WHEN %(comment)s::text IS NULL
                               THEN s.rating_comment ELSE %(comment)s END,
                           rating_date = now() AT TIME ZONE 'UTC'
                       FROM (SELECT id, rating FROM livechat_session
                             WHERE id = %(id)s FOR UPDATE) AS before
                       WHERE s.id = before.id AND s.state = 'closed'
                         AND s.rating_requested_date >= (now() AT TIME ZONE 'UTC')
                             - make_interval(days => %(days)s)
                       RETURNING before.rating""",
                    {
                        "value": value,
                        "score": rating_engine.SCORES[value],
                        "comment": comment,
                        "id": self.id,
                        "days": rating_engine.RATING_DAYS,
                    },
                    log_exceptions=False,
                )
                row = self.env.cr.fetchone()
        except psycopg2.extensions.TransactionRollbackError:
            raise UserError(_("Your rating crossed another one: send it again."))
        self.invalidate_cache(
            ["rating", "rating_score", "rating_comment", "rating_date"], self.ids
        )
        if not row:
            raise UserError(
                _("This conversation can no longer be rated: thank you all the same.")
            )
        session = self.sudo()
        session._notify_staff(
            "livechat.session_rated", audience=session._audience(session._bus_values())
        )
        if value == "bad" and row[0] != "bad":
            self._run_processes("rated_low")
        return True
