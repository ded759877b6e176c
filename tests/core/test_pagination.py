"""The one pagination helper counts at most ten pages past the one shown."""
from advocacy import pagination


def test_long_lists_count_only_ten_pages_ahead(app, client, login_as, create_parliamentarian, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    monkeypatch.setattr(pagination, "COUNT_PAGES_AHEAD", 3)
    for _ in range(15):
        create_parliamentarian()
    login_as("staff")
    first = client.get("/parliamentarians/").text
    assert "Page 1 of more than 4 (over 8)" in first  # (1 + 3) pages of 2 counted, more exist
    last = client.get("/parliamentarians/?page=6").text
    assert "Page 6 of 8 (15 in all)" in last  # near the end the count is exact
    assert client.get("/parliamentarians/?page=8").status_code == 200
