"""Realistic, fictional demo data: `flask demo [--if-empty] [--seed N]`.

The people are invented (names are common Belarusian first and family names, combined at
random); the facilities and their postal addresses are real places, as letter-writers need them.
"""
import datetime as dt
import random

from sqlalchemy import func, select

from advocacy.auth.models import Role, User
from advocacy.extensions import db
from advocacy.pairings.models import EndReason, Pairing, PairingStatus
from advocacy.parliamentarians.models import Chamber, Parliamentarian
from advocacy.prisoners.models import (
    Facility, FacilityKind, Gender, KeyDate, KeyDateKind, Prisoner, PrisonerStatus, PrisonerStatusChange, Visibility,
)
from advocacy.statements.models import Statement, StatementKind

STAFF_EMAIL = "staff@demo.advocacy.example.org"
MEP_EMAIL = "mep@demo.advocacy.example.org"
DEMO_PASSWORD = "demo-password-change-me"

FACILITIES = [
    ("Penal colony No. 1, Navapolatsk", "ИК-1", FacilityKind.PENAL_COLONY, "Navapolatsk",
     "211440, г. Новополоцк, ул. Тельмана, 1, ИК-1"),
    ("Penal colony No. 4, Homiel", "ИК-4", FacilityKind.PENAL_COLONY, "Homiel",
     "246035, г. Гомель, ул. Могилевская, 39А, ИК-4"),
    ("Penal colony No. 2, Babruisk", "ИК-2", FacilityKind.PENAL_COLONY, "Babruisk",
     "213800, г. Бобруйск, ул. Сикорского, 1, ИК-2"),
    ("Prison No. 8, Zhodzina", "Тюрьма № 8", FacilityKind.PRISON, "Zhodzina",
     "222163, г. Жодино, ул. Советская, 22А, Тюрьма № 8"),
    ("Pre-trial detention centre No. 1, Minsk (Valadarka)", "СИЗО-1", FacilityKind.PRE_TRIAL, "Minsk",
     "220030, г. Минск, ул. Володарского, 2, СИЗО-1"),
    ("Penal colony No. 3, Vitsba", "ИК-3", FacilityKind.PENAL_COLONY, "Vitsebsk",
     "211322, Витебский р-н, пос. Витьба, ИК-3"),
]

# (Latin first, Cyrillic first, Russian-transliteration first, gender)
FIRST = [("Maryia", "Марыя", "Maria", Gender.FEMALE), ("Aliaksandr", "Аляксандр", "Alexander", Gender.MALE),
         ("Ihar", "Ігар", "Igor", Gender.MALE), ("Palina", "Паліна", "Polina", Gender.FEMALE),
         ("Mikalai", "Мікалай", "Nikolai", Gender.MALE), ("Katsiaryna", "Кацярына", "Ekaterina", Gender.FEMALE),
         ("Siarhei", "Сяргей", "Sergei", Gender.MALE), ("Volha", "Вольга", "Olga", Gender.FEMALE),
         ("Uladzimir", "Уладзімір", "Vladimir", Gender.MALE), ("Nasta", "Наста", "Anastasia", Gender.FEMALE),
         ("Dzmitry", "Дзмітры", "Dmitry", Gender.MALE), ("Iryna", "Ірына", "Irina", Gender.FEMALE),
         ("Andrei", "Андрэй", "Andrei", Gender.MALE), ("Yulia", "Юлія", "Yulia", Gender.FEMALE)]
# (Latin family name, Cyrillic, Russian transliteration); feminine forms follow Belarusian rules loosely
LAST = [("Kavaliou", "Кавалёў", "Kovalev"), ("Sidarenka", "Сідарэнка", "Sidorenko"), ("Zhuk", "Жук", "Zhuk"),
        ("Lukashevich", "Лукашэвіч", "Lukashevich"), ("Navumenka", "Навуменка", "Naumenko"),
        ("Harbatsevich", "Гарбацэвіч", "Gorbatsevich"), ("Prakopchyk", "Пракапчык", "Prokopchik"),
        ("Malinouski", "Маліноўскі", "Malinovsky"), ("Shaputska", "Шапуцька", "Shaputko"),
        ("Hrytsuk", "Грыцук", "Gritsuk"), ("Yarmolenka", "Ярмоленка", "Yarmolenko"), ("Tsiareshka", "Цярэшка", "Tereshko")]
OCCUPATIONS = ["journalist", "lawyer", "trade unionist", "teacher", "IT specialist", "doctor", "student",
               "musician", "entrepreneur", "human rights defender", "priest", "worker"]
ARTICLES = ["342", "361-1", "130", "361-4", "293", "369", "342, 130", "356"]

