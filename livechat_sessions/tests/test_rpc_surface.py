# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The RPC surface of the three addons, audited.

Odoo 11 serves every model method whose name has no leading underscore to
any logged-in user over JSON-RPC and XML-RPC (``call_kw`` checks nothing).
This test finds every such method the addons define, by introspection, and
holds each to the reviewed table below: a new public method fails the test
until it is reviewed here. Each entry says why the method may be public and
how that is checked:

- ``REFUSED``: a plain employee, a portal user and an operator of another
  chat each get an AccessError, before anything is done for them;
- ``OWN``: any of them may call it; it acts on or returns the caller's own
  data only, and the check asserts that nothing of chat A comes back;
- ``ORM``: an ORM method (create, write, unlink, name_get) the addons extend:
  Odoo's access rights and the addons' record rules apply (test_access,
  test_roles);
- ``HOOK``: Odoo's own, extended (file serving).

Private means what Odoo's RPC refuses by name (``odoo.models.regex_private``:
a leading underscore, or ``init``).

Runs after every addon is installed, so that it sees the whole surface.
"""
import inspect

from odoo.exceptions import AccessError
from odoo.models import check_method_name, regex_private
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import LivechatCase

REFUSED, OWN, ORM, HOOK = "refused", "own", "orm", "hook"


def _session(t):
    return t.session


def _conversation(model):
    """The conversation methods every ``livechat.conversation`` model has."""
    return {
        (model, "messages"): (
            REFUSED,
            lambda t, env: env[model].messages(t.session.id),
        ),
        (model, "find_messages"): (
            REFUSED,
            lambda t, env: env[model].find_messages(t.session.id, "Hello"),
        ),
        (model, "attachment_targets"): (
            REFUSED,
            lambda t, env: env[model].attachment_targets(t.session.id),
        ),
        (model, "save_attachment"): (
            REFUSED,
            lambda t, env: env[model].save_attachment(
                t.session.id, t.attachment.id, "res.partner", env.user.partner_id.id
            ),
        ),
        (model, "reply"): (
            REFUSED,
            lambda t, env: env[model].reply(t.session.id, "Intruder"),
        ),
        (model, "reply_channels"): (
            REFUSED,
            lambda t, env: env[model].reply_channels(t.session.id),
        ),
        (model, "add_note"): (
            REFUSED,
            lambda t, env: env[model].add_note(t.session.id, "Intruder's note"),
        ),
        (model, "set_presence"): (
            REFUSED,
            lambda t, env: env[model].set_presence(t.session.id, "typing"),
        ),
    }


#: (model, method) -> (kind, call(test, env) for REFUSED / OWN, or a reason)
SURFACE = {
    # livechat.chat
    ("livechat.chat", "create"): (ORM, "administrators only (access rights)"),
    ("livechat.chat", "write"): (
        ORM,
        "administrators; supervisors their chats' staff, naming, routing "
        "(record rules, SUPERVISOR_FIELDS)",
    ),
    ("livechat.routing.rule", "create"): (
        ORM,
        "supervisors of the rule's chat; regex and domain administrators only",
    ),
    ("livechat.routing.rule", "write"): (
        ORM,
        "supervisors of the rule's chat; regex and domain administrators only",
    ),
    ("livechat.session", "action_move"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_move(t.chat_a.id),
    ),
    ("livechat.website.rule", "create"): (
        ORM,
        "supervisors of the rule's chat (record rules, _check_chat_access)",
    ),
    ("livechat.website.rule", "write"): (
        ORM,
        "supervisors of the rule's chat (record rules, _check_chat_access)",
    ),
    ("livechat.chat", "get_queue_counts"): (
        OWN,
        lambda t, env: env["livechat.chat"].get_queue_counts(),
    ),
    # livechat.account
    ("livechat.account", "create"): (ORM, "record rules; identity fields checked"),
    ("livechat.account", "write"): (ORM, "record rules; identity fields refused"),
    ("livechat.account", "name_get"): (ORM, "the record rules decide"),
    ("livechat.chat.hours", "write"): (
        ORM,
        "supervisors of the hours' chat (access rights, record rules); the "
        "chat never changes (test_availability)",
    ),
    ("livechat.privacy.log", "name_get"): (
        ORM,
        "live chat administrators only (access rights; test_privacy)",
    ),
    # A customer's data on request: live chat administrators only.
    ("livechat.account", "action_export_data"): (
        REFUSED,
        lambda t, env: t.session.account_id.with_env(env).action_export_data(),
    ),
    ("livechat.account", "action_erase_customer"): (
        REFUSED,
        lambda t, env: t.session.account_id.with_env(env).action_erase_customer(),
    ),
    ("res.partner", "action_livechat_export_data"): (
        REFUSED,
        lambda t, env: t.partner.with_env(env).action_livechat_export_data(),
    ),
    ("res.partner", "action_livechat_erase"): (
        REFUSED,
        lambda t, env: t.partner.with_env(env).action_livechat_erase(),
    ),
    # livechat.blocklist.rule
    ("livechat.blocklist.rule", "create"): (ORM, "supervisors (access rules)"),
    ("livechat.blocklist.rule", "action_unlock"): (
        REFUSED,
        lambda t, env: t.lock.with_env(env).action_unlock(),
    ),
    # livechat.session
    ("livechat.session", "create"): (ORM, "role in the chat and Online checked"),
    ("livechat.session", "write"): (ORM, "name and priority, by role (test_roles)"),
    ("livechat.session", "add_note"): (
        REFUSED,
        lambda t, env: t.session.with_env(env).add_note("Intruder's note"),
    ),
    # livechat_channels: Send later (the session's read rule, then its roles)
    ("livechat.session", "schedule_reply"): (
        REFUSED,
        lambda t, env: _session(t)
        .with_env(env)
        .schedule_reply("Intruder", "2999-01-01 00:00:00"),
    ),
    ("livechat.session", "edit_scheduled_reply"): (
        REFUSED,
        lambda t, env: _session(t)
        .with_env(env)
        .edit_scheduled_reply(1, "Intruder", "2999-01-01 00:00:00"),
    ),
    ("livechat.session", "cancel_scheduled_reply"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).cancel_scheduled_reply(1),
    ),
    ("livechat.session", "action_take"): (
        REFUSED,
        lambda t, env: t.queued.with_env(env).action_take(),
    ),
    ("livechat.session", "action_assign"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_assign(user_id=env.uid),
    ),
    ("livechat.session", "action_close"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_close(),
    ),
    ("livechat.session", "action_mark_spam"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_mark_spam(),
    ),
    ("livechat.session", "action_unmark_spam"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_unmark_spam(),
    ),
    ("livechat.session", "action_lock_account"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_lock_account("Intruder"),
    ),
    ("livechat.session", "action_unlock_account"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_unlock_account(),
    ),
    # Merging: the session's staff who handle both sessions, or
    # supervisors (of both chats across chats).
    ("livechat.session", "get_merge_candidates"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).get_merge_candidates(),
    ),
    ("livechat.session", "action_merge"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_merge(t.queued.id),
    ),
    ("livechat.session", "action_mark_seen"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_mark_seen(),
    ),
    ("livechat.session", "reply"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).reply("Intruder"),
    ),
    ("livechat.session", "get_counters"): (
        OWN,
        lambda t, env: env["livechat.session"].get_counters(),
    ),
    ("livechat.session", "get_manual_processes"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).get_manual_processes(),
    ),
    ("livechat.session", "action_start_process"): (
        REFUSED,
        lambda t, env: _session(t).with_env(env).action_start_process(t.process.id),
    ),
    # livechat.message
    ("livechat.message", "create"): (ORM, "refused to every user"),
    ("livechat.message", "write"): (ORM, "refused to every user"),
    # livechat.response.template
    ("livechat.response.template", "get_for_session"): (
        REFUSED,
        lambda t, env: env["livechat.response.template"].get_for_session(t.session.id),
    ),
    # res.users
    ("res.users", "livechat_set_status"): (
        OWN,
        lambda t, env: env["res.users"].livechat_set_status("online"),
    ),
    # mail.followers (CVE-2019-11785, mitigated: test_security.TestFollowers)
    ("mail.followers", "create"): (ORM, "read (own) or write access to the document"),
    ("mail.followers", "write"): (ORM, "read (own) or write access to the document"),
    # ir.http
    ("ir.http", "binary_content"): (
        HOOK,
        "Odoo's file serving: the caller's own read access decides",
    ),
    # wizards
    ("livechat.chat.first", "action_create"): (
        REFUSED,
        lambda t, env: env["livechat.chat.first"]
        .create({"name": "Intruder's chat"})
        .action_create(),
    ),
    ("livechat.session.new", "action_start"): (
        REFUSED,
        lambda t, env: env["livechat.session.new"]
        .create(
            {
                "chat_id": t.chat_a.id,
                "account_id": t.session.account_id.id,
                "body": "Intruder",
            }
        )
        .action_start(),
    ),
    # the workspace
    ("livechat.workspace", "load"): (
        OWN,
        lambda t, env: env["livechat.workspace"].load(),
    ),
    ("livechat.workspace", "next_queued"): (
        OWN,
        lambda t, env: env["livechat.workspace"].next_queued(),
    ),
    ("livechat.workspace", "sessions"): (
        REFUSED,
        lambda t, env: env["livechat.workspace"].sessions(t.chat_a.id, "queue"),
    ),
    ("livechat.workspace", "search_sessions"): (
        OWN,
        lambda t, env: env["livechat.workspace"].search_sessions("Customer"),
    ),
    ("livechat.workspace", "assignees"): (
        REFUSED,
        lambda t, env: env["livechat.workspace"].assignees(t.chat_a.id),
    ),
    ("livechat.workspace", "customer"): (
        REFUSED,
        lambda t, env: env["livechat.workspace"].customer(t.session.id),
    ),
    ("livechat.workspace", "bind"): (
        REFUSED,
        lambda t, env: env["livechat.workspace"].bind(
            t.session.id, "res.partner", env.user.partner_id.id
        ),
    ),
    ("livechat.workspace", "status"): (
        OWN,
        lambda t, env: env["livechat.workspace"].status(),
    ),
    ("livechat.workspace", "set_muted"): (
        REFUSED,
        lambda t, env: env["livechat.workspace"].set_muted(t.chat_a.id, True),
    ),
    ("livechat.workspace", "set_status"): (
        OWN,
        lambda t, env: env["livechat.workspace"].set_status("online"),
    ),
    # livechat_channels: connectors
    ("livechat.connector.telegram", "create"): (ORM, "administrators only"),
    ("livechat.internal", "my_chats"): (
        OWN,
        lambda t, env: env["livechat.internal"].my_chats(),
    ),
    ("livechat.internal", "start"): (
        REFUSED,
        lambda t, env: env["livechat.internal"].start(t.chat_a.id, "Intruder"),
    ),
    # livechat_widget
    ("livechat.widget", "load"): (
        OWN,
        lambda t, env: env["livechat.widget"].load(
            "res.partner", t.partner.id, "account", "livechat_account_ids"
        ),
    ),
    ("livechat.widget", "new_session_options"): (
        OWN,
        lambda t, env: env["livechat.widget"].new_session_options(
            "res.partner", t.partner.id, "account", "livechat_account_ids"
        ),
    ),
    ("livechat.widget", "new_session"): (
        REFUSED,
        lambda t, env: env["livechat.widget"].new_session(
            "res.partner",
            t.partner.id,
            "account",
            "livechat_account_ids",
            t.chat_a.id,
            t.session.account_id.id,
            "Intruder",
        ),
    ),
    ("livechat.widget.placement", "action_place"): (
        REFUSED,
        lambda t, env: t.placement.with_env(env).action_place(),
    ),
    ("livechat.widget.placement", "action_remove"): (
        REFUSED,
        lambda t, env: t.placement.with_env(env).action_remove(),
    ),
    ("livechat.widget.placement", "write"): (ORM, "administrators only"),
    ("livechat.widget.placement", "unlink"): (ORM, "administrators only"),
}
for _model in (
    "livechat.workspace",
    "livechat.internal",
    "livechat.widget",
    "livechat.conversation",
):
    SURFACE.update(_conversation(_model))
for _connector in (
    "livechat.connector.telegram",
    "livechat.connector.whatsapp",
    "livechat.connector.email",
):
    for _action in ("action_test", "action_connect", "action_disconnect"):
        SURFACE[(_connector, _action)] = (
            REFUSED,
            lambda t, env, c=_connector, a=_action: getattr(
                t.connectors[c].with_env(env), a
            )(),
        )
        # The abstract model has no records: each provider's model is tried.
        SURFACE[("livechat.connector", _action)] = (
            HOOK,
            "abstract: checked on every provider's model",
        )
SURFACE[("livechat.connector.email", "action_fetch")] = (
    REFUSED,
    lambda t, env: t.connectors["livechat.connector.email"]
    .with_env(env)
    .action_fetch(),
)
# Starts an OAuth consent: stores a one-use state, for administrators only.
SURFACE[("livechat.connector.email", "action_oauth_authorize")] = (
    REFUSED,
    lambda t, env: t.connectors["livechat.connector.email"]
    .with_env(env)
    .action_oauth_authorize(),
)
# The conversation's reply, as the employees' chat serves it: their own
# sessions only.
SURFACE[("livechat.internal", "reply")] = (
    REFUSED,
    lambda t, env: env["livechat.internal"].reply(t.session.id, "Intruder"),
)


def public_methods(env):
    """(model, method) for every public method one of the addons defines
    (or overrides) on a model of the registry."""
    found = set()
    for name in env.registry:
        if getattr(env[name], "_original_module", "").startswith("livechat_test"):
            # The tests' own addons (tests/addons), installed with the tests.
            continue
        cls = type(env[name])
        for attr in dir(cls):
            if regex_private.match(attr):
                continue
            owners = [klass for klass in cls.__mro__ if attr in vars(klass)]
            if not owners or not callable(getattr(cls, attr, None)):
                continue
            ours = [
                klass
                for klass in owners
                if klass.__module__.startswith("odoo.addons.livechat_")
            ]
            if (
                ours
                and inspect.isroutine(vars(ours[0])[attr])
                or (ours and isinstance(vars(ours[0])[attr], classmethod))
            ):
                found.add((name, attr))
    return found


@at_install(False)
@post_install(True)
class TestRpcSurface(LivechatCase):

    @classmethod
    def setUpClass(cls):
        super(TestRpcSurface, cls).setUpClass()
        env = cls.env
        cls.portal = cls._user("portal_x", env.ref("base.group_portal"))
        cls.partner = env["res.partner"].create({"name": "Customer of chat A"})
        message = cls.chat_a._receive_message(
            "messenger",
            {"external_id": "rpc-1", "name": "Ann", "partner_id": cls.partner.id},
            "Hello",
        )
        cls.session = message.session_id
        cls.session.sudo(cls.operator).action_take()
        cls.queued = cls.chat_a._receive_message(
            "messenger", {"external_id": "rpc-2", "name": "Bob"}, "Hi"
        ).session_id
        cls.attachment = env["ir.attachment"].create(
            {
                "name": "note.txt",
                "datas": "aGVsbG8=",
                "res_model": "livechat.message",
                "res_id": message.id,
            }
        )
        message.attachment_ids = cls.attachment
        cls.lock = env["livechat.blocklist.rule"].create(
            {
                "name": "Abuse",
                "rule_type": "pattern",
                "pattern": "rpc-blocked-*",
                "chat_id": cls.chat_a.id,
            }
        )
        cls.process = env["ir.actions.server"].create(
            {
                "name": "Follow up",
                "model_id": env.ref("livechat_sessions.model_livechat_session").id,
                "state": "code",
                "code": "env.user.name",
            }
        )
        cls.chat_a.process_manual_ids = cls.process
        # Every provider points at a closed port: a call that got through
        # would fail with the provider's error, not with an AccessError.
        cls.connectors = {}
        closed = "http://127.0.0.1:9"
        values = {
            "livechat.connector.telegram": {"bot_token": "1:x", "api_url": closed},
            "livechat.connector.whatsapp": {
                "phone_number_id": "1",
                "access_token": "x",
                "app_secret": "x",
                "api_url": closed,
            },
            "livechat.connector.email": {
                "email_address": "a@example.com",
                "imap_host": "127.0.0.1",
                "imap_port": 9,
                "imap_ssl": False,
                "imap_login": "a",
                "smtp_host": "127.0.0.1",
                "smtp_port": 9,
            },
        }
        for model, vals in values.items():
            if model in env:
                cls.connectors[model] = env[model].create(
                    dict(vals, name=model, chat_id=cls.chat_a.id)
                )
        if "livechat.widget.placement" in env:
            cls.placement = env["livechat.widget.placement"].search([], limit=1)
        cls.intruders = (cls.outsider, cls.portal, cls.operator_b)

    def test_every_public_method_is_reviewed(self):
        found = public_methods(self.env)
        unreviewed = sorted(found - set(SURFACE))
        self.assertFalse(
            unreviewed,
            "Public methods (callable over RPC by any user) not reviewed in "
            "SURFACE: make them private or add them with their check: %s" % unreviewed,
        )
        # The table names no method that is gone (a method an addon that is
        # not installed adds, or overrides, is not found then).
        stale = sorted(key for key in set(SURFACE) - found if key[0] in self.env)
        if not self._every_addon_installed():
            return
        self.assertFalse(
            stale, "SURFACE lists methods that no longer exist: %s" % stale
        )

    @mute_logger(
        "odoo.models",
        "odoo.addons.base.ir.ir_model",
        "odoo.addons.livechat_sessions.models.livechat_session_process",
        "odoo.sql_db",
    )
    def test_intruders_are_refused_or_get_only_their_own(self):
        failures = []
        checked = 0
        for (model, method), (kind, call) in sorted(SURFACE.items()):
            if model not in self.env or kind not in (REFUSED, OWN):
                continue
            if not hasattr(self.env[model], method):
                continue  # added by an addon not installed here
            if model == "livechat.widget.placement" and not self.placement:
                continue
            for user in self.intruders:
                checked += 1
                outcome = self._attempt(user, call)
                label = "%s.%s as %s" % (model, method, user.login)
                if kind == REFUSED and outcome != "refused":
                    failures.append("%s was not refused: %r" % (label, outcome))
                elif kind == OWN and outcome != "refused" and self._leaks(outcome):
                    failures.append("%s returned chat A's data: %r" % (label, outcome))
        self.assertGreater(checked, 150 if self._every_addon_installed() else 50)
        self.assertFalse(failures, "\n".join(failures))

    def _every_addon_installed(self):
        """The whole project is installed (make test), not only this addon
        (make test-odoo ADDON=livechat_sessions)."""
        addons = {"livechat_sessions", "livechat_channels", "livechat_widget"}
        installed = self.env["ir.module.module"].search(
            [("name", "in", sorted(addons)), ("state", "=", "installed")]
        )
        return set(installed.mapped("name")) == addons

    def _attempt(self, user, call):
        self.env.cr.execute("SAVEPOINT rpc_surface")
        try:
            result = call(self, self.env(user=user.id))
            outcome = ("returned", result)
        except AccessError:
            outcome = "refused"
        except Exception as error:  # pylint: disable=broad-except
            # Refused, but not as an access error: the table wants one.
            outcome = ("raised", type(error).__name__, str(error)[:200])
        self.env.cr.execute("ROLLBACK TO SAVEPOINT rpc_surface")
        self.env["res.users"].invalidate_cache()  # the whole cache
        return outcome

    def _leaks(self, outcome):
        """Whether what an OWN method returned names chat A, its sessions or
        its customers."""
        text = repr(outcome)
        needles = [self.chat_a.name, self.session.name, self.queued.name, "Ann", "Bob"]
        return any(needle in text for needle in needles)

    def test_the_way_in_is_not_served(self):
        """The way in stores a message as the customer: no client reaches it."""
        chat = self.chat_a.sudo(self.operator)
        self.assertFalse(hasattr(type(chat), "receive_message"))
        self.assertTrue(callable(getattr(chat, "_receive_message")))
        # What Odoo's JSON-RPC and XML-RPC check before calling a method.
        with self.assertRaises(AccessError):
            check_method_name("_receive_message")
