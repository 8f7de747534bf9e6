# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where the mail provider sends the administrator back after consent
(OAuth 2.0 authorization code). The inbox checks the one-use state and
stores the tokens (livechat.connector.email._oauth_finish); the
administrator lands on the inbox's form, which says how it went."""

import werkzeug.utils
import werkzeug.wrappers

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request


class LivechatEmailOauth(http.Controller):
    @http.route("/livechat/email/oauth", type="http", auth="user", methods=["GET"])
    def oauth_callback(self, state=None, code=None, error=None, **kwargs):
        try:
            connector = request.env["livechat.connector.email"]._oauth_finish(
                state, code=code, error=error
            )
        except AccessError as refusal:
            return werkzeug.wrappers.Response(
                refusal.name, status=403, content_type="text/plain; charset=utf-8"
            )
        return werkzeug.utils.redirect(
            "/web#id=%d&model=%s&view_type=form" % (connector.id, connector._name)
        )
