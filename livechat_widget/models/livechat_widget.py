# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The server side of the Live Chat Messages form widget.

The widget shows the live chat sessions of the record its form displays:

* **By account**: the sessions of the record's accounts (an Account-type
  field of the record, ``livechat_account_ids``, or of a record it links to,
  ``partner_id.livechat_account_ids``), in any live chat;
* **By app item**: the sessions bound to the record itself, or to the record
  one of its Many2one fields points to (``partner_id``).

Everything here runs with the caller's rights: the record must be readable
by them, and which sessions they see is decided by ``livechat_sessions``'
record rules (operators: the queue and their own; supervisors: their chats;
readers: read only). Every list is paginated, so the number of queries does
not grow with the number of sessions or messages.
"""
from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError

MODES = [("account", "By account"), ("item", "By app item")]
#: Sessions per page in the widget's left pane.
SESSION_PAGE = 20
ACCOUNT_MODEL = "livechat.account"
#: Models the placement wizard never offers: Odoo's technical ones and the
#: live chats' own.
TECHNICAL_PREFIXES = (
    "ir.",
    "base",
    "bus.",
    "queue.",
    "mail.",
    "web",
    "report.",
    "res.config",
    "livechat.",
)


class LivechatWidget(models.AbstractModel):
    """The widget's API: ``load``, ``new_session_options``, ``new_session``
    here; ``messages`` and ``reply`` from ``livechat.conversation``."""

    _name = "livechat.widget"
    _inherit = "livechat.conversation"
    _description = "Live Chat Messages Widget"

    # Configuration ------------------------------------------------------------

    @api.model
    def _account_fields(self, model_name):
        """Names of the Account-type fields of ``model_name``."""
        return self.env[ACCOUNT_MODEL]._fields_of(model_name)

    @api.model
    def _qualifying_models(self):
        """The models the placement wizard offers: business records whose
        forms can show customers' sessions, that is with an Account-type
        field, or a Many2one field to a customer-like record that has one
        (a contact). Odoo's technical models, wizards, the live chats' own
        models, and links to users (every record has a responsible user;
        _check_config still accepts them) are left out."""
        return sorted(
            name
            for name, model in self.env.registry.items()
            if not model._transient
            and not model._abstract
            and model._auto
            and not name.startswith(TECHNICAL_PREFIXES)
            and (
                self._account_fields(name)
                or [
                    link
                    for link in self._account_links(name)
                    if model._fields[link].comodel_name != "res.users"
                ]
            )
        )

    @api.model
    def _account_links(self, model_name):
        """Many2one fields of ``model_name`` to a model that has an
        Account-type field."""
        return [
            name
            for name, field in self.env[model_name]._fields.items()
            if field.type == "many2one" and field.comodel_name != ACCOUNT_MODEL
            # Every model points to users (who inherit the contacts' accounts)
            # through its creator and last editor: not what a form is about.
            and name not in models.LOG_ACCESS_COLUMNS
            and field.comodel_name in self.env
            and self._account_fields(field.comodel_name)
        ]

    @api.model
    def _check_config(self, model_name, mode, path):
        """Validate a widget configuration and return ``path`` as a list.

        ``path`` is, by account, ``"<account field>"`` or ``"<many2one>.<account
        field>"``; by app item, empty (the current item) or ``"<many2one>"``.
        Raise a ValidationError saying what is wrong, in the administrator's
        terms.
        """
        if model_name not in self.env:
            raise ValidationError(_("Unknown model: %s.") % model_name)
        Model = self.env[model_name]
        description = Model._description or model_name
        if not (self._account_fields(model_name) or self._account_links(model_name)):
            raise ValidationError(
                _(
                    "%s has neither an Account-type field nor a Many2one field to a "
                    "model that has one, so it has no live chat accounts to show."
                )
                % description
            )
        parts = [part for part in (path or "").split(".") if part]
        if mode == "account":
            if len(parts) == 1 and parts[0] in self._account_fields(model_name):
                return parts
            if (
                len(parts) == 2
                and parts[0] in self._account_links(model_name)
                and parts[1]
                in self._account_fields(Model._fields[parts[0]].comodel_name)
            ):
                return parts
            raise ValidationError(
                _(
                    "By account, choose an Account-type field of %s, or of a model "
                    "one of its Many2one fields points to (for example "
                    "partner_id.livechat_account_ids); %r is neither."
                )
                % (description, path or "")
            )
        if mode == "item":
            if not parts:
                return parts
            if len(parts) == 1 and parts[0] in self._account_links(model_name):
                return parts
            raise ValidationError(
                _(
                    "By app item, choose the current item or a Many2one field of %s "
                    "pointing to a model with an Account-type field; %r is not one."
                )
                % (description, path)
            )
        raise ValidationError(_("Unknown widget mode: %s.") % mode)

    # Reading ------------------------------------------------------------------

    @api.model
    def _session_domain(self, model_name, res_id, mode, path):
        """The domain of the sessions the widget shows for the record, before
        record rules; spam sessions stay out as everywhere else."""
        parts = self._check_config(model_name, mode, path)
        record = self._readable(model_name, res_id, "record")
        # The caller may read the record; the link and account ids are read as
        # superuser because what the caller then *sees* is the sessions, which
        # the record rules filter.
        record = record.sudo()
        if mode == "account":
            accounts = record.mapped(".".join(parts))
            return [("account_id", "in", accounts.ids), ("is_spam", "=", False)]
        item = record[parts[0]] if parts else record
        return [
            ("binding_ids.res_model", "=", item._name),
            ("binding_ids.res_id", "=", item.id or 0),
            ("is_spam", "=", False),
        ]

    @api.model
    def load(self, model_name, res_id, mode, path="", archive=False, offset=0):
        """What the widget shows first: its left pane (one page of active or
        archived sessions and both counts) and whether the caller may start
        sessions. A caller without a Live Chats role gets the reason and no
        data."""
        reason = self._no_access_reason()
        if reason:
            return {"access": False, "reason": reason}
        domain = self._session_domain(model_name, res_id, mode, path)
        Session = self.env["livechat.session"]
        open_domain = domain + [("state", "!=", "closed")]
        closed_domain = domain + [("state", "=", "closed")]
        sessions = Session.search(
            closed_domain if archive else open_domain,
            limit=SESSION_PAGE,
            offset=self._id(offset, "page"),
        )
        return {
            "access": True,
            "sessions": self._format_sessions(sessions),
            "active_count": Session.search_count(open_domain),
            "archive_count": Session.search_count(closed_domain),
            "page_size": SESSION_PAGE,
            "can_start": bool(self.env["livechat.chat"]._staffed_by_me()),
        }

    # Writing ------------------------------------------------------------------

    @api.model
    def _contacts(self, model_name, res_id, mode, path):
        """The records whose accounts a new session may be started with: by
        account, the record (or the one its path goes through); by app item,
        the item if it has accounts, and every record it links to that has
        some (a lead's customer)."""
        parts = self._check_config(model_name, mode, path)
        record = self._readable(model_name, res_id, "record").sudo()
        if mode == "account":
            holder = record[parts[0]] if len(parts) == 2 else record
            return [(holder, parts[-1])]
        item = record[parts[0]] if parts else record
        contacts = [(item, name) for name in self._account_fields(item._name)]
        for link in self._account_links(item._name):
            target = item[link]
            for name in self._account_fields(target._name):
                contacts.append((target, name))
        return [(holder, name) for holder, name in contacts if holder]

    @api.model
    def _visible_accounts(self, accounts):
        """Those of ``accounts`` (read as superuser through the record) that
        the caller may see: their chats' customers (record rules)."""
        return self.env["livechat.account"].search([("id", "in", accounts.ids)])

    @api.model
    def new_session_options(self, model_name, res_id, mode, path=""):
        """What the +New Session dialog offers: the caller's chats, and the
        contacts of the record with their accounts."""
        reason = self._no_access_reason()
        if reason:
            raise AccessError(reason)
        chats = self.env["livechat.chat"]._staffed_by_me()
        contacts = []
        for holder, field_name in self._contacts(model_name, res_id, mode, path):
            accounts = self._visible_accounts(holder[field_name])
            contacts.append(
                {
                    "id": "%s,%s" % (holder._name, holder.id),
                    "name": holder.display_name,
                    "accounts": [
                        {"id": a.id, "name": a.display_name} for a in accounts
                    ],
                }
            )
        return {
            "chats": [{"id": c.id, "name": c.name} for c in chats],
            "contacts": contacts,
            "online": self.env.user.livechat_status == "online",
        }

    @api.model
    def new_session(self, model_name, res_id, mode, path, chat_id, account_id, body):
        """+New Session: an outbound session with ``account_id`` in
        ``chat_id``, its first message ``body``, and, by app item, bound to the
        item so that it shows in the widget. Returns the session's id."""
        reason = self._no_access_reason()
        if reason:
            raise AccessError(reason)
        if not (body or "").strip():
            raise ValidationError(_("Write the first message of the session."))
        offered = self.env["livechat.account"]
        for holder, field_name in self._contacts(model_name, res_id, mode, path):
            offered |= holder[field_name]
        account_id = self._id(account_id, "account")
        if account_id not in offered.ids:
            raise ValidationError(_("This account does not belong to the record."))
        if account_id not in self._visible_accounts(offered).ids:
            raise AccessError(
                _("This customer belongs to a live chat you do not " "work in.")
            )
        # create() checks the role in the chat, the Online status and that
        # the customer has no open session there.
        session = self.env["livechat.session"].create(
            {
                "chat_id": self._id(chat_id, "live chat"),
                "account_id": account_id,
            }
        )
        if mode == "item":
            parts = self._check_config(model_name, mode, path)
            record = self._readable(model_name, res_id, "record").sudo()
            item = record[parts[0]] if parts else record
            self.env["livechat.session.binding"].create(
                {
                    "session_id": session.id,
                    "res_model": item._name,
                    "res_id": item.id,
                }
            )
        session.reply(body)
        return session.id
