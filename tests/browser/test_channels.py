"""Channels against a real Odoo server: a visitor on another website, a
Telegram bot answered through queue_job's real runner, and an Odoo killed
while webhooks arrive."""

import contextlib
import datetime
import hashlib
import hmac
import http.client
import http.server
import importlib.util
import json
import os
import signal
import struct
import subprocess
import threading
import time
import urllib.request
import uuid
import zlib

import pytest
from conftest import ROOT, WAIT_MS, screenshot, start_odoo
from test_workspace import open_group, open_workspace

_spec = importlib.util.spec_from_file_location(
    "fake_providers", ROOT / "livechat_channels" / "tests" / "fake_providers.py"
)
fake_providers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake_providers)

DB = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")


def png(width, height, rgb=(200, 60, 60)):
    """A real PNG picture of one colour."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind, data):
        body = kind + data
        return (
            struct.pack(">I", len(data))
            + body
            + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


def wait_until(check, timeout=60, step=0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = check()
        if result:
            return result
        time.sleep(step)
    raise AssertionError("still false after %s s" % timeout)


def take_and_answer(operator, customer, text, answer):
    """The operator opens the customer's queued session of Customer Support
    in the workspace, waits for ``text``, takes the session and sends
    ``answer``; returns the page."""
    open_workspace(operator)
    open_group(operator, "Customer Support", "Queue")
    operator.click(".o_lc_ws_session:has-text('%s')" % customer)
    operator.wait_for_selector(".o_lc_message:has-text('%s')" % text)
    operator.click(".o_lc_ws_action:has-text('Take')")
    operator.wait_for_selector(".o_lc_ws_about:has-text('Oscar Operator')")
    operator.fill(".o_lc_composer_input", answer)
    operator.press(".o_lc_composer_input", "Enter")
    return operator


@contextlib.contextmanager
def website_with_chat(odoo_url, key):
    """Another website (its own origin: localhost, not 127.0.0.1) whose page
    carries the snippet of the chat with website key ``key``; yields its
    address."""
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Shop</title></head>"
        "<body><h1>The Shop</h1><p>Our products.</p>"
        "<script src='%s/livechat/widget/%s.js' async></script></body></html>"
        % (odoo_url, key)
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield "http://localhost:%d/" % server.server_address[1]
    finally:
        server.shutdown()


def open_visitor_window(context, url):
    """A visitor on the website at ``url`` opens the chat window; returns
    their page and the window's root (the widget's shadow host)."""
    visitor = context.new_page()
    visitor.set_default_timeout(WAIT_MS)
    visitor.goto(url)
    root = visitor.locator(".o_livechat_visitor")
    root.locator(".lcv-button").click()
    return visitor, root


@pytest.fixture
def shop_site(odoo_url, rpc):
    """Another website carrying the snippet of the demo's Customer Support
    chat."""
    [chat] = rpc(
        "admin",
        "livechat.chat",
        "search_read",
        [("name", "=", "Customer Support")],
        ["website_key"],
    )
    with website_with_chat(odoo_url, chat["website_key"]) as url:
        yield url


def test_visitor_on_another_website_chats_live_and_keeps_the_conversation(
    browser, shop_site, new_page, rpc
):
    chat_id = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )[0]
    context = browser.new_context(viewport={"width": 390, "height": 780})
    try:
        visitor, root = open_visitor_window(context, shop_site)
        # On a phone the chat fills the screen.
        panel = root.locator(".lcv-panel").bounding_box()
        assert (panel["width"], panel["height"]) == (390, 780)
        tag = uuid.uuid4().hex[:6]
        root.locator(".lcv-name").fill("Vera %s" % tag)
        root.locator(".lcv-email").fill("vera.%s@example.com" % tag)
        # What a malicious visitor could type: shown as text everywhere.
        root.locator(".lcv-input").fill(
            'Do you ship to Spain? <img src=x onerror="window.__xss=1"> %s' % tag
        )
        root.locator(".lcv-input").press("Enter")
        # Stored: the message carries its id, and no error is shown.
        visitor.wait_for_selector(
            ".o_livechat_visitor .lcv-msg.in[data-id]:not([data-id='']):not(.error)"
        )
        assert root.locator(".lcv-status").is_hidden()
        # A photo from the phone, sent alone: shown as a picture, served by
        # Odoo to this visitor's window.
        root.locator(".lcv-file-input").set_input_files(
            {"name": "broken.png", "mimeType": "image/png", "buffer": png(120, 80)}
        )
        photo = root.locator(".lcv-msg.in[data-id]:not([data-id='']) .lcv-file img")
        photo.wait_for()
        wait_until(lambda: photo.evaluate("img => img.naturalWidth") == 120)

        # The operator sees the session in the workspace and answers.
        operator = take_and_answer(
            new_page("operator"),
            "Vera %s" % tag,
            "onerror",
            "Yes, in three days (%s)" % tag,
        )
        assert operator.evaluate("window.__xss") is None
        operator.wait_for_selector(
            ".o_lc_message.o_lc_in .o_lc_attachment:has-text('broken.png') img"
        )

        # The visitor gets it live (long polling), under the chat's name.
        reply = visitor.locator(
            ".o_livechat_visitor .lcv-msg.out", has_text="Yes, in three days (%s)" % tag
        )
        reply.wait_for()
        assert "Customer Support" in reply.inner_text()
        assert visitor.evaluate("window.__xss") is None
        screenshot(visitor, "website-chat")

        # A reload keeps the conversation (the token is in localStorage).
        visitor.reload()
        visitor.locator(
            ".o_livechat_visitor .lcv-msg.out", has_text="Yes, in three days (%s)" % tag
        ).wait_for()
        assert visitor.locator(".o_livechat_visitor .lcv-msg").count() == 3
        assert root.locator(".lcv-file img").count() == 1

        # The visitor closes the window; the next reply shows as a count on
        # the button, gone once the window is open again.
        root.locator(".lcv-close").click()
        assert root.locator(".lcv-unread").is_hidden()
        operator.fill(".o_lc_composer_input", "Anything else? (%s)" % tag)
        operator.press(".o_lc_composer_input", "Enter")
        root.locator(".lcv-unread:has-text('1')").wait_for()
        root.locator(".lcv-button").click()
        root.locator(".lcv-msg.out", has_text="Anything else? (%s)" % tag).wait_for()
        assert root.locator(".lcv-unread").is_hidden()

        # The operator closes the session: the visitor gets the chat's
        # closing message and a line saying the conversation ended.
        closing = "Thank you, Vera. Write again any time (%s)." % tag
        rpc("admin", "livechat.chat", "write", [chat_id], {"closing_message": closing})
        operator.click(".o_lc_ws_action:has-text('Close Session')")
        operator.click(".modal-footer .btn-primary")
        operator.wait_for_selector(".o_lc_conversation .o_lc_state_closed")
        root.locator(".lcv-msg.out", has_text=closing).wait_for()
        root.locator(".lcv-notice", has_text="This conversation has ended").wait_for()
        screenshot(visitor, "website-chat-closed")
    finally:
        rpc("admin", "livechat.chat", "write", [chat_id], {"closing_message": False})
        context.close()


def test_visitor_and_operator_see_each_other_typing(browser, shop_site, new_page):
    context = browser.new_context(viewport={"width": 390, "height": 780})
    try:
        visitor, root = open_visitor_window(context, shop_site)
        tag = uuid.uuid4().hex[:6]
        root.locator(".lcv-name").fill("Tessa %s" % tag)
        root.locator(".lcv-input").fill("Hello (%s)" % tag)
        root.locator(".lcv-input").press("Enter")
        visitor.wait_for_selector(
            ".o_livechat_visitor .lcv-msg.in[data-id]:not([data-id='']):not(.error)"
        )
        operator = take_and_answer(
            new_page("operator"), "Tessa %s" % tag, "Hello", "Hi Tessa (%s)" % tag
        )
        root.locator(".lcv-msg.out", has_text="Hi Tessa (%s)" % tag).wait_for()
        # The visitor types: the operator sees it above the composer. The
        # server's answer says whether it told the staff (CI once saw the
        # operator not shown it: this tells which side to look at).
        with visitor.expect_response(
            lambda response: "/livechat/visitor/typing" in response.url
        ) as said:
            root.locator(".lcv-input").type("My order number is")
        assert said.value.json() == {"shown": True}
        operator.wait_for_selector(
            ".o_lc_presence:has-text('Tessa %s is typing')" % tag
        )
        # The operator types a reply: the visitor's window says so, until
        # the reply arrives.
        operator.type(".o_lc_composer_input", "Let me look")
        root.locator(".lcv-typing").wait_for()
        screenshot(visitor, "website-chat-typing")
        operator.press(".o_lc_composer_input", "Enter")
        root.locator(".lcv-msg.out", has_text="Let me look").wait_for()
        root.locator(".lcv-typing").wait_for(state="hidden")
    finally:
        context.close()


def test_a_visitor_leaves_a_message_when_nobody_is_there(browser, odoo_url, rpc):
    tag = uuid.uuid4().hex[:6]
    # A chat whose only working hours are on another day: nobody answers now.
    other_day = str((datetime.datetime.utcnow().weekday() + 3) % 7)
    operators = [
        rpc(
            "admin",
            "ir.model.data",
            "xmlid_to_res_id",
            "livechat_sessions.group_livechat_operator",
        )
    ]
    chat_id = rpc(
        "admin",
        "livechat.chat",
        "create",
        {
            "name": "After Hours %s" % tag,
            "tz": "UTC",
            "website_enabled": True,
            "operator_group_ids": [(6, 0, operators)],
            "hours_ids": [
                (0, 0, {"weekday": other_day, "hour_from": 9, "hour_to": 17})
            ],
            "away_message": "We are closed (%s). Leave a message." % tag,
        },
    )
    [chat] = rpc("admin", "livechat.chat", "read", [chat_id], ["website_key"])
    context = browser.new_context(viewport={"width": 390, "height": 780})
    try:
        with website_with_chat(odoo_url, chat["website_key"]) as url:
            visitor, root = open_visitor_window(context, url)
            root.locator(".lcv-away", has_text="We are closed (%s)" % tag).wait_for()
            # No email address: asked for one, nothing sent.
            root.locator(".lcv-name").fill("Nils %s" % tag)
            root.locator(".lcv-input").fill("Do you ship to Norway? (%s)" % tag)
            root.locator(".lcv-input").press("Enter")
            root.locator(".lcv-status", has_text="Leave your email address").wait_for()
            assert root.locator(".lcv-msg").count() == 0
            root.locator(".lcv-email").fill("nils.%s@example.com" % tag)
            screenshot(visitor, "website-chat-away")
            root.locator(".lcv-input").press("Enter")
            visitor.wait_for_selector(
                ".o_livechat_visitor .lcv-msg.in[data-id]:not([data-id='']):not(.error)"
            )
            root.locator(".lcv-away", has_text="answer by email").wait_for()
        # An operator answers the next morning: the answer goes by email too.
        [session] = rpc(
            "admin",
            "livechat.session",
            "search_read",
            [("chat_id", "=", chat_id)],
            ["state", "answer_by_email"],
        )
        assert session["state"] == "queued" and session["answer_by_email"]
        rpc("operator", "livechat.session", "reply", [session["id"]], "Yes (%s)" % tag)
        [mail] = rpc(
            "admin",
            "mail.mail",
            "search_read",
            [("email_to", "=", "nils.%s@example.com" % tag)],
            ["body_html", "subject"],
        )
        assert "Yes (%s)" % tag in mail["body_html"]
    finally:
        context.close()
        rpc("admin", "livechat.chat", "write", [chat_id], {"active": False})


def replace_connector(rpc, model, values):
    """The connector ``model`` of Customer Support made of ``values``, in
    place of the chat's others of that model (replies leave through the
    chat's first one); returns its id."""
    chat_id = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )[0]
    rpc(
        "admin",
        model,
        "unlink",
        rpc("admin", model, "search", [("chat_id", "=", chat_id)]),
    )
    return rpc("admin", model, "create", dict(values, chat_id=chat_id))


