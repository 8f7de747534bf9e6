# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LivechatPrivacyLog(models.Model):
    """What an administrator exported or erased about a customer, when, and
    what it covered: the answer to "who did what with this person's data".

    It names no one but the administrator: after an erasure the customer's
    name, ids and addresses are gone, so the log keeps counts and the
    (anonymised) account records only. Written by the export and the
    erasure (as superuser), read by live chat administrators, never edited.
    """

    _name = "livechat.privacy.log"
    _description = "Live Chat Privacy Log"
    _order = "date desc, id desc"

    kind = fields.Selection(
        [("export", "Export"), ("erasure", "Erasure")], required=True, readonly=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", "By", required=True, readonly=True, ondelete="restrict"
    )
    account_ids = fields.Many2many(
        "livechat.account",
        "livechat_privacy_log_account_rel",
        "log_id",
        "account_id",
        string="Accounts",
        readonly=True,
    )
    account_count = fields.Integer("Accounts", readonly=True)
    session_count = fields.Integer("Sessions", readonly=True)
    message_count = fields.Integer("Messages", readonly=True)
    file_count = fields.Integer("Files", readonly=True)
    closed_count = fields.Integer(
        "Open sessions closed",
        readonly=True,
        help="Sessions still open when the customer was erased: closed by it.",
    )

    @api.multi
    def name_get(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return [
            (log.id, "%s, %s, %s" % (kinds.get(log.kind), log.date, log.user_id.name))
            for log in self
        ]
