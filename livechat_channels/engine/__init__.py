"""Plain-Python translations between the providers' protocols and the way in.

Nothing here touches the ORM: each module turns a provider's payload into the
arguments of ``livechat.chat._receive_message`` and an operator's reply into
the provider's API call, so it can be read (and tested) against the
provider's documentation alone.
"""
