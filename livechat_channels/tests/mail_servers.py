"""Real mail servers for the tests, started on free local ports.

- IMAP: Debian's dovecot with a private configuration (docs/ARCHITECTURE.md,
  "Platform notes"): one user, a maildir in a temporary folder, plain login
  on loopback; with ``introspection_url``, also dovecot's ``oauth2`` passdb
  (SASL XOAUTH2), asking that URL whether a token is valid (RFC 7662).
- SMTP: the standard library's ``smtpd`` server, keeping what it receives;
  it can be told to answer the next messages with a temporary failure, and,
  with ``introspection_url``, requires AUTH XOAUTH2 and asks that URL.
"""

import asyncore
import base64
import json
import urllib.parse
import urllib.request
import grp
import imaplib
import os
import pwd
import shutil
import smtpd
import socket
import subprocess
import tempfile
import threading
import time


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def token_is_active(introspection_url, token):
    """Ask the authorization server about a token, as dovecot does."""
    data = urllib.parse.urlencode({"token": token}).encode()
    with urllib.request.urlopen(introspection_url, data, timeout=10) as answer:
        return json.loads(answer.read().decode())


class Dovecot(object):
    def __init__(self, user="support", password="secret", introspection_url=None):
        self.user, self.password = user, password
        self.dir = tempfile.mkdtemp(prefix="livechat-dovecot-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        uid = pwd.getpwnam("dovecot").pw_uid
        gid = grp.getgrnam("dovecot").gr_gid
        home = os.path.join(self.dir, "home")
        os.makedirs(home)
        os.chown(home, uid, gid)
        with open(os.path.join(self.dir, "passwd"), "w") as passwd:
            passwd.write("%s:{PLAIN}%s:%d:%d::%s\n" % (user, password, uid, gid, home))
        oauth = ""
        if introspection_url:
            with open(os.path.join(self.dir, "oauth2.conf.ext"), "w") as ext:
                ext.write(
                    "introspection_mode = post\n"
                    "introspection_url = %s\n"
                    "force_introspection = yes\n"
                    "username_attribute = username\n"
                    "active_attribute = active\n"
                    "active_value = true\n" % introspection_url
                )
            oauth = (
                "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
                "  args = %s/oauth2.conf.ext\n}\n" % self.dir
            )
        self.config = os.path.join(self.dir, "dovecot.conf")
        with open(self.config, "w") as conf:
            conf.write(
                """
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login{mechanisms}
# Refusals are part of the tests: answered at once, not after 2 s.
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 100
mail_location = maildir:~/Maildir
{oauth}passdb {{
  driver = passwd-file
  args = {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = {d}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""".format(
                    d=self.dir,
                    port=self.port,
                    oauth=oauth,
                    mechanisms=" xoauth2 oauthbearer" if oauth else "",
                )
            )
        subprocess.run(["dovecot", "-c", self.config], check=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                break
            except OSError:
                time.sleep(0.2)

    def append(self, raw):
        """Deliver one message to the inbox (as the mail server would)."""
        imap = imaplib.IMAP4("127.0.0.1", self.port)
        imap.login(self.user, self.password)
        imap.append("INBOX", None, None, raw)
        imap.logout()

    def stop(self):
        subprocess.run(["doveadm", "-c", self.config, "stop"], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class _XOauth2Channel(smtpd.SMTPChannel):
    """An SMTP session that offers AUTH XOAUTH2 and refuses MAIL before a
    token the authorization server calls active."""

    authenticated = False

    def push(self, msg):
        if msg == "250 HELP" and self.extended_smtp:
            smtpd.SMTPChannel.push(self, "250-AUTH XOAUTH2")
        smtpd.SMTPChannel.push(self, msg)

    def smtp_AUTH(self, arg):
        mechanism, _sep, initial = (arg or "").partition(" ")
        if mechanism.upper() != "XOAUTH2" or not initial:
            self.push("504 5.5.4 Unrecognized authentication type")
            return
        try:
            fields = base64.b64decode(initial).decode().split("\x01")
        except ValueError:
            self.push("501 5.5.2 Cannot decode the response")
            return
        values = dict(field.partition("=")[::2] for field in fields if field)
        token = values.get("auth", "").partition("Bearer ")[2]
        answer = token_is_active(self.smtp_server.introspection_url, token)
        self.smtp_server.auth_attempts.append(token)
        if answer.get("active") and answer.get("username") == values.get("user"):
            self.authenticated = True
            self.push("235 2.7.0 Accepted")
        else:
            self.push("535 5.7.8 Username and Password not accepted")

    def smtp_MAIL(self, arg):
        if not self.authenticated:
            self.push("530 5.7.0 Authentication required")
            return
        smtpd.SMTPChannel.smtp_MAIL(self, arg)


class SmtpSink(smtpd.SMTPServer):
    """A real SMTP server keeping the messages it accepts."""

    def __init__(self, introspection_url=None):
        self.introspection_url = introspection_url
        self.auth_attempts = []  # the tokens presented, in order
        if introspection_url:
            self.channel_class = _XOauth2Channel
        self.received = []
        self.fail_next = []  # SMTP replies given instead of accepting
        self.port = free_port()
        self._map = {}
        smtpd.SMTPServer.__init__(
            self, ("127.0.0.1", self.port), None, map=self._map, decode_data=False
        )
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.running = True
        self.thread.start()

    def _loop(self):
        while self.running:
            asyncore.loop(timeout=0.05, map=self._map, count=1)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        if self.fail_next:
            return self.fail_next.pop(0)
        self.received.append({"from": mailfrom, "to": rcpttos, "data": data})
        return None

    def stop(self):
        self.running = False
        self.thread.join(2)
        self.close()
