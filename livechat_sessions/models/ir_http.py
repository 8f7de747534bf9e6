# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.http import request

from ..engine import files

#: Where the files of a conversation live: a reply's uploads wait on the
#: session, then belong to their message.
CONVERSATION_MODELS = ("livechat.message", "livechat.session")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def binary_content(
        cls,
        xmlid=None,
        model="ir.attachment",
        id=None,
        field="datas",
        unique=False,
        filename=None,
        filename_field="datas_fname",
        download=False,
        mimetype=None,
        default_mimetype="application/octet-stream",
        access_token=None,
        env=None,
    ):
        """Files of a conversation (``/web/content``, ``/web/image``) are
        served as downloads unless they are raster pictures: a customer's
        file opened in Odoo's origin must never run as a page, whatever
        type it claimed (Odoo adds ``X-Content-Type-Options: nosniff``).
        Access is still Odoo's to check (the message's record rules)."""
        if model == "ir.attachment" and id and not xmlid and not download:
            try:
                attachment_id = int(id)
            except (TypeError, ValueError):
                attachment_id = 0
            attachment = (
                (env or request.env)["ir.attachment"]
                .sudo()
                .browse(attachment_id)
                .exists()
            )
            if (
                attachment.res_model in CONVERSATION_MODELS
                and attachment.mimetype not in files.RASTER_TYPES
            ):
                download = True
        return super(IrHttp, cls).binary_content(
            xmlid=xmlid,
            model=model,
            id=id,
            field=field,
            unique=unique,
            filename=filename,
            filename_field=filename_field,
            download=download,
            mimetype=mimetype,
            default_mimetype=default_mimetype,
            access_token=access_token,
            env=env,
        )
