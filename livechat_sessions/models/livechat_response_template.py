# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import naming, text


class LivechatResponseTemplate(models.Model):
    """Ready answers (Templates) and links to the company's resources
    (Articles) that operators insert from the composer, shared within a live
    chat or personal to one operator."""

    _name = "livechat.response.template"
    _description = "Live Chat Response Template"
    _order = "kind, name, id"

    name = fields.Char("Title", required=True, translate=True)
    kind = fields.Selection(
        [("template", "Template"), ("article", "Article")],
        required=True,
        default="template",
    )
    body = fields.Text(
        translate=True,
        help="The answer. Placeholders: {customer}, {operator}, {chat}.",
    )
    url = fields.Char("Link", help="Articles: the page to send.")
    summary = fields.Text(translate=True, help="Articles: what the page is about.")
    shortcut = fields.Char(
        index=True, help="Typed in the composer, e.g. /hello, inserts the answer."
    )
    scope = fields.Selection(
        [("shared", "Shared in a live chat"), ("personal", "Personal")],
        required=True,
        default="personal",
    )
    chat_id = fields.Many2one("livechat.chat", string="Live Chat", ondelete="cascade")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.uid,
        ondelete="cascade",
    )
    active = fields.Boolean(default=True)

    @api.constrains("kind", "body", "url", "scope", "chat_id", "user_id")
    def _check_content(self):
        for template in self:
            if template.kind == "template" and not (template.body or "").strip():
                raise ValidationError(_("A template needs the text of the answer."))
            if template.kind == "article" and not (template.url or "").strip():
                raise ValidationError(_("An article needs its link."))
            if template.url and not text.safe_href(template.url):
                raise ValidationError(
                    _("An article's link starts with https://, http:// or mailto:.")
                )
            if template.scope == "shared" and not template.chat_id:
                raise ValidationError(_("Choose the live chat that shares it."))
            if template.scope == "personal" and not template.user_id:
                raise ValidationError(_("A personal template needs its owner."))
            if template.shortcut and not template.shortcut.startswith("/"):
                raise ValidationError(_("Shortcuts start with /, e.g. /hello."))

    @api.model
    def get_for_session(self, session_id, search=None):
        """Templates and articles the current user may insert in the session:
        those shared in its live chat and the user's own. ``search`` filters
        on the title or the shortcut."""
        session = self.env["livechat.session"].browse(session_id)
        session.check_access_rule("read")
        domain = [
            "|",
            "&",
            ("scope", "=", "shared"),
            ("chat_id", "=", session.sudo().chat_id.id),
            "&",
            ("scope", "=", "personal"),
            ("user_id", "=", self.env.uid),
        ]
        if search:
            domain = (
                ["&"]
                + domain
                + ["|", ("name", "ilike", search), ("shortcut", "=ilike", search + "%")]
            )
        return [
            {
                "id": t.id,
                "kind": t.kind,
                "name": t.name,
                "shortcut": t.shortcut,
                "url": t.url,
                "summary": t.summary,
                "text": t._render(session) if t.kind == "template" else t.url,
            }
            for t in self.search(domain)
        ]

    def _render(self, session):
        """The template's text for ``session``; unknown braces stay as typed."""
        self.ensure_one()
        session = session.sudo()
        account = session.account_id
        return naming.fill(
            self.body or "",
            {
                "customer": account.partner_id.name or account.name or "",
                "operator": self.env.user.name or "",
                "chat": session.chat_id.name or "",
            },
        )
