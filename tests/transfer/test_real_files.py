"""Files as the world sends them (tests/data): every value stored exactly."""
import os

from advocacy.extensions import db
from advocacy.parliamentarians.models import Parliamentarian
from advocacy.prisoners.models import Prisoner
from advocacy.transfer import services

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def _read(name):
    with open(os.path.join(DATA, name), "rb") as fh:
        return fh.read()


def test_ep_list_with_escaped_quotes_after_4_kb_keeps_every_party_name():
    content = _read("ep-meps-latvia-quotes.csv")
    assert content.index(b'""') > 4096
    report = services.run("parliamentarians", content, write=True)
    assert report.summary() == {"create": 123, "update": 0, "unchanged": 0, "error": 0}
    db.session.commit()
    parties = db.session.scalars(db.select(Parliamentarian.national_party).where(
        Parliamentarian.external_id.in_(["300000", "300001", "300002"]))).all()
    assert parties == ['Partija "VIENOTĪBA"'] * 3
    assert db.session.scalar(db.select(Parliamentarian.country).where(Parliamentarian.external_id == "300001")) == "LV"


def test_excel_semicolon_csv_with_bom_crlf_and_line_breaks_in_cells():
    report = services.run("prisoners", _read("prisoners-excel-semicolon-bom.csv"), write=True)
    assert report.errors == [] and report.ignored == [] and report.summary()["create"] == 3
    db.session.commit()
    by_id = {p.source_id: p for p in db.session.scalars(db.select(Prisoner))}
    assert by_id["viasna-1"].bio == 'Flautist;\r\ncampaign "Babaryka" manager'
    assert by_id["viasna-1"].alt_names == "Мария Колесникова\nМарыя Калеснікава"
    assert by_id["viasna-2"].birth_year == 1992 and by_id["viasna-2"].bio == "-"
    assert by_id["viasna-3"].name == 'Mikalai "Kolya" Statkevich' and by_id["viasna-3"].facility is None
