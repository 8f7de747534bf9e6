"""What a provider's answer means for the delivery queue.

A reply goes out through a queue job. The job needs to know one thing from
the provider's answer: try again later (the provider is down, answered 5xx,
or asked us to slow down with 429), or give up (the provider refused the
message itself: a 4xx that no retry will change).
"""

from urllib.parse import urlsplit

import requests


class RetryLater(Exception):
    """The provider could not take the message now; the job retries.

    ``retry_after`` is the wait the provider asked for (seconds), if any.
    """

    def __init__(self, reason, retry_after=None):
        super(RetryLater, self).__init__(reason)
        self.retry_after = retry_after


class Rejected(Exception):
    """The provider refused the message: retrying will not help."""


#: Seconds to wait for a provider's answer. A slow provider makes the job
#: retry rather than hold an Odoo worker.
TIMEOUT = 15


def call(method, url, **kwargs):
    """Make one HTTP request to a provider and return the response.

    Network errors and 5xx become :class:`RetryLater`; the caller decides
    what a 4xx means for its protocol.
    """
    timeout = kwargs.pop("timeout", TIMEOUT)
    try:
        response = requests.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as error:
        # Not the library's own text: it quotes the URL, and a provider's
        # URL may hold a credential (Telegram's bot token is in the path).
        raise RetryLater(unreachable(url, error, timeout))
    if response.status_code >= 500:
        raise RetryLater("HTTP %d from the provider" % response.status_code)
    return response


def unreachable(url, error, timeout=TIMEOUT):
    """One plain sentence for a provider that could not be reached: which
    host, and what to check. Never the URL's path or the library's text."""
    host = urlsplit(url).hostname or "the provider"
    if isinstance(error, requests.Timeout):
        why = "no answer within %d s" % timeout
    elif isinstance(error, requests.exceptions.SSLError):
        why = "its TLS certificate was refused"
    elif isinstance(error, requests.ConnectionError):
        why = "the connection failed: check the address and the network"
    else:
        why = "the request failed (%s)" % type(error).__name__
    return "Could not reach %s: %s." % (host, why)


def retry_after_header(response):
    """The ``Retry-After`` header in seconds, when it is a number."""
    try:
        return int(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