@pytest.fixture
def telegram_bot(rpc):
    token = "4242:%s" % uuid.uuid4().hex
    bot = fake_providers.FakeTelegram(token)
    connector = replace_connector(
        rpc,
        "livechat.connector.telegram",
        {
            "name": "Live test bot",
            "bot_token": token,
            "api_url": bot.url,
            "fetch_avatars": False,
        },
    )
    rpc("admin", "livechat.connector.telegram", "action_connect", [connector])
    yield bot
    rpc("admin", "livechat.connector.telegram", "unlink", [connector])
    bot.stop()


def odoo_webhook(odoo_url, telegram_bot):
    """Where Telegram would send the bot's updates (the address Odoo
    registered, on the test's Odoo), with the secret it registered."""
    return {
        "url": odoo_url
        + "/livechat/telegram/"
        + telegram_bot.webhook["url"].rsplit("/", 1)[-1],
        "secret_token": telegram_bot.webhook["secret_token"],
    }


def send_update(webhook, update, timeout=10):
    request = urllib.request.Request(
        webhook["url"],
        json.dumps(update).encode(),
        {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": webhook["secret_token"],
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


def tg_update(update_id, text, user_id):
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Tom"},
        },
    }


def test_telegram_reply_goes_out_through_the_job_runner_once_the_bot_api_is_back(
    odoo_url, rpc, telegram_bot
):
    # Telegram would call the address Odoo registered; here the test does.
    webhook = odoo_webhook(odoo_url, telegram_bot)
    user_id = int(time.time()) % 1000000 + 5000000
    assert send_update(webhook, tg_update(1, "Is my order shipped?", user_id)) == 200
    [message] = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("external_id", "like", "%:1"), ("body", "like", "shipped")],
        ["session_id"],
        order="id desc",
        limit=1,
    )
    session_id = message["session_id"][0]
    # The Bot API is down for the first try: the runner retries later.
    telegram_bot.fail_next(
        502, {"ok": False, "description": "Bad Gateway"}, method="send"
    )
    rpc("operator", "livechat.session", "reply", [session_id], "It left today")

    def sent_to_customer():
        # This customer's messages only: replies of earlier tests still in
        # the queue reach the bot too once it answers.
        return [
            call
            for call in telegram_bot.calls_of("sendMessage")
            if call["chat_id"] == str(user_id)
        ]

    sent = wait_until(sent_to_customer, timeout=90)
    assert sent == [{"chat_id": str(user_id), "text": "It left today"}]
    [reply] = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("session_id", "=", session_id), ("direction", "=", "out")],
        ["delivery_state"],
    )
    wait_until(
        lambda: rpc(
            "admin", "livechat.message", "read", [reply["id"]], ["delivery_state"]
        )[0]["delivery_state"]
        == "sent"
    )
    time.sleep(3)
    assert len(sent_to_customer()) == 1, "sent once"


