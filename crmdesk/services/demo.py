"""Realistic, deterministic demo data: staff, customers of every level and status, their log.

Built with bulk inserts, batch by batch, so that 200,000 customers with about 2,000,000 contacts
take a few minutes at most. The whole demo is one transaction: cancelled between batches (or
stopped by an error) it leaves the archive as empty as it was, never half a demo. The same seed
always gives the same archive.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from crmdesk.errors import CrmError
from crmdesk.i18n import ngettext
from crmdesk.models import Communication, Customer, DecisionPerson, Level, Purchase, Staff
from crmdesk.models.bulk_load import (
    derived_tables_set_aside,
    indexes_set_aside,
    load_settings,
)
from crmdesk.models.card import DECISION_ROLES, SOURCES
from crmdesk.models.db import database, is_sqlite
from crmdesk.models.search_keys import mobile_tail, pinyin_keys, search_text
from crmdesk.progress import CancelFlag, Progress, check_cancel, report
from crmdesk.services import archive_keys, audit, cadence, visibility
from crmdesk.services.context import Actor
from crmdesk.services.demo_deals import build_demo_deals
from crmdesk.services.demo_frontdesk import build_demo_visits
from crmdesk.services.demo_sales import build_demo_sales
from crmdesk.services.numbering import reserve_archive_numbers


class DemoRefused(CrmError):
    """Demo data would be mixed into an archive that already holds customers."""


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞红鹏辉建国志文斌宇浩凯俊帆"
    "佳慧颖婷雪琳晨曦子涵梓轩思远一鸣欣怡雨萱博文晓东海波春梅"
)
CITIES = (("上海", "上海"), ("北京", "北京"), ("广东", "广州"), ("广东", "深圳"), ("浙江", "杭州"),
          ("江苏", "南京"), ("江苏", "苏州"), ("四川", "成都"), ("湖北", "武汉"), ("山东", "青岛"))
AREA_CODES = {"上海": "021", "北京": "010", "广州": "020", "深圳": "0755", "杭州": "0571",
              "南京": "025", "苏州": "0512", "成都": "028", "武汉": "027", "青岛": "0532"}
COMPANY_WORDS = ("华信", "盛达", "恒通", "中科", "鼎新", "宏图", "瑞丰", "金桥", "远航", "天成",
                 "博雅", "众合", "新纪元", "安泰", "嘉禾", "同创", "海润", "明德", "华晟", "启航")
STREETS = ("人民", "解放", "中山", "建设", "和平", "长江", "黄河", "新华", "文化", "光明", "青年",
           "胜利", "友谊", "滨江", "学府")
INDUSTRIES = ("科技", "贸易", "建设", "物流", "餐饮", "医药", "电子", "文化传媒", "机械", "服饰")
PRODUCTS = ("轿车 A 型", "SUV B 型", "商务车 C 型", "延保服务", "保养套餐", "配件包", "车载导航")
# What happened, by contact method: a record always fits the method it is logged with.
RECORDS = {
    "phone": ("电话沟通,客户对{p}有兴趣,询问价格与优惠。",
              "客户来电投诉等待时间长,已致歉并安排专人跟进。",
              "电话回访,客户对{p}的交期有疑问,已说明。"),
    "came_in": ("客户来店试驾{p},对动力满意,担心油耗。",
                "客户到店看{p}实物,带家人一同比较配置。"),
    "wechat": ("微信发送{p}报价单,客户表示需与家人商量。",
               "微信回复客户关于{p}付款方式的问题。"),
    "visit_out": ("上门拜访,客户提出交期与付款方式的要求。",
                  "外访客户公司,介绍{p}的团购方案。"),
    "exhibition": ("展会上再次见面,介绍{p}新款配置,客户索要资料。",),
    "sms": ("短信提醒客户本周末活动,客户回复可能到店。",),
    "mail": ("邮寄{p}产品手册和报价单,客户确认已收到。",),
    "other": ("客户经朋友转达,对{p}仍有兴趣。",),
}
# How often each method is used: most contacts are phone calls.
METHOD_WEIGHTS = {"phone": 45, "wechat": 20, "came_in": 12, "visit_out": 8, "sms": 6,
                  "exhibition": 3, "mail": 3, "other": 3}
# Share of followed-up customers whose last contact is older than their level's interval, and
# how many days at most they are behind: an office keeps up with most of its customers.
BEHIND_SHARE = 0.12
BEHIND_MAX_DAYS = 20
# Share of customers whose level changed once along their log (raised or lowered).
REGRADED_SHARE = 0.3
CONCLUSIONS = ("继续跟进", "约定下周到店", "需要发报价", "客户暂无需求", "已成交", "转交经理处理")
# Status follows the level: ordered customers have a deal (some already in after-sales), lost
# ones are lost, the rest are being followed up, with the odd invalid entry (wrong number).
STATUS_BY_LEVEL = {"O": (("deal", "after_sales"), (3, 1)), "战败": (("lost",), (1,))}
OPEN_STATUSES = (("prospect", "following", "invalid"), (30, 65, 5))
COMM_FIELDS = (Communication.customer, Communication.seq, Communication.contacted_at,
               Communication.method, Communication.person, Communication.person_role,
               Communication.level, Communication.record, Communication.conclusion,
               Communication.next_follow_up, Communication.recorded_by)

BATCH = 5000
# The tables the batches fill; their indexes are made once the batches are written.
LOADED_TABLES = tuple(model._meta.table_name
                      for model in (Customer, Communication, DecisionPerson, Purchase))
DEMO_LOGINS = ("admin", "manager", "sales", "frontdesk")


@dataclass(frozen=True)
class DemoCounts:
    """How much demo data was written."""

    staff: int
    customers: int
    communications: int
    decision_people: int
    purchases: int
    visits: int = 0


def _mobile(i: int) -> str:
    # A bijection on 8-digit serials keeps every demo mobile distinct yet scattered.
    prefixes = ("138", "139", "135", "136", "150", "151", "186", "187", "177", "199")
    return prefixes[i % 10] + f"{(i * 7919 + 12345) % 100_000_000:08d}"


def _staff() -> list[int]:
    people = (
        ("陈静", "frontdesk", ("frontdesk",)), ("刘洋", "frontdesk2", ("frontdesk",)),
        ("赵经理", "manager", ("manager", "sales")), ("系统管理员", "admin", ("admin",)),
        ("王强", "sales", ("sales",)), ("李娜", "lina", ("sales",)),
        ("张伟", "zhangwei", ("sales",)),
        ("杨帆", "yangfan", ("sales",)), ("黄丽", "huangli", ("sales",)),
        ("周杰", "zhoujie", ("sales",)), ("吴敏", "wumin", ("sales",)),
        ("孙浩", "sunhao", ("sales",)),
    )
    ids = []
    for name, username, roles in people:
        existing = Staff.get_or_none(Staff.username == username)
        ids.append(existing.id if existing else
                   Staff.create(name=name, username=username, roles=",".join(roles)).id)
    return ids


def set_demo_passwords(password: str, actor: Actor | None) -> tuple[str, ...]:
    """Give the demo logins (admin, manager, sales, frontdesk) this password; returns them.

    Raises:
        PermissionDenied: the archive has accounts and ``actor`` is not an administrator.
    """
    from crmdesk.services.accounts import hash_password

    visibility.require(actor, visibility.Duty.LOAD_DEMO)
    hashed = hash_password(password)
    with database.atomic():
        Staff.update(password_hash=hashed, failed_logins=0, locked_until=None).where(
            Staff.username.in_(DEMO_LOGINS)).execute()
        for username in DEMO_LOGINS:
            archive_keys.password_stored(username, password)
        audit.record(actor, "set_password", None, usernames=list(DEMO_LOGINS))
    return DEMO_LOGINS


def _person_name(rng: random.Random) -> str:
    surname = "欧阳" if rng.random() < 0.01 else rng.choice(SURNAMES[:-2])
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _company(rng: random.Random, city: str) -> str:
    return f"{city}{rng.choice(COMPANY_WORDS)}{rng.choice(INDUSTRIES)}有限公司"


def build_demo(customers: int, seed: int = 1, actor: Actor | None = None,
               today: dt.date | None = None, progress: Progress | None = None,
               cancel: CancelFlag | None = None) -> DemoCounts:
    """Add ``customers`` demo customers (and demo staff, if missing) to the open archive.

    Args:
        customers: how many customers to add.
        seed: the random seed; the same seed gives the same data.
        actor: recorded in the audit trail as the one who loaded the data.
        today: the day the data is built around (overdue dates are relative to it).
        progress: called with (customers done, customers in all) after every batch.
        cancel: checked between batches; once set, nothing of the demo is kept.

    Raises:
        Cancelled: ``cancel`` was set; the archive is as it was.
        PermissionDenied: the archive has accounts and ``actor`` is not an administrator.
        DemoRefused: the archive already holds customers (demo data never mixes with real
            ones: load it into an empty, separate archive).
    """
    visibility.require(actor, visibility.Duty.LOAD_DEMO)
    held = Customer.select().count()
    if held:
        raise DemoRefused(ngettext(
            "This archive already holds {n} customer: demo data goes only into an empty "
            "archive. Load it into a separate one (crmdesk --data-dir DEMO_FOLDER demo).",
            "This archive already holds {n} customers: demo data goes only into an empty "
            "archive. Load it into a separate one (crmdesk --data-dir DEMO_FOLDER demo).",
            held).format(n=held))
    with load_settings(database.obj), database.atomic(), derived_tables_set_aside(database.obj):
        # Into an empty archive the derived tables are worked out once after the load, and
        # each index is sorted once, rather than kept up row by row (crmdesk.models.bulk_load).
        return _build(customers, seed, actor, today or dt.date.today(), progress, cancel)


def _build(customers: int, seed: int, actor: Actor | None, today: dt.date,
           progress: Progress | None, cancel: CancelFlag | None) -> DemoCounts:
    rng = random.Random(seed)
    staff_ids = _staff()
    sales_ids = staff_ids[2:3] + staff_ids[4:]
    levels = {lv.code: (lv.id, lv.interval_days) for lv in Level.select()}
    level_codes = [c for c in ("O", "H", "A", "B", "C", "战败") if c in levels]
    weights = (5, 10, 15, 25, 35, 10)[: len(level_codes)]
    counts = {"customers": 0, "communications": 0, "decision_people": 0, "purchases": 0}
    offset_id = _next_customer_id()
    with indexes_set_aside(database.obj, LOADED_TABLES):
        done = 0
        while done < customers:
            check_cancel(cancel)
            size = min(BATCH, customers - done)
            numbers = reserve_archive_numbers(size, today)
            first_id = _next_customer_id()
            rows, comms, people, purchases = [], [], [], []
            for k in range(size):
                cid = first_id + k
                row, card_comms, card_people, card_purchases = _customer(
                    rng, cid, done + k, numbers[k], today, sales_ids, staff_ids[:2],
                    levels, level_codes, weights)
                rows.append(row)
                comms.extend(card_comms)
                people.extend(card_people)
                purchases.extend(card_purchases)
            _bulk_records(Customer, rows)
            _bulk(Communication, COMM_FIELDS, comms)
            _bulk_records(DecisionPerson, people)
            _bulk_records(Purchase, purchases)
            counts["customers"] += size
            counts["communications"] += len(comms)
            counts["decision_people"] += len(people)
            counts["purchases"] += len(purchases)
            _catch_up_id_sequence()
            done += size
            report(progress, done, customers)
    check_cancel(cancel)
    counts["visits"] = build_demo_visits(rng, offset_id, today, staff_ids[:2], sales_ids)
    deals, complaints = build_demo_deals(seed, offset_id, today)
    sales = build_demo_sales(seed, offset_id, today)
    audit.record(actor, "demo_data", None, deals=deals, complaints=complaints,
                 sales_by_year=sales, **counts)
    return DemoCounts(staff=len(staff_ids), **counts)


def _catch_up_id_sequence() -> None:
    """PostgreSQL: move the customer id sequence past the ids given here explicitly, so
    archives saved or imported later get new ones (SQLite takes the highest id by itself)."""
    if is_sqlite():
        return
    table = Customer._meta.table_name
    database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f'(SELECT MAX("id") FROM "{table}"))')


def _next_customer_id() -> int:
    return (Customer.select(Customer.id).order_by(Customer.id.desc()).scalar() or 0) + 1


def _bulk(model: type, fields: tuple, rows: list[tuple]) -> None:
    """Insert many rows through the driver's executemany (much faster than one statement each)."""
    if not rows:
        return
    db = database.obj
    left, right = db.quote[0], db.quote[-1]
    columns = ", ".join(f"{left}{f.column_name}{right}" for f in fields)
    marks = ", ".join([db.param] * len(fields))
    table = f"{left}{model._meta.table_name}{right}"
    if not is_sqlite():
        # psycopg2's executemany sends one statement per row; multi-row VALUES send pages.
        from psycopg2.extras import execute_values

        execute_values(db.cursor(), f"INSERT INTO {table} ({columns}) VALUES %s", rows,
                       page_size=1000)
        return
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    for start in range(0, len(rows), 50_000):
        db.cursor().executemany(sql, rows[start:start + 50_000])


