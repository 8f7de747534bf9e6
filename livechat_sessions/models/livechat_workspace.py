# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The server side of the operator workspace (the Live Chats client action):
its left menu (the caller's chats, their session groups and counters) and
the session lists. Conversations are ``livechat.conversation``'s.

Every read runs with the caller's rights, so the counters and lists are
what the record rules let them see; lists are paginated.
"""
from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

from .livechat_conversation import MAX_SEARCH

#: Sessions per page in a group's list.
SESSION_PAGE = 40
#: The session groups of a chat, in the order of the menu; ``active`` is
#: shown to the chat's supervisors only.
GROUPS = ("queue", "mine", "active", "closed")


class LivechatWorkspace(models.AbstractModel):
    _name = "livechat.workspace"
    _inherit = "livechat.conversation"
    _description = "Live Chats Workspace"

    @api.model
    def _check_workspace(self):
        if not self.env.user.has_group("livechat_sessions.group_livechat_operator"):
            raise AccessError(
                _("The Live Chats workspace is for operators and " "supervisors.")
            )

    @api.model
    def _group_domain(self, chat, group):
        domain = [("chat_id", "=", chat.id), ("is_spam", "=", False)]
        if group == "queue":
            return domain + [("state", "=", "queued")]
        if group == "mine":
            return domain + [
                ("state", "=", "active"),
                ("operator_id", "=", self.env.uid),
            ]
        if group == "active":
            if not chat._is_supervisor(self.env.user):
                raise AccessError(
                    _("Only the supervisors of %s see all its " "active sessions.")
                    % chat.name
                )
            return domain + [("state", "=", "active")]
        if group == "closed":
            return domain + [("state", "=", "closed")]
        raise ValidationError(_("Unknown session group: %s.") % group)

    @api.model
    def load(self):
        """The left menu: the caller's status, their chats with the counters
        of each session group, and their unread total."""
        self._check_workspace()
        chats = self.env["livechat.chat"]._staffed_by_me()
        Session = self.env["livechat.session"]
        # Two grouped counts for every chat at once, whatever their size.
        counts = {
            (row["chat_id"][0], row["state"]): row["__count"]
            for row in Session.read_group(
                [("chat_id", "in", chats.ids), ("is_spam", "=", False)],
                ["chat_id", "state"],
                ["chat_id", "state"],
                lazy=False,
            )
        }
        mine = {
            row["chat_id"][0]: row["chat_id_count"]
            for row in Session.read_group(
                [
                    ("chat_id", "in", chats.ids),
                    ("is_spam", "=", False),
                    ("state", "=", "active"),
                    ("operator_id", "=", self.env.uid),
                ],
                ["chat_id"],
                ["chat_id"],
            )
        }
        user = self.env.user
        muted = user.sudo().livechat_muted_chat_ids
        result = []
        for chat in chats:
            supervisor = chat._is_supervisor(user)
            groups = [
                {"group": "queue", "count": counts.get((chat.id, "queued"), 0)},
                {"group": "mine", "count": mine.get(chat.id, 0)},
            ]
            if supervisor:
                groups.append(
                    {"group": "active", "count": counts.get((chat.id, "active"), 0)}
                )
            groups.append(
                {"group": "closed", "count": counts.get((chat.id, "closed"), 0)}
            )
            result.append(
                {
                    "id": chat.id,
                    "name": chat.name,
                    "is_supervisor": supervisor,
                    "is_operator": chat._is_operator(user),
                    "muted": chat in muted,
                    "groups": groups,
                }
            )
        counters = Session.get_counters()
        manager = user.has_group("livechat_sessions.group_livechat_manager")
        return {
            # No live chat at all yet: the administrator creates the first.
            "first_run": manager
            and not chats
            and not self.env["livechat.chat"].search_count([]),
            "status": user.livechat_status,
            "chats": result,
            "unread_total": counters["unread_total"],
            "links": self._links(),
        }

    @api.model
    def _links(self):
        """The menu's other places (Response templates, My Desk, Reports,
        Settings): the actions whose records the caller may read, by
        section, as ``(action xmlid, label, context)``. With them the
        workspace's menu is the only one it shows (Odoo's menu of the app
        is hidden beside it: workspace.less)."""
        sections = [
            (
                _("Response templates"),
                [
                    (
                        "livechat_sessions.livechat_response_template_action",
                        _("Articles"),
                        {"search_default_articles": 1, "default_kind": "article"},
                    ),
                    (
                        "livechat_sessions.livechat_response_template_action",
                        _("Templates"),
                        {"search_default_templates": 1, "default_kind": "template"},
                    ),
                ],
            ),
            (
                _("My Desk"),
                [
                    ("livechat_sessions.livechat_session_action", _("Sessions"), {}),
                    ("livechat_sessions.livechat_account_action", _("Accounts"), {}),
                    (
                        "livechat_sessions.livechat_blocklist_rule_action",
                        _("Blocklist"),
                        {},
                    ),
                ],
            ),
            (
                _("Reports"),
                [
                    (
                        "livechat_sessions.livechat_report_operator_action",
                        _("Operators' Performance"),
                        {},
                    ),
                    (
                        "livechat_sessions.livechat_report_chat_action",
                        _("Live Chat Performance"),
                        {},
                    ),
                ],
            ),
        ]
        if self.env.user.has_group("livechat_sessions.group_livechat_supervisor"):
            # Supervisors change their chats' settings (livechat.chat.write
            # says which).
            sections.append(
                (
                    _("Settings"),
                    [("livechat_sessions.livechat_chat_action", _("Live Chats"), {})],
                )
            )
        result = []
        for section, entries in sections:
            links = []
            for xmlid, label, context in entries:
                action = self.env.ref(xmlid, raise_if_not_found=False)
                if action and self.env[action.sudo().res_model].check_access_rights(
                    "read", raise_exception=False
                ):
                    links.append({"xmlid": xmlid, "label": label, "context": context})
            if links:
                result.append({"section": section, "links": links})
        return result

    @api.model
    def next_queued(self):
        """The session an operator should look at next: the oldest queued
        one (highest priority first) of the chats they operate, that they
        may take; False when the queues are empty."""
        self._check_workspace()
        user = self.env.user
        chats = (
            self.env["livechat.chat"]
            ._staffed_by_me()
            .filtered(lambda chat: chat._is_operator(user))
        )
        session = self.env["livechat.session"].search(
            user._livechat_queue_domain(chats),
            order="priority desc, first_message_date, id",
            limit=1,
        )
        return session and {"session_id": session.id, "chat_id": session.chat_id.id}

    @api.model
    def sessions(self, chat_id, group, search="", offset=0):
        """One page of a chat's session group, newest activity first; with
        ``search``, only sessions whose name contains it."""
        self._check_workspace()
        chat = (
            self.env["livechat.chat"]
            ._staffed_by_me()
            .filtered(lambda c: c.id == self._id(chat_id, "live chat"))
        )
        if not chat:
            raise AccessError(_("You work in no such live chat."))
        domain = self._group_domain(chat, group)
        if search:
            domain.append(("name", "ilike", search))
        Session = self.env["livechat.session"]
        sessions = Session.search(
            domain, limit=SESSION_PAGE, offset=self._id(offset, "page")
        )
        return {
            "sessions": self._format_sessions(sessions),
            "count": Session.search_count(domain),
            "page_size": SESSION_PAGE,
        }

    @api.model
    def search_sessions(self, text, offset=0):
        """What the search bar finds with no session open: the sessions
        whose name contains ``text`` in every group of every chat the caller
        works in (the groups they see in the menu), newest activity first,
        each with its chat and group."""
        self._check_workspace()
        text = " ".join(text.split()) if isinstance(text, str) else None
        if not text or len(text) > MAX_SEARCH:
            raise ValidationError(
                _("Search for a text of at most %d characters.") % MAX_SEARCH
            )
        user = self.env.user
        domains = []
        for chat in self.env["livechat.chat"]._staffed_by_me():
            for group in GROUPS:
                if group == "active" and not chat._is_supervisor(user):
                    continue
                # Normalized: Odoo 11's OR() joins the leaves as they are,
                # and a group's implicit AND would melt into the OR.
                domains.append(
                    expression.normalize_domain(self._group_domain(chat, group))
                )
        if not domains:
            return {"sessions": [], "count": 0, "page_size": SESSION_PAGE}
        domain = expression.AND([expression.OR(domains), [("name", "ilike", text)]])
        Session = self.env["livechat.session"]
        sessions = Session.search(
            domain, limit=SESSION_PAGE, offset=self._id(offset, "page")
        )
        rows = self._format_sessions(sessions)
        for row, session in zip(rows, sessions):
            row["group"] = (
                "queue"
                if session.state == "queued"
                else (
                    "closed"
                    if session.state == "closed"
                    else "mine" if session.operator_id == user else "active"
                )
            )
            row["chat"] = {"id": session.chat_id.id, "name": session.chat_id.name}
        return {
            "sessions": rows,
            "count": Session.search_count(domain),
            "page_size": SESSION_PAGE,
        }

    @api.model
    def assignees(self, chat_id):
        """Whom a session of the chat may be assigned to (by a supervisor,
        or by its operator handing it on): the chat's operators (users of its
        operator groups) and those groups. For the chat's staff only."""
        self._check_workspace()
        chat = (
            self.env["livechat.chat"]
            ._staffed_by_me()
            .filtered(lambda c: c.id == self._id(chat_id, "live chat"))
        )
        if not chat:
            raise AccessError(_("You work in no such live chat."))
        chat = chat.sudo()
        users = chat.operator_group_ids.mapped("users").filtered("active")
        return {
            "users": [{"id": u.id, "name": u.name} for u in users.sorted("name")],
            "groups": [
                {"id": g.id, "name": g.name}
                for g in chat.operator_group_ids.sorted("name")
            ],
        }

    @api.model
    def customer(self, session_id):
        """The About pane's customer and apps: who the customer is (their
        account on the channel, the contact and the Odoo user it belongs
        to) and, for each app the chat binds records of, the records bound
        to this customer or session (those the caller may read)."""
        self._check_workspace()
        session = self._session(session_id).sudo()
        account = session.account_id
        chat = session.chat_id
        apps = []
        for model in chat.bind_model_ids | chat.register_model_ids:
            records = self._bound_records(session, model.model)
            apps.append(
                {
                    "model": model.model,
                    "name": model.name,
                    "records": [{"id": r.id, "name": r.display_name} for r in records],
                }
            )
        # Whether they have a picture, without loading it.
        pictures = self._with_picture(account, account.user_id)
        return {
            "account": {
                "id": account.id,
                "name": account.name,
                "channel": account.channel,
                "channel_label": self.env["livechat.chat"]._livechat_channel(
                    account.channel
                )["label"],
                "external_id": account.external_id,
                "avatar": self._picture_url(
                    account, account.user_id.browse(), pictures
                ),
            },
            "partner": (
                {
                    "id": account.partner_id.id,
                    "name": account.partner_id.display_name,
                }
                if account.partner_id
                else False
            ),
            "user": (
                {
                    "id": account.user_id.id,
                    "name": account.user_id.name,
                    "avatar": self._picture_url(account, account.user_id, pictures),
                }
                if account.user_id
                else False
            ),
            "apps": sorted(apps, key=lambda app: app["name"]),
        }

    @api.model
    def _bound_records(self, session, model_name):
        """Records of ``model_name`` bound to the session (a binding) or to
        its customer's account (an Account-type field), as the caller sees
        them."""
        Model = self.env[model_name]
        if not Model.check_access_rights("read", raise_exception=False):
            return Model.browse()
        bound = session.binding_ids.filtered(lambda b: b.res_model == model_name)
        records = Model.browse(bound.mapped("res_id"))
        for name in self.env["livechat.account"]._fields_of(model_name):
            records |= Model.search([(name, "in", session.account_id.ids)], limit=20)
        return Model.search([("id", "in", records.ids)]) if records else records

    @api.model
    def bind(self, session_id, model_name, res_id):
        """+Bind: bind a record of one of the chat's apps to the session:
        a record of an app to bind accounts gets the customer's account in
        its Account-type field (so the record shows all their sessions); a
        record of an app to register messages is bound to this session.
        Writes run with the caller's rights (an account's contact is set on
        the account)."""
        self._check_workspace()
        session = self._session(session_id)
        session._check_staff()  # an operator of its chat, Online
        chat = session.sudo().chat_id
        if model_name not in (chat.bind_model_ids | chat.register_model_ids).mapped(
            "model"
        ):
            raise ValidationError(
                _("Live chat %s does not bind records of %s.") % (chat.name, model_name)
            )
        record = self.env[model_name].browse(self._id(res_id, "record")).exists()
        if not record:
            raise ValidationError(_("The record to bind does not exist."))
        # The caller must see the record, with their own rights.
        record.check_access_rights("read")
        record.check_access_rule("read")
        account = session.sudo().account_id
        if model_name in chat.bind_model_ids.mapped("model"):
            for name in self.env["livechat.account"]._fields_of(model_name):
                field = record._fields[name]
                if field.type == "one2many":
                    # A contact's Accounts: the account points to the
                    # contact; operators edit accounts, not always contacts.
                    account.sudo(self.env.user).write({field.inverse_name: record.id})
                elif field.type == "many2many":
                    record.write({name: [(4, account.id)]})
                else:
                    record.write({name: account.id})
        if model_name in chat.register_model_ids.mapped("model"):
            Binding = self.env["livechat.session.binding"].sudo()
            if not Binding.search_count(
                [
                    ("session_id", "=", session.id),
                    ("res_model", "=", model_name),
                    ("res_id", "=", record.id),
                ]
            ):
                Binding.create(
                    {
                        "session_id": session.id,
                        "res_model": model_name,
                        "res_id": record.id,
                    }
                )
        return self.customer(session.id)

    @api.model
    def status(self):
        """The systray's: the caller's status, their unread total, and the
        sessions waiting in the queues of their chats (no operator yet)."""
        self._check_workspace()
        counters = self.env["livechat.session"].get_counters()
        return {
            "status": self.env.user.livechat_status,
            "unread_total": counters["unread_total"],
            # Per session: what a message or a "seen" over the bus changes.
            "unread": counters["unread"],
            "queued_total": sum(chat["queued"] for chat in counters["queues"]),
            # The systray's browser notifications skip these chats.
            "muted_chat_ids": self.env.user.sudo().livechat_muted_chat_ids.ids,
        }

    @api.model
    def set_muted(self, chat_id, muted):
        """Mute (or not) the caller's Inbox and browser notifications of a
        live chat they work in."""
        self._check_workspace()
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise ValidationError(_("A live chat is given by its id."))
        chat = (
            self.env["livechat.chat"]
            ._staffed_by_me()
            .filtered(lambda c: c.id == chat_id)
        )
        if not chat:
            raise AccessError(_("You do not work in this live chat."))
        self.env.user.sudo().livechat_muted_chat_ids = [(4 if muted else 3, chat.id)]
        return bool(muted)

    @api.model
    def set_status(self, status):
        """The Online / Offline switch."""
        self._check_workspace()
        return self.env["res.users"].livechat_set_status(status)
