# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's data on request: export everything stored about them, or
erase it. Live chat administrators only; each run is written to
``livechat.privacy.log``.

**Export**: one zip with ``customer.json`` (the accounts, their contact's
name and addresses, every session with its messages, internal notes
included, and its record links) and ``files/`` (every file the messages
carry and the avatars).

**Erasure**: the customer's messages, the staff's notes, every file, the
sessions' record links and the accounts' blocklist rules are deleted; the
operators' replies keep only their date, author and timings (their text
becomes "(erased)"); the accounts and sessions stay, anonymised ("Erased
customer", no channel id, no contact, no avatar), with their dates, states,
operators and timings, so both reports keep their figures. The contact
(``res.partner``) is the company's record: it is only unlinked; archiving
or deleting it is Odoo's business. Open sessions are closed.

Everything happens in one transaction with the accounts' rows locked
first: a message arriving at the same time either waits and then opens a
new account (the old one no longer matches its channel id), or commits
first and is erased with the rest (the erasure then runs again on a fresh
snapshot).
"""
import base64
import io
import json
import zipfile

from werkzeug.utils import secure_filename

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

#: What an erased account and session are called.
ERASED_NAME = "Erased customer"
#: What an operator's reply to an erased customer says (its row stays).
ERASED_BODY = "<p><em>(erased)</em></p>"
#: Why a reply still waiting to leave never will.
ERASED_UNSENT = "Not sent: the customer was erased."


class LivechatAccount(models.Model):
    _inherit = "livechat.account"

    # The entry points (buttons) -----------------------------------------------

    @api.multi
    def action_export_data(self):
        """Download everything stored about these accounts (a zip)."""
        self._check_privacy_rights()
        if not self:
            raise UserError(_("Choose the accounts to export."))
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": "/livechat/customer_export?account_ids=%s"
            % ",".join(str(account_id) for account_id in self.ids),
        }

    @api.multi
    def action_erase_customer(self):
        """Erase these accounts' conversations and identities (see the
        module docstring); returns the privacy log's form."""
        log = self._erase()
        return {
            "type": "ir.actions.act_window",
            "res_model": "livechat.privacy.log",
            "res_id": log.id,
            "view_mode": "form",
            "target": "current",
            # The erased accounts are archived: the log still lists them.
            "context": {"active_test": False},
        }

    # Rights ------------------------------------------------------------------

    def _check_privacy_rights(self):
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group(
            "livechat_sessions.group_livechat_manager"
        ):
            raise AccessError(
                _("Only live chat administrators export or erase a customer's data.")
            )

    # Export ------------------------------------------------------------------

    @api.multi
    def _export_zip(self):
        """Return (file name, zip bytes) of everything stored about these
        accounts, and log the export."""
        self._check_privacy_rights()
        accounts = self.sudo().with_context(active_test=False).exists()
        if not accounts:
            raise UserError(_("These accounts do not exist (any more)."))
        sessions = accounts.mapped("session_ids").sorted("id")
        messages = (
            self.env["livechat.message"]
            .sudo()
            .search(
                [
                    "|",
                    ("session_id", "in", sessions.ids),
                    ("author_account_id", "in", accounts.ids),
                ],
                order="date, id",
            )
        )
        buffer = io.BytesIO()
        files = 0
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            data = {
                "exported": fields.Datetime.now(),
                "exported_by": self.env.user.name,
                "accounts": [],
                "sessions": [],
            }
            for account in accounts:
                values = self._export_account(account)
                if account.image:
                    values["avatar"] = "files/account-%d-avatar" % account.id
                    archive.writestr(values["avatar"], base64.b64decode(account.image))
                    files += 1
                data["accounts"].append(values)
            by_session = {}
            for message in messages:
                values = self._export_message(message)
                for attachment, file_values in zip(
                    message.attachment_ids, values["files"]
                ):
                    archive.writestr(
                        file_values["file"], base64.b64decode(attachment.datas or b"")
                    )
                    files += 1
                by_session.setdefault(message.session_id.id, []).append(values)
            for session in sessions:
                values = self._export_session(session)
                values["messages"] = by_session.get(session.id, [])
                data["sessions"].append(values)
            archive.writestr(
                "customer.json",
                json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True),
            )
        self.env["livechat.privacy.log"].sudo().create(
            {
                "kind": "export",
                "user_id": self.env.uid,
                "account_ids": [(6, 0, accounts.ids)],
                "account_count": len(accounts),
                "session_count": len(sessions),
                "message_count": len(messages),
                "file_count": files,
            }
        )
        name = "customer-%s-%s.zip" % (
            secure_filename(accounts[0].name) or "account",
            fields.Date.today(),
        )
        return name, buffer.getvalue()

    # What the export writes of each record; the channels add theirs.

    @api.model
    def _export_account(self, account):
        partner = account.partner_id
        return {
            "id": account.id,
            "name": account.name,
            "channel": account.channel,
            "channel_id": account.external_id,
            "employee": account.user_id.name or None,
            "created": account.create_date,
            "last_message": account.last_message_date or None,
            "contact": partner
            and {
                "id": partner.id,
                "name": partner.name,
                "email": partner.email or None,
                "phone": partner.phone or None,
                "mobile": partner.mobile or None,
            }
            or None,
        }

    @api.model
    def _export_session(self, session):
        return {
            "id": session.id,
            "name": session.name,
            "live_chat": session.chat_id.name,
            "channel": session.channel,
            "account_id": session.account_id.id,
            "state": session.state,
            "operator": session.operator_id.name or None,
            "first_message": session.first_message_date or None,
            "last_message": session.last_message_date or None,
            "closed": session.closed_date or None,
            "records": [
                {"model": binding.res_model, "id": binding.res_id}
                for binding in session.binding_ids
            ],
        }

    @api.model
    def _export_message(self, message):
        return {
            "id": message.id,
            "date": message.date,
            "direction": message.direction,
            "author": message.author_name,
            "body_html": message.body,
            "delivery": message.delivery_state or None,
            "quotes": message.quote_id.id or None,
            "files": [
                {
                    "name": attachment.name,
                    "mimetype": attachment.mimetype,
                    "file": "files/%d-%s"
                    % (attachment.id, secure_filename(attachment.name or "") or "file"),
                }
                for attachment in message.attachment_ids
            ],
        }

    # Erasure -----------------------------------------------------------------

    @api.multi
    def _erase(self):
        """Erase these accounts (see the module docstring); returns the
        ``livechat.privacy.log`` of the erasure."""
        self._check_privacy_rights()
        accounts = self.sudo().with_context(active_test=False)
        if not accounts:
            raise UserError(_("Choose the accounts to erase."))
        cr = self.env.cr
        # The accounts first: the way in locks the same rows (LOCK_QUERY),
        # so a message arriving now waits for this transaction, or has
        # committed and makes this one fail to serialize and run again.
        cr.execute(
            "SELECT id FROM livechat_account WHERE id IN %s ORDER BY id FOR UPDATE",
            (tuple(accounts.ids),),
            # Losing that race is expected and retried (Odoo's RPC retries
            # a serialization failure): not an error to log.
            log_exceptions=False,
        )
        account_ids = tuple(row[0] for row in cr.fetchall())
        if not account_ids:
            raise UserError(_("These accounts do not exist (any more)."))
        cr.execute(
            "SELECT id, state FROM livechat_session WHERE account_id IN %s "
            "ORDER BY id FOR UPDATE",
            (account_ids,),
            log_exceptions=False,
        )
        rows = cr.fetchall()
        session_ids = tuple(row[0] for row in rows) or (0,)
        open_ids = [row[0] for row in rows if row[1] != "closed"]
        cr.execute(
            "SELECT id, direction FROM livechat_message WHERE session_id IN %s "
            "OR author_account_id IN %s",
            (session_ids, account_ids),
        )
        message_rows = cr.fetchall()
        message_ids = tuple(row[0] for row in message_rows) or (0,)
        # The operators' replies stay as anonymous facts (date, author,
        # response time: the Operators' Performance counts them), their
        # text and files gone; the customer's messages and the notes go.
        reply_ids = tuple(row[0] for row in message_rows if row[1] == "out") or (0,)
        # Files through the ORM: Odoo removes them from the filestore.
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.search(
            [("res_model", "=", "livechat.message"), ("res_id", "in", message_ids)]
        ) | Attachment.search(
            # The avatars (a binary field's attachment: named by res_field).
            [
                ("res_model", "=", "livechat.account"),
                ("res_id", "in", account_ids),
                ("res_field", "=", "image"),
            ]
        )
        files = len(attachments)
        attachments.unlink()
        cr.execute(
            """UPDATE livechat_message
               SET body = %s, quote_id = NULL, external_id = NULL,
                   delivery_state = CASE WHEN delivery_state = 'pending'
                                         THEN 'failed' ELSE delivery_state END,
                   delivery_error = CASE WHEN delivery_state = 'pending'
                                         THEN %s END
               WHERE id IN %s""",
            (ERASED_BODY, ERASED_UNSENT, reply_ids),
        )
        cr.execute(
            "DELETE FROM livechat_message WHERE id IN %s AND id NOT IN %s",
            (message_ids, reply_ids),
        )
        messages = len(message_rows)
        cr.execute(
            "DELETE FROM livechat_session_binding WHERE session_id IN %s",
            (session_ids,),
        )
        cr.execute(
            "DELETE FROM livechat_blocklist_rule WHERE account_id IN %s",
            (account_ids,),
        )
        cr.execute(
            """UPDATE livechat_session
               SET name = %s,
                   messages_deleted_date = now() AT TIME ZONE 'UTC'
               WHERE id IN %s""",
            (ERASED_NAME, session_ids),
        )
        self.env["livechat.session"].invalidate_cache(ids=list(session_ids))
        if open_ids:
            self._erase_close(open_ids)
        # The channel id is replaced by one that no channel sends: the
        # customer writing again opens a new account.
        cr.execute(
            """UPDATE livechat_account
               SET name = %s, external_id = 'erased-' || id, partner_id = NULL,
                   user_id = NULL, active = FALSE
               WHERE id IN %s""",
            (ERASED_NAME, account_ids),
        )
        self._erase_more(account_ids, session_ids, reply_ids)
        self.env["livechat.account"].invalidate_cache(ids=list(account_ids))
        self.env["livechat.session"].invalidate_cache(ids=list(session_ids))
        self.env["livechat.message"].invalidate_cache(ids=list(message_ids))
        return (
            self.env["livechat.privacy.log"]
            .sudo()
            .create(
                {
                    "kind": "erasure",
                    "user_id": self.env.uid,
                    "account_ids": [(6, 0, list(account_ids))],
                    "account_count": len(account_ids),
                    "session_count": len(rows),
                    "message_count": messages,
                    "file_count": files,
                    "closed_count": len(open_ids),
                }
            )
        )

    def _erase_close(self, session_ids):
        """Close the open sessions of an erased customer: nothing more can be
        said to them, and their operators' workspaces drop them."""
        for session in self.env["livechat.session"].sudo().browse(session_ids):
            values = session._closing_values()
            session.write(values)
            self.env["livechat.session.event"]._record(
                session,
                "closed",
                session.operator_id or self.env.user,
                handle_time=values["handle_time"],
            )
            session._notify_staff("livechat.session_closed")

    def _erase_more(self, account_ids, session_ids, reply_ids):
        """Hook: what other addons store about these accounts, sessions and
        the operators' replies kept as facts (the channels: e-mail
        addresses and subjects, scheduled replies)."""
        return True
