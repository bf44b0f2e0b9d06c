"""A first end-to-end check of the card: save, reopen, search."""
from crmdesk.services import customers, search


def test_saved_card_reopens_with_the_same_values(salesperson):
    card = customers.new_card(salesperson)
    card.values.update(name="张三", mobile="+86 138-0013-8000", address="上海市长宁路1号",
                       source="visit", consent=True, employer="华信科技", needs="家用")
    result = customers.save_card(card, salesperson)
    again = customers.get_card(result.customer_id)
    assert again.values["mobile"] == "13800138000"
    assert again.archive_no.startswith("KH")
    assert search.find_ids(search.ListQuery(text="zs")) == [result.customer_id]
