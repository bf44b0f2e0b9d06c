"""Summary rows of the manager's statistics, kept by the database in the writing transaction.

A year's follow-up discipline, deal analysis or archive growth counted from the raw tables
reads every contact and every card of the year; these summaries hold what those counts need,
small enough to read in milliseconds:

- ``contact_tally``: contacts logged per day, recorder and the level the contact set (keys
  0: nobody, no level);
- ``level_change``: the contacts that set a level other than the customer's contact before
  (the last that set a level), with both levels;
- ``milestone``: per archive, the day it was registered, its first-contact day, owner, source,
  level, whether its card is complete (crmdesk.models.completeness) and its first deal on or
  after that first contact;
- ``growth_tally`` and ``start_tally``: the milestones added up per month (of registration,
  and of first contact), so a year reads a few thousand rows, and ``class_tally``: the
  archives per owner and level as the cards stand; kept by triggers on ``milestone``.

Triggers on ``communication``, ``customer``, ``deal`` and the office's fields and values keep
them, so every write path (the card, the log, imports, merges and their undoing, destroying,
demo data, a PostgreSQL desk) changes them in its own transaction. An office value refreshes
its card's milestone when its field is important and shown; an office field that starts or
stops asking for an answer (added, removed, made important or not, hidden or shown, moved to
a box for one kind of customer) has every card's completeness worked out again at once.
``rebuild`` works them out again from the raw tables; ``drift`` lists where they differ from
those (``crmdesk summaries``).
"""
from __future__ import annotations

import peewee

from crmdesk.models.card import Need
from crmdesk.models.complaints import Deal
from crmdesk.models.completeness import complete_card, important_fields, office_field_asks
from crmdesk.models.customer import Customer
from crmdesk.models.db import BaseModel
from crmdesk.models.office_fields import OfficeFieldRow
from crmdesk.models.records import Communication


class ContactTally(BaseModel):
    """How many contacts ``staff_key`` (a staff id, 0 for nobody) logged on ``day`` that set
    the level ``level_key`` (0 for none)."""

    day = peewee.DateField()
    staff_key = peewee.IntegerField()
    level_key = peewee.IntegerField()
    contacts = peewee.IntegerField(default=0)

    class Meta:
        table_name = "contact_tally"
        primary_key = peewee.CompositeKey("day", "staff_key", "level_key")


class LevelChange(BaseModel):
    """A contact that changed its customer's level from ``before_level_id``."""

    communication_id = peewee.IntegerField(primary_key=True)
    customer_id = peewee.IntegerField(index=True)
    contacted_at = peewee.DateTimeField()
    recorded_by_id = peewee.IntegerField(null=True)
    level_id = peewee.IntegerField()
    before_level_id = peewee.IntegerField()

    class Meta:
        table_name = "level_change"
        indexes = ((("contacted_at", "recorded_by_id", "customer_id"), False),)


class Milestone(BaseModel):
    """One archive's dates and keys as the growth and deal reports count them."""

    customer_id = peewee.IntegerField(primary_key=True)
    created_day = peewee.DateField()
    first_day = peewee.DateField()
    owner_id = peewee.IntegerField(null=True)
    source = peewee.TextField()
    level_id = peewee.IntegerField(null=True)
    complete = peewee.IntegerField()
    deal_day = peewee.DateField(null=True)

    class Meta:
        table_name = "milestone"
        indexes = (
            (("created_day", "owner_id", "source", "complete"), False),
            (("first_day", "owner_id", "source", "level_id", "deal_day"), False),
        )


class GrowthTally(BaseModel):
    """Archives registered in ``month`` (its first day) with one owner (0: nobody), source and
    completeness."""

    month = peewee.DateField()
    owner_key = peewee.IntegerField()
    source = peewee.TextField()
    complete = peewee.IntegerField()
    archives = peewee.IntegerField()

    class Meta:
        table_name = "growth_tally"
        primary_key = peewee.CompositeKey("month", "owner_key", "source", "complete")