# (country, parliament, chamber, group, languages, time zone)
PARLIAMENTS = [("DE", "European Parliament", Chamber.SINGLE, "EPP", "de,en", "Europe/Berlin"),
               ("LT", "European Parliament", Chamber.SINGLE, "Renew", "lt,en,ru", "Europe/Vilnius"),
               ("PL", "European Parliament", Chamber.SINGLE, "ECR", "pl,en", "Europe/Warsaw"),
               ("FR", "European Parliament", Chamber.SINGLE, "S&D", "fr,en", "Europe/Paris"),
               ("SE", "European Parliament", Chamber.SINGLE, "Greens/EFA", "sv,en", "Europe/Stockholm"),
               ("CZ", "European Parliament", Chamber.SINGLE, "EPP", "cs,en", "Europe/Prague"),
               ("FI", "European Parliament", Chamber.SINGLE, "Renew", "fi,sv,en", "Europe/Helsinki"),
               ("PT", "European Parliament", Chamber.SINGLE, "S&D", "pt,en", "Europe/Lisbon"),
               ("DE", "Bundestag", Chamber.LOWER, "SPD", "de,en", "Europe/Berlin"),
               ("PL", "Senat RP", Chamber.UPPER, "KO", "pl,en", "Europe/Warsaw"),
               ("LT", "Seimas", Chamber.SINGLE, "TS-LKD", "lt,en", "Europe/Vilnius"),
               ("IE", "Dáil Éireann", Chamber.LOWER, "Fine Gael", "en,ga", "Europe/Dublin")]
MEP_FIRST = ["Anna", "Jonas", "Marta", "Pierre", "Eva", "Tomas", "Sofia", "Lukas", "Ingrid", "Pavel", "Aino", "João",
             "Clara", "Rasa", "Niamh", "Karl", "Zuzana", "Mikael", "Agnieszka", "Henri"]
MEP_LAST = ["Müller", "Kazlauskas", "Nowak", "Dubois", "Lindqvist", "Novák", "Virtanen", "Silva", "Schneider",
            "Petrauskienė", "Kowalczyk", "Moreau", "Andersson", "Dvořák", "Korhonen", "Costa", "O'Brien", "Fischer"]
COMMITTEES = ["AFET", "DROI", "CULT", "JURI", "EMPL", "LIBE", "FEMM", "SEDE"]


def is_empty() -> bool:
    return not db.session.scalar(select(func.count(Prisoner.id)))


def _feminine(last: str) -> str:
    if last.endswith("ski"):
        return last[:-1] + "aya"
    if last.endswith("ou"):
        return last[:-2] + "ova"
    return last


