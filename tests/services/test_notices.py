"""Notices: a visitor handed to a salesperson reaches them, and their reply reaches the desk."""
from __future__ import annotations

import pytest

from crmdesk import i18n
from crmdesk.errors import NotFoundError
from crmdesk.models import Staff
from crmdesk.services import notices
from crmdesk.services.context import Actor
from crmdesk.services.frontdesk import VisitDraft, register_visit


@pytest.fixture
def desk(salesperson) -> Actor:
    return Actor.of(Staff.create(name="陈静", username="desk", roles="frontdesk"))


def test_the_receiving_salesperson_is_told_who_is_waiting(desk, salesperson):
    i18n.set_language("en")
    result = register_visit(VisitDraft("张先生", "13912345678"), desk)
    assert result.salesperson_id == salesperson.staff_id
    (notice,) = notices.notices_for(salesperson)
    assert notice.kind == "visitor" and notice.customer_id == result.customer_id
    assert "张先生" in notice.text and result.archive_no in notice.text
    assert "陈静" in notice.text
    assert notices.unread_count(salesperson) == 1
    assert notices.notices_for(desk) == []


def test_im_coming_reads_the_notice_and_tells_the_front_desk(desk, salesperson):
    register_visit(VisitDraft("张先生", "13912345678"), desk)
    (notice,) = notices.notices_for(salesperson)
    notices.reply_coming(notice.id, salesperson)
    assert notices.unread_count(salesperson) == 0
    (reply,) = notices.notices_for(desk)
    assert reply.kind == "coming" and "王强" in reply.text and "张先生" in reply.text


def test_nobody_reads_or_answers_someone_elses_notice(desk, salesperson):
    register_visit(VisitDraft("张先生", "13912345678"), desk)
    (notice,) = notices.notices_for(salesperson)
    with pytest.raises(NotFoundError):
        notices.mark_read(notice.id, desk)
    with pytest.raises(NotFoundError):
        notices.reply_coming(notice.id, desk)
    assert notices.unread_count(salesperson) == 1


def test_a_salesperson_registering_their_own_visitor_gets_no_notice(salesperson, manager):
    register_visit(VisitDraft("张先生", "13912345678", salesperson_id=manager.staff_id,
                              override_reason="他的老朋友"), manager)
    assert notices.notices_for(manager) == []