class StartTally(BaseModel):
    """Archives first contacted in ``month`` with one owner, source and level (0: none): how
    many, how many have a deal since, and the days from first contact to deal summed."""

    month = peewee.DateField()
    owner_key = peewee.IntegerField()
    source = peewee.TextField()
    level_key = peewee.IntegerField()
    archives = peewee.IntegerField()
    won = peewee.IntegerField()
    days = peewee.IntegerField()

    class Meta:
        table_name = "start_tally"
        primary_key = peewee.CompositeKey("month", "owner_key", "source", "level_key")


class ClassTally(BaseModel):
    """Archives owned by ``owner_key`` (0: nobody) at level ``level_key`` (0: none) now."""

    owner_key = peewee.IntegerField()
    level_key = peewee.IntegerField()
    archives = peewee.IntegerField()

    class Meta:
        table_name = "class_tally"
        primary_key = peewee.CompositeKey("owner_key", "level_key")


SUMMARY_MODELS = (ContactTally, LevelChange, Milestone, GrowthTally, StartTally, ClassTally)


def _day(db: peewee.Database, column: peewee.Node) -> peewee.Node:
    """The calendar day of a moment column, as stored (the office's local time)."""
    if isinstance(db, peewee.SqliteDatabase):
        return peewee.fn.DATE(column).coerce(False)
    return peewee.Cast(column, "DATE")


def _month(db: peewee.Database, day: str) -> str:
    """SQL for the first day of the month of the date ``day``."""
    if isinstance(db, peewee.SqliteDatabase):
        return f"DATE({day}, 'start of month')"
    return f"CAST(date_trunc('month', {day}) AS DATE)"


def _days(db: peewee.Database, earlier: str, later: str) -> str:
    """SQL for the whole days from the date ``earlier`` to the date ``later``."""
    if isinstance(db, peewee.SqliteDatabase):
        return f"CAST(JULIANDAY({later}) - JULIANDAY({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def _text(db: peewee.Database, query: peewee.Node) -> str:
    """``query`` as SQL text with its values written in (a trigger takes no parameters)."""
    sql, params = db.get_sql_context().sql(query).query()
    marker = db.param
    parts = sql.split(marker)
    if len(parts) != len(params) + 1:
        raise ValueError(f"cannot write the values into {sql!r}")
    out = [parts[0]]
    for value, part in zip(params, parts[1:], strict=True):
        if isinstance(value, bool) or value is None:
            raise ValueError(f"unexpected value {value!r} in {sql!r}")
        quoted = "'" + str(value).replace("'", "''") + "'"
        literal = str(value) if isinstance(value, int) else quoted
        out.extend((literal, part))
    return "".join(out)


# ---- what the summaries hold, as SELECTs over the raw tables ----

def _milestones(db: peewee.Database, where: peewee.Node) -> peewee.Select:
    """The milestone rows of the customers meeting ``where``."""
    created = _day(db, Customer.created_at)
    first_day = peewee.fn.COALESCE(Customer.first_contact_date, created)
    first_deal = (Deal.select(peewee.fn.MIN(Deal.closed_on))
                  .where((Deal.customer == Customer.id) & (Deal.closed_on >= first_day)))
    return Customer.select(Customer.id, created, first_day, Customer.owner,
                           peewee.fn.COALESCE(Customer.source, ""), Customer.level,
                           complete_card(), first_deal).where(where)


def level_changes_in_log(where: peewee.Node) -> peewee.Select:
    """The level changes among the graded contacts meeting ``where``, from the log: id,
    customer_id, contacted_at, recorded_by_id, level_id and before (the level before)."""
    graded = (Communication.select(
        Communication.id, Communication.customer, Communication.contacted_at,
        Communication.recorded_by, Communication.level,
        peewee.fn.LAG(Communication.level).over(
            partition_by=[Communication.customer],
            order_by=[Communication.contacted_at, Communication.seq]).alias("before"))
        .where(Communication.level.is_null(False) & where)).alias("graded")
    return (peewee.Select([graded], [graded.c.id, graded.c.customer_id, graded.c.contacted_at,
                                     graded.c.recorded_by_id, graded.c.level_id,
                                     graded.c.before])
            .where(graded.c.before.is_null(False) & (graded.c.before != graded.c.level_id)))


