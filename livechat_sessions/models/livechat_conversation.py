# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading and answering one session's conversation from the web client:
the server side of ``livechat_sessions.Conversation``, shared by the
operator workspace and the Live Chat Messages widget (livechat_widget).

Everything runs with the caller's rights: a session is shown only if the
record rules let the caller read it, and replies go through
``livechat.session.reply`` and its checks. Pages are bounded, so the number
of queries does not grow with the number of messages.
"""
import re
from html import escape as html_escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

from .livechat_message import ATTACHMENT_FIELDS

#: Messages per page in the chat window (the chatter's page is 25).
MESSAGE_PAGE = 30
#: The search bar in a session: the longest text searched, the messages
#: whose HTML may contain it that are looked at, the hits returned, and the
#: characters of context each side of a hit.
MAX_SEARCH = 200
SEARCH_CANDIDATES = 500
MAX_HITS = 100
SNIPPET_CONTEXT = 40
#: What a staff member does in a conversation, as the others see it live:
#: has it open, writes in it, has left it.
PRESENCE_STATES = ("viewing", "typing", "left")


class LivechatConversation(models.AbstractModel):
    _name = "livechat.conversation"
    _description = "Live Chat Conversation"

    #: Internal notes are part of the conversation for the staff; a
    #: customer-side model (the employees' chat) leaves them out.
    _shows_notes = True

    @api.model
    def _no_access_reason(self):
        if not self.env.user.has_group("livechat_sessions.group_livechat_reader"):
            return _(
                "Live chat conversations are shown to the operators, "
                "supervisors and readers of a live chat. Ask your "
                "administrator for a role in Live Chats."
            )
        return None

    @api.model
    def _id(self, value, what):
        """``value`` as a record id, or a clear error (RPC input)."""
        try:
            value = -1 if isinstance(value, bool) and value else int(value or 0)
        except (TypeError, ValueError):
            value = -1
        if value < 0:
            raise ValidationError(_("Invalid %s id.") % what)
        return value

    @api.model
    def _readable(self, model_name, res_id, what):
        """The record, checked readable by the caller (access rights and
        record rules)."""
        record = self.env[model_name].browse(self._id(res_id, what)).exists()
        if not record:
            raise ValidationError(_("This %s does not exist (any more).") % what)
        record.check_access_rights("read")
        record.check_access_rule("read")
        return record

    @api.model
    def _session(self, session_id):
        return self._readable("livechat.session", session_id, "session")

    @api.model
    def _format_sessions(self, sessions):
        rows = sessions.read(
            [
                "name",
                "state",
                "chat_id",
                "channel",
                "operator_id",
                "last_message_date",
                "unread_count",
                "account_id",
                "priority",
                "is_spam",
                "first_message_date",
                "group_id",
                "rating",
                "rating_comment",
            ]
        )
        labels = dict(sessions._rating_labels())
        for row in rows:
            for key in ("chat_id", "operator_id", "account_id", "group_id"):
                row[key] = row[key] and row[key][1]
            row["rating_label"] = labels.get(row["rating"], False)
        return rows

    @api.model
    def messages(
        self,
        session_id,
        before_id=0,
        limit=MESSAGE_PAGE,
        mark_seen=False,
        timeline=False,
    ):
        """One page of a session's conversation, newest last: its messages
        and, above them, the earlier sessions of the same account in the same
        live chat (its history), bound to the record or not.

        The caller must be able to read the session (record rules). The
        history is then read as superuser: whoever may read a customer's
        session in a chat (its operator, the chat's supervisors and readers)
        may read what that customer wrote to the chat before.

        ``timeline``: also the sessions of the customer's other accounts and
        other chats, the caller may read (one customer, one timeline: see
        :meth:`_timeline_scope`).
        """
        reason = self._no_access_reason()
        if reason:
            raise AccessError(reason)
        session = self._session(session_id)
        timeline = self._check_timeline(timeline)
        limit = max(1, min(self._id(limit, "page size") or MESSAGE_PAGE, 100))
        before_id = self._id(before_id, "message")
        ids = self._conversation_message_ids(
            session,
            "(%(before)s = 0 OR m.id < %(before)s)",
            {"before": before_id},
            limit + 1,
            timeline=timeline,
        )
        has_more = len(ids) > limit
        messages = self.env["livechat.message"].sudo().browse(sorted(ids[:limit]))
        if mark_seen:
            # The caller opened the conversation (a click, not the form
            # loading in the background): they have seen it.
            session.action_mark_seen()
        can_reply, why_not = self._can_reply(session)
        return {
            "session": dict(
                self._format_sessions(session)[0],
                can_reply=can_reply,
                reply_reason=why_not,
                can_note=self._can_note(session),
                # What the About pane offers: only what would be allowed.
                rights=session._user_rights(),
                # Whether the customer has sessions the history leaves out
                # that the caller may read: the "All channels" switch.
                timeline_available=self._shows_notes
                and self._timeline_available(session),
            ),
            "timeline": timeline,
            # Live: which sessions' messages the view takes from the bus.
            "timeline_session_ids": timeline
            and self._timeline_open_sessions(session).ids
            or [],
            "messages": self._format_messages(messages),
            # What happened to the session between its messages, from the
            # oldest message of the page on (all of it on the first page).
            "events": self._format_events(
                session, messages[:1].date if has_more else False
            ),
            "has_more": has_more,
            # The channels' labels and icons in the caller's language: what
            # a message arriving over the bus is shown with.
            "channels": self._channel_labels(),
        }

    @api.model
    def _channel_labels(self):
        Chat = self.env["livechat.chat"]
        keys = (
            self.env["livechat.account"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        described = {key: Chat._livechat_channel(key) for key, _label in keys}
        return {
            key: {"label": info["label"], "icon": info.get("icon") or False}
            for key, info in described.items()
        }

    @api.model
    def _format_events(self, session, since):
        """The session's assignments and closing as lines of its
        conversation ("Assigned to Oscar by Sally"), oldest first, from
        ``since`` on. Who acted is the event's author; routing and the
        system act as the superuser and are not named."""
        # A move shows as its internal note (from where, to where, why).
        domain = [
            ("session_id", "=", session.id),
            ("event", "not in", ("transferred", "moved")),
        ]
        if since:
            domain.append(("date", ">=", since))
        events = self.env["livechat.session.event"].sudo().search(domain, limit=200)
        nobody = self.env.ref("base.user_root") | self.env.ref("base.public_user")
        rows = []
        for event in events:
            by = event.create_uid if event.create_uid not in nobody else False
            names = {
                "user": event.user_id.name,
                "group": event.group_id.name,
                "by": by and by.name,
            }
            if event.event == "taken" and by == event.user_id:
                text = _("%(user)s took the session.")
            elif event.event in ("taken", "assigned") and not by:
                text = _("Assigned to %(user)s.")
            elif event.event in ("taken", "assigned"):
                text = _("Assigned to %(user)s by %(by)s.")
            elif event.event == "grouped" and by:
                text = _("Sent to the group %(group)s by %(by)s.")
            elif event.event == "grouped":
                text = _("Sent to the group %(group)s.")
            elif by:
                text = _("Closed by %(by)s.")
            else:
                text = _("Closed.")
            rows.append(
                {
                    "id": event.id,
                    "date": event.date,
                    "event": event.event,
                    "text": text % names,
                }
            )
        return rows

    @api.model
    def _conversation_message_ids(
        self, session, condition, params, limit, timeline=False
    ):
        """Ids of the messages of ``session``'s conversation (the session and
        the customer's earlier closed sessions in the chat, as ``messages``
        shows them; with ``timeline``, also the customer's other sessions
        the caller may read) that meet the SQL ``condition`` on ``m``,
        newest first."""
        system = session.sudo()
        if not self._shows_notes:
            condition = "m.direction <> 'note' AND " + condition
        scope = """(s.chat_id = %(chat)s AND s.account_id = %(account)s
                 AND (s.id = %(session)s OR (
                      s.state = 'closed' AND NOT s.is_spam
                      AND s.first_message_date <= %(since)s)))"""
        if timeline:
            scope = "(%s OR s.id IN (%s))" % (scope, self._timeline_scope(session))
        self.env.cr.execute(
            "SELECT s.id FROM livechat_session s WHERE " + scope,
            {
                "chat": system.chat_id.id,
                "account": system.account_id.id,
                "session": system.id,
                "since": system.first_message_date or fields.Datetime.now(),
            },
        )
        sessions = [row[0] for row in self.env.cr.fetchall()]
        if not sessions:
            return []
        # Session by session, each its newest ``limit`` messages (an index
        # on (session_id, id)), then the newest of those: the cost follows
        # the conversation's sessions, not what the rest of the table holds
        # (a join let PostgreSQL scan every message from the newest down,
        # through all those newer than a customer's last one: 200,000 of
        # other customers' in the widget benchmark). The sessions are read
        # first and given as a constant array, which the planner counts
        # right.
        self.env.cr.execute(
            """SELECT page.id FROM unnest(%(sessions)s) AS s(id)
               CROSS JOIN LATERAL (
                   SELECT m.id FROM livechat_message m
                   WHERE m.session_id = s.id AND """
            + condition
            + """
                   ORDER BY m.id DESC LIMIT %(limit)s) page
               ORDER BY page.id DESC LIMIT %(limit)s""",
            dict(params, sessions=sessions, limit=limit),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # One customer, one timeline ------------------------------------------------

    @api.model
    def _check_timeline(self, timeline):
        """``timeline`` (RPC input) as a boolean; only the staff's views
        gather a customer's sessions (not the employees' own window)."""
        if not isinstance(timeline, bool):
            raise ValidationError(_("timeline is true or false."))
        if timeline and not self._shows_notes:
            raise AccessError(_("Only the staff see a customer's timeline."))
        return timeline

    @api.model
    def _timeline_accounts(self, session):
        """The customer's accounts a timeline gathers: every account of the
        session's contact (archived ones too: their sessions are still the
        customer's), or the session's account alone when it has no contact."""
        account = session.sudo().account_id
        if not account.partner_id:
            return account
        return (
            self.env["livechat.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", account.partner_id.id)])
        )

    @api.model
    def _timeline_domain(self, session):
        return [
            ("account_id", "in", self._timeline_accounts(session).ids),
            ("is_spam", "=", False),
        ]

    @api.model
    def _timeline_scope(self, session):
        """SQL selecting the ids of the customer's sessions (all their
        accounts, every chat, spam left out) that the caller may read: the
        record rules of ``livechat.session`` are applied in the database,
        so a customer with thousands of sessions costs one subquery, and a
        session of a chat the caller has no role in never shows.

        Returned as literal SQL (its parameters inlined by psycopg2, each
        ``%`` doubled) to go inside a statement with named parameters."""
        Session = self.env["livechat.session"]
        query = Session._where_calc(self._timeline_domain(session))
        Session._apply_ir_rules(query, "read")
        from_clause, where_clause, where_params = query.get_sql()
        sql = 'SELECT "livechat_session".id FROM %s WHERE %s' % (
            from_clause,
            where_clause or "TRUE",
        )
        return self.env.cr.mogrify(sql, where_params).decode().replace("%", "%%")

    @api.model
    def _timeline_available(self, session):
        """Whether the timeline would show more than the history: the
        customer has a session the caller may read in another chat or on
        another account."""
        system = session.sudo()
        self.env.cr.execute(
            "SELECT 1 FROM livechat_session s WHERE s.id IN ("
            + self._timeline_scope(session)
            + ") AND (s.chat_id <> %(chat)s OR s.account_id <> %(account)s) LIMIT 1",
            {"chat": system.chat_id.id, "account": system.account_id.id},
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _timeline_open_sessions(self, session):
        """The customer's open sessions the caller may read (at most one
        per account and way in): where new messages of the timeline come."""
        return (
            self.env["livechat.session"].search(
                self._timeline_domain(session) + [("state", "!=", "closed")]
            )
            | session
        )

    @api.model
    def find_messages(self, session_id, query, timeline=False):
        """The search bar with a session open: the messages of its
        conversation (with ``timeline``, of the customer's timeline) whose
        text contains ``query`` (case-insensitive), newest first, each with
        a snippet around the first hit, and whether the session's name
        contains it."""
        reason = self._no_access_reason()
        if reason:
            raise AccessError(reason)
        session = self._session(session_id)
        timeline = self._check_timeline(timeline)
        # Compared with the text as the view shows it: one line, single
        # spaces.
        query = " ".join((query or "").split()) if isinstance(query, str) else None
        if query is None or len(query) > MAX_SEARCH:
            raise ValidationError(
                _("Search for a text of at most %d characters.") % MAX_SEARCH
            )
        if not query:
            return {"hits": [], "name_match": False}
        # Bodies are stored as sanitized HTML: the database narrows down on
        # the escaped text, the plain text decides (no hit inside a tag).
        pattern = "%%%s%%" % re.sub(
            r"([\\%_])", r"\\\1", html_escape(query, quote=False)
        )
        ids = self._conversation_message_ids(
            session,
            "m.body ILIKE %(pattern)s",
            {"pattern": pattern},
            SEARCH_CANDIDATES,
            timeline=timeline,
        )
        needle = query.lower()
        hits = []
        for message in self.env["livechat.message"].sudo().browse(ids):
            text = " ".join(html2plaintext(message.body or "").split())
            at = text.lower().find(needle)
            if at < 0:
                continue
            start = max(0, at - SNIPPET_CONTEXT)
            hits.append(
                {
                    "id": message.id,
                    "date": message.date,
                    "snippet": ("…" if start else "")
                    + text[start : at + len(needle) + SNIPPET_CONTEXT],
                }
            )
            if len(hits) == MAX_HITS:
                break
        return {"hits": hits, "name_match": needle in session.name.lower()}

    @api.model
    def attachment_targets(self, session_id):
        """Where a copy of the conversation's files can be saved: the models
        with a chatter (Odoo 11 Community has no Documents app: a record's
        attachments stand in for a files workspace) the caller may write
        on, and first the customer's contact when there is one."""
        session = self._session(session_id)
        models_ = (
            self.env["ir.model"]
            .sudo()
            .search(
                [
                    ("is_mail_thread", "=", True),
                    ("transient", "=", False),
                    ("model", "not like", "livechat.%"),
                ]
            )
        )
        targets = [
            {"model": m.model, "name": m.name}
            for m in models_
            if m.model in self.env
            and not self.env[m.model]._abstract
            and self.env[m.model].check_access_rights("write", False)
        ]
        partner = session.sudo().account_id.partner_id
        contact = (
            partner
            and self.env["res.partner"].check_access_rights("write", False)
            and {
                "model": "res.partner",
                "res_id": partner.id,
                "name": partner.display_name,
            }
        )
        return {
            "contact": contact,
            "models": sorted(targets, key=lambda t: t["name"].lower()),
        }

    @api.model
    def save_attachment(self, session_id, attachment_id, model, res_id):
        """Save a copy of a file of the conversation on a record (its
        chatter gets a note saying where it comes from). The caller must be
        able to read the session and to write on the record; the copy is
        created with the caller's rights, so Odoo's own checks apply too."""
        session = self._session(session_id)
        attachment_id = self._id(attachment_id, "attachment")
        # Only a file of this conversation (as ``messages`` shows it, the
        # customer's timeline included: only sessions the caller may read).
        found = self._conversation_message_ids(
            session,
            """m.id IN (SELECT message_id FROM livechat_message_attachment_rel
                        WHERE attachment_id = %(attachment)s)""",
            {"attachment": attachment_id},
            1,
            timeline=self._shows_notes,
        )
        if not found:
            raise ValidationError(
                _("This file is not part of the session's conversation.")
            )
        if (
            not isinstance(model, str)
            or model not in self.env
            or self.env[model]._abstract
            or self.env[model]._transient
        ):
            raise ValidationError(_("Choose a kind of record to save the file on."))
        record = self._readable(model, res_id, "record")
        record.check_access_rights("write")
        record.check_access_rule("write")
        source = self.env["ir.attachment"].sudo().browse(attachment_id)
        copy = self.env["ir.attachment"].create(
            {
                "name": source.name,
                "datas_fname": source.datas_fname or source.name,
                "datas": source.datas,
                "mimetype": source.mimetype,
                "res_model": model,
                "res_id": record.id,
            }
        )
        if hasattr(record, "message_post"):
            record.message_post(
                body=_("File saved from the live chat session %s.")
                % html_escape(session.name),
                attachment_ids=copy.ids,
                subtype="mail.mt_note",
            )
        return {
            "id": copy.id,
            "model": model,
            "res_id": record.id,
            "name": record.display_name,
        }

    @api.model
    def _with_picture(self, accounts, users):
        """Which of ``accounts`` and ``users`` have a picture: ``(account
        ids, user ids)``, found in one query (reading the fields would load
        every picture)."""
        by_partner = {user.partner_id.id: user.id for user in users}
        if not (accounts or users):
            return set(), set()
        self.env.cr.execute(
            """SELECT res_model, res_id FROM ir_attachment
               WHERE res_field = 'image' AND (
                   (res_model = 'livechat.account' AND res_id = ANY(%s))
                   OR (res_model = 'res.partner' AND res_id = ANY(%s)))""",
            [accounts.ids, list(by_partner)],
        )
        rows = self.env.cr.fetchall()
        return (
            {res_id for model, res_id in rows if model == "livechat.account"},
            {by_partner[res_id] for model, res_id in rows if model == "res.partner"},
        )

    @api.model
    def _picture_url(self, account, user, with_picture):
        """The picture of an employee (an operator, or a customer writing
        from Odoo) if ``user``, else of the customer's ``account``; False
        for one without a picture (the views show a neutral icon).
        ``with_picture`` is what :meth:`_with_picture` found."""
        accounts, users = with_picture
        if user:
            return user.id in users and (
                "/web/image/res.users/%d/image_small" % user.id
            )
        return account.id in accounts and (
            "/web/image/livechat.account/%d/image/64x64" % account.id
        )

    @api.model
    def _avatar_url(self, message, with_picture):
        """The picture beside a message: its author's."""
        if message.direction == "in":
            account = message.author_account_id
            return self._picture_url(account, account.user_id, with_picture)
        return self._picture_url(
            message.author_account_id.browse(), message.author_user_id, with_picture
        )

    @api.model
    def _format_messages(self, messages):
        """Plain dicts for the conversation view, in a fixed number of
        queries whatever the number of messages."""
        rows = messages.read(
            [
                "session_id",
                "direction",
                "author_user_id",
                "author_account_id",
                "date",
                "body",
                "attachment_ids",
                "quote_id",
                "channel",
                "delivery_state",
                "delivery_error",
            ]
        )
        attachments = {
            a["id"]: a
            for a in messages.mapped("attachment_ids").read(ATTACHMENT_FIELDS)
        }
        quotes = {q.id: q for q in messages.mapped("quote_id")}
        by_id = {message.id: message for message in messages}
        accounts = messages.mapped("author_account_id")
        with_picture = self._with_picture(
            accounts, messages.mapped("author_user_id") | accounts.mapped("user_id")
        )
        # Each channel's icon and label come from the addon that brings it.
        Chat = self.env["livechat.chat"]
        channels = {
            key: Chat._livechat_channel(key)
            for key in set(row["channel"] for row in rows)
        }
        for row in rows:
            row["avatar"] = self._avatar_url(by_id[row["id"]], with_picture) or False
            channel = channels[row["channel"]]
            row["channel_label"] = channel["label"]
            row["channel_icon"] = row["direction"] == "in" and channel.get("icon")
            author = (
                row["author_account_id"]
                if row["direction"] == "in"
                else row["author_user_id"]
            )
            row["author"] = author and author[1] or ""
            row["session_name"] = row["session_id"][1]
            row["session_id"] = row["session_id"][0]
            row["attachments"] = [
                attachments[i] for i in row.pop("attachment_ids") if i in attachments
            ]
            quote = row["quote_id"] and quotes.get(row["quote_id"][0])
            row["quote"] = quote and {
                "id": quote.id,
                "author": (
                    quote.author_account_id.name
                    if quote.direction == "in"
                    else quote.author_user_id.name
                ),
                "text": html2plaintext(quote.body or "")[:200],
            }
            del row["quote_id"], row["author_user_id"], row["author_account_id"]
        return rows

    @api.model
    def _can_reply(self, session):
        """Whether the caller may reply in ``session`` from the widget, and
        why not: the same checks ``livechat.session.reply`` makes."""
        try:
            if session.state == "queued":
                # Replying takes a queued session: any operator of the chat.
                session._check_staff()
            else:
                session._check_responsible()
            session._check_channel_takes_reply()
        except (AccessError, UserError) as error:
            return False, error.name
        return True, None

    @api.model
    def _can_note(self, session):
        """Whether the caller may add an internal note to ``session``: the
        checks ``livechat.session.add_note`` makes."""
        if not self._shows_notes:
            return False
        try:
            session._check_staff()
        except (AccessError, UserError):
            return False
        return True

    @api.model
    def set_presence(self, session_id, state, reply=False):
        """Tell the session's other staff, live, that the caller has its
        conversation open, is writing in it or has left it (the collision
        guard: two people answering one customer see each other). Nothing is
        stored: a bus notification to the session's followers
        (``livechat.presence``), which clients forget after a while
        unless it is said again. Staff of the chat only (as for notes).

        ``reply``: what is being written is a reply (not a note): the
        customer is shown that someone is typing, where their channel can
        show it (:meth:`livechat.session._tell_customer_typing`), if the
        caller may reply. Returns True."""
        if state not in PRESENCE_STATES:
            raise ValidationError(
                _("Presence is one of %s.") % ", ".join(PRESENCE_STATES)
            )
        if not isinstance(reply, bool):
            raise ValidationError(_("reply is true or false."))
        session = self._session(session_id)
        if not self._shows_notes:
            raise AccessError(_("Only the staff's presence is shown."))
        session._check_staff()
        session.sudo()._notify_presence(
            {"user_id": self.env.uid, "name": self.env.user.name, "state": state}
        )
        if state == "typing" and reply and self._can_reply(session)[0]:
            session.sudo()._tell_customer_typing()
        return True

    @api.model
    def add_note(self, session_id, body):
        """An internal note (staff only) in the session's conversation;
        returns it as the conversation view shows it. The checks are
        ``livechat.session.add_note``'s own."""
        note = self._session(session_id).add_note(body)
        return self._format_messages(note.sudo())[0]

    @api.model
    def reply(
        self,
        session_id,
        body,
        attachment_ids=None,
        quote_id=None,
        via_account_id=None,
    ):
        """The responsible operator's reply; returns the stored message as the
        conversation view shows it. The checks are ``livechat.session.reply``'s
        own.

        ``via_account_id``: another account of the customer (see
        :meth:`reply_channels`): the reply goes through that account's
        channel, in its open session or in a new one (+New session's
        checks), and shows in the customer's timeline."""
        session = self._session(session_id)
        if quote_id:
            # What a reply quotes goes out with it: only a message the
            # caller is shown (their timeline of the customer at most).
            quoted = self._conversation_message_ids(
                session,
                "m.id = %(quote)s AND m.direction <> 'note'",
                {"quote": self._id(quote_id, "message")},
                1,
                timeline=self._shows_notes,
            )
            if not quoted:
                raise ValidationError(
                    _("The quoted message is not part of this conversation.")
                )
        via = self._id(via_account_id, "account") if via_account_id else 0
        if not via or via == session.sudo().account_id.id:
            message = session.reply(
                body, attachment_ids=attachment_ids, quote_id=quote_id
            )
        else:
            message = self._reply_via(
                session, via, body, attachment_ids=attachment_ids, quote_id=quote_id
            )
        return self._format_messages(message.sudo())[0]

    # Replying through another of the customer's accounts ---------------------

    @api.model
    def reply_channels(self, session_id):
        """Where the caller may send a reply to the session's customer: the
        session's own account first, then the customer's other active
        accounts (their contact's), each with the live chat it would go
        through, the open session it would join (or none: a new one), a
        sentence about how it leaves (``note``), or why it cannot
        (``reason``)."""
        reason = self._no_access_reason()
        if reason:
            raise AccessError(reason)
        session = self._session(session_id)
        self._check_timeline(True)
        own = session.sudo().account_id
        accounts = own | self._reply_accounts(session)
        routes = self._reply_routes(session, accounts)
        labels = self._channel_labels()
        rows = []
        for account in accounts:
            route = routes[account.id]
            rows.append(
                {
                    "account_id": account.id,
                    "name": account.name,
                    "channel": account.channel,
                    "channel_label": labels.get(account.channel, {}).get("label"),
                    "channel_icon": labels.get(account.channel, {}).get("icon"),
                    "current": account == own,
                    "chat": route["chat"] and route["chat"].name,
                    "session_id": route["session"] and route["session"].id,
                    "note": route.get("note") or False,
                    "reason": route["reason"] or False,
                }
            )
        return rows

    @api.model
    def _reply_accounts(self, session):
        """The customer's other accounts a reply may go through: active, and
        readable by the caller (the record rules: customers of their chats),
        so that nobody learns of an account only another chat's staff know
        of, as +New session offers only those."""
        return self.env["livechat.account"].search(
            [("id", "in", self._timeline_accounts(session).ids)]
        )

    @api.model
    def _reply_routes(self, session, accounts, body=""):
        """How a reply of the caller reaches each of ``accounts`` of the
        session's customer: ``{account id: {"chat", "session", "reason",
        "note"}}``. The session's own account: the session. Another
        account: its open session in a chat the caller works in that they
        may reply in, or else a new session (+New session's checks: Online,
        a connected channel, WhatsApp's template); the session's chat is
        tried first, then the chats the customer wrote to from that account,
        latest first. ``reason`` says why none is possible.

        Read for all the accounts at once (a contact may have dozens): one
        statement for where each account wrote and its open sessions, one
        search for those the caller may read."""
        Session = self.env["livechat.session"]
        own = session.sudo().account_id
        others = accounts - own
        self.env.cr.execute(
            """SELECT account_id, entry_chat_id,
                      max(id) FILTER (WHERE state <> 'closed')
               FROM livechat_session
               WHERE account_id = ANY(%s) AND entry_chat_id IS NOT NULL
               GROUP BY account_id, entry_chat_id
               ORDER BY max(last_message_date) DESC NULLS LAST,
                        max(id) DESC""",
            [others.ids],
        )
        wrote_to, open_ids = {}, {}
        for account_id, chat_id, open_id in self.env.cr.fetchall():
            wrote_to.setdefault(account_id, []).append(chat_id)
            if open_id:
                open_ids[account_id, chat_id] = open_id
        readable = Session.search([("id", "in", list(open_ids.values()))])
        staffed = self.env["livechat.chat"]._staffed_by_me()
        first_chat = session.sudo().chat_id
        # What does not depend on the account (a chat's channel): asked once.
        chat_blocks = {}

        routes = {
            own.id: {
                "chat": session.chat_id,
                "session": session,
                "reason": self._can_reply(session)[1],
            }
        }
        for account in others:
            reason = None
            chats = [first_chat.id] + [
                c for c in wrote_to.get(account.id, []) if c != first_chat.id
            ]
            route = None
            for chat in staffed.browse(chats):
                if chat not in staffed:
                    continue
                open_id = open_ids.get((account.id, chat.id))
                if open_id:
                    # A colleague's active session is not the caller's to
                    # read (the record rules).
                    mine = readable.browse(open_id) if open_id in readable.ids else None
                    why = (
                        self._can_reply(mine)[1]
                        if mine
                        else _(
                            "This customer already has an open session in %s, "
                            "which a colleague handles."
                        )
                        % chat.name
                    )
                    if not why:
                        route = {"chat": chat, "session": mine, "reason": None}
                        break
                    reason = reason or why
                    continue
                key = (chat.id, account.channel)
                if key not in chat_blocks:
                    chat_blocks[key] = chat._why_no_first_message(account.channel)
                why = chat_blocks[key]
                wizard = None
                if not why:
                    wizard = self.env["livechat.session.new"].new(
                        {"chat_id": chat.id, "account_id": account.id, "body": body}
                    )
                    why = wizard._why_not_now()
                if not why:
                    route = {
                        "chat": chat,
                        "session": None,
                        "reason": None,
                        "note": wizard._first_message_note(),
                    }
                    break
                reason = reason or why
            routes[account.id] = route or {
                "chat": None,
                "session": None,
                "reason": reason
                or _("None of the live chats you work in reaches this account."),
            }
        return routes

    @api.model
    def _reply_via(self, session, account_id, body, attachment_ids=None, quote_id=None):
        """:meth:`reply` through ``account_id``, another active account of
        the session's customer: into its open session, or a new one started
        as +New session starts it (WhatsApp's template outside the 24-hour
        window)."""
        self._check_timeline(True)
        accounts = self._reply_accounts(session)
        account = accounts.browse(account_id)
        if account not in accounts:
            raise ValidationError(
                _("Reply through an account of this customer's contact.")
            )
        if not (body or "").strip():
            raise ValidationError(_("Write the reply."))
        # The account is locked with an UPDATE, as the way in locks it (a
        # plain SELECT FOR UPDATE would let the second of two operators
        # replying through it at once go on with a snapshot that misses the
        # session the first opened): the second, or a customer message
        # arriving meanwhile, ends in a serialization failure that Odoo's
        # RPC retries on a fresh snapshot, where the route sees that session.
        self.env.cr.execute(
            "UPDATE livechat_account SET write_date = write_date WHERE id = %s",
            (account.id,),
            log_exceptions=False,
        )
        route = self._reply_routes(session, account, body)[account.id]
        if route["reason"]:
            raise UserError(route["reason"])
        # The files were uploaded for this conversation: checked as the
        # caller's own uploads here, then handed to the session they leave
        # with (where the reply checks them again).
        attachments = self.env["livechat.message"]._own_uploads(session, attachment_ids)
        target = route["session"]
        if not target:
            # +New session's rules, without storing its form.
            wizard = self.env["livechat.session.new"].new(
                {"chat_id": route["chat"].id, "account_id": account.id, "body": body}
            )
            wizard._check_first_message()
            if attachments or quote_id:
                wizard._check_first_message_extras()
            target = self.env["livechat.session"].create(
                {"chat_id": route["chat"].id, "account_id": account.id}
            )
            if not (attachments or quote_id):
                return wizard._send_first_message(target)
        attachments.sudo().write({"res_model": "livechat.session", "res_id": target.id})
        return target.reply(body, attachment_ids=attachments.ids, quote_id=quote_id)
