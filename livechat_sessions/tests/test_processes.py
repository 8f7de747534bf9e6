# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError

from .common import LivechatCase


class TestProcesses(LivechatCase):
    """Business processes: server actions on session events. These tests
    run the processes directly (the test transaction never commits);
    test_concurrency proves they start after a real commit."""

    @classmethod
    def setUpClass(cls):
        super(TestProcesses, cls).setUpClass()
        model = cls.env.ref("livechat_sessions.model_livechat_session")
        Action = cls.env["ir.actions.server"]
        # The process writes what it saw into the session's name, so the
        # test reads back what the context held.
        cls.tag_action = Action.create(
            {
                "name": "Tag session",
                "model_id": model.id,
                "state": "code",
                "code": "record.write({'name': '%s|%s|%s' % (env.context.get("
                "'livechat_event'), env.context.get('customer'), record.id)})",
            }
        )
        cls.failing_action = Action.create(
            {
                "name": "Broken",
                "model_id": model.id,
                "state": "code",
                "code": "raise UserError('CRM is down')",
            }
        )
        cls.chat_a.write(
            {
                "process_manual_ids": [(6, 0, cls.tag_action.ids)],
                "process_context_ids": [
                    (0, 0, {"key": "customer", "field_path": "account_id.name"})
                ],
            }
        )

    def test_event_process_gets_the_session_and_mapped_context(self):
        session = self.receive("hi", name="Ann").session_id
        session._run_process(self.tag_action, "create")
        self.assertEqual(session.name, "create|Ann|%d" % session.id)
        self.assertEqual(session.process_log_ids.mapped("state"), ["done"])

    def test_failure_is_logged_and_keeps_the_message(self):
        message = self.receive("important")
        session = message.session_id
        session._run_process(self.failing_action, "message")
        log = session.process_log_ids
        self.assertEqual((log.state, log.event), ("failed", "message"))
        self.assertIn("CRM is down", log.error)
        self.assertTrue(message.exists())

    def test_events_are_scheduled_only_where_configured(self):
        """The way in and closing register after-commit runs for the chat's
        processes, and none for spam or for chats without processes."""
        self.chat_a.write(
            {
                "process_create_ids": [(6, 0, self.tag_action.ids)],
                "process_message_ids": [(6, 0, self.tag_action.ids)],
                "process_close_ids": [(6, 0, self.tag_action.ids)],
            }
        )
        before = len(self._after_commit())
        session = self.receive("one").session_id  # create + message
        self.receive("two")  # message
        self.receive("to B", chat=self.chat_b)  # none: no processes
        session.sudo(self.operator).action_take()
        session.sudo(self.operator).action_close()  # close
        self.assertEqual(len(self._after_commit()) - before, 4)
        spam = self.receive("buy", account="tg-spam").session_id
        spam.action_mark_spam()
        count = len(self._after_commit())
        self.receive("buy now", account="tg-spam")
        self.assertEqual(len(self._after_commit()), count)

    def _after_commit(self):
        # Odoo 11 keeps after-commit handlers in cr._event_handlers; our bus
        # notifications register one each too, so count only the processes.
        return [
            func
            for func in self.env.cr._event_handlers["commit"]
            if func.__qualname__.startswith("LivechatSession._run_processes")
        ]

    def test_operator_starts_a_process_by_hand(self):
        session = self.receive("hi", name="Ann").session_id
        as_operator = session.sudo(self.operator)
        self.assertEqual(
            as_operator.get_manual_processes(),
            [{"id": self.tag_action.id, "name": "Tag session"}],
        )
        as_operator.action_take()
        as_operator.action_start_process(self.tag_action.id)
        self.assertEqual(session.name, "manual|Ann|%d" % session.id)
        self.assertEqual(session.process_log_ids.user_id, self.operator)
        with self.assertRaises(AccessError):
            as_operator.action_start_process(self.failing_action.id)
        with self.assertRaises(AccessError):
            session.sudo(self.reader).action_start_process(self.tag_action.id)

    def test_configuration_is_checked(self):
        other = self.env["ir.actions.server"].create(
            {
                "name": "On partners",
                "state": "code",
                "code": "pass",
                "model_id": self.env.ref("base.model_res_partner").id,
            }
        )
        with self.assertRaises(ValidationError):
            self.chat_a.process_create_ids = other
        with self.assertRaises(ValidationError):
            self.chat_a.process_context_ids = [
                (0, 0, {"key": "x", "field_path": "nope.id"})
            ]