def test_operator_sees_live_why_a_reply_did_not_reach_the_customer(
    odoo_url, rpc, telegram_bot, new_page
):
    """The customer blocked the bot: Telegram refuses the reply the job
    runner sends, and the operator, still in the conversation, sees the
    reply marked with Telegram's reason without reloading anything."""
    webhook = odoo_webhook(odoo_url, telegram_bot)
    tag = uuid.uuid4().hex[:6]
    user_id = int(time.time()) % 1000000 + 6000000
    update = tg_update(2, "Hello? %s" % tag, user_id)
    update["message"]["from"]["first_name"] = "Tess %s" % tag
    assert send_update(webhook, update) == 200
    # Only this customer's reply is refused: replies of earlier tests may
    # still reach the bot.
    telegram_bot.fail_next(
        403,
        {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot was blocked by the user",
        },
        # The reply only: the operator's typing also calls the Bot API
        # (sendChatAction), which must not take the scripted failure.
        method="sendMessage",
        match={"chat_id": str(user_id)},
    )
    operator = take_and_answer(
        new_page("operator"),
        "Tess %s" % tag,
        "Hello? %s" % tag,
        "We are on it (%s)" % tag,
    )
    reply = operator.locator(
        ".o_lc_message.o_lc_out", has_text="We are on it (%s)" % tag
    )
    reply.wait_for()
    # The runner tries, Telegram refuses, the operator is told over the bus
    # (as soon as the reply shows, or a little later: the runner is quick)
    # in the same document: nothing reloads the page.
    operator.evaluate("window.lcSamePage = true")
    error = reply.locator(".o_lc_delivery_error")
    error.wait_for(timeout=90000)
    assert "blocked by the user" in error.inner_text()
    assert operator.evaluate("window.lcSamePage") is True
    assert reply.locator(".o_lc_not_delivered").count() == 1
    screenshot(operator, "workspace-not-delivered")


