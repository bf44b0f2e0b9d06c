"""An export approval given, for tests whose exports copy 机密 cards but are about other things."""
from __future__ import annotations

from crmdesk.models import Staff
from crmdesk.services.context import Actor
from crmdesk.services.exports import approval
from crmdesk.services.search import ListQuery


def approved(actor: Actor, what: str = "customers", query: ListQuery | None = None) -> int:
    """The id of an approval ``actor`` asked for and a second manager gave."""
    second = Staff.get_or_none(Staff.username == "approver") or Staff.create(
        name="钱经理", username="approver", roles="manager")
    approval_id = approval.ask(what, query or ListQuery(), "测试导出", actor)
    approval.decide(approval_id, True, Actor.of(second))
    return approval_id
