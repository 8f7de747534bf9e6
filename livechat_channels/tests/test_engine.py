# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The providers' payloads, parsed without Odoo in the way."""

import hashlib
import hmac

import unittest

from ..engine import telegram, whatsapp


def tg_update(update_id=1, text="Hi", user_id=7001, **message):
    body = {
        "message_id": update_id + 100,
        "date": 1700000000 + update_id,
        "chat": {"id": user_id, "type": "private"},
        "from": {
            "id": user_id,
            "is_bot": False,
            "first_name": "Tania",
            "last_name": "Gram",
        },
    }
    if text is not None:
        body["text"] = text
    body.update(message)
    return {"update_id": update_id, "message": body}


def wa_notification(
    message_id="wamid.in.1",
    text="Hola",
    wa_id="34600111222",
    phone_number_id="1055",
    timestamp=1700000000,
    message=None,
):
    message = message or {"type": "text", "text": {"body": text}}
    message = dict(message, id=message_id, timestamp=str(timestamp), **{"from": wa_id})
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550100",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [
                                {"profile": {"name": "Wanda App"}, "wa_id": wa_id}
                            ],
                            "messages": [message],
                        },
                    }
                ],
            }
        ],
    }


class TestTelegramParsing(unittest.TestCase):

    def test_text_message(self):
        parsed = telegram.parse_update(tg_update(5, "Where is my order?"))
        self.assertEqual(parsed["update_id"], 5)
        self.assertEqual(
            parsed["account"], {"external_id": "7001", "name": "Tania Gram"}
        )
        self.assertEqual(parsed["body"], "Where is my order?")
        self.assertEqual(parsed["date"].year, 2023)
        self.assertEqual(parsed["files"], [])

    def test_photo_keeps_the_largest_size_and_labels_a_caption_less_photo(self):
        parsed = telegram.parse_update(
            tg_update(
                6,
                None,
                photo=[
                    {"file_id": "small", "width": 90},
                    {"file_id": "large", "width": 1280},
                ],
            )
        )
        self.assertEqual(parsed["files"][0]["file_id"], "large")
        self.assertEqual(parsed["files"][0]["mimetype"], "image/jpeg")
        self.assertEqual(parsed["body"], "[Photo]")

    def test_document_with_caption(self):
        parsed = telegram.parse_update(
            tg_update(
                7,
                None,
                caption="The invoice",
                document={
                    "file_id": "doc1",
                    "file_name": "invoice.pdf",
                    "mime_type": "application/pdf",
                },
            )
        )
        self.assertEqual(parsed["body"], "The invoice")
        self.assertEqual(
            parsed["files"],
            [{"file_id": "doc1", "name": "invoice.pdf", "mimetype": "application/pdf"}],
        )

    def test_updates_without_a_customer_message_are_ignored(self):
        self.assertIsNone(telegram.parse_update({"update_id": 1, "edited_message": {}}))
        group = tg_update(2)
        group["message"]["chat"]["type"] = "group"
        self.assertIsNone(telegram.parse_update(group))
        self.assertIsNone(
            telegram.parse_update(tg_update(3, None, sticker={"file_id": "x"}))
        )

    def test_malformed_updates_are_refused(self):
        for bad in (
            [],
            {"message": {}},
            {"update_id": "1", "message": {}},
            {"update_id": 1, "message": {"message_id": 1, "date": 1}},
            tg_update(1, text=12),
        ):
            with self.assertRaises(telegram.PayloadError):
                telegram.parse_update(bad)


class TestWhatsappParsing(unittest.TestCase):

    def test_text_message_with_the_profile_name(self):
        [parsed] = whatsapp.parse_notification(wa_notification(), "1055")
        self.assertEqual(parsed["id"], "wamid.in.1")
        self.assertEqual(
            parsed["account"], {"external_id": "34600111222", "name": "Wanda App"}
        )
        self.assertEqual(parsed["body"], "Hola")
        self.assertIsNone(parsed["media"])

    def test_other_numbers_and_statuses_are_left_out(self):
        self.assertEqual(whatsapp.parse_notification(wa_notification(), "9999"), [])
        statuses = wa_notification()
        value = statuses["entry"][0]["changes"][0]["value"]
        del value["messages"]
        value["statuses"] = [{"id": "wamid.out.1", "status": "delivered"}]
        self.assertEqual(whatsapp.parse_notification(statuses, "1055"), [])

    def test_failed_statuses_with_meta_s_reasons(self):
        payload = wa_notification()
        value = payload["entry"][0]["changes"][0]["value"]
        value["statuses"] = [
            {"id": "wamid.out.1", "status": "read", "recipient_id": "346"},
            {
                "id": "wamid.out.2",
                "status": "failed",
                "recipient_id": "346",
                "errors": [
                    {"code": 131047, "title": "Re-engagement message"},
                    {"code": 131000, "message": "Something went wrong"},
                    "not an object",
                ],
            },
        ]
        [read, failure] = whatsapp.parse_statuses(payload, "1055")
        self.assertEqual(
            (read["id"], read["state"], read["error"]),
            ("wamid.out.1", "delivered", None),
        )
        self.assertEqual(failure["state"], "failed")
        self.assertEqual(failure["id"], "wamid.out.2")
        self.assertEqual(failure["recipient"], "346")
        self.assertEqual(
            failure["error"],
            "WhatsApp could not deliver it: Re-engagement message (error 131047); "
            "Something went wrong (error 131000)",
        )
        # The customer's message of the same notification is still read.
        self.assertEqual(len(whatsapp.parse_notification(payload, "1055")), 1)
        self.assertEqual(whatsapp.parse_statuses(payload, "9999"), [])
        value["statuses"] = ["failed"]
        with self.assertRaises(whatsapp.PayloadError):
            whatsapp.parse_statuses(payload, "1055")

    def test_image_is_a_media_to_download(self):
        [parsed] = whatsapp.parse_notification(
            wa_notification(
                message={
                    "type": "image",
                    "image": {"id": "m1", "mime_type": "image/png"},
                }
            ),
            "1055",
        )
        self.assertEqual(parsed["media"]["id"], "m1")
        self.assertEqual(parsed["body"], "[Image]")

    def test_malformed_notifications_are_refused(self):
        for bad in (
            {},
            {"entry": [{"changes": "x"}]},
            wa_notification(message={"type": "text", "text": {}}),
            wa_notification(timestamp="yesterday"),
        ):
            with self.assertRaises(whatsapp.PayloadError):
                whatsapp.parse_notification(bad, "1055")

    def test_signature(self):
        body = b'{"entry": []}'
        good = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        self.assertTrue(whatsapp.check_signature("s3cret", body, good))
        self.assertFalse(whatsapp.check_signature("s3cret", body + b" ", good))
        self.assertFalse(whatsapp.check_signature("other", body, good))
        self.assertFalse(whatsapp.check_signature("s3cret", body, ""))

    def test_subscription_handshake(self):
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": "tok",
            "hub.challenge": "123",
        }
        self.assertEqual(whatsapp.verify_subscription(params, "tok"), "123")
        self.assertIsNone(whatsapp.verify_subscription(params, "other"))
        self.assertIsNone(
            whatsapp.verify_subscription(dict(params, **{"hub.mode": "x"}), "tok")
        )