def test_a_reply_shows_queued_until_the_channel_takes_it(
    odoo_url, rpc, telegram_bot, new_page
):
    """The Bot API is away when the operator answers: the reply shows
    "Queued" (not as if it had left), and turns "Sent" live once the job
    runner's retry gets through."""
    webhook = odoo_webhook(odoo_url, telegram_bot)
    tag = uuid.uuid4().hex[:6]
    user_id = int(time.time()) % 1000000 + 7000000
    update = tg_update(3, "Status? %s" % tag, user_id)
    update["message"]["from"]["first_name"] = "Quinn %s" % tag
    assert send_update(webhook, update) == 200
    # The first try for this customer meets a 502: retried 10 s later.
    telegram_bot.fail_next(
        502,
        {"ok": False, "description": "Bad Gateway"},
        # The reply only, not the typing action (sendChatAction).
        method="sendMessage",
        match={"chat_id": str(user_id)},
    )
    operator = take_and_answer(
        new_page("operator"),
        "Quinn %s" % tag,
        "Status? %s" % tag,
        "Checking (%s)" % tag,
    )
    reply = operator.locator(".o_lc_message.o_lc_out", has_text="Checking (%s)" % tag)
    reply.locator(".o_lc_delivery_pending:has-text('Queued')").wait_for()
    screenshot(operator, "workspace-queued-reply")
    reply.locator(".o_lc_delivery_sent").wait_for(timeout=90000)
    assert reply.locator(".o_lc_delivery_pending").count() == 0


