import pytest

from advocacy.api.models import ApiToken, TokenScope
from advocacy.db_types import utcnow
from advocacy.extensions import db


@pytest.fixture()
def api_token(create_user):
    admin = create_user(role="admin")
    token, secret = ApiToken.issue("integration tests", created_by=admin, scope=TokenScope.WRITE, days=30, now=utcnow())
    db.session.add(token)
    db.session.commit()
    return secret


@pytest.fixture()
def api(client, api_token):
    headers = {"Authorization": f"Bearer {api_token}"}

    class Api:
        def get(self, path, **kw):
            return client.get(f"/api/v1{path}", headers=headers, **kw)

        def post(self, path, json=None, **kw):
            return client.post(f"/api/v1{path}", headers=headers, json=json, **kw)

        def patch(self, path, json=None, **kw):
            return client.patch(f"/api/v1{path}", headers=headers, json=json, **kw)

        def delete(self, path):
            return client.delete(f"/api/v1{path}", headers=headers)

    return Api()
