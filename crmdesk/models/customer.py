"""The customer archive: one row per card, with a column for every field of the card definition."""
from __future__ import annotations

import peewee

from crmdesk.models.card import all_fields
from crmdesk.models.db import BaseModel


class Customer(BaseModel):
    """An archive card. Card fields are added below from ``CARD``; these columns run the archive.

    ``version`` goes up on every save so two desks editing the same card are noticed.
    ``name_pinyin``, ``name_initials``, ``mobile_tail`` and ``search_text`` serve search.
    ``last_contact_at`` and ``next_follow_up`` are kept by the services from the communication log.
    """

    archive_no = peewee.TextField(unique=True)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)
    name_pinyin = peewee.TextField(default="", index=True)
    name_initials = peewee.TextField(default="", index=True)
    mobile_tail = peewee.TextField(null=True, index=True)
    # Searched through the trigram index and the piece table (search_index, search_pieces); its
    # own index, scanned by short searches before the pieces, was dropped in schema 26.
    search_text = peewee.TextField(default="")
    last_contact_at = peewee.DateTimeField(null=True, index=True)
    next_follow_up = peewee.DateField(null=True, index=True)


# The duplicate rule looks a card's phones and numbers up in every phone and number column
# (schema 14).
IDENTITY_FIELDS = ("home_phone", "fax", "spouse_phone", "licence_no", "tax_no")
INDEXED_FIELDS = {"name", "mobile", "status", "kind", "phone", *IDENTITY_FIELDS}

for _spec in all_fields():
    _column = _spec.kind.column(_spec.name)
    if _spec.name in INDEXED_FIELDS:
        _column.index = True
    Customer._meta.add_field(_spec.name, _column)

# The overdue list and the follow-up counts read only followed-up customers; these partial
# indexes hold exactly those, with the columns the list filters on (schema 3) and the status
# its condition tests, so that SQLite counts from the index alone (schema 22).
FOLLOW_UP_INDEX_WHERE = peewee.SQL(
    "status NOT IN ('lost', 'invalid') AND next_follow_up IS NOT NULL")
Customer.add_index(Customer.index(Customer.next_follow_up, Customer.level, Customer.owner,
                                  Customer.status, name="customer_follow_up",
                                  where=FOLLOW_UP_INDEX_WHERE))
Customer.add_index(Customer.index(Customer.owner, Customer.next_follow_up, Customer.level,
                                  Customer.status, name="customer_follow_up_owner",
                                  where=FOLLOW_UP_INDEX_WHERE))
# Every list and count a person sees leaves out the top-secret archives of others; this index
# names them with their owner without reading their rows (schema 29: 50 ms to 1 ms at
# 1,000,000 customers). It also serves any look-up by confidentiality alone.
Customer.add_index(Customer.index(Customer.confidentiality, Customer.owner,
                                  name="customer_confidentiality_owner"))
# The statistics read the archives registered, or first contacted, in a period (schema 20).
Customer.add_index(Customer.index(Customer.created_at, name="customer_created_at"))
Customer.add_index(Customer.index(Customer.first_contact_date,
                                  name="customer_first_contact_date"))
# The customers lapsed to the pool per salesperson are worked out from the protection rule's
# columns, read from this index alone (schema 25).
Customer.add_index(Customer.index(Customer.owner, Customer.created_at, Customer.level,
                                  Customer.status, Customer.last_contact_at,
                                  name="customer_protection"))
# A salesperson's own customers in list order, by archive number and by name (schema 31):
# the first screen of a list only they may read (filtered by an office field's value) walks
# them and stops.
Customer.add_index(Customer.index(Customer.owner, Customer.archive_no,
                                  name="customer_owner_archive_no"))
Customer.add_index(Customer.index(Customer.owner, Customer.name_pinyin,
                                  name="customer_owner_name_pinyin"))
