# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Business processes of a session: the chat's Odoo server actions, started
on session events (created, customer message, closed) after the event is
committed, or by an operator from +Actions."""
import logging

import odoo
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError

from ..tools.transaction import run_with_retry

_logger = logging.getLogger(__name__)


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    def _processes_for(self, event):
        """The server actions the session's chat starts on ``event``.

        Read from the event's own relation table: a new session asks for
        two events, and reading one of the chat's many2many fields through
        the ORM reads all four.
        """
        self.ensure_one()
        field = self.env["livechat.chat"]._fields["process_%s_ids" % event]
        self.env.cr.execute(
            "SELECT {action} FROM {table} WHERE {chat} = %s".format(
                action=field.column2, table=field.relation, chat=field.column1
            ),
            (self.sudo().chat_id.id,),
        )
        action_ids = [row[0] for row in self.env.cr.fetchall()]
        Action = self.env["ir.actions.server"].sudo()
        # In the actions' own order, as the many2many field gives them.
        return Action.search([("id", "in", action_ids)]) if action_ids else Action

    def _run_processes(self, event):
        """Start the chat's processes for ``event`` once the event is
        committed, each in a transaction of its own: a failing process is
        logged on the session and can never undo the customer's message or
        the operator's action. Nothing runs for spam."""
        self.ensure_one()
        session = self.sudo()
        if session.is_spam:
            return
        action_ids = session._processes_for(event).ids
        if not action_ids:
            return
        dbname, session_id = self.env.cr.dbname, self.id

        def run():
            registry = odoo.registry(dbname)
            for action_id in action_ids:

                def work(env, action_id=action_id):
                    env["livechat.session"].browse(session_id)._run_process(
                        env["ir.actions.server"].browse(action_id), event
                    )

                try:
                    run_with_retry(registry, work)
                except Exception:  # pylint: disable=broad-except
                    # _run_process logs failures itself; this is a failure to
                    # even reach it (database gone, ...): the log is all.
                    _logger.exception(
                        "Process %s for session %s did not run", action_id, session_id
                    )

        self.env.cr.after("commit", run)

    def _process_context(self, event):
        context = {
            "active_model": self._name,
            "active_id": self.id,
            "active_ids": self.ids,
            "livechat_event": event,
        }
        for entry in self.sudo().chat_id.process_context_ids:
            context[entry.key] = entry._value(self.sudo())
        return context

    def _run_process(self, action, event):
        """Run one server action for this session now, in a savepoint, and
        log how it went. Returns what the action returned."""
        Log = self.env["livechat.session.process.log"].sudo()
        values = {
            "session_id": self.id,
            "action_id": action.id,
            "event": event,
            "user_id": self.env.uid,
        }
        try:
            with self.env.cr.savepoint():
                result = action.with_context(**self._process_context(event)).run()
        except Exception as error:  # pylint: disable=broad-except
            # A process is the administrator's code: whatever it raises is
            # recorded on the session for a supervisor to see.
            _logger.warning(
                "Process %s failed for session %s: %s", action.name, self.id, error
            )
            Log.create(dict(values, state="failed", error=str(error)))
            return False
        Log.create(dict(values, state="done"))
        return result

    @api.multi
    def get_manual_processes(self):
        """The processes operators may start on this session (+Actions):
        for its chat's staff (Offline ones too: they see the list, starting
        one needs Online)."""
        self.ensure_one()
        self.check_access_rule("read")
        self._check_chat_role(self.sudo().chat_id)
        return [{"id": a.id, "name": a.name} for a in self._processes_for("manual")]

    @api.multi
    def action_start_process(self, action_id):
        """+Actions -> Start business process: run it now, as the operator,
        with the session as its context. Returns what the action returns
        (an action for the web client to open, or False)."""
        self.ensure_one()
        self._check_staff()
        action = self._processes_for("manual").filtered(lambda a: a.id == action_id)
        if not action:
            raise AccessError(
                _("This process is not offered on live chat %s.")
                % self.sudo().chat_id.name
            )
        if self.sudo().is_spam:
            raise UserError(_("Processes do not run on spam sessions."))
        return self._run_process(action.sudo(self.env.uid), "manual")
