# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The OAuth 2.0 tokens of an email inbox, apart from the inbox.

Why a table of their own: a token is renewed in a transaction of its own,
committed at once (the provider may have rotated the refresh token: losing
the new one to a rollback would lose the mailbox). Had the tokens been
columns of the connector, every transaction that read the connector before
the renewal and writes it after (Connect, a fetch recording its UID) would
fail to serialize on the row the renewal updated. Nobody reads this model
over RPC: its access list grants nothing; the connector reads it as
superuser.
"""

import time

from odoo import fields, models

from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from ..engine import oauth


class LivechatConnectorEmailToken(models.Model):
    _name = "livechat.connector.email.token"
    _description = "Live Chat Email Inbox OAuth Tokens"
    _log_access = False

    connector_id = fields.Many2one(
        "livechat.connector.email", required=True, ondelete="cascade", index=True
    )
    access_token = fields.Char()
    refresh_token = fields.Char()
    #: When the access token dies, in epoch seconds (what the provider's
    #: ``expires_in`` gives, without time zones to get wrong).
    expires_at = fields.Integer()
    #: The provider refused the refresh token: only consent again helps.
    revoked = fields.Boolean()
    #: The ``state`` of the consent under way (one use), proving that the
    #: code coming back is the answer to our own request.
    nonce = fields.Char()

    _sql_constraints = [
        ("connector_uniq", "unique(connector_id)", "One token set per inbox.")
    ]

    def _for(self, connector):
        token = self.sudo().search([("connector_id", "=", connector.id)], limit=1)
        return token or self.sudo().create({"connector_id": connector.id})

    def _valid_access_token(self, connector, force=False):
        """An access token with at least ``oauth.RENEW_MARGIN`` seconds to
        live, renewed first when needed; ``force`` renews whatever the
        expiry (the server refused the current one).

        The renewal runs in its own committed transaction, holding the
        token's row lock: two workers renewing at once make one call to the
        provider; the second uses what the first stored.

        :raises oauth.Revoked: the provider refused the grant, now or before
        :raises delivery.RetryLater: the provider could not be reached
        """
        current = self._for(connector)
        if current.revoked:
            raise oauth.Revoked("access was revoked earlier")
        if (
            not force
            and current.access_token
            and current.expires_at - time.time() > oauth.RENEW_MARGIN
        ):
            return current.access_token
        stale = current.access_token
        connector_id = connector.id

        def renew(env):
            env.cr.execute(
                """SELECT id, access_token, refresh_token, expires_at, revoked
                     FROM livechat_connector_email_token
                    WHERE connector_id = %s FOR UPDATE""",
                (connector_id,),
                # A concurrent renewal's serialization failure is expected:
                # run_with_retry runs this again.
                log_exceptions=False,
            )
            row = env.cr.fetchone()
            if not row or not row[2]:
                return None, oauth.Revoked("the mailbox was never authorised")
            token_id, access, refresh, expires_at, revoked = row
            if revoked:
                return None, oauth.Revoked("access was revoked earlier")
            renewed_meanwhile = access and access != stale
            if renewed_meanwhile and expires_at - time.time() > oauth.RENEW_MARGIN:
                return access, None
            settings = env["livechat.connector.email"].browse(connector_id)
            try:
                tokens = oauth.refresh(
                    settings.oauth_token_url,
                    settings.oauth_client_id,
                    settings.oauth_client_secret,
                    refresh,
                )
            except oauth.Revoked as error:
                env.cr.execute(
                    """UPDATE livechat_connector_email_token
                          SET revoked = true, access_token = NULL
                        WHERE id = %s""",
                    (token_id,),
                )
                # Told once, by whoever met the refusal first.
                error.just_now = True
                return None, error
            env.cr.execute(
                """UPDATE livechat_connector_email_token
                      SET access_token = %s, refresh_token = %s, expires_at = %s
                    WHERE id = %s""",
                (
                    tokens["access_token"],
                    tokens["refresh_token"],
                    tokens["expires_at"],
                    token_id,
                ),
            )
            return tokens["access_token"], None

        # Committed at once, whatever becomes of the caller's transaction.
        # Two renewals at once: the second waits on the row lock, fails to
        # serialize (REPEATABLE READ) and runs again, finding the token the
        # first one stored.
        access, refusal = run_with_retry(self.env.registry, renew)
        # What this transaction cached is stale now (where it can see the
        # renewal's commit, it reads it again).
        current.invalidate_cache()
        if refusal:
            raise refusal
        return access
