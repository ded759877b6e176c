import csv
import io
import json

from advocacy.exports.services import csv_safe
from tests.public.conftest import assert_no_secret


def test_public_export_never_contains_a_private_prisoner(client, world):
    for url in ("/exports/public.json", "/exports/public.csv"):
        resp = client.get(url)
        assert resp.status_code == 200
        assert b"Ihar Losik" in resp.data
        assert_no_secret(resp.data)
    data = json.loads(client.get("/exports/public.json").data)
    assert [p["prisoner_name"] for p in data["pairings"]] == ["Ihar Losik"]
    assert [s["title"] for s in data["statements"]] == ["Free Ihar now"]


def test_staff_export_includes_private_marked(client, login_as, world):
    login_as("staff")
    resp = client.get("/exports/prisoners.csv")
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    by_name = {r["name"]: r for r in rows}
    assert by_name["Hanna Tajnaja"]["visibility"] == "private" and by_name["Ihar Losik"]["visibility"] == "public"
    assert by_name["Ihar Losik"]["has_family_consent"] == "yes"
    data = json.loads(client.get("/exports/statements.json").data)
    assert len(data["items"]) == 3
    assert client.get("/exports/nothing.csv").status_code == 404


def test_exports_need_staff(client, login_as, world):
    assert client.get("/exports/prisoners.csv").status_code == 302
    login_as("parliamentarian")
    assert client.get("/exports/prisoners.csv").status_code == 403


def test_csv_injection_is_neutralised(client, login_as, create_prisoner):
    create_prisoner(name="=HYPERLINK(\"http://evil\")", occupation="+SUM(A1)")
    login_as("staff")
    text = client.get("/exports/prisoners.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+SUM" in text
    assert csv_safe("-1") == "'-1" and csv_safe("plain") == "plain" and csv_safe(5) == 5
    assert csv_safe("'-1") == "''-1" and csv_safe("'plain") == "'plain"  # exact to undo on import
