# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .livechat_chat import CHANNELS


def glob_to_like(pattern):
    """``*@spam.example`` -> ``%@spam.example`` (LIKE, lower case), with
    LIKE's own wildcards and escape character taken literally."""
    escaped = (
        pattern.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    )
    return escaped.replace("*", "%").replace("?", "_")


class LivechatBlocklistRule(models.Model):
    """A rule that locks customers out: their messages are still stored (so
    nothing is lost) but in spam sessions, never routed nor notified."""

    _name = "livechat.blocklist.rule"
    _description = "Live Chat Blocklist Rule"
    _order = "create_date desc, id desc"

    name = fields.Char("Reason", required=True)
    rule_type = fields.Selection(
        [("account", "Account"), ("partner", "Contact"), ("pattern", "Pattern")],
        string="Lock",
        required=True,
        default="account",
    )
    account_id = fields.Many2one("livechat.account", index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index=True,
        ondelete="cascade",
        help="Every account bound to this contact.",
    )
    pattern = fields.Char(
        help="Matched against the account's id on its channel (the address "
        "for email), ignoring case; * is any text, ? one character. "
        "Example: *@spam.example",
    )
    pattern_like = fields.Char(compute="_compute_pattern_like", store=True)
    channel = fields.Selection(CHANNELS, help="Only on this channel; empty: all.")
    chat_id = fields.Many2one(
        "livechat.chat",
        string="Live Chat",
        ondelete="cascade",
        help="Only in this live chat; empty: all live chats.",
    )
    date_expiry = fields.Datetime(
        "Expires", help="The lock ends then; empty: until unlocked."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Locked by",
        default=lambda self: self.env.uid,
        readonly=True,
    )
    active = fields.Boolean(default=True)

    @api.depends("pattern")
    def _compute_pattern_like(self):
        for rule in self:
            rule.pattern_like = glob_to_like(rule.pattern) if rule.pattern else False

    @api.constrains("rule_type", "account_id", "partner_id", "pattern")
    def _check_target(self):
        for rule in self:
            missing = {
                "account": not rule.account_id,
                "partner": not rule.partner_id,
                "pattern": not (rule.pattern or "").strip("*? "),
            }[rule.rule_type]
            if missing:
                raise ValidationError(
                    _(
                        "A blocklist rule needs the account, contact or pattern it "
                        "locks (a pattern of only * and ? would lock everyone)."
                    )
                )

    @api.model
    def _match(self, account, chat_id):
        """The first active, unexpired rule locking ``account`` in the chat
        ``chat_id``, or an empty recordset. One query."""
        self.env.cr.execute(
            """SELECT r.id FROM livechat_blocklist_rule r
               WHERE r.active
                 AND (r.date_expiry IS NULL
                      OR r.date_expiry > now() AT TIME ZONE 'UTC')
                 AND (r.chat_id IS NULL OR r.chat_id = %(chat)s)
                 AND (r.channel IS NULL OR r.channel = %(channel)s)
                 AND ((r.rule_type = 'account' AND r.account_id = %(account)s)
                      OR (r.rule_type = 'partner' AND r.partner_id = %(partner)s)
                      OR (r.rule_type = 'pattern'
                          AND lower(%(external)s) LIKE r.pattern_like))
               ORDER BY r.id LIMIT 1""",
            {
                "chat": chat_id,
                "channel": account.channel,
                "account": account.id,
                "partner": account.partner_id.id or 0,
                "external": account.external_id,
            },
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    @api.model
    def create(self, vals):
        rule = super(LivechatBlocklistRule, self).create(vals)
        rule._apply_to_open_sessions()
        return rule

    def _apply_to_open_sessions(self):
        """A new lock also applies to what the customer has open now."""
        Session = self.env["livechat.session"].sudo()
        now = fields.Datetime.now()
        for rule in self.filtered(lambda r: not r.date_expiry or r.date_expiry > now):
            domain = [("state", "!=", "closed"), ("is_spam", "=", False)]
            if rule.chat_id:
                domain.append(("chat_id", "=", rule.chat_id.id))
            if rule.channel:
                domain.append(("channel", "=", rule.channel))
            domain.append(
                {
                    "account": ("account_id", "=", rule.account_id.id),
                    "partner": ("account_id.partner_id", "=", rule.partner_id.id),
                    "pattern": ("account_id.external_id", "=ilike", rule.pattern_like),
                }[rule.rule_type]
            )
            locked = Session.search(domain)
            locked.write({"is_spam": True})
            for session in locked:
                session._notify_staff("livechat.session_spam")

    @api.multi
    def action_unlock(self):
        self.write({"active": False})
        return True