def _tallies(db: peewee.Database) -> peewee.Select:
    """Contacts per day, recorder and level set, from the log."""
    day = _day(db, Communication.contacted_at)
    staff = peewee.fn.COALESCE(Communication.recorded_by, 0)
    level = peewee.fn.COALESCE(Communication.level, 0)
    return (Communication.select(day, staff, level, peewee.fn.COUNT(Communication.id))
            .group_by(day, staff, level))


_MILESTONE_COLUMNS = ("customer_id", "created_day", "first_day", "owner_id", "source",
                      "level_id", "complete", "deal_day")
_CHANGE_COLUMNS = ("communication_id", "customer_id", "contacted_at", "recorded_by_id",
                   "level_id", "before_level_id")


def _insert(table: str, columns: tuple[str, ...], select: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) {select}"


# ---- the statements the triggers run ----

def _refresh_milestone(db: peewee.Database, customer: str,
                       only_if: peewee.Node | None = None) -> list[str]:
    where = Customer.id == peewee.SQL(customer)
    select = _text(db, _milestones(db, where if only_if is None else where & only_if))
    updates = ", ".join(f"{c} = excluded.{c}" for c in _MILESTONE_COLUMNS[1:])
    return [_insert("milestone", _MILESTONE_COLUMNS, select)
            + f" ON CONFLICT (customer_id) DO UPDATE SET {updates}"]


def _refresh_for_value(db: peewee.Database, row: str, also: str | None = None) -> list[str]:
    """Refresh the milestone of the office value ``row`` (NEW or OLD)'s card when its field
    asks for an answer (important and shown; ``also``: a further condition)."""
    asks = peewee.fn.EXISTS(OfficeFieldRow.select(peewee.SQL("1")).where(
        (OfficeFieldRow.id == peewee.SQL(f"{row}.field_id")) & office_field_asks()))
    return _refresh_milestone(db, f"{row}.customer_id",
                              asks if also is None else asks & peewee.SQL(f"({also})"))


def _recount_completeness(db: peewee.Database) -> list[str]:
    """Every milestone's completeness worked out again and the growth tally from them: after
    an office field started or stopped asking for an answer. Set-based: the flips update only
    ``complete``, which the milestone's tally trigger does not watch."""
    flip = Milestone.update(complete=1 - Milestone.complete).where(
        Milestone.complete != Customer.select(complete_card()).where(
            Customer.id == Milestone.customer_id))
    growth, _start = _monthly(db)
    return [_text(db, flip), "DELETE FROM growth_tally",
            _insert("growth_tally", _GROWTH_COLUMNS, growth)]


def recount_completeness(db: peewee.Database) -> None:
    """Work out again which cards are complete (in the caller's transaction), for an archive
    whose milestones were counted by an earlier definition of a complete card."""
    for statement in _recount_completeness(db):
        db.execute_sql(statement)


def _refresh_changes(db: peewee.Database, customer: str) -> list[str]:
    select = _text(db, level_changes_in_log(Communication.customer == peewee.SQL(customer)))
    return [f"DELETE FROM level_change WHERE customer_id = {customer}",
            _insert("level_change", _CHANGE_COLUMNS, select)]


def _emptied(table: str, count: str, keys: dict[str, str]) -> str:
    """Remove ``table``'s row at ``keys`` once its ``count`` is down to zero: a tally holds
    only what there is, so undoing a change leaves it as it was."""
    where = " AND ".join(f"{column} = {value}" for column, value in keys.items())
    return f"DELETE FROM {table} WHERE {count} = 0 AND {where}"


def _tally(db: peewee.Database, row: str, step: str) -> list[str]:
    day = _text(db, _day(db, peewee.SQL(f"{row}.contacted_at")))
    keys = {"day": day, "staff_key": f"COALESCE({row}.recorded_by_id, 0)",
            "level_key": f"COALESCE({row}.level_id, 0)"}
    add = (f"INSERT INTO contact_tally (day, staff_key, level_key, contacts) VALUES "
           f"({', '.join(keys.values())}, {step}) ON CONFLICT (day, staff_key, level_key) "
           f"DO UPDATE SET contacts = contact_tally.contacts + ({step})")
    return [add, _emptied("contact_tally", "contacts", keys)] if step.startswith("-") else [add]