def _bulk_records(model: type, records: list[dict]) -> None:
    """Insert records given as ``insert_many`` takes them (field name -> value, the model's
    defaults for the fields left out) through ``_bulk``: peewee composing one multi-row
    statement value by value cost the build more than SQLite's own work."""
    if not records:
        return
    meta = model._meta
    given = [meta.fields[name] for name in records[0]]
    left_out = [(field, default) for field, default in meta.defaults.items()
                if field.name not in records[0]]
    fields = tuple(given + [field for field, _default in left_out])
    rows = []
    for record in records:
        values = [field.db_value(record[field.name]) for field in given]
        values += [field.db_value(default() if callable(default) else default)
                   for field, default in left_out]
        rows.append(tuple(values))
    _bulk(model, fields, rows)


def _customer(rng: random.Random, cid: int, serial: int, archive_no: str, today: dt.date,
              sales_ids: list[int], desk_ids: list[int], levels: dict, level_codes: list[str],
              weights: tuple[int, ...]) -> tuple[dict, list[tuple], list[dict], list[dict]]:
    organisation = rng.random() < 0.2
    province, city = rng.choice(CITIES)
    company = _company(rng, city)
    name = company if organisation else _person_name(rng)
    mobile = _mobile(serial)
    code = rng.choices(level_codes, weights)[0]
    level_id, interval = levels[code]
    owner = rng.choice(sales_ids)
    created = dt.datetime.combine(today - dt.timedelta(days=rng.randint(5, 365)),
                                  dt.time(rng.randint(9, 17), rng.randint(0, 59)))
    employer = None if organisation else (company if rng.random() < 0.7 else None)
    full, initials = pinyin_keys(name)
    comms = _regraded(list(_log(rng, cid, created, today, owner, level_id, interval)),
                      code, levels, level_codes, cid)
    last_at = comms[-1][2] if comms else None
    planned = comms[-1][9] if comms else None
    row = {
        "id": cid, "archive_no": archive_no, "created_at": created, "updated_at": created,
        "version": 1, "kind": "organisation" if organisation else "individual", "name": name,
        "alias": company[len(city):len(city) + 2] if organisation else None,
        "owner": owner, "registered_by": rng.choice(desk_ids), "level": level_id,
        "status": rng.choices(*STATUS_BY_LEVEL.get(code, OPEN_STATUSES))[0],
        "source": rng.choice(SOURCES).key, "confidentiality": rng.choices(
            ("normal", "confidential", "secret"), (95, 4, 1))[0],
        "consent": rng.random() < 0.9, "consent_date": created.date(),
        "first_contact_date": created.date(), "mobile": mobile,
        "phone": AREA_CODES[city] + f"{rng.randint(20_000_000, 89_999_999)}",
        "email": f"c{serial}@example.com" if rng.random() < 0.5 else None,
        "province": province, "city": city, "address": f"{city}市{rng.choice(STREETS)}路"
        f"{rng.randint(1, 999)}号", "employer": employer,
        "gender": None if organisation else rng.choice(("male", "female")),
        "birth_date": None if organisation else dt.date(rng.randint(1955, 2002),
                                                        rng.randint(1, 12), rng.randint(1, 28)),
        "employees": rng.randint(5, 2000) if organisation else None,
        "needs": rng.choice(("家用代步", "公司用车", "换购新车", "车队采购", None)),
        "intended_products": rng.choice(PRODUCTS),
        "name_pinyin": full, "name_initials": initials, "mobile_tail": mobile_tail(mobile),
        "search_text": search_text(name, None, employer),
        "last_contact_at": last_at,
        "next_follow_up": cadence.next_follow_up(planned, last_at, created, interval),
    }
    people = [
        {"customer": cid, "position": p, "name": _person_name(rng),
         "role": DECISION_ROLES[p % len(DECISION_ROLES)].key, "title": rng.choice(
             ("总经理", "采购经理", "财务", "行政主管")), "attitude": rng.choice(
             ("support", "neutral", "oppose"))}
        for p in range(rng.randint(1, 3) if organisation else 0)
    ]
    purchases = [
        {"customer": cid, "date": created.date() + dt.timedelta(days=rng.randint(0, 30)),
         "product": rng.choice(PRODUCTS), "quantity": rng.randint(1, 5),
         "amount": Decimal(rng.randint(2_000, 300_000))}
        for _ in range(rng.randint(1, 6) if code == "O" else 0)
    ]
    return row, comms, people, purchases


