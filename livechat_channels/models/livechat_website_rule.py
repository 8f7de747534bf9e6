# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Website chat rules: per live chat, on which pages the chat button shows,
hides or opens by itself, and for which countries (engine/page_rules.py).

The rules travel in the website chat's script (``_widget_config``) and the
visitor's window applies them; nothing about them is secret, and nothing
the server does depends on them: a visitor whose page hides the button can
still write (their window may be open from another page).
"""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..engine import page_rules


class LivechatWebsiteRule(models.Model):
    _name = "livechat.website.rule"
    _description = "Live Chat Website Rule"
    _order = "chat_id, sequence, id"

    chat_id = fields.Many2one(
        "livechat.chat",
        string="Live Chat",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    url_pattern = fields.Char(
        "Pages",
        required=True,
        help="* stands for anything. /shop/* : the pages under /shop/ ; "
        "*checkout* : any address containing checkout ; "
        "https://shop.example.com/* : every page of that site. Without "
        "http(s)://, the pattern is matched against the page's path and "
        "query (/shop/cart?step=2). Case is ignored.",
    )
    action = fields.Selection(
        [
            ("show", "Show the button"),
            ("hide", "Hide the button"),
            ("open", "Open the chat after a delay"),
        ],
        required=True,
        default="show",
    )
    open_delay = fields.Integer(
        "Open After (s)",
        default=10,
        help="Seconds on the page before the chat window opens by itself. "
        "It does not open on phones, nor again for a day once the visitor "
        "closed it.",
    )
    country_ids = fields.Many2many(
        "res.country",
        string="Countries",
        help="Only for visitors from these countries (empty: everyone). The "
        "country comes from the site (a data-country attribute on the chat's "
        "tag) or from the region of the browser's language (de-CH: "
        "Switzerland); a visitor whose country is not told matches only "
        "rules without countries.",
    )

    def _check_chat_access(self, vals):
        """Supervisors write the rules of the chats they supervise."""
        if not self.env["livechat.chat"]._configures(vals):
            raise AccessError(
                _("You write the website rules of the live chats you supervise.")
            )

    @api.model
    def create(self, vals):
        self._check_chat_access(vals)
        return super(LivechatWebsiteRule, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_chat_access(vals)
        return super(LivechatWebsiteRule, self).write(vals)

    @api.constrains("url_pattern", "action", "open_delay")
    def _check_rule(self):
        for rule in self:
            try:
                page_rules.check_pattern(rule.url_pattern)
            except page_rules.PatternError as error:
                raise ValidationError(
                    _("Page pattern %s: %s") % (rule.url_pattern or "", error)
                )
            if not 0 <= rule.open_delay <= page_rules.MAX_OPEN_DELAY:
                raise ValidationError(
                    _("The chat opens after 0 to %d seconds.")
                    % page_rules.MAX_OPEN_DELAY
                )

    def _config(self):
        """The rules as the visitor's window applies them, in order."""
        return [
            {
                "regex": page_rules.pattern_regex(rule.url_pattern),
                "full": page_rules.is_full_address(rule.url_pattern),
                "action": rule.action,
                "delay": rule.open_delay,
                "countries": rule.country_ids.mapped("code"),
            }
            for rule in self.sorted(lambda r: (r.sequence, r.id))
        ]
