"""THE archive card (客户档案卡): every field, once, with its labels, kind, choices and level.

The card form, the printed card, Excel headers, the importer's column matching, validation and
the Customer table's columns all come from ``CARD``. Adding a field is one edit here plus a
migration that adds its column.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import Enum

from crmdesk.i18n import is_chinese
from crmdesk.models.fieldtypes import FieldKind, Kind
from crmdesk.models.parsers import NAME_MAX


class Need(Enum):
    """How much a field matters: 必填 required, 重要 important, 一般 general."""

    REQUIRED = "required"
    IMPORTANT = "important"
    GENERAL = "general"


class Applies(Enum):
    """Which customers a field or group is for."""

    BOTH = "both"
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Choice:
    """One option of a choice field: a stable key stored in the archive, and its labels."""

    key: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en


@dataclass(frozen=True)
class FieldSpec:
    """One field of the card."""

    name: str
    zh: str
    en: str
    kind: FieldKind = Kind.TEXT
    need: Need = Need.GENERAL
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()
    span: int = 1
    applies: Applies = Applies.BOTH
    length: int | None = None

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en

    @property
    def max_length(self) -> int | None:
        """The most characters the field holds: its own ``length``, else its kind's (one line
        or several); None for fields that are no free text."""
        return self.length or self.kind.max_length

    def choice(self, key: str | None) -> Choice | None:
        """The option stored as ``key``, or None."""
        return next((c for c in self.choices if c.key == key), None)

    def for_kind(self, customer_kind: str | None) -> bool:
        """True when the field applies to a customer of ``customer_kind``."""
        return self.applies is Applies.BOTH or self.applies.value == customer_kind


@dataclass(frozen=True)
class Group:
    """A labelled box on the card."""

    key: str
    zh: str
    en: str
    fields: tuple[FieldSpec, ...]
    applies: Applies = Applies.BOTH
    columns: int = 3

    def __post_init__(self) -> None:
        # A field in a box for one kind of customer is for that kind only, so validation
        # neither asks an organisation for its employer nor keeps a person's family details.
        if self.applies is not Applies.BOTH:
            narrowed = tuple(
                replace(f, applies=self.applies) if f.applies is Applies.BOTH else f
                for f in self.fields
            )
            object.__setattr__(self, "fields", narrowed)

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en


@dataclass(frozen=True)
class Section:
    """One tab of the card (基础 / 决策 / 业务 / 沟通)."""

    key: str
    zh: str
    en: str
    groups: tuple[Group, ...] = ()
    tables: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en


def _choices(*triples: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*t) for t in triples)


def _f(name: str, zh: str, en: str, kind: FieldKind = Kind.TEXT, **options: object) -> FieldSpec:
    applies = options.pop("applies", Applies.BOTH)
    return FieldSpec(name, zh, en, kind, applies=applies, **options)  # type: ignore[arg-type]


IND, ORG = Applies.INDIVIDUAL, Applies.ORGANISATION
REQ, IMP = Need.REQUIRED, Need.IMPORTANT

KINDS = _choices(("individual", "个人", "Individual"), ("organisation", "单位", "Organisation"))
GENDERS = _choices(("male", "男", "Male"), ("female", "女", "Female"))
STATUSES = _choices(
    ("prospect", "潜在", "Prospect"),
    ("following", "跟进中", "Following up"),
    ("deal", "成交", "Deal"),
    ("after_sales", "售后", "After-sales"),
    ("lost", "流失", "Lost"),
    ("invalid", "无效", "Invalid"),
)
SOURCES = _choices(
    ("visit", "来访", "Walk-in"),
    ("call", "来电", "Phone call"),
    ("referral", "转介绍", "Referral"),
    ("exhibition", "展会", "Exhibition"),
    ("internet", "网络", "Internet"),
    ("advert", "广告", "Advertising"),
    ("old_brings_new", "老客户带新", "Brought by a customer"),
    ("other", "其他", "Other"),
)
NATURES = _choices(
    ("government", "政府机构", "Government body"),
    ("special", "特殊公司", "Special company"),
    ("company", "普通公司", "Ordinary company"),
    ("person", "个人", "Private person"),
    ("partner", "交易伙伴", "Trading partner"),
)
CONFIDENTIALITY = _choices(
    ("normal", "普通", "Normal"),
    ("confidential", "机密", "Confidential"),
    ("secret", "绝密", "Top secret"),
)
CONSENT_WAYS = _choices(
    ("signed", "书面签字", "Signed form"),
    ("verbal", "口头同意", "Verbal"),
    ("electronic", "电子确认", "Electronic confirmation"),
)
EDUCATION = _choices(
    ("primary", "小学", "Primary school"),
    ("junior", "初中", "Junior high"),
    ("senior", "高中/中专", "Senior high"),
    ("college", "大专", "College"),
    ("bachelor", "本科", "Bachelor"),
    ("master", "硕士", "Master"),
    ("doctor", "博士", "Doctorate"),
)
MARITAL = _choices(
    ("single", "未婚", "Single"),
    ("married", "已婚", "Married"),
    ("divorced", "离异", "Divorced"),
    ("widowed", "丧偶", "Widowed"),
)
EMPLOYER_TYPES = _choices(
    ("private", "私企", "Private company"),
    ("state", "国企", "State-owned"),
    ("foreign", "外企", "Foreign company"),
    ("institution", "事业单位", "Public institution"),
    ("government", "政府机关", "Government"),
    ("self_employed", "个体", "Self-employed"),
)
STORE_TYPES = _choices(
    ("shop_in_shop", "店中店", "Shop in shop"),
    ("exclusive", "专卖店", "Exclusive store"),
    ("franchise", "加盟店", "Franchise"),
    ("specialist", "专业店", "Specialist store"),
    ("other", "其他", "Other"),
)
OWNERSHIP = _choices(
    ("state", "国营", "State-run"),
    ("private", "私营", "Private"),
    ("shareholding", "股份", "Shareholding"),
    ("individual", "个体", "Individual business"),
)
BUSINESS_MODES = _choices(
    ("wholesale", "批发", "Wholesale"),
    ("retail", "零售", "Retail"),
    ("both", "批零兼营", "Wholesale and retail"),
)
PURCHASE_FACTORS = _choices(
    ("price", "价格", "Price"),
    ("quality", "质量", "Quality"),
    ("service", "服务", "Service"),
    ("brand", "品牌", "Brand"),
    ("delivery", "交期", "Delivery time"),
    ("relationship", "关系", "Relationship"),
)
SALES_STAGES = _choices(
    ("first_contact", "初次接触", "First contact"),
    ("needs", "需求确认", "Needs confirmed"),
    ("quotation", "方案报价", "Proposal and quote"),
    ("negotiation", "商务谈判", "Negotiation"),
    ("deal", "成交", "Deal"),
    ("after_sales", "售后", "After-sales"),
)
PAYMENT_METHODS = _choices(
    ("cash", "现金", "Cash"),
    ("transfer", "银行转账", "Bank transfer"),
    ("cheque", "支票", "Cheque"),
    ("instalments", "分期付款", "Instalments"),
    ("credit", "赊账/月结", "On account"),
    ("other", "其他", "Other"),
)
SATISFACTION = _choices(
    ("very_satisfied", "非常满意", "Very satisfied"),
    ("satisfied", "满意", "Satisfied"),
    ("neutral", "一般", "Neutral"),
    ("dissatisfied", "不满意", "Dissatisfied"),
)
CREDIT = _choices(
    ("excellent", "优", "Excellent"),
    ("good", "良", "Good"),
    ("fair", "中", "Fair"),
    ("poor", "差", "Poor"),
)
DECISION_ROLES = _choices(
    ("decision_maker", "决策者", "Decision maker"),
    ("influencer", "影响者", "Influencer"),
    ("user", "使用者", "User"),
    ("recommender", "推荐者", "Recommender"),
    ("controller", "控制者", "Controller"),
    ("gatekeeper", "看门人", "Gatekeeper"),
)
ATTITUDES = _choices(
    ("support", "支持", "Supports"),
    ("neutral", "中立", "Neutral"),
    ("oppose", "反对", "Opposes"),
)
CONTACT_METHODS = _choices(
    ("visit_out", "外访", "Visit out"),
    ("phone", "电话", "Phone"),
    ("mail", "邮寄", "Mail"),
    ("exhibition", "展会", "Exhibition"),
    ("came_in", "客户来企", "Customer came in"),
    ("wechat", "微信", "WeChat"),
    ("sms", "短信", "SMS"),
    ("other", "其他", "Other"),
)


def _principal(prefix: str, zh: str, en: str) -> Group:
    """The box for one principal of an organisation (法人代表, 总经理): same items for each."""
    items = (
        ("name", "姓名", "name", Kind.TEXT),
        ("gender", "性别", "gender", Kind.CHOICE),
        ("position", "职务", "position", Kind.TEXT),
        ("birth_date", "出生日期", "birth date", Kind.DATE),
        ("education", "学历", "education", Kind.CHOICE),
        ("religion", "宗教信仰", "religion", Kind.TEXT),
        ("native_place", "籍贯", "native place", Kind.TEXT),
        ("hobbies", "爱好", "hobbies", Kind.TEXT),
        ("phone", "电话", "phone", Kind.PHONE),
        ("fax", "传真", "fax", Kind.PHONE),
        ("mobile", "手机", "mobile", Kind.MOBILE),
    )
    options = {"gender": GENDERS, "education": EDUCATION}
    fields = tuple(
        FieldSpec(
            f"{prefix}_{key}",
            f"{zh}{item_zh}",
            f"{en} {item_en}",
            kind,
            choices=options.get(key, ()),
            applies=ORG,
        )
        for key, item_zh, item_en, kind in items
    )
    return Group(prefix, zh, en.capitalize(), fields, applies=ORG)


BASIC = Section(
    "basic",
    "基础信息",
    "Basic",
    groups=(
        Group("archive", "档案", "Archive", (
            _f("kind", "客户类型", "Customer kind", Kind.CHOICE, need=REQ, choices=KINDS,
               aliases=("类型", "客户类别")),
            _f("name", "客户名称", "Name", need=REQ, length=NAME_MAX,
               aliases=("姓名", "客户名称", "名称", "客户全称", "客户姓名", "单位名称",
                        "公司名称")),
            _f("alias", "简称/别名", "Short name / alias", length=NAME_MAX,
               aliases=("简称", "别名")),
            _f("owner", "负责销售", "Salesperson", Kind.STAFF, need=REQ,
               aliases=("业务员", "销售顾问", "负责人", "归属销售", "销售")),
            _f("level", "客户级别", "Level", Kind.LEVEL, need=REQ, aliases=("级别", "等级")),
            _f("status", "客户状态", "Status", Kind.CHOICE, need=REQ, choices=STATUSES,
               aliases=("状态",)),
            _f("source", "客户来源", "Source", Kind.CHOICE, need=IMP, choices=SOURCES,
               aliases=("来源", "信息来源")),
            _f("referrer", "介绍人", "Referred by", Kind.CUSTOMER),
            _f("nature", "客户性质", "Customer nature", Kind.CHOICE, choices=NATURES,
               aliases=("性质",)),
            _f("first_contact_date", "首次接触日期", "First contact", Kind.DATE,
               aliases=("首次接触", "建档日期", "登记日期")),
            _f("registered_by", "登记人", "Registered by", Kind.STAFF),
            _f("confidentiality", "保密级别", "Confidentiality", Kind.CHOICE, need=REQ,
               choices=CONFIDENTIALITY, aliases=("密级",)),
            _f("consent", "同意建档", "Consent to archive", Kind.BOOL, need=IMP),
            _f("consent_date", "同意日期", "Consent date", Kind.DATE),
            _f("consent_how", "同意方式", "Consent given by", Kind.CHOICE, choices=CONSENT_WAYS),
        )),
        Group("contact", "联系方式", "Contact", (
            _f("mobile", "手机", "Mobile", Kind.MOBILE, need=IMP,
               aliases=("手机号", "手机号码", "移动电话", "联系电话", "电话")),
            _f("phone", "固定电话", "Phone", Kind.PHONE,
               aliases=("办公电话", "座机", "单位电话")),
            _f("home_phone", "住宅电话", "Home phone", Kind.PHONE, applies=IND,
               aliases=("家庭电话",)),
            _f("fax", "传真", "Fax", Kind.PHONE),
            _f("wechat", "微信", "WeChat", aliases=("微信号",)),
            _f("email", "电子邮箱", "E-mail", Kind.EMAIL, aliases=("邮箱", "Email", "E-mail")),
            _f("province", "省份", "Province", aliases=("省",)),
            _f("city", "城市", "City", aliases=("市", "所在城市")),
            _f("postcode", "邮编", "Postcode", aliases=("邮政编码",)),
            _f("address", "地址", "Address", need=IMP, span=3,
               aliases=("联系地址", "通讯地址", "详细地址", "住址")),
        )),
        Group("person", "个人信息", "Person", (
            _f("gender", "性别", "Gender", Kind.CHOICE, choices=GENDERS),
            _f("birth_date", "出生日期", "Birth date", Kind.DATE, aliases=("生日", "出生年月")),
            _f("native_place", "籍贯", "Native place"),
            _f("education", "学历", "Education", Kind.CHOICE, choices=EDUCATION),
            _f("marital_status", "婚姻状况", "Marital status", Kind.CHOICE, choices=MARITAL),
            _f("employer", "工作单位", "Employer", need=IMP,
               aliases=("单位", "公司", "所在单位")),
            _f("position", "职务", "Position", aliases=("职位",)),
            _f("working_since", "参加工作日期", "Working since", Kind.DATE,
               aliases=("工作年限", "参加工作时间")),
            _f("employer_type", "单位性质", "Employer type", Kind.CHOICE, choices=EMPLOYER_TYPES),
            _f("hobbies", "兴趣爱好", "Hobbies", aliases=("爱好",)),
        ), applies=IND),
        Group("family", "家庭", "Family", (
            _f("family", "家庭情况", "Family", Kind.LONGTEXT, span=3),
            _f("spouse_name", "配偶姓名", "Spouse"),
            _f("spouse_phone", "配偶电话", "Spouse's phone", Kind.PHONE),
            _f("spouse_employer", "配偶单位", "Spouse's employer"),
            _f("spouse_education", "配偶学历", "Spouse's education", Kind.CHOICE,
               choices=EDUCATION),
            _f("spouse_birth_date", "配偶生日", "Spouse's birthday", Kind.DATE),
            _f("spouse_interests", "配偶兴趣", "Spouse's interests"),
            _f("parents", "父母情况", "Parents", span=3),
            _f("children", "子女姓名", "Children"),
            _f("child_birth_date", "子女生日", "Child's birthday", Kind.DATE),
            _f("children_school", "子女学校", "Children's school"),
            _f("children_interests", "子女兴趣", "Children's interests"),
            _f("closest_family", "最亲近的家人", "Closest family member"),
        ), applies=IND),
        Group("profile", "个人档案", "Personal profile", (
            _f("favourite_restaurants", "喜欢的餐厅", "Favourite restaurants"),
            _f("favourite_shops", "常去的商店", "Favourite shops"),
            _f("favourite_cuisine", "喜欢的菜式", "Favourite cuisine"),
            _f("drinking", "饮酒", "Drinking"),
            _f("smoking", "吸烟", "Smoking"),
            _f("health", "健康状况", "Health"),
            _f("travel_means", "出行方式", "Travel means"),
            _f("car_brand", "汽车品牌", "Car brand"),
            _f("car_plate", "车牌号", "Car plate"),
            _f("associations", "所属社会组织", "Associations"),
            _f("sociability", "社交能力", "Sociability"),
            _f("housing", "住房情况", "Housing"),
            _f("property_investment", "房产投资", "Property investment"),
            _f("buying_priorities", "购买看重", "What matters when buying"),
            _f("dress", "着装风格", "Dress"),
            _f("information_sources", "主要信息来源", "Main information sources"),
            _f("admired_person", "崇拜的人", "Admired person"),
            _f("independence", "主见程度", "Independence of judgement"),
            _f("career_goals", "事业目标(长/短期)", "Career goals (long/short)", span=3),
            _f("personal_goals", "个人目标(长/短期)", "Personal goals (long/short)", span=3),
            _f("proudest_achievement", "最得意的成就", "Proudest achievement", span=3),
            _f("purchase_reason", "购买原因", "Why they buy", span=3,
               aliases=("由于何种原因而购买", "购房原因")),
            _f("bought_from_us", "在我处购买的具体情况", "What they bought from us", span=3,
               aliases=("在我处购买物业的具体情况",)),
            _f("knows_us", "对我司的了解", "What they know of us", span=3),
            _f("cares_about_clientele", "是否在意其他客户的素质",
               "Cares who the other customers are", aliases=("对小区其他业主的素质是否在意",)),
        ), applies=IND),
        Group("organisation", "单位信息", "Organisation", (
            _f("licence_no", "营业执照号", "Business licence no.", applies=ORG),
            _f("tax_no", "税号", "Tax no.", applies=ORG, aliases=("纳税人识别号",)),
            _f("website", "网址", "Website", applies=ORG),
            _f("bank", "开户银行", "Bank", applies=ORG),
            _f("bank_account", "银行账号", "Bank account", applies=ORG),
            _f("opening_date", "开业日期", "Opening date", Kind.DATE, applies=ORG),
            _f("fixed_assets", "固定资产(万元)", "Fixed assets (10k yuan)", Kind.MONEY,
               applies=ORG),
            _f("working_capital", "流动资金(万元)", "Working capital (10k yuan)", Kind.MONEY,
               applies=ORG),
            _f("employees", "员工人数", "Employees", Kind.INTEGER, applies=ORG),
            _f("business_area", "营业面积(㎡)", "Business area (m²)", Kind.INTEGER, applies=ORG),
            _f("store_type", "店铺类型", "Store type", Kind.CHOICE, choices=STORE_TYPES,
               applies=ORG),
            _f("ownership", "所有制", "Ownership", Kind.CHOICE, choices=OWNERSHIP, applies=ORG),
            _f("business_mode", "经营方式", "Business mode", Kind.CHOICE,
               choices=BUSINESS_MODES, applies=ORG),
            _f("wholesale_share", "批发比例", "Wholesale share", Kind.PERCENT, applies=ORG),
            _f("main_brands", "主营品牌", "Main brands", applies=ORG),
            _f("yearly_sales", "年销售额(万元)", "Yearly sales (10k yuan)", Kind.MONEY,
               applies=ORG),
            _f("our_yearly_sales", "我司产品年销售额(万元)", "Our products' yearly sales",
               Kind.MONEY, applies=ORG),
            _f("local_rank", "当地排名", "Local rank", Kind.INTEGER, applies=ORG),
            _f("market_share", "市场占有率", "Market share", Kind.PERCENT, applies=ORG),
            _f("credit_rating", "资信评价", "Credit evaluation", Kind.CHOICE, choices=CREDIT,
               applies=ORG),
            _f("business_scope", "经营范围", "Business scope", Kind.LONGTEXT, span=3,
               applies=ORG),
            _f("sales_capability", "销售能力", "Sales capability", applies=ORG),
            _f("business_philosophy", "经营理念", "Business philosophy", applies=ORG),
            _f("potential", "发展潜力", "Potential", applies=ORG),
            _f("direction", "发展方向", "Direction", applies=ORG),
            _f("other_principals", "其他主要人员", "Other principals", Kind.LONGTEXT, span=3,
               applies=ORG),
        ), applies=ORG),
        _principal("legal_rep", "法人代表", "legal representative"),
        _principal("manager", "总经理", "general manager"),
        Group("notes", "备注", "Notes", (
            _f("notes", "备注", "Notes", Kind.LONGTEXT, span=3, aliases=("说明",)),
        ), columns=1),
    ),
)

DECISION = Section(
    "decision",
    "决策信息",
    "Decision",
    groups=(
        Group("process", "决策过程", "Decision process", (
            _f("decision_process", "决策流程", "Decision process", Kind.LONGTEXT, span=3),
            _f("budget", "预算(元)", "Budget (yuan)", Kind.MONEY),
            _f("expected_decision_date", "预计决策日期", "Expected decision", Kind.DATE),
            _f("purchase_factors", "采购考虑因素", "Purchase factors", Kind.MULTICHOICE,
               choices=PURCHASE_FACTORS, span=3),
            _f("competitors", "竞争对手", "Competitors considered", span=3),
        )),
    ),
    tables=("decision_people",),
)

BUSINESS = Section(
    "business",
    "业务信息",
    "Business",
    groups=(
        Group("opportunity", "业务", "Opportunity", (
            _f("sales_stage", "销售阶段", "Sales stage", Kind.CHOICE, choices=SALES_STAGES),
            _f("expected_amount", "预计金额(元)", "Expected amount (yuan)", Kind.MONEY),
            _f("expected_date", "预计成交日期", "Expected deal date", Kind.DATE),
            _f("needs", "客户需求", "Needs", Kind.LONGTEXT, need=IMP, span=3,
               aliases=("需求",)),
            _f("intended_products", "意向产品", "Intended products", span=3,
               aliases=("意向车型", "意向产品")),
            _f("satisfaction", "满意度", "Satisfaction", Kind.CHOICE, choices=SATISFACTION),
        )),
        Group("payment", "付款信息", "Payment", (
            _f("payment_method", "付款方式", "Payment method", Kind.CHOICE,
               choices=PAYMENT_METHODS),
            _f("payment_terms", "付款条件", "Payment terms"),
            _f("credit_limit", "信用额度(元)", "Credit limit (yuan)", Kind.MONEY),
            _f("invoice_title", "发票抬头", "Invoice title", span=2),
            _f("invoice_tax_no", "开票税号", "Invoice tax no."),
            _f("invoice_details", "开票信息(地址/电话/开户行)", "Invoice details", span=3),
        )),
    ),
    tables=("purchases", "sales_by_year"),
)

COMMUNICATION = Section("communication", "沟通信息", "Communication", tables=("communications",))

CARD: tuple[Section, ...] = (BASIC, DECISION, BUSINESS, COMMUNICATION)


def all_fields() -> Iterator[FieldSpec]:
    """Every field of the card, in card order."""
    for section in CARD:
        for group in section.groups:
            yield from group.fields


FIELDS: dict[str, FieldSpec] = {f.name: f for f in all_fields()}


def group_applies(group: Group, customer_kind: str | None) -> bool:
    """True when ``group`` is shown for a customer of ``customer_kind``."""
    return group.applies is Applies.BOTH or group.applies.value == customer_kind


@dataclass(frozen=True)
class Column:
    """A column of one of the card's tables (decision people, purchases, communications)."""

    name: str
    zh: str
    en: str
    kind: FieldKind = Kind.TEXT
    choices: tuple[Choice, ...] = ()
    need: Need = Need.GENERAL
    # Worked out from the other rows when shown or printed, never typed or stored.
    computed: bool = False

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en