def load(seed: int = 2026, today: dt.date | None = None) -> dict:
    """Fill the database (flushes; the caller commits). Returns the demo logins."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    facilities = []
    for name, cyr, kind, city, address in FACILITIES:
        f = Facility(name=name, name_cyrillic=cyr, kind=kind, city=city, address_cyrillic=address,
                     address_latin=f"{name}, {city}, Belarus")
        db.session.add(f)
        facilities.append(f)

    prisoners = []
    used = set()
    for i in range(36):
        while True:
            first, first_cyr, first_ru, gender = rng.choice(FIRST)
            last, last_cyr, last_ru = rng.choice(LAST)
            if (first, last) not in used:
                used.add((first, last))
                break
        if gender == Gender.FEMALE:
            last, last_ru = _feminine(last), _feminine(last_ru)
        detained = today - dt.timedelta(days=rng.randint(200, 2100))
        born = dt.date(rng.randint(1955, 2002), rng.randint(1, 12), rng.randint(1, 28))
        status = PrisonerStatus.PRE_TRIAL if i % 9 == 0 else PrisonerStatus.SENTENCED
        if i in (33, 34):
            status = PrisonerStatus.RELEASED
        months = rng.choice([18, 36, 60, 96, 132, 180])
        consent = i % 6 != 5
        p = Prisoner(
            name=f"{first} {last}", alt_names=f"{first_cyr} {last_cyr}\n{first_ru} {last_ru}",
            birth_date=born if i % 7 else None, birth_year=born.year, gender=gender,
            city=rng.choice(["Minsk", "Hrodna", "Brest", "Homiel", "Vitsebsk", "Mahiliou", "Pinsk"]),
            occupation=rng.choice(OCCUPATIONS), languages="be,ru" + (",pl" if i % 5 == 0 else ""),
            ties_countries="PL" if i % 5 == 0 else ("LT" if i % 8 == 0 else ""),
            detained_on=detained, articles=rng.choice(ARTICLES),
            court=rng.choice(["Minsk City Court", "Hrodna Regional Court", "Homiel Regional Court", "Supreme Court"]),
            verdict_on=None if status == PrisonerStatus.PRE_TRIAL else detained + dt.timedelta(days=rng.randint(90, 200)),
            sentence_text=None if status == PrisonerStatus.PRE_TRIAL else f"{months // 12} years {months % 12} months, colony".replace(" 0 months", ""),
            sentence_months=None if status == PrisonerStatus.PRE_TRIAL else months,
            facility=facilities[4] if status == PrisonerStatus.PRE_TRIAL else rng.choice(facilities),
            status=status, status_on=today - dt.timedelta(days=30) if status == PrisonerStatus.RELEASED else detained,
            risk_serious_illness=i % 6 == 1, risk_over_60=born.year < 1966, risk_large_family=i % 10 == 3,
            risk_disability=i % 13 == 4,
            incommunicado_since=today - dt.timedelta(days=rng.randint(200, 700)) if i % 11 == 2 else None,
            source_id=f"demo-{1000 + i}", source_url=f"https://prisoners.example.org/person/demo-{1000 + i}",
            has_family_consent=consent, visibility=Visibility.PUBLIC if consent else Visibility.PRIVATE,
            bio=f"A {rng.choice(OCCUPATIONS)} from {rng.choice(['Minsk', 'Hrodna', 'Brest'])}, detained after the 2020 protests.",
        )
        db.session.add(p)
        db.session.add(PrisonerStatusChange(prisoner=p, status=status, changed_on=p.status_on, note="Demo data"))
        if status == PrisonerStatus.PRE_TRIAL or i % 4 == 0:
            kind = KeyDateKind.TRIAL if status == PrisonerStatus.PRE_TRIAL else KeyDateKind.APPEAL
            db.session.add(KeyDate(prisoner=p, kind=kind, occurs_on=today + dt.timedelta(days=rng.randint(2, 40)),
                                   occurs_at_time=dt.time(10, 0), place=p.court))
        prisoners.append(p)

    parls = []
    used = set()
    for i in range(40):
        country, parliament, chamber, group, langs, tz = PARLIAMENTS[i % len(PARLIAMENTS)]
        while True:
            name = f"{rng.choice(MEP_FIRST)} {rng.choice(MEP_LAST)}"
            if name not in used:
                used.add(name)
                break
        m = Parliamentarian(
            full_name=name, parliament=parliament, chamber=chamber, country=country, political_group=group,
            national_party=None, email=f"{name.lower().replace(' ', '.').replace(chr(39), '')}@parliament.example.org",
            languages=langs, committees=",".join(rng.sample(COMMITTEES, 2)), time_zone=tz,
            external_id=str(200000 + i), mandate_start_on=dt.date(2024, 7, 16),
            mandate_end_on=today - dt.timedelta(days=20) if i == 7 else None)
        db.session.add(m)
        parls.append(m)
    db.session.flush()

    pairings = []
    in_custody = [p for p in prisoners if p.is_in_custody]
    for i, p in enumerate(in_custody[:26]):
        m = parls[i % 30]
        pairing = Pairing(parliamentarian=m, prisoner=p, status=PairingStatus.ACTIVE,
                          started_on=today - dt.timedelta(days=rng.randint(30, 700)))
        db.session.add(pairing)
        pairings.append(pairing)
        if i % 5 == 0:  # a second godparent
            db.session.add(Pairing(parliamentarian=parls[30 + i % 10], prisoner=p, status=PairingStatus.ACTIVE,
                                   started_on=today - dt.timedelta(days=rng.randint(10, 300))))
    for p in prisoners:
        if p.status == PrisonerStatus.RELEASED:
            db.session.add(Pairing(parliamentarian=parls[35], prisoner=p, status=PairingStatus.ENDED,
                                   started_on=today - dt.timedelta(days=400), ended_on=p.status_on,
                                   end_reason=EndReason.PRISONER_RELEASED))
    db.session.add(Pairing(parliamentarian=parls[36], prisoner=in_custody[27], status=PairingStatus.INVITED,
                           invited_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)))
    db.session.flush()

    staff = User(email=STAFF_EMAIL, name="Demo Staff", role=Role.ADMIN)
    staff.set_password(DEMO_PASSWORD)
    db.session.add(staff)
    mep_parl = pairings[0].parliamentarian
    mep = User(email=MEP_EMAIL, name=mep_parl.full_name, role=Role.PARLIAMENTARIAN, parliamentarian=mep_parl)
    mep.set_password(DEMO_PASSWORD)
    db.session.add(mep)

    kinds = list(StatementKind)
    for i, pairing in enumerate(pairings):
        for j in range(rng.randint(0, 3)):
            made = today - dt.timedelta(days=rng.randint(1, 200))
            db.session.add(Statement(
                pairing=pairing, made_on=made, kind=kinds[(i + j) % len(kinds)],
                title=f"{pairing.parliamentarian.full_name} on {pairing.prisoner.name}",
                url=f"https://statements.example.org/{i}-{j}", summary="Calls for immediate release.",
                language="en", is_public=True,
                verified_at=dt.datetime.now(dt.timezone.utc) if j % 2 == 0 else None, verified_by=staff if j % 2 == 0 else None))
    db.session.flush()
    from advocacy.impact.services import refresh  # the impact pages' snapshot, as the scheduler would make it

    refresh(today, dt.datetime.now(dt.timezone.utc))
    return logins()


def logins() -> dict:
    return {"staff": (STAFF_EMAIL, DEMO_PASSWORD), "parliamentarian": (MEP_EMAIL, DEMO_PASSWORD)}
