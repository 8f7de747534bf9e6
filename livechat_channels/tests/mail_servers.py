"""Real mail servers for the tests, started on free local ports.

- IMAP: Debian's dovecot with a private configuration (docs/ARCHITECTURE.md,
  "Platform notes"): one user, a maildir in a temporary folder, plain login
  on loopback.
- SMTP: the standard library's ``smtpd`` server, keeping what it receives;
  it can be told to answer the next messages with a temporary failure.
"""

import asyncore
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


class Dovecot(object):
    def __init__(self, user="support", password="secret"):
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
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 100
mail_location = maildir:~/Maildir
passdb {{
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
                    d=self.dir, port=self.port
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


class SmtpSink(smtpd.SMTPServer):
    """A real SMTP server keeping the messages it accepts."""

    def __init__(self):
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