DECISION_PEOPLE_COLUMNS = (
    Column("name", "姓名", "Name", need=REQ),
    Column("role", "角色", "Role", Kind.CHOICE, DECISION_ROLES, need=REQ),
    Column("title", "职务", "Title"),
    Column("phone", "电话", "Phone", Kind.PHONE),
    Column("attitude", "态度", "Attitude", Kind.CHOICE, ATTITUDES),
    Column("notes", "备注", "Notes"),
)
PURCHASE_COLUMNS = (
    Column("date", "日期", "Date", Kind.DATE, need=REQ),
    Column("product", "产品", "Product", need=REQ),
    Column("quantity", "数量", "Quantity", Kind.INTEGER, need=REQ),
    Column("amount", "金额(元)", "Amount (yuan)", Kind.MONEY, need=REQ),
)
COMMUNICATION_COLUMNS = (
    Column("seq", "序号", "No.", Kind.INTEGER),
    Column("contacted_at", "日期", "Date", Kind.DATE, need=REQ),
    Column("method", "方式", "Method", Kind.CHOICE, CONTACT_METHODS, need=REQ),
    Column("person", "联系人", "Person contacted"),
    Column("person_role", "角色", "Role"),
    Column("level", "级别", "Level", Kind.LEVEL),
    Column("record", "过程记录与特别事项", "What happened", Kind.LONGTEXT, need=REQ),
    Column("conclusion", "结论", "Conclusion"),
    Column("next_follow_up", "下次跟进", "Next follow-up", Kind.DATE),
    Column("recorded_by", "记录人", "Recorded by", Kind.STAFF),
)
# The 丸石 card's 历年销售额: one row per year, growth against the year before (not stored).
SALES_BY_YEAR_COLUMNS = (
    Column("year", "年份", "Year", Kind.INTEGER, need=REQ),
    Column("amount", "我司产品销售额(万元)", "Our sales (10k yuan)", Kind.MONEY, need=REQ),
    Column("growth", "增长率", "Growth", Kind.PERCENT, computed=True),
)
TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "decision_people": DECISION_PEOPLE_COLUMNS,
    "purchases": PURCHASE_COLUMNS,
    "sales_by_year": SALES_BY_YEAR_COLUMNS,
    "communications": COMMUNICATION_COLUMNS,
}
TABLE_LABELS: dict[str, tuple[str, str]] = {
    "decision_people": ("决策相关人", "People in the decision"),
    "purchases": ("购买信息", "Purchases"),
    "sales_by_year": ("我司产品历年销售额", "Our sales by year"),
    "communications": ("沟通记录", "Communication log"),
}
# Tables for one kind of customer only; the others are on every card.
TABLE_APPLIES: dict[str, Applies] = {"sales_by_year": ORG}


def stored_columns(table: str) -> tuple[Column, ...]:
    """The columns of one of the card's tables that are typed and stored (not computed)."""
    return tuple(c for c in TABLE_COLUMNS[table] if not c.computed)


def table_applies(table: str, customer_kind: str | None) -> bool:
    """True when ``table`` is on the card of a customer of ``customer_kind``."""
    applies = TABLE_APPLIES.get(table, Applies.BOTH)
    return applies is Applies.BOTH or applies.value == customer_kind


def table_label(table: str) -> str:
    """The heading of one of the card's tables in the current language."""
    zh, en = TABLE_LABELS[table]
    return zh if is_chinese() else en
