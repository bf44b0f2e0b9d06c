"""Demo data for the organisation cards' yearly sales (我司产品历年销售额): two to five years of
our sales, up to last year, to every demo organisation that is a customer of ours or being won
(following up, deal, after-sales, lost), so the card's business tab and the sales exports
show amounts and their growth.

The database works the rows out in one INSERT ... SELECT from the loaded cards, the amounts
from each card's id and the seed (no row passes through Python), so a million-customer demo
adds its years in seconds. Each organisation starts at 20 to 500 (万元) and grows by its own
rate, from -10% to +30% of the first year's amount a year, give or take 5 points.
"""
from __future__ import annotations

import datetime as dt

from crmdesk.models import Customer, YearlySale
from crmdesk.models.db import database

SOLD_STATUSES = ("following", "deal", "after_sales", "lost")
YEARS_LEAST, YEARS_MOST = 2, 5
# Ids are folded below this prime before any product, so no product outgrows 32 bits.
_FOLD = 9973


def build_demo_sales(seed: int, first_id: int, today: dt.date) -> int:
    """Our sales by year on the demo organisation cards from ``first_id`` on (see the module);
    returns how many years were written."""
    db = database.obj
    quote = db.quote[0] + "{}" + db.quote[-1]
    table, customer = (quote.format(m._meta.table_name) for m in (YearlySale, Customer))
    # The remainder operator, written as the driver's parameter style lets it through.
    mod = "%%" if db.param == "%s" else "%"
    folded = f"(c.id {mod} {_FOLD})"
    years = f"({YEARS_LEAST} + c.id {mod} {YEARS_MOST - YEARS_LEAST + 1})"
    # In hundredths of 万元: the first year's amount, the yearly step and the year's wobble
    # (percent of the first year).
    first = f"(2000 + ({folded} * 7919 + {db.param}) {mod} 48000)"
    step = f"(({folded} * 31 + {db.param}) {mod} 41 - 10)"
    wobble = f"(({folded} * k.back * 13) {mod} 11 - 5)"
    percent = f"(100 + {step} * ({years} - k.back) + {wobble})"
    back = " UNION ALL ".join(f"SELECT {k} AS back" for k in range(1, YEARS_MOST + 1))
    statuses = ", ".join([db.param] * len(SOLD_STATUSES))
    sql = (f"INSERT INTO {table} (customer_id, year, amount) "
           f"SELECT c.id, {db.param} - k.back, ({first} * {percent} / 100) / 100.0 "
           f"FROM {customer} AS c CROSS JOIN ({back}) AS k "
           f"WHERE c.id >= {db.param} AND c.kind = 'organisation' AND c.status IN ({statuses}) "
           f"AND k.back <= {years} ORDER BY c.id, k.back DESC")
    cursor = db.execute_sql(sql, (today.year, seed, seed, first_id, *SOLD_STATUSES))
    return cursor.rowcount