def _growth_values(db: peewee.Database, row: str, step: str) -> str:
    return (f"{_month(db, row + '.created_day')}, COALESCE({row}.owner_id, 0), {row}.source, "
            f"{row}.complete, {step}")


def _start_values(db: peewee.Database, row: str, step: str) -> str:
    won = f"CASE WHEN {row}.deal_day IS NULL THEN 0 ELSE 1 END"
    days = f"COALESCE({_days(db, row + '.first_day', row + '.deal_day')}, 0)"
    return (f"{_month(db, row + '.first_day')}, COALESCE({row}.owner_id, 0), {row}.source, "
            f"COALESCE({row}.level_id, 0), {step}, ({step}) * {won}, ({step}) * {days}")


_GROWTH_COLUMNS = ("month", "owner_key", "source", "complete", "archives")
_START_COLUMNS = ("month", "owner_key", "source", "level_key", "archives", "won", "days")


def _add_up(db: peewee.Database, row: str, step: str) -> list[str]:
    """Add the milestone ``row`` (NEW or OLD) to the monthly tallies, ``step`` times."""
    growth = (f"INSERT INTO growth_tally ({', '.join(_GROWTH_COLUMNS)}) VALUES "
              f"({_growth_values(db, row, step)}) ON CONFLICT (month, owner_key, source, "
              f"complete) DO UPDATE SET archives = growth_tally.archives + excluded.archives")
    start = (f"INSERT INTO start_tally ({', '.join(_START_COLUMNS)}) VALUES "
             f"({_start_values(db, row, step)}) ON CONFLICT (month, owner_key, source, "
             f"level_key) DO UPDATE SET archives = start_tally.archives + excluded.archives, "
             f"won = start_tally.won + excluded.won, days = start_tally.days + excluded.days")
    level = (f"INSERT INTO class_tally (owner_key, level_key, archives) VALUES "
             f"(COALESCE({row}.owner_id, 0), COALESCE({row}.level_id, 0), {step}) "
             f"ON CONFLICT (owner_key, level_key) "
             f"DO UPDATE SET archives = class_tally.archives + excluded.archives")
    if not step.startswith("-"):
        return [growth, start, level]
    owner, level_key = f"COALESCE({row}.owner_id, 0)", f"COALESCE({row}.level_id, 0)"
    return [growth, start, level,
            _emptied("growth_tally", "archives", {
                "month": _month(db, row + ".created_day"), "owner_key": owner,
                "source": f"{row}.source", "complete": f"{row}.complete"}),
            _emptied("start_tally", "archives", {
                "month": _month(db, row + ".first_day"), "owner_key": owner,
                "source": f"{row}.source", "level_key": level_key}),
            _emptied("class_tally", "archives", {"owner_key": owner, "level_key": level_key})]


_CLASSES = ("SELECT COALESCE(owner_id, 0), COALESCE(level_id, 0), COUNT(*) FROM milestone "
            "GROUP BY 1, 2")


def _monthly(db: peewee.Database) -> tuple[str, str]:
    """The monthly tallies worked out from the milestones (growth, start)."""
    growth = (f"SELECT {_month(db, 'created_day')}, COALESCE(owner_id, 0), source, complete, "
              f"COUNT(*) FROM milestone GROUP BY 1, 2, 3, 4")
    won = "CASE WHEN deal_day IS NULL THEN 0 ELSE 1 END"
    start = (f"SELECT {_month(db, 'first_day')}, COALESCE(owner_id, 0), source, "
             f"COALESCE(level_id, 0), COUNT(*), SUM({won}), "
             f"SUM(COALESCE({_days(db, 'first_day', 'deal_day')}, 0)) "
             f"FROM milestone GROUP BY 1, 2, 3, 4")
    return growth, start


# The columns of an office field that decide which cards it asks an answer of.
_ASKING = ("need", "hidden", "applies", '"group"', "kind")
_TALLIED = tuple(c for c in _MILESTONE_COLUMNS if c not in ("customer_id", "complete"))