def whatsapp_post(url, secret, value):
    """Meta's notification of ``value`` (messages or statuses), signed with
    the app's secret as Meta signs it."""
    raw = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": "WABA", "changes": [{"field": "messages", "value": value}]}
            ],
        }
    ).encode()
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        url,
        raw,
        {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256=" + signature,
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_a_whatsapp_reply_turns_delivered_live(odoo_url, rpc, new_page):
    """WhatsApp reports the reply delivered: the operator's screen turns
    its single check into two, without a reload."""
    tag = uuid.uuid4().hex[:6]
    number_id = "77%s" % int(time.time())
    graph = fake_providers.FakeGraph("wa-%s" % tag, number_id)
    connector = replace_connector(
        rpc,
        "livechat.connector.whatsapp",
        {
            "name": "Live test number",
            "phone_number_id": number_id,
            "access_token": "wa-%s" % tag,
            "app_secret": "secret-%s" % tag,
            "api_url": graph.url,
        },
    )
    try:
        rpc("admin", "livechat.connector.whatsapp", "action_connect", [connector])
        key = rpc(
            "admin", "livechat.connector.whatsapp", "read", [connector], ["webhook_key"]
        )[0]["webhook_key"]
        url = odoo_url + "/livechat/whatsapp/" + key
        metadata = {"display_phone_number": "15550100", "phone_number_id": number_id}
        wa_id = "346%08d" % (int(time.time()) % 100000000)
        status = whatsapp_post(
            url,
            "secret-%s" % tag,
            {
                "messaging_product": "whatsapp",
                "metadata": metadata,
                "contacts": [{"profile": {"name": "Wanda %s" % tag}, "wa_id": wa_id}],
                "messages": [
                    {
                        "id": "wamid.in.%s" % tag,
                        "from": wa_id,
                        "timestamp": str(int(time.time())),
                        "type": "text",
                        "text": {"body": "Is it shipped? %s" % tag},
                    }
                ],
            },
        )
        assert status == 200
        operator = take_and_answer(
            new_page("operator"),
            "Wanda %s" % tag,
            "Is it shipped? %s" % tag,
            "Yes, today (%s)" % tag,
        )
        reply = operator.locator(
            ".o_lc_message.o_lc_out", has_text="Yes, today (%s)" % tag
        )
        # Sent once the job runner has handed it to the Graph API...
        reply.locator(".o_lc_delivery_sent").wait_for(timeout=90000)
        [sent] = rpc(
            "admin",
            "livechat.message",
            "search_read",
            [("body", "ilike", "Yes, today (%s)" % tag)],
            ["external_id"],
        )
        # ...delivered when Meta says the phone received it.
        assert (
            whatsapp_post(
                url,
                "secret-%s" % tag,
                {
                    "messaging_product": "whatsapp",
                    "metadata": metadata,
                    "statuses": [
                        {
                            # Stored as out:<account>:<Meta's id>.
                            "id": sent["external_id"].split(":", 2)[2],
                            "status": "delivered",
                            "recipient_id": wa_id,
                            "timestamp": str(int(time.time())),
                        }
                    ],
                },
            )
            == 200
        )
        reply.locator(".o_lc_delivery_delivered").wait_for()
        assert reply.locator(".o_lc_delivery_sent").count() == 0
        screenshot(operator, "workspace-delivered-reply")
    finally:
        rpc("admin", "livechat.connector.whatsapp", "unlink", [connector])
        graph.stop()


def test_every_acknowledged_update_survives_odoo_being_killed(rpc, telegram_bot):
    """A second Odoo on the same database takes webhooks from 4 clients and
    is killed (SIGKILL) mid-stream: every update it answered 200 is stored,
    once; the provider sends the others again to a restarted Odoo."""
    webhook_path = (
        "/livechat/telegram/" + telegram_bot.webhook["url"].rsplit("/", 1)[-1]
    )
    log_path = ROOT / "var" / "browser" / "odoo-killed.log"
    log_path.unlink(missing_ok=True)
    base = int(time.time() * 1000) % 10**9
    user_id = 7000000 + base % 1000000
    updates = [tg_update(base + n, "burst %d" % n, user_id) for n in range(400)]
    acked, lock, killed = set(), threading.Lock(), threading.Event()

    def client(url, part):
        hook = dict(telegram_bot.webhook, url=url)
        for update in part:
            # The provider stops calling a server that does not answer; calls
            # to a dead port could also take that port for their own end.
            if killed.is_set():
                return
            try:
                if send_update(hook, update, timeout=5) == 200:
                    with lock:
                        acked.add(update["update_id"])
            except (OSError, http.client.HTTPException):
                pass

    server, url = start_odoo(DB, log_path)
    url += webhook_path
    threads = [
        threading.Thread(target=client, args=(url, updates[i::4])) for i in range(4)
    ]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(acked) >= 40, 60, 0.05)
    os.killpg(server.pid, signal.SIGKILL)
    killed.set()
    server.wait()
    for thread in threads:
        thread.join()
    stored = _stored_update_ids(telegram_bot, rpc)
    assert acked, "some updates were acknowledged before the kill"
    assert acked <= set(stored), "acknowledged but lost: %s" % sorted(
        acked - set(stored)
    )
    assert len(stored) == len(set(stored)), "stored twice"
    assert len(acked) < len(updates), "the kill happened mid-stream"

    # The provider retries what was not acknowledged: all 400, once each.
    # The restarted Odoo listens on a port of its own: the killed one's may
    # still be held by the kernel for a closing connection.
    server, url = start_odoo(DB, log_path)
    hook = dict(telegram_bot.webhook, url=url + webhook_path)
    try:
        for update in updates:
            if update["update_id"] not in acked:
                assert send_update(hook, update) == 200
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(60)
    stored = _stored_update_ids(telegram_bot, rpc)
    assert sorted(stored) == sorted(u["update_id"] for u in updates)


