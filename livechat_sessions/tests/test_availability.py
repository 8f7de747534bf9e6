# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""When a live chat can answer: its working hours in its time zone, and an
operator Online."""
import datetime

from odoo.exceptions import AccessError, ValidationError

from .common import LivechatCase

# A Wednesday, 10:00 UTC.
WEDNESDAY_10_UTC = datetime.datetime(2026, 12, 2, 10, 0)


class TestAvailability(LivechatCase):
    def test_an_operator_online_within_the_hours(self):
        chat = self.chat_a
        self.assertIsNone(chat._availability(WEDNESDAY_10_UTC), "no hours: always")
        chat.write(
            {
                "tz": "Europe/Berlin",
                "hours_ids": [
                    (0, 0, {"weekday": "2", "hour_from": 9.0, "hour_to": 12.0}),
                    (0, 0, {"weekday": "2", "hour_from": 13.0, "hour_to": 17.5}),
                ],
            }
        )
        # 10:00 UTC is 11:00 in Berlin: open.
        self.assertIsNone(chat._availability(WEDNESDAY_10_UTC))
        # 11:30 UTC is 12:30 in Berlin: the lunch break.
        lunch = WEDNESDAY_10_UTC + datetime.timedelta(hours=1, minutes=30)
        self.assertEqual(chat._availability(lunch), "hours")
        # Thursday: no hours.
        thursday = WEDNESDAY_10_UTC + datetime.timedelta(days=1)
        self.assertEqual(chat._availability(thursday), "hours")
        # Within the hours, nobody Online.
        (self.operator | self.operator2).write({"livechat_status": "offline"})
        self.assertEqual(chat._availability(WEDNESDAY_10_UTC), "nobody")
        self.operator2.livechat_status = "online"
        self.assertIsNone(chat._availability(WEDNESDAY_10_UTC))

    def test_who_sets_the_hours(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.chat_a.write(
                {"hours_ids": [(0, 0, {"weekday": "0", "hour_from": 18, "hour_to": 9})]}
            )
        self.chat_a.sudo(self.supervisor).write(
            {
                "hours_ids": [(0, 0, {"weekday": "0", "hour_from": 8, "hour_to": 18})],
                "away_message": "Back on Monday at 8.",
            }
        )
        self.assertEqual(len(self.chat_a.hours_ids), 1)
        for user in (self.operator, self.reader, self.operator_b):
            with self.assertRaises(AccessError, msg=user.login):
                self.chat_a.sudo(user).write(
                    {
                        "hours_ids": [
                            (0, 0, {"weekday": "1", "hour_from": 8, "hour_to": 18})
                        ]
                    }
                )
            with self.assertRaises(AccessError, msg=user.login):
                self.chat_a.hours_ids.sudo(user).write({"hour_to": 20})
        # Another chat's supervisor neither.
        leads_b = self.chat_b.supervisor_group_ids
        sup_b = self._user("sup_b_hours", self.group_supervisor, leads_b)
        with self.assertRaises(AccessError):
            self.chat_a.hours_ids.sudo(sup_b).write({"hour_to": 20})
        # Nor does chat A's supervisor move them to chat B.
        with self.assertRaises(AccessError):
            self.chat_a.hours_ids.sudo(self.supervisor).write(
                {"chat_id": self.chat_b.id}
            )
        self.assertEqual(self.chat_a.hours_ids.hour_to, 18)
