"""Names told apart before the council: two "Trần Văn Bình" on one ballot (or one
session's agenda) show their birth year and unit on the council's screens, names
without a namesake stay short for 80 columns; the minutes always give a person's
date of birth and unit. Subjects are read with models/documents/subjects.py, as
the decision's list reads them; a village's list keeps its own label (lists.py).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from models import text
from models.awards.tables import Nomination
from models.council import lists
from models.council.tables import ListLine
from models.documents import subjects
from models.documents.subjects import Subject

CHUNK = 900  # ids per IN (...): below SQLite's bound on parameters


@dataclass(frozen=True)
class Names:
    """nomination id -> its label on the council's screens, and the detail line
    (date of birth and unit, village, parent unit) of the highlighted name."""
    labels: dict[int, str]
    details: dict[int, str]


def _chunks(ids: list[int]):
    return (ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK))


def _subjects(ids: list[int]) -> dict[int, Subject]:
    found: dict[int, Subject] = {}
    for chunk in _chunks(ids):
        query = subjects.lines(Nomination, Nomination.id.in_(chunk), amounts=False)
        found.update((line.id, line.subject) for line in subjects.read(query))
    return found


def _lines(ids: list[int]) -> set[int]:
    """The nominations that hold a village's list (their label is the list's)."""
    return {i for chunk in _chunks(ids) for (i,) in ListLine.select(ListLine.nomination)
            .where(ListLine.nomination.in_(chunk)).tuples()}


def detail(subject: Subject) -> str:
    """The detail line of a highlighted name: "Sinh ngày 01/02/1980, Thôn 1" for a
    person (said when unknown), a household's village and address, a unit's parent."""
    if subject.kind != "person":
        return subject.where
    born = f"Sinh ngày {subject.birth}" if subject.birth else "Chưa có ngày sinh"
    return ", ".join(part for part in (born, subject.place) if part)


def _short(subject: Subject) -> str:
    """A person's birth year and unit, for 80 columns; otherwise as `detail`."""
    if subject.kind != "person":
        return subject.where
    year = str(subject.birth_date.year) if subject.birth_date else ""
    return ", ".join(part for part in (year, subject.place) if part)


def _written(subject: Subject) -> str:
    """What the minutes say after a name: a person's known date of birth and unit."""
    if subject.kind != "person":
        return subject.where
    born = f"sinh ngày {subject.birth}" if subject.birth else ""
    return ", ".join(part for part in (born, subject.place) if part)


def _key(subject: Subject) -> str:
    return text.fold(subject.label)


def _labels(found: dict[int, Subject], shown: list[int], mark,
            always=lambda subject: False) -> dict[int, str]:
    """Each of `shown` labelled, with `mark(subject)` after a name that has a
    namesake among `found` (or for which `always` holds); namesakes whose marks
    are equal too are told apart by their nomination's number."""
    same = Counter(_key(s) for s in found.values())
    marks = Counter((_key(s), mark(s)) for s in found.values())
    out: dict[int, str] = {}
    for nom_id in shown:
        subject = found[nom_id]
        namesake = same[_key(subject)] > 1
        said = mark(subject) if namesake or always(subject) else ""
        if namesake and marks[(_key(subject), mark(subject))] > 1:
            said = ", ".join(part for part in (said, f"đề nghị số {nom_id}") if part)
        out[nom_id] = f"{subject.label} ({said})" if said else subject.label
    return out


def _read(noms: list[Nomination], among: list[Nomination]):
    """(ids of `noms` with a person, household or unit, their lines' labels, and the
    subjects of every name in `noms` and `among`)."""
    ids = sorted({n.id for n in noms} | {n.id for n in among})
    lines = _lines(ids)
    found = _subjects([i for i in ids if i not in lines])
    return ([n.id for n in noms if n.id not in lines],
            {n.id: lists.label(n) for n in noms if n.id in lines}, found)


def names(noms: list[Nomination], among: list[Nomination] = ()) -> Names:
    """The council screens' labels of `noms`: a name with a namesake among `noms`
    and `among` (the session's agenda) gets "(1980, Thôn 1)"."""
    shown, labels, found = _read(noms, among)
    labels.update(_labels(found, shown, _short))
    return Names(labels, {i: detail(found[i]) for i in shown})


def written(noms: list[Nomination]) -> dict[int, str]:
    """The minutes' labels: a person always with date of birth and unit, a
    household or a unit with its village or parent when a namesake is among `noms`."""
    shown, labels, found = _read(noms, [])
    labels.update(_labels(found, shown, _written, lambda s: s.kind == "person"))
    return labels