def _asks(row: str) -> str:
    """SQL: the office field ``row`` (NEW or OLD) is important and shown."""
    return f"({row}.need = '{Need.IMPORTANT.value}' AND NOT {row}.hidden)"


def _triggers(db: peewee.Database) -> list[tuple[str, str, str, str | None, list[str]]]:
    """Each trigger: name, table, event, condition, statements."""
    graded_cols = "customer_id, contacted_at, seq, level_id, recorded_by_id"
    card_cols = ", ".join(sorted({"created_at", "first_contact_date", "owner_id", "source",
                                  "level_id", "kind",
                                  *(getattr(Customer, s.name).column_name
                                    for s in important_fields())}))
    return [
        ("communication_tally_ai", "communication", "INSERT", None, _tally(db, "NEW", "1")),
        ("communication_tally_ad", "communication", "DELETE", None, _tally(db, "OLD", "-1")),
        ("communication_tally_au", "communication",
         "UPDATE OF contacted_at, recorded_by_id, level_id", None,
         _tally(db, "OLD", "-1") + _tally(db, "NEW", "1")),
        ("communication_level_ai", "communication", "INSERT", "NEW.level_id IS NOT NULL",
         _refresh_changes(db, "NEW.customer_id")),
        ("communication_level_ad", "communication", "DELETE", "OLD.level_id IS NOT NULL",
         _refresh_changes(db, "OLD.customer_id")),
        ("communication_level_au", "communication", f"UPDATE OF {graded_cols}",
         "OLD.level_id IS NOT NULL OR NEW.level_id IS NOT NULL",
         _refresh_changes(db, "OLD.customer_id") + _refresh_changes(db, "NEW.customer_id")),
        ("customer_milestone_ai", "customer", "INSERT", None, _refresh_milestone(db, "NEW.id")),
        ("customer_milestone_au", "customer", f"UPDATE OF {card_cols}", None,
         _refresh_milestone(db, "NEW.id")),
        ("customer_milestone_ad", "customer", "DELETE", None,
         ["DELETE FROM milestone WHERE customer_id = OLD.id",
          "DELETE FROM level_change WHERE customer_id = OLD.id"]),
        ("deal_milestone_ai", "deal", "INSERT", None, _refresh_milestone(db, "NEW.customer_id")),
        ("deal_milestone_ad", "deal", "DELETE", None, _refresh_milestone(db, "OLD.customer_id")),
        ("deal_milestone_au", "deal", "UPDATE OF customer_id, closed_on", None,
         _refresh_milestone(db, "OLD.customer_id") + _refresh_milestone(db, "NEW.customer_id")),
        ("office_value_milestone_ai", "office_value", "INSERT", None,
         _refresh_for_value(db, "NEW")),
        ("office_value_milestone_ad", "office_value", "DELETE", None,
         _refresh_for_value(db, "OLD")),
        ("office_value_milestone_au", "office_value", "UPDATE OF customer_id, field_id, value",
         None, _refresh_for_value(db, "NEW") + _refresh_for_value(
             db, "OLD", "OLD.customer_id <> NEW.customer_id OR OLD.field_id <> NEW.field_id")),
        ("office_field_milestone_ai", "office_field", "INSERT", _asks("NEW"),
         _recount_completeness(db)),
        ("office_field_milestone_ad", "office_field", "DELETE", _asks("OLD"),
         _recount_completeness(db)),
        ("office_field_milestone_au", "office_field", f"UPDATE OF {', '.join(_ASKING)}",
         f"({_asks('OLD')} OR {_asks('NEW')}) AND ("
         + " OR ".join(f"OLD.{c} <> NEW.{c}" for c in _ASKING) + ")",
         _recount_completeness(db)),
        ("milestone_tally_ai", "milestone", "INSERT", None, _add_up(db, "NEW", "1")),
        ("milestone_tally_ad", "milestone", "DELETE", None, _add_up(db, "OLD", "-1")),
        # Not on ``complete`` alone: a recount tallies its flips at once (see above).
        ("milestone_tally_au", "milestone", f"UPDATE OF {', '.join(_TALLIED)}", None,
         _add_up(db, "OLD", "-1") + _add_up(db, "NEW", "1")),
    ]


