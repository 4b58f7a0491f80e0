"""Pagefind's output read for comparison: two runs over the same pages differ in a few files only.

Pagefind 1.x writes each filter (department, year, kind …) as a map whose values it iterates in hash
order, which changes from run to run: filter/<lang>_<hash>.pf_filter then holds the same values in
another order and so gets another name (a hash of its bytes), which the index's meta file
(pagefind.<lang>_<hash>.pf_meta) lists, whose name pagefind-entry.json holds. Every other file (index
chunks, fragments, the UI scripts) is the same byte for byte. `canonical_bundle` decodes those three
kinds of file (gzip, then CBOR) and puts the filter values in order, so two runs compare equal exactly
when they index the same pages the same way.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def decode_cbor(data: bytes) -> Any:
    """The one CBOR item in `data` (the subset Pagefind writes: integers, strings, arrays, maps)."""
    value, end = _item(data, 0)
    assert end == len(data), "trailing bytes after the CBOR item"
    return value


def _item(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 2:
        return data[at : at + argument], at + argument
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (2 if major == 5 else 1)):
            item, at = _item(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    raise AssertionError(f"CBOR major type {major} is not one Pagefind writes")


def decode_pagefind(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE), f"{path} is not a Pagefind data file"
    return decode_cbor(data[len(SIGNATURE) :])


def canonical_filter(path: Path) -> Any:
    """[filter name, [[value, page numbers] …]] with the values sorted (Pagefind writes them in hash order)."""
    name, values = decode_pagefind(path)
    return [name, sorted(values, key=repr)]


def canonical_bundle(folder: Path) -> dict[str, Any]:
    """Relative path → bytes for every file of a Pagefind bundle, but the filters, the meta file and
    pagefind-entry.json, which are decoded and keyed by what they hold instead of their hashed names."""
    files: dict[str, Any] = {}
    filters = {p.stem: canonical_filter(p) for p in (folder / "filter").glob("*.pf_filter")}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if path.suffix == ".pf_filter":
            continue  # compared through the meta file that lists them
        if path.suffix == ".pf_meta":
            # [version, pages, index chunks, filters, …]: the filters are [name, file hash] pairs, in
            # hash order too: each is replaced by the content of the file it names.
            meta = decode_pagefind(path)
            assert sorted(stem for _, stem in meta[3]) == sorted(filters), f"{folder}: filters not listed"
            meta[3] = sorted(([name, filters[stem]] for name, stem in meta[3]), key=repr)
            files["<meta>"] = meta
        elif path.name == "pagefind-entry.json":
            entry = json.loads(path.read_text(encoding="utf-8"))
            for language in entry["languages"].values():
                language.pop("hash")  # the meta file's name
            files[relative] = entry
        else:
            files[relative] = path.read_bytes()
    return files
