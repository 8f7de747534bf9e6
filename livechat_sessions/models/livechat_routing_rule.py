# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Routing rules: who gets a new session.

Rules of a live chat are tried in sequence on a session's first message; the
first whose conditions all hold decides. Without a matching rule the session
waits in the chat's queue for the first operator to take it (First Response).

    conditions                         action
    ----------                         ------
    channel                            target: a group or an operator
    account / contact (a domain)       strategy: queue (the group's queue),
    message text: contains, regex                round robin, least loaded
    time of day, weekday (chat's tz)   under each operator's capacity
    chat load (sessions in queue)      (maximum active sessions)

Picking an operator is settled by PostgreSQL: the chosen operator's row is
locked (an UPDATE of their last routing time) before their load is counted,
so two sessions arriving at once for the last free slot are serialized; the
second transaction fails with a serialization failure and, retried, sees the
first one's session.
"""
import re
from datetime import datetime

import pytz

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .livechat_chat import CHANNELS

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class LivechatRoutingRule(models.Model):
    _name = "livechat.routing.rule"
    _description = "Live Chat Routing Rule"
    _order = "chat_id, sequence, id"

    name = fields.Char(required=True)
    chat_id = fields.Many2one(
        "livechat.chat",
        string="Live Chat",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    # Conditions (empty = any)
    channel = fields.Selection(CHANNELS)
    account_domain = fields.Char(
        "Account Condition",
        help="A domain on the customer's account, e.g. "
        "[('partner_id.country_id.code', '=', 'BE')] or "
        "[('partner_id.customer', '=', True)].",
    )
    text_contains = fields.Char(
        "Message Contains",
        help="Words, ignoring case; any of them (comma " "separated) matches.",
    )
    text_regex = fields.Char("Message Matches", help="A Python regular expression.")
    hour_from = fields.Float("From", help="Time of day in the chat's time zone.")
    hour_to = fields.Float("To", help="0 and 0 (or 0 and 24): all day.")
    mon = fields.Boolean("Monday", default=True)
    tue = fields.Boolean("Tuesday", default=True)
    wed = fields.Boolean("Wednesday", default=True)
    thu = fields.Boolean("Thursday", default=True)
    fri = fields.Boolean("Friday", default=True)
    sat = fields.Boolean("Saturday", default=True)
    sun = fields.Boolean("Sunday", default=True)
    queue_min = fields.Integer(
        "Queue At Least",
        help="Only when at least this many sessions wait in "
        "the chat's queue (0: any).",
    )
    # Action
    group_id = fields.Many2one(
        "res.groups", string="To Group", help="One of the chat's operator groups."
    )
    user_id = fields.Many2one("res.users", string="To Operator")
    strategy = fields.Selection(
        [
            ("queue", "Queue of the group"),
            ("round_robin", "Round robin"),
            ("least_loaded", "Least loaded"),
        ],
        required=True,
        default="queue",
        help="Queue: the group's members see it in their queue, the first to "
        "take it wins. Round robin: the next Online member with room. Least "
        "loaded: the Online member with the fewest active sessions.",
    )
    last_user_id = fields.Many2one(
        "res.users",
        string="Last Routed To",
        readonly=True,
        help="Where round robin goes on from.",
    )

    #: What only live chat administrators write: a regular expression runs
    #: on every first message (a careless one can hang a worker) and an
    #: account condition is a domain. Supervisors, who manage their chats'
    #: routing, use the other conditions.
    ADMIN_FIELDS = ("text_regex", "account_domain")

    def _check_admin_fields(self, vals):
        """Supervisors write the rules of the chats they supervise, without
        the administrators' fields."""
        if not self.env["livechat.chat"]._configures(vals):
            raise AccessError(
                _("You write the routing rules of the live chats you supervise.")
            )
        if self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            "livechat_sessions.group_livechat_manager"
        ):
            return
        if any(vals.get(name) for name in self.ADMIN_FIELDS):
            raise AccessError(
                _(
                    "Only live chat administrators write a rule's regular "
                    "expression or account condition: use Message Contains, the "
                    "channel, the hours or the queue length."
                )
            )

    @api.model
    def create(self, vals):
        self._check_admin_fields(vals)
        return super(LivechatRoutingRule, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_admin_fields(vals)
        return super(LivechatRoutingRule, self).write(vals)

    @api.constrains(
        "text_regex", "account_domain", "group_id", "user_id", "hour_from", "hour_to"
    )
    def _check_rule(self):
        for rule in self:
            if rule.text_regex:
                try:
                    re.compile(rule.text_regex)
                except re.error as error:
                    raise ValidationError(_("Invalid regular expression: %s") % error)
            if rule.account_domain:
                try:
                    self.env["livechat.account"].search_count(
                        safe_eval(rule.account_domain)
                    )
                except Exception as error:  # pylint: disable=broad-except
                    # Any parse or field error: say it in the rule's terms.
                    raise ValidationError(_("Invalid account condition: %s") % error)
            if bool(rule.group_id) == bool(rule.user_id):
                raise ValidationError(
                    _("Rule %s routes to a group or to an operator.") % rule.name
                )
            if rule.group_id and rule.group_id not in rule.chat_id.operator_group_ids:
                raise ValidationError(
                    _("%s is not an operator group of %s.")
                    % (rule.group_id.name, rule.chat_id.name)
                )
            if rule.user_id and not (
                rule.chat_id._is_operator(rule.user_id)
                or rule.chat_id._is_supervisor(rule.user_id)
            ):
                # A session routed to anyone else would wait with nobody
                # able to answer it.
                raise ValidationError(
                    _("%s does not operate live chat %s.")
                    % (rule.user_id.name, rule.chat_id.name)
                )
            if not (0 <= rule.hour_from <= 24 and 0 <= rule.hour_to <= 24):
                raise ValidationError(_("Hours go from 0 to 24."))

    # Matching -----------------------------------------------------------------

    def _matches(self, session, text, now=None):
        """True when every condition of the rule holds for ``session``'s
        first message ``text`` (plain text), at ``now`` (UTC)."""
        self.ensure_one()
        if self.channel and self.channel != session.channel:
            return False
        if self.account_domain and not session.account_id.search_count(
            [("id", "=", session.account_id.id)] + safe_eval(self.account_domain)
        ):
            return False
        lowered = (text or "").lower()
        if self.text_contains and not any(
            word.strip().lower() in lowered
            for word in self.text_contains.split(",")
            if word.strip()
        ):
            return False
        if self.text_regex and not re.search(self.text_regex, text or ""):
            return False
        if not self._in_schedule(now or datetime.utcnow(), session.chat_id.tz):
            return False
        if self.queue_min and session.chat_id.queued_count < self.queue_min:
            return False
        return True

    def _in_schedule(self, now, tz_name):
        local = pytz.utc.localize(now).astimezone(pytz.timezone(tz_name or "UTC"))
        if not self[WEEKDAYS[local.weekday()]]:
            return False
        if self.hour_from == self.hour_to or (self.hour_from, self.hour_to) == (0, 24):
            return True
        hour = local.hour + local.minute / 60.0
        if self.hour_from < self.hour_to:
            return self.hour_from <= hour < self.hour_to
        return hour >= self.hour_from or hour < self.hour_to  # over midnight

    # Routing ------------------------------------------------------------------

    def _route(self, session):
        """Apply the rule's action to a new queued ``session``."""
        self.ensure_one()
        if self.strategy == "queue" and not self.user_id:
            session.write({"group_id": self.group_id.id})
            return True
        Users = self.env["res.users"]
        # Who is Online with room, and their loads, in one query; then the
        # strategy's order, and the first who can still be locked with room.
        if self.user_id:
            loads = Users._livechat_available([self.user_id.id])
        else:
            loads = Users._livechat_available(
                chat_id=self.chat_id.id, group_id=self.group_id.id
            )
        candidates = sorted(loads)
        if self.strategy == "round_robin":
            # On from the last one routed to, by id, wrapping around.
            last = self.last_user_id.id or 0
            candidates = [i for i in candidates if i > last] + [
                i for i in candidates if i <= last
            ]
        elif self.strategy == "least_loaded":
            candidates.sort(key=lambda user_id: (loads[user_id], user_id))
        user = Users._livechat_reserve_first(candidates, available=loads)
        if not user:
            # Nobody available: the session waits in the group's queue (or
            # the chat's, for a rule naming one operator).
            session.write({"group_id": self.group_id.id})
            return False
        session._take_for(user)
        if self.strategy == "round_robin":
            self.last_user_id = user
        return True