def _regraded(comms: list[tuple], code: str, levels: dict, level_codes: list[str],
              cid: int) -> list[tuple]:
    """The log with the customer's earlier level on its first contacts, for the share of
    customers (REGRADED_SHARE) who were graded one or two levels away before: the contact that
    re-graded them raised or lowered their level, as the discipline report counts.

    Drawn from a generator of the customer's own, so the rest of the demo stays as it was."""
    rng = random.Random(cid)
    if len(comms) < 2 or rng.random() >= REGRADED_SHARE:
        return comms
    here = level_codes.index(code)
    earlier = [c for c in level_codes if c != code and abs(level_codes.index(c) - here) <= 2]
    before = levels[rng.choice(earlier)][0]
    cut = rng.randint(1, len(comms) - 1)
    return [(*row[:6], before, *row[7:]) if seq < cut else row
            for seq, row in enumerate(comms)]


def _log(rng: random.Random, cid: int, created: dt.datetime, today: dt.date, recorder: int,
         level_id: int, interval: int | None) -> Iterator[tuple]:
    """About ten contacts spread between registration and the last contact, which plans the next.

    A followed-up customer was last contacted within their level's interval, or for a few
    (BEHIND_SHARE) up to BEHIND_MAX_DAYS later, so the overdue list is a day's work.
    """
    since = max((today - created.date()).days, 1)
    last_ago = rng.randint(1, since)
    if interval is not None:
        # Within the interval the next date falls from tomorrow to today (due today).
        last_ago = (interval + rng.randint(1, BEHIND_MAX_DAYS) if rng.random() < BEHIND_SHARE
                    else rng.randint(1, interval))
    last_day = today - dt.timedelta(days=min(last_ago, since))
    days = max((last_day - created.date()).days, 1)
    # Contacts happen in office hours, on days between registration and the last contact.
    moments = sorted(
        dt.datetime.combine(created.date() + dt.timedelta(days=rng.randrange(days)),
                            dt.time(rng.randint(9, 17), rng.randint(0, 59)))
        for _ in range(rng.randint(4, 14))
    )
    moments.append(dt.datetime.combine(last_day, dt.time(rng.randint(9, 17), rng.randint(0, 59))))
    for seq, moment in enumerate(moments, start=1):
        last = seq == len(moments)
        planned = None
        if last and interval is not None:
            planned = moment.date() + dt.timedelta(days=interval)
        product = rng.choice(PRODUCTS)
        method = rng.choices(list(METHOD_WEIGHTS), list(METHOD_WEIGHTS.values()))[0]
        yield (cid, seq, moment.replace(microsecond=0), method,
               None, None, level_id, rng.choice(RECORDS[method]).format(p=product),
               rng.choice(CONCLUSIONS), planned, recorder)
