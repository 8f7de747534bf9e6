"""Keeping what a transaction just wrote or read in the ORM's cache.

Odoo 11's ``create`` leaves nothing in the cache, so reading any field of a
record just created reads its whole row again; Odoo 12 keeps the values it
wrote instead. The way in (one customer message = one transaction) creates
an account and a session and reads a few of their fields right after: it
keeps the values it knows, the same way, and spares those reads.
"""


def keep(record, values):
    """Put ``values`` (field name -> value as ``create`` takes it) into the
    cache of ``record``, as the ORM would have read them."""
    for name, value in values.items():
        field = record._fields[name]
        record.env.cache.set(record, field, field.convert_to_cache(value, record))
