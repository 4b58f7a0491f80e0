"""China's administrative divisions (省 / 地级市 / 县级), to complete a region path: 隆尧县 → 河北省/邢台市/隆尧县.

The list is the national one shipped by the `cpca` package (`cpca/resources/adcodes.csv`, adcodes of the
民政部 list): every county has its prefecture and province in its code (PPCCDD), so no hand table of
places is kept here. Only the CSV is read — importing cpca itself would load pandas, which we do not need.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

# City-level entries that are no place of their own: the districts of 北京/上海/天津/重庆 sit under
# "市辖区"/"县", and the counties a province administers directly under "省直辖县级行政区划".
_NOT_A_PLACE = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True)
class Division:
    """One division: its 6-digit code and name, and its path from the province down."""

    code: str
    name: str
    path: tuple[str, ...]


def _adcodes_file() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        # cpca is a dependency of budgetsite: missing means a broken install, not a user mistake.
        raise RuntimeError("budgetsite bug or broken install: the cpca package is missing (pip install cpca)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@functools.cache
def divisions_by_name() -> dict[str, list[Division]]:
    """Every province, prefecture and county-level division by name (a name may be in several places)."""
    names: dict[str, str] = {}
    with _adcodes_file().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"][:6]
            if row["adcode"][6:].strip("0"):
                continue  # a township: below what a region path names
            names[code] = row["name"]
    found: dict[str, list[Division]] = {}
    for code, name in names.items():
        if name in _NOT_A_PLACE:
            continue
        province, city = code[:2] + "0000", code[:4] + "00"
        path = [names[province]] if province in names else []
        if city != province and city != code and names.get(city, _NOT_A_PLACE[0]) not in _NOT_A_PLACE:
            path.append(names[city])
        if code not in (province, city) or (code == city and code != province):
            path.append(name)
        found.setdefault(name, []).append(Division(code, name, tuple(path)))
    return found


def complete_region(region: list[str]) -> list[str]:
    """The full path (province, prefecture, county) of the most specific part of `region`.

    ['隆尧县'] → ['河北省', '邢台市', '隆尧县']; ['上海市', '普陀区'] → ['上海市', '普陀区'] (not 舟山市's 普陀区:
    the broader parts given choose among same-named places). A part the list does not know, or a name
    that stays ambiguous, leaves `region` as it was: a wrong place is worse than a short path.
    """
    if not region:
        return region
    candidates = divisions_by_name().get(region[-1], [])
    given = set(region[:-1])
    matching = [d for d in candidates if given <= set(d.path)]
    if len(matching) != 1:
        return region
    return list(matching[0].path)
