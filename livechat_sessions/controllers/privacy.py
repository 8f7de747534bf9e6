# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The download of a customer's data (livechat.account._export_zip says
what it holds; live chat administrators only, and logged)."""
from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

#: Accounts one export may name (a contact has a handful).
MAX_ACCOUNTS = 100


class LivechatPrivacyController(http.Controller):
    @http.route("/livechat/customer_export", type="http", auth="user", methods=["GET"])
    def customer_export(self, account_ids="", **kwargs):
        try:
            ids = [int(part) for part in account_ids.split(",") if part.strip()]
        except ValueError:
            raise BadRequest("account_ids: comma-separated account ids.")
        if not ids or len(ids) > MAX_ACCOUNTS or min(ids) <= 0:
            raise BadRequest("account_ids: 1 to %d account ids." % MAX_ACCOUNTS)
        try:
            name, data = request.env["livechat.account"].browse(ids)._export_zip()
        except AccessError as error:
            raise Forbidden(error.name)
        except UserError as error:
            raise NotFound(error.name)
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Disposition", content_disposition(name)),
                # A person's data: not kept by the browser or a proxy.
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