def _remove_triggers(db: peewee.Database) -> None:
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for name, table, *_rest in _triggers(db):
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))


def remove_triggers(db: peewee.Database) -> None:
    """Drop the triggers that keep the summaries, for a bulk load into an empty archive that
    calls ``rebuild`` once it is done (in the same transaction)."""
    _remove_triggers(db)


def install_triggers(db: peewee.Database) -> None:
    """(Re)create the triggers that keep the summaries, as the card definition is now."""
    _remove_triggers(db)
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for name, table, event, when, statements in _triggers(db):
        condition = f" WHEN ({when})" if when else ""
        if postgres:
            db.execute_sql(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
                           f"LANGUAGE plpgsql AS $$ BEGIN {'; '.join(statements)}; "
                           f"RETURN NULL; END $$")
            db.execute_sql(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
                           f"{condition} EXECUTE FUNCTION {name}()")
        else:
            body = "".join(f"{s}; " for s in statements)
            db.execute_sql(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
                           f"{condition} BEGIN {body}END")


def _fill(db: peewee.Database) -> None:
    everyone = peewee.SQL("1 = 1")
    db.execute_sql(_insert("contact_tally", ("day", "staff_key", "level_key", "contacts"),
                           _text(db, _tallies(db))))
    db.execute_sql(_insert("level_change", _CHANGE_COLUMNS,
                           _text(db, level_changes_in_log(everyone))))
    db.execute_sql(_insert("milestone", _MILESTONE_COLUMNS, _text(db, _milestones(db, everyone))))
    growth, start = _monthly(db)
    db.execute_sql(_insert("growth_tally", _GROWTH_COLUMNS, growth))
    db.execute_sql(_insert("start_tally", _START_COLUMNS, start))
    db.execute_sql(_insert("class_tally", ("owner_key", "level_key", "archives"), _CLASSES))


def rebuild(db: peewee.Database) -> None:
    """Work every summary out again from the raw tables and renew the triggers (in the
    caller's transaction)."""
    # Emptied and filled without the triggers (the monthly tallies are filled at once).
    _remove_triggers(db)
    for model in SUMMARY_MODELS:
        db.execute_sql(f"DELETE FROM {model._meta.table_name}")
    _fill(db)
    install_triggers(db)


def refresh_summaries(db: peewee.Database, fill: bool) -> None:
    """After schema steps: renew the triggers for the card as it is now, and work the
    summaries out from the raw tables when ``fill`` (the step creating them has just run)."""
    if fill:
        rebuild(db)
    else:
        install_triggers(db)


def drift(db: peewee.Database) -> list[str]:
    """The summary tables whose rows differ from the raw tables' (empty when all agree)."""
    tally = "SELECT day, staff_key, level_key, contacts FROM contact_tally WHERE contacts <> 0"
    changes = f"SELECT {', '.join(_CHANGE_COLUMNS)} FROM level_change"
    milestones = f"SELECT {', '.join(_MILESTONE_COLUMNS)} FROM milestone"
    everyone = peewee.SQL("1 = 1")
    growth, start = _monthly(db)
    pairs = (("contact_tally", tally, _text(db, _tallies(db))),
             ("level_change", changes, _text(db, level_changes_in_log(everyone))),
             ("milestone", milestones, _text(db, _milestones(db, everyone))),
             ("growth_tally", f"SELECT {', '.join(_GROWTH_COLUMNS)} FROM growth_tally "
                              "WHERE archives <> 0", growth),
             ("start_tally", f"SELECT {', '.join(_START_COLUMNS)} FROM start_tally "
                             "WHERE archives <> 0", start),
             ("class_tally", "SELECT owner_key, level_key, archives FROM class_tally "
                             "WHERE archives <> 0", _CLASSES))
    differing = []
    for table, kept, worked_out in pairs:
        for first, second in ((kept, worked_out), (worked_out, kept)):
            found = db.execute_sql(f"SELECT COUNT(*) FROM ({first} EXCEPT {second}) AS d")
            if found.fetchone()[0]:
                differing.append(table)
                break
    return differing
