import datetime as dt

import pytest

from advocacy.db_types import utcnow
from advocacy.prisoners.models import KeyDateKind, Visibility

SECRET_SPELLINGS = ("Hanna Tajnaja", "Ганна Тайная", "Anna Taynaya")


@pytest.fixture()
def world(create_prisoner, create_parliamentarian, create_pairing, create_statement, create_key_date, create_facility):
    """One public pairing and one private prisoner present in every register."""
    facility = create_facility()
    public = create_prisoner(name="Ihar Losik", alt_names="Ігар Лосік", facility=facility, sentence_text="15 years")
    private = create_prisoner(name=SECRET_SPELLINGS[0], alt_names="\n".join(SECRET_SPELLINGS[1:]),
                              has_family_consent=False, visibility=Visibility.PRIVATE, facility=facility,
                              risk_serious_illness=True)
    mep = create_parliamentarian(full_name="Public Godparent", country="LT", political_group="Renew")
    shy = create_parliamentarian(full_name="Only Private Godparent", country="PL", political_group="EPP")
    pub_pairing = create_pairing(parliamentarian=mep, prisoner=public)
    priv_pairing = create_pairing(parliamentarian=mep, prisoner=private)
    create_pairing(parliamentarian=shy, prisoner=private)
    create_statement(pairing=pub_pairing, title="Free Ihar now", verified_at=utcnow())
    create_statement(pairing=pub_pairing, title="Unverified words", verified_at=None)
    create_statement(pairing=priv_pairing, title="Secret statement about Hanna", verified_at=utcnow())
    create_key_date(private, kind=KeyDateKind.TRIAL, occurs_on=dt.date.today() + dt.timedelta(days=3))
    create_key_date(public, kind=KeyDateKind.APPEAL, occurs_on=dt.date.today() + dt.timedelta(days=9), place="Supreme Court")
    return {"public": public, "private": private, "mep": mep, "shy": shy, "pub_pairing": pub_pairing}


def assert_no_secret(data: bytes):
    text = data.decode("utf-8", "replace")
    for spelling in SECRET_SPELLINGS + ("Secret statement", "Only Private Godparent"):
        assert spelling not in text, spelling
