# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..engine import naming

#: The channels this addon owns: employees writing from Odoo. An addon that
#: brings a channel declares it itself: ``selection_add`` on the ``channel``
#: fields (livechat.account, .session, .message, .blocklist.rule,
#: .routing.rule, .report.chat) and its description in
#: :meth:`LivechatChat._livechat_channels` (label, icon, how replies reach
#: the customer); no code of this addon names another channel.
CHANNELS = [("internal", "Internal")]

#: The models the Apps tab offers: business apps, not wizards, not this
#: project's own models, not the users or Discuss channels. The chat form's
#: pickers carry the same domains (a test keeps them in step).
APP_DOMAIN = [
    ("transient", "=", False),
    ("model", "not like", "livechat.%"),
    ("model", "not in", ["res.users", "mail.channel"]),
]
#: Apps to Bind Accounts: they hold customers' accounts (an Account-type
#: field, like Contacts' Accounts).
BIND_DOMAIN = APP_DOMAIN + [("field_id.relation", "=", "livechat.account")]
#: Apps to Register Messages: records with a chatter (leads, tickets, orders).
REGISTER_DOMAIN = APP_DOMAIN + [("is_mail_thread", "=", True)]


#: What a chat's supervisors may change in its settings: who works in it,
#: how its sessions are named and closed, its routing. The rest (its name,
#: the apps it binds, the business processes it runs, which are code, and
#: the channels' credentials) is the administrators'. Channels add theirs
#: (:meth:`LivechatChat._supervisor_fields`).
SUPERVISOR_FIELDS = frozenset(
    [
        "operator_group_ids",
        "supervisor_group_ids",
        "customer_group_ids",
        "reader_group_ids",
        "show_operator_name",
        "session_name_template",
        "tz",
        "closing_message",
        "rating_enabled",
        "rating_question",
        "routing_rule_ids",
    ]
)


