# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

import odoo
from odoo import api, models


def _dump(value):
    return json.dumps(value, separators=(",", ":"))


class BusBus(models.Model):
    _inherit = "bus.bus"

    @api.model
    def _livechat_notify(self, partner_ids, payload):
        """Send ``payload`` to the staff partners ``partner_ids``.

        Notifications go only on the ``(db, 'res.partner', id)`` channels,
        which Odoo's long-polling route grants to the logged-in user alone
        (design.md). Payloads carry a ``type`` starting with ``livechat.`` and
        nothing under ``state``/``channel_type``, so mail's own handler of the
        partner channel ignores them.

        ``bus.bus.sendmany`` inserts one row per recipient through the ORM;
        with a chat's whole team to wake on every customer message we write
        them in one INSERT ... SELECT unnest() instead (same table, same columns, same
        NOTIFY after commit), which keeps the way in at a fixed number of
        queries whatever the team's size.
        """
        partner_ids = sorted(set(pid for pid in partner_ids if pid))
        if not partner_ids:
            return
        dbname = self.env.cr.dbname
        message = _dump(payload)
        channels = [_dump([dbname, "res.partner", pid]) for pid in partner_ids]
        self.env.cr.execute(
            """INSERT INTO bus_bus (channel, message, create_date, create_uid,
                                    write_date, write_uid)
               SELECT channel, %s, now() AT TIME ZONE 'UTC', %s,
                      now() AT TIME ZONE 'UTC', %s
               FROM unnest(%s::varchar[]) AS channel""",
            (message, self.env.uid, self.env.uid, channels),
        )
        channel_list = [[dbname, "res.partner", pid] for pid in partner_ids]

        def notify():
            with odoo.sql_db.db_connect("postgres").cursor() as cr:
                cr.execute("notify imbus, %s", (_dump(channel_list),))

        self.env.cr.after("commit", notify)
