"""Turning what a citizen types ("8000", "Aarhus", "8210 Aarhus V") into coordinates, offline.

The table in data/postcodes.csv holds the centre of the main Danish postcodes and towns. A valid
postcode that is not in it falls back to the nearest listed postcode in the same district
(Danish postcodes are allotted geographically, so the first two digits place it well enough to
sort hotspots by distance)."""

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "postcodes.csv"
POSTCODE_RE = re.compile(r"\b(\d{4})\b")


@dataclass(frozen=True)
class Place:
    postcode: str
    town: str
    latitude: float
    longitude: float
    exact: bool = True


@cache
def _table() -> dict[str, Place]:
    with DATA_FILE.open(encoding="utf-8") as f:
        return {
            row["postcode"]: Place(
                row["postcode"], row["town"], float(row["latitude"]), float(row["longitude"])
            )
            for row in csv.DictReader(f)
        }


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("aa", "å").strip()


def is_danish_postcode(code: str) -> bool:
    return code.isdigit() and len(code) == 4 and 1000 <= int(code) <= 9990


def place_for_postcode(code: str) -> Place | None:
    if not is_danish_postcode(code):
        return None
    table = _table()
    if code in table:
        return table[code]
    same_district = [p for p in table.values() if p.postcode[:2] == code[:2]]
    candidates = same_district or list(table.values())
    nearest = min(candidates, key=lambda p: abs(int(p.postcode) - int(code)))
    return Place(code, nearest.town, nearest.latitude, nearest.longitude, exact=False)


def place_for_town(name: str) -> Place | None:
    wanted = _fold(name)
    if not wanted:
        return None
    matches = [p for p in _table().values() if _fold(p.town) == wanted]
    if not matches:
        matches = [p for p in _table().values() if _fold(p.town).startswith(wanted)]
    return min(matches, key=lambda p: p.postcode) if matches else None


def resolve(query: str) -> Place | None:
    """A postcode anywhere in the text wins; otherwise the text is taken as a town name."""
    query = (query or "").strip()
    found = POSTCODE_RE.search(query)
    if found:
        return place_for_postcode(found.group(1))
    return place_for_town(query)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