class LivechatChat(models.Model):
    """A live chat: who answers, who supervises, who may read, how it names
    its sessions and which apps its sessions can be bound to."""

    _name = "livechat.chat"
    _description = "Live Chat"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    operator_group_ids = fields.Many2many(
        "res.groups",
        "livechat_chat_operator_group_rel",
        "chat_id",
        "group_id",
        string="Operator Groups",
        required=True,
        default=lambda self: self.env.ref(
            "livechat_sessions.group_livechat_operator", raise_if_not_found=False
        ),
        help="Members of these groups answer the chat's customers.",
    )
    supervisor_group_ids = fields.Many2many(
        "res.groups",
        "livechat_chat_supervisor_group_rel",
        "chat_id",
        "group_id",
        string="Supervisor Groups",
        required=True,
        default=lambda self: self.env.ref(
            "livechat_sessions.group_livechat_supervisor", raise_if_not_found=False
        ),
        help="Members of these groups see every session of the chat and assign them.",
    )
    customer_group_ids = fields.Many2many(
        "res.groups",
        "livechat_chat_customer_group_rel",
        "chat_id",
        "group_id",
        string="Internal Customer Groups",
        help="Employees in these groups may write to this live chat from Odoo.",
    )
    reader_group_ids = fields.Many2many(
        "res.groups",
        "livechat_chat_reader_group_rel",
        "chat_id",
        "group_id",
        string="Read Permission Groups",
        help="Members of these groups read the chat's sessions, and never write.",
    )
    show_operator_name = fields.Boolean(
        help="Customers see the operator's name; otherwise the chat's name."
    )
    closing_message = fields.Text(
        translate=True,
        help="Sent to the customer on their channel when a session is closed, "
        'e.g. "Thank you for writing to us. Write again any time." Empty: '
        "nothing is sent.",
    )
    rating_enabled = fields.Boolean(
        "Ask for a Rating",
        help="When a session closes, its customer is asked to rate it (website "
        "chat, Telegram, WhatsApp, email): the ratings show on the session and "
        "in the reports.",
    )
    rating_question = fields.Char(
        translate=True,
        default="How would you rate our help?",
        help="The question the customer is asked, above the three answers.",
    )
    session_name_template = fields.Char(
        required=True,
        default=naming.DEFAULT_TEMPLATE,
        help="Placeholders: {customer}, {chat}, {channel}, {DateTime(created)} "
        'and {DateTime(created, "%d.%m.%Y %H:%M")} with any strftime format.',
    )
    session_name_preview = fields.Char(
        compute="_compute_session_name_preview",
        help="A session of a customer named Anna Petrova, writing from the "
        "website now, as this template names it.",
    )
    tz = fields.Selection(
        "_tz_get",
        string="Time Zone",
        default=lambda self: self.env.user.tz or "UTC",
        help="Time zone of the dates in session names.",
    )
    bind_model_ids = fields.Many2many(
        "ir.model",
        "livechat_chat_bind_model_rel",
        "chat_id",
        "model_id",
        string="Apps to Bind Accounts",
        # No field domain: Odoo filters many2many reads by it, which would
        # hide a wrong value from the constraint below. The views carry it.
        help="Apps whose records get the customer's account when an operator "
        "binds one (+Bind): they have an Account-type field, like Contacts' "
        "Accounts. Their Live Chat tab, by account, shows every session of "
        "those accounts.",
    )
    register_model_ids = fields.Many2many(
        "ir.model",
        "livechat_chat_register_model_rel",
        "chat_id",
        "model_id",
        string="Apps to Register Messages",
        help="Apps whose records get the session itself when an operator binds "
        "one (+Bind), like a CRM lead or a helpdesk ticket. Their Live Chat "
        "tab, by app item, shows the sessions bound to the record.",
    )
    # Business processes: Odoo server actions started on session events, run
    # after the event is committed (see livechat.session._run_processes).
    process_create_ids = fields.Many2many(
        "ir.actions.server",
        "livechat_chat_process_create_rel",
        "chat_id",
        "action_id",
        string="When a Session Is Created",
    )
    process_message_ids = fields.Many2many(
        "ir.actions.server",
        "livechat_chat_process_message_rel",
        "chat_id",
        "action_id",
        string="When the Customer Writes",
    )
    process_close_ids = fields.Many2many(
        "ir.actions.server",
        "livechat_chat_process_close_rel",
        "chat_id",
        "action_id",
        string="When a Session Is Closed",
    )
    process_rated_low_ids = fields.Many2many(
        "ir.actions.server",
        "livechat_chat_process_rated_low_rel",
        "chat_id",
        "action_id",
        string="When a Customer Rates Bad",
        help="Started once when a customer rates a session bad (a call back, a "
        "supervisor's task).",
    )
    process_manual_ids = fields.Many2many(
        "ir.actions.server",
        "livechat_chat_process_manual_rel",
        "chat_id",
        "action_id",
        string="Operators May Start",
        help="Listed under +Actions on a session.",
    )
    process_context_ids = fields.One2many(
        "livechat.chat.process.context",
        "chat_id",
        help="Values from the session handed to every process in its context.",
    )
    routing_rule_ids = fields.One2many(
        "livechat.routing.rule",
        "chat_id",
        string="Routing Rules",
        help="Tried in order on a session's first message; without a match, "
        "First Response: the session waits in the queue for the first "
        "operator to take it.",
    )
    session_ids = fields.One2many("livechat.session", "chat_id")
    queued_count = fields.Integer(compute="_compute_session_counts")
    active_count = fields.Integer(compute="_compute_session_counts")

    @api.model
    def _livechat_channels(self):
        """What the clients and the way out need to know of each channel,
        by key: ``label`` (how the workspace names it; the selection's
        label otherwise), ``icon`` (a Font Awesome class shown beside a
        customer's message, or False), ``read_in_odoo`` (customers read the
        replies in Odoo itself: a reply is delivered once stored) and
        ``channel_accounts`` (only the channel creates its accounts: nobody
        creates one by hand) and ``rated`` (its customers are asked to rate
        a closed session, when the chat asks: the channel shows the question
        with its answers). Addons that bring a channel add theirs."""
        return {
            "internal": {
                "label": _("Odoo"),
                "icon": False,
                "read_in_odoo": True,
                "channel_accounts": True,
            },
        }

    @api.model
    def _livechat_channel(self, key):
        """The description of channel ``key`` (see :meth:`_livechat_channels`),
        with its label."""
        labels = dict(
            self.env["livechat.account"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        description = dict(self._livechat_channels().get(key) or {})
        description.setdefault("label", labels.get(key, key))
        return description

    @api.model
    def _tz_get(self):
        return self.env["res.partner"]._fields["tz"].selection(self)

    @api.depends("session_name_template", "tz", "name")
    def _compute_session_name_preview(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        for chat in self:
            try:
                chat.session_name_preview = naming.render(
                    chat.session_name_template,
                    customer="Anna Petrova",
                    chat=chat.name or _("Customer Support"),
                    channel=_("Website"),
                    created=now,
                    tz_name=chat.tz or "UTC",
                )
            except naming.TemplateError as error:
                chat.session_name_preview = self._template_error(error)

    @api.model
    def _template_error(self, error):
        return _("{%s} is not a placeholder. Use %s.") % (
            error.placeholder,
            ", ".join(naming.PLACEHOLDERS),
        )

    @api.constrains("session_name_template")
    def _check_session_name_template(self):
        for chat in self:
            try:
                naming.check_template(chat.session_name_template)
            except naming.TemplateError as error:
                raise ValidationError(
                    _("The session naming template of %s is invalid: %s")
                    % (chat.name, self._template_error(error))
                )

    user_can_configure = fields.Boolean(
        compute="_compute_user_can_configure",
        help="The current user administers live chats: they may change every "
        "setting, a supervisor only those of their role.",
    )

    def _compute_user_can_configure(self):
        manager = self.env.user.has_group("livechat_sessions.group_livechat_manager")
        for chat in self:
            chat.user_can_configure = manager

    @api.model
    def _supervisor_fields(self):
        """The settings a chat's supervisors may change (SUPERVISOR_FIELDS
        and the channels')."""
        return set(SUPERVISOR_FIELDS)

    @api.multi
    def write(self, vals):
        # Supervisors reach here for the chats they supervise (the record
        # rules); they change only what their role allows.
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(
            "livechat_sessions.group_livechat_manager"
        ):
            refused = sorted(set(vals) - self._supervisor_fields())
            if refused:
                raise AccessError(
                    _(
                        "Only live chat administrators change these settings: "
                        "%s. Supervisors change the staff groups, session "
                        "naming, closing message and routing of their chats."
                    )
                    % ", ".join(
                        name in self._fields and self._fields[name].string or name
                        for name in refused
                    )
                )
        return super(LivechatChat, self).write(vals)

    @api.constrains("bind_model_ids", "register_model_ids")
    def _check_app_models(self):
        """Only apps that qualify (see BIND_DOMAIN and REGISTER_DOMAIN): the
        server refuses what the form's pickers do not offer."""
        Model = self.env["ir.model"].sudo()
        for chat in self:
            wrong = chat.bind_model_ids - Model.search(BIND_DOMAIN)
            if wrong:
                raise ValidationError(
                    _(
                        "%s cannot be an app to bind accounts: it needs an "
                        "Account-type field (like Contacts' Accounts), and wizards, "
                        "users and the live chats' own records do not qualify."
                    )
                    % wrong[0].name
                )
            wrong = chat.register_model_ids - Model.search(REGISTER_DOMAIN)
            if wrong:
                raise ValidationError(
                    _(
                        "%s cannot be an app to register messages: it needs a "
                        "chatter (like Leads or Tickets), and wizards, users and "
                        "the live chats' own records do not qualify."
                    )
                    % wrong[0].name
                )

    @api.constrains(
        "process_create_ids",
        "process_message_ids",
        "process_close_ids",
        "process_rated_low_ids",
        "process_manual_ids",
    )
    def _check_processes(self):
        for chat in self:
            actions = (
                chat.process_create_ids
                | chat.process_message_ids
                | chat.process_close_ids
                | chat.process_rated_low_ids
                | chat.process_manual_ids
            )
            wrong = actions.filtered(lambda a: a.model_id.model != "livechat.session")
            if wrong:
                raise ValidationError(
                    _(
                        "Business processes of a live chat run on its sessions: "
                        "%s is for another model."
                    )
                    % wrong[0].name
                )

    @api.constrains("operator_group_ids", "supervisor_group_ids")
    def _check_groups(self):
        for chat in self:
            if not chat.operator_group_ids or not chat.supervisor_group_ids:
                raise ValidationError(
                    _("Live chat %s needs operator groups and supervisor groups.")
                    % chat.name
                )

    def _compute_session_counts(self):
        counts = {}
        if self.ids:
            self.env.cr.execute(
                """SELECT chat_id, state, count(*) FROM livechat_session
                   WHERE chat_id IN %s AND state IN ('queued', 'active')
                     AND NOT is_spam
                   GROUP BY chat_id, state""",
                (tuple(self.ids),),
            )
            for chat_id, state, count in self.env.cr.fetchall():
                counts[(chat_id, state)] = count
        for chat in self:
            chat.queued_count = counts.get((chat.id, "queued"), 0)
            chat.active_count = counts.get((chat.id, "active"), 0)

    # Roles ------------------------------------------------------------------

    def _route(self, session, text):
        """Apply the first matching routing rule to a new ``session``;
        without one it stays in the chat's queue (First Response)."""
        self.ensure_one()
        for rule in self.routing_rule_ids:
            if rule._matches(session, text):
                rule._route(session)
                return rule
        return self.env["livechat.routing.rule"]

    def _is_operator(self, user):
        self.ensure_one()
        return bool(self.operator_group_ids & user.groups_id)

    @api.model
    def _configures(self, vals):
        """Whether the current user may write a chat's configuration record
        (a routing or website rule) with the values ``vals``: the
        superuser, a live chat administrator, or a supervisor of the chat
        ``vals`` names, if it names one. Checked before anything is
        written: the record rules see a rule's chat only before a write
        moves it to another."""
        user = self.env.user
        if self.env.uid == SUPERUSER_ID or user.has_group(
            "livechat_sessions.group_livechat_manager"
        ):
            return True
        if not vals.get("chat_id"):
            return True
        chat = self.sudo().browse(int(vals["chat_id"])).exists()
        return bool(chat) and chat._is_supervisor(user)

    def _is_supervisor(self, user):
        """Supervisors of the chat, and Live Chat Administrators everywhere."""
        self.ensure_one()
        return bool(self.supervisor_group_ids & user.groups_id) or user.has_group(
            "livechat_sessions.group_livechat_manager"
        )

    # Way in -----------------------------------------------------------------

    def _receive_message(
        self,
        channel,
        account,
        body,
        external_id=None,
        body_type="text",
        attachments=None,
        date=None,
    ):
        """Take one inbound customer message: the one way in for every channel.

        Private on purpose: it stores a message *as the customer*, so it is
        called only by server-side code that has authenticated the channel
        (a webhook's secret or signature, a mailbox, a visitor's token, the
        employee's own session). Odoo serves every public model method over
        RPC to any logged-in user; a public way in would let any employee
        post as any customer.

        See :meth:`livechat.message._receive` for the arguments.
        """
        self.ensure_one()
        return self.env["livechat.message"]._receive(
            self,
            channel,
            account,
            body,
            external_id=external_id,
            body_type=body_type,
            attachments=attachments,
            date=date,
        )

    @api.model
    def get_queue_counts(self):
        """Queued sessions per chat the current user operates or supervises."""
        user = self.env.user
        return [
            {
                "chat_id": chat.id,
                "name": chat.name,
                "queued": chat.queued_count,
                "is_supervisor": chat._is_supervisor(user),
            }
            for chat in self._staffed_by_me()
        ]

    def _why_no_first_message(self, channel):
        """Why an operator cannot write first to a customer on ``channel``
        in this chat now (no connected bot, no inbox...), as one sentence
        for them; None when the message can leave. Asked by + New session
        before anything is stored; channels add their rules
        (livechat_channels)."""
        self.ensure_one()
        return None

    @api.model
    def _staffed_by_me(self):
        """The live chats the current user operates or supervises."""
        user = self.env.user
        return self.search([]).filtered(
            lambda chat: chat._is_operator(user) or chat._is_supervisor(user)
        )
