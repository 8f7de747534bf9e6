# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

#: The channels this addon brings, added with ``selection_add`` to the
#: ``channel`` field of every model that has one.
CHANNELS = [
    ("website", "Website"),
    ("email", "Email"),
    ("telegram", "Telegram"),
    ("whatsapp", "WhatsApp"),
]

#: The website chat's colour goes into the style of the window on every site
#: that embeds the snippet: only a plain ``#rrggbb`` value.
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_COLOR = "#875A7B"


class LivechatChat(models.Model):
    _inherit = "livechat.chat"

    telegram_connector_ids = fields.One2many(
        "livechat.connector.telegram", "chat_id", string="Telegram Bot"
    )
    whatsapp_connector_ids = fields.One2many(
        "livechat.connector.whatsapp", "chat_id", string="WhatsApp Number"
    )
    email_connector_ids = fields.One2many(
        "livechat.connector.email", "chat_id", string="Email Inbox"
    )

    website_enabled = fields.Boolean(
        "Website Chat",
        help="Visitors of the websites carrying the snippet "
        "can write to this live chat.",
    )
    # No field default: Odoo 11 would give every existing chat the same one
    # when the column is added. New chats get theirs in create, existing
    # ones in init.
    website_key = fields.Char(
        readonly=True,
        copy=False,
        help="Names this live chat in the snippet; public, not a secret.",
    )
    website_title = fields.Char("Window Title", default="Chat with us")
    website_welcome = fields.Text(
        "Welcome Message", default="Hello! How can we help you today?"
    )
    website_color = fields.Char(
        "Colour",
        default=DEFAULT_COLOR,
        help="The chat button's and window's colour, as #rrggbb.",
    )
    website_ask_profile = fields.Boolean(
        "Ask Name and Email",
        default=True,
        help="The chat offers (never requires) a name and an email before "
        "the first message.",
    )
    website_offer_channels = fields.Boolean(
        "Offer Messengers",
        default=True,
        help="The chat window also links to this live chat's connected "
        "Telegram bot and WhatsApp number.",
    )
    website_rule_ids = fields.One2many(
        "livechat.website.rule",
        "chat_id",
        string="Website Rules",
        help="On which pages the chat button shows, hides or opens by itself: "
        "the first rule (from the top) matching the page and the visitor's "
        "country decides.",
    )
    website_other_pages = fields.Selection(
        [("show", "Show the button"), ("hide", "Hide the button")],
        "On Other Pages",
        required=True,
        default="show",
        help="Pages no rule matches. Hide it to show the chat only on the "
        "pages your rules name.",
    )
    website_snippet = fields.Text(compute="_compute_website_snippet")
    website_preview_url = fields.Char(
        compute="_compute_website_snippet",
        help="A page of this Odoo carrying the snippet, to try the chat.",
    )

    _sql_constraints = [
        ("website_key_uniq", "unique(website_key)", "Website keys are unique."),
    ]

    @api.model_cr
    def init(self):
        self.env.cr.execute(
            """UPDATE livechat_chat SET website_key =
                 md5(random()::text || clock_timestamp()::text || id::text)
               WHERE website_key IS NULL"""
        )

    @api.model
    def _livechat_channels(self):
        channels = super(LivechatChat, self)._livechat_channels()
        channels.update(
            {
                # Visitors read the replies in the chat window (bus and history).
                "website": {
                    "label": _("Website chat"),
                    "icon": False,
                    "read_in_odoo": True,
                    "channel_accounts": True,
                    "rated": True,
                },
                "email": {"icon": "fa-envelope", "rated": True},
                "telegram": {"icon": "fa-paper-plane", "rated": True},
                "whatsapp": {"icon": "fa-whatsapp", "rated": True},
            }
        )
        return channels

    @api.constrains("website_color")
    def _check_website_color(self):
        for chat in self:
            if chat.website_color and not COLOR_RE.match(chat.website_color):
                raise ValidationError(
                    _(
                        "The website chat's colour is written #rrggbb, for "
                        "example #875A7B."
                    )
                )

    def _website_color(self):
        """The colour the snippet uses: a valid one (a value stored before
        the check existed falls back to the default)."""
        color = self.website_color or ""
        return color if COLOR_RE.match(color) else DEFAULT_COLOR

    @api.model
    def create(self, vals):
        vals = dict(
            vals, website_key=vals.get("website_key") or secrets.token_urlsafe(18)
        )
        return super(LivechatChat, self).create(vals)

    def _compute_website_snippet(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for chat in self:
            chat.website_snippet = (
                '<script src="%s/livechat/widget/%s.js" async></script>'
                % (base.rstrip("/"), chat.website_key)
            )
            chat.website_preview_url = "/livechat/preview/%s" % chat.website_key

    @api.model
    def _supervisor_fields(self):
        # How the website chat looks and what it asks; not whether it is on,
        # its key, or the connectors (credentials).
        return super(LivechatChat, self)._supervisor_fields() | {
            "website_title",
            "website_welcome",
            "website_color",
            "website_ask_profile",
            "website_offer_channels",
            "website_rule_ids",
            "website_other_pages",
        }

    def _why_no_first_message(self, channel):
        reason = super(LivechatChat, self)._why_no_first_message(channel)
        if reason:
            return reason
        Connector = self.env["livechat.connector"]
        model = Connector._model_for_channel(channel)
        if model is None:
            return None  # Odoo, the website: nothing to connect
        connectors = model.sudo().search([("chat_id", "=", self.id)])
        label = self._livechat_channel(channel)["label"]
        if not connectors:
            return _(
                "Live chat %s has no %s connector: an administrator adds one "
                "before a message can go out on this channel."
            ) % (self.name, label)
        # Deliveries use the chat's first connector of the channel.
        if connectors[:1].state != "connected":
            return _(
                "The %s connector of live chat %s is not connected: an "
                "administrator connects it before a message can go out on "
                "this channel."
            ) % (label, self.name)
        return None
