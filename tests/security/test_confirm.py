"""Point 10: a single POST archived a record or deleted a statement or key date."""
import pytest

from advocacy.api.models import ApiToken, TokenScope
from advocacy.db_types import utcnow
from advocacy.extensions import db
from advocacy.pairings.models import PairingStatus


@pytest.fixture()
def things(login_as, create_prisoner, create_facility, create_parliamentarian, create_key_date, create_statement):
    admin = login_as("admin")
    statement = create_statement()
    token, _ = ApiToken.issue("sync", created_by=admin, scope=TokenScope.READ_ALL, days=30, now=utcnow())
    db.session.add(token)
    db.session.commit()
    prisoner = create_prisoner()
    return {"prisoner": prisoner, "facility": create_facility(), "parl": create_parliamentarian(),
            "key_date": create_key_date(prisoner), "statement": statement, "pairing": statement.pairing, "token": token}


def _actions(t):
    return [
        (f"/prisoners/{t['prisoner'].id}/archive", {}, lambda: t["prisoner"].is_archived),
        (f"/facilities/{t['facility'].id}/archive", {}, lambda: t["facility"].is_archived),
        (f"/parliamentarians/{t['parl'].id}/archive", {}, lambda: t["parl"].is_archived),
        (f"/prisoners/key-dates/{t['key_date'].id}/delete", {}, lambda: db.session.get(type(t["key_date"]), t["key_date"].id) is None),
        (f"/statements/{t['statement'].id}/delete", {}, lambda: db.session.get(type(t["statement"]), t["statement"].id) is None),
        (f"/pairings/{t['pairing'].id}/end", {"reason": "withdrew", "ended_on": "2026-11-20"},
         lambda: t["pairing"].status == PairingStatus.ENDED),
        (f"/admin/api-tokens/{t['token'].id}/revoke", {}, lambda: t["token"].revoked_at is not None),
    ]


@pytest.mark.parametrize("index", range(7))
def test_a_single_post_only_asks_and_the_confirmed_post_acts(client, things, index, csrf_enabled):
    import re

    path, data, done = _actions(things)[index]
    page = client.get("/staff/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    first = client.post(path, data={**data, "csrf_token": csrf})
    assert first.status_code == 200
    db.session.expire_all()
    assert not done()
    html = first.get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form and form.group(1) == path and "Cancel" in form.group(2)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    assert fields["confirmed"] == "yes" and all(fields[k] == v for k, v in data.items())
    second = client.post(path, data=fields)  # what the browser sends on "Yes", no JavaScript involved
    assert second.status_code == 302
    db.session.expire_all()
    assert done()
