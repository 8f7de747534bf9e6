# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rating page an email customer's links open.

The links carry the session's rating secret and an answer. Opening one
only shows the page with that answer chosen: mail scanners open every link
of an email (all three answers), so nothing is recorded until the customer
presses Send (a POST with Odoo's CSRF token). The page is self-contained
(no script, no outside file) and never framed.
"""
import html

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.livechat_sessions.engine import rating as rating_engine

#: Rating pages one IP address may open or send per minute.
RATING_PAGE_LIMIT = 60

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>%(title)s</title>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<style>
body{font:16px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;
color:#222;background:#f6f6f8;margin:0;padding:24px}
main{max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:24px;
box-shadow:0 2px 8px rgba(0,0,0,.1)}
.faces{display:flex;gap:8px;margin:16px 0}
.faces label{flex:1;text-align:center;border:2px solid #ddd;border-radius:10px;
padding:10px 4px;cursor:pointer}
.faces input{display:block;margin:0 auto 6px}
.face{display:block;font-size:34px}
textarea{width:100%%;box-sizing:border-box;min-height:90px;font:inherit;padding:8px;
border:1px solid #ccc;border-radius:8px}
button{margin-top:12px;font:inherit;padding:10px 22px;border:0;border-radius:8px;
background:#875a7b;color:#fff;cursor:pointer}
.notice{background:#eaf7ea;border-radius:8px;padding:10px}
.error{background:#fdecea;border-radius:8px;padding:10px}
</style></head>
<body><main>%(content)s</main></body></html>
"""

HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    # The address holds the secret: never sent on to another site.
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'",
    ),
]


def _page(status, title, content):
    return http.Response(
        PAGE % {"title": html.escape(title), "content": content},
        status=status,
        headers=HEADERS,
    )


def _refused(status, text):
    return _page(status, text, '<p class="error">%s</p>' % html.escape(text))


def _form(session, token, chosen, notice=None):
    faces = "".join(
        '<label><input type="radio" name="rating" value="%s" required%s/>'
        '<span class="face">%s</span>%s</label>'
        % (
            value,
            " checked" if value == chosen else "",
            rating_engine.FACES[value],
            html.escape(label.split(" ", 1)[-1]),
        )
        for value, label in session._rating_labels()
    )
    content = (
        "%s<h1>%s</h1><p>%s</p>"
        '<form method="post" action="/livechat/rate/%s">'
        '<input type="hidden" name="csrf_token" value="%s"/>'
        '<div class="faces">%s</div>'
        '<label for="comment">%s</label>'
        '<textarea id="comment" name="comment" maxlength="%d">%s</textarea>'
        '<button type="submit">%s</button></form>'
    ) % (
        '<p class="notice">%s</p>' % html.escape(notice) if notice else "",
        html.escape(session.chat_id.name),
        html.escape(session.chat_id.rating_question or ""),
        html.escape(token),
        html.escape(request.csrf_token()),
        faces,
        html.escape("Anything to add? (optional)"),
        rating_engine.MAX_COMMENT,
        html.escape(session.rating_comment or ""),
        html.escape("Send"),
    )
    return _page(200, session.chat_id.name, content)


class LivechatRatingController(http.Controller):
    def _session(self, token):
        """The session of ``token``, or the page refusing it."""
        if (
            not request.env["livechat.visitor.rate"]
            .sudo()
            ._hit(
                [("rating-ip:%s" % request.httprequest.remote_addr, RATING_PAGE_LIMIT)]
            )
        ):
            return None, _refused(429, "Too many requests: wait a minute.")
        try:
            session = request.env["livechat.session"]._for_rating_token(token)
        except UserError as error:
            return None, _refused(404, error.name)
        if not session._rating_open():
            return None, _refused(
                410, "This conversation can no longer be rated: thank you all the same."
            )
        return session, None

    @http.route(
        "/livechat/rate/<string:token>/<string:value>",
        type="http",
        auth="public",
        methods=["GET"],
    )
    def rating_page(self, token, value, **kwargs):
        session, refused = self._session(token)
        if refused:
            return refused
        chosen = value if value in rating_engine.SCORES else session.rating
        return _form(session, token, chosen)

    @http.route(
        "/livechat/rate/<string:token>", type="http", auth="public", methods=["POST"]
    )
    def rate(self, token, rating=None, comment=None, **kwargs):
        session, refused = self._session(token)
        if refused:
            return refused
        try:
            session._rate(rating, comment)
        except UserError as error:
            return _refused(400, error.name)
        return _form(
            session,
            token,
            session.rating,
            notice="Thank you! Your rating is saved; you may change it here.",
        )
