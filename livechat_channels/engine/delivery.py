"""What a provider's answer means for the delivery queue.

A reply goes out through a queue job. The job needs to know one thing from
the provider's answer: try again later (the provider is down, answered 5xx,
or asked us to slow down with 429), or give up (the provider refused the
message itself: a 4xx that no retry will change).
"""

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
        raise RetryLater("%s: %s" % (type(error).__name__, error))
    if response.status_code >= 500:
        raise RetryLater("HTTP %d from the provider" % response.status_code)
    return response


def retry_after_header(response):
    """The ``Retry-After`` header in seconds, when it is a number."""
    try:
        return int(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