def _stored_update_ids(bot, rpc):
    connector = rpc(
        "admin",
        "livechat.connector.telegram",
        "search",
        [("bot_token", "=", bot.token)],
    )[0]
    out = subprocess.run(
        [
            "psql",
            "-d",
            DB,
            "-tAc",
            "SELECT external_id FROM livechat_message WHERE external_id LIKE '%d:%%'"
            % connector,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(line.split(":", 1)[1]) for line in out.split()]


def test_employee_writes_from_the_systray_and_reads_the_answer_live(new_page, rpc):
    reader = new_page("reader")
    reader.click(".o_lc_internal_menu > a")
    reader.click(".o_lc_internal_chat:has-text('Customer Support')")
    window = reader.locator(".o_lc_internal_window")
    tag = uuid.uuid4().hex[:6]
    first = window.locator(".o_lc_iw_first")
    if first.count():
        first.fill("My laptop will not start (%s)" % tag)
        window.locator(".o_lc_iw_start").click()
    else:
        # A session from an earlier run is still open: write in it.
        window.locator(".o_lc_composer_input").fill(
            "My laptop will not start (%s)" % tag
        )
        window.locator(".o_lc_composer_input").press("Enter")
    window.locator(".o_lc_message", has_text="will not start (%s)" % tag).wait_for()
    [message] = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "like", "will not start (%s)" % tag)],
        ["session_id"],
    )
    reads = []
    reader.on(
        "request",
        lambda request: "/livechat.internal/messages" in request.url
        and reads.append(request.url),
    )
    rpc(
        "operator",
        "livechat.session",
        "reply",
        [message["session_id"][0]],
        "We bring you a spare one (%s)" % tag,
    )
    answer = window.locator(".o_lc_message", has_text="spare one (%s)" % tag)
    answer.wait_for()
    # Shown from the bus's payload: the window did not read its page again.
    assert reads == []
    assert "Customer Support" in answer.inner_text()
    # The demo chat does not show its operators' names, anywhere.
    assert "Oscar Operator" not in window.inner_text()
    screenshot(reader, "internal-chat")
    # Typing, both ways: the operator writing a reply shows in the window
    # under the chat's name; the employee writing shows in the workspace.
    rpc(
        "operator",
        "livechat.workspace",
        "set_presence",
        message["session_id"][0],
        "typing",
        reply=True,
    )
    window.locator(".o_lc_presence:has-text('Customer Support is typing')").wait_for()
    operator = open_workspace(new_page("operator"))
    open_group(operator, "Customer Support", "My sessions")
    operator.click(".o_lc_ws_session:has-text('%s')" % message["session_id"][1])
    operator.wait_for_selector(".o_lc_message:has-text('spare one (%s)')" % tag)
    window.locator(".o_lc_composer_input").type("Thanks, when")
    operator.wait_for_selector(".o_lc_presence:has-text('Rita Reader is typing')")
