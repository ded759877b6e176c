import datetime as dt

from advocacy.reminders.rules import local_instant, yearly_on
from tests.reminders.conftest import utc


def test_feb29_falls_on_feb28_or_mar1_in_other_years():
    assert yearly_on(dt.date(1988, 2, 29), 2027, "feb28") == dt.date(2027, 2, 28)
    assert yearly_on(dt.date(1988, 2, 29), 2027, "mar1") == dt.date(2027, 3, 1)
    assert yearly_on(dt.date(1988, 2, 29), 2028, "feb28") == dt.date(2028, 2, 29)


def test_eight_local_on_dst_change_days_helsinki_and_lisbon():
    # Spring forward on 2026-03-29: Helsinki is UTC+3 at 08:00, Lisbon UTC+1.
    assert local_instant(dt.date(2026, 3, 29), 8, "Europe/Helsinki") == utc(2026, 3, 29, 5)
    assert local_instant(dt.date(2026, 3, 29), 8, "Europe/Lisbon") == utc(2026, 3, 29, 7)
    # Fall back on 2026-10-25: Helsinki UTC+2, Lisbon UTC+0.
    assert local_instant(dt.date(2026, 10, 25), 8, "Europe/Helsinki") == utc(2026, 10, 25, 6)
    assert local_instant(dt.date(2026, 10, 25), 8, "Europe/Lisbon") == utc(2026, 10, 25, 8)


def test_nonexistent_and_ambiguous_local_times_resolve_to_one_instant():
    # 03:00 in Helsinki does not exist on 2026-03-29 (03:00 -> 04:00); it maps to 01:00 UTC, the jump.
    assert local_instant(dt.date(2026, 3, 29), 3, "Europe/Helsinki") == utc(2026, 3, 29, 1)
    # 03:00 happens twice on 2026-10-25 (04:00 EEST -> 03:00 EET): the first one, 00:00 UTC.
    assert local_instant(dt.date(2026, 10, 25), 3, "Europe/Helsinki") == utc(2026, 10, 25, 0)
    # 01:00 in Lisbon happens twice on 2026-10-25 (02:00 WEST -> 01:00 WET): the first, 00:00 UTC.
    assert local_instant(dt.date(2026, 10, 25), 1, "Europe/Lisbon") == utc(2026, 10, 25, 0)
