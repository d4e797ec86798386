"""What changed between two versions of a plan: pure comparison of flattened states.

A *state* maps a stable key to the fields shown for it. Nodes are keyed by their path from the
top (kind and code, or kind and name when there is no code) plus the OPD, so a revision that only
renumbers the database rows shows no change; indicators are keyed under their node by name.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    kind: str  # "tambah" | "hapus" | "ubah"
    fields: tuple[tuple[str, str, str], ...] = ()  # (field, old, new)


def diff_documents(
    old: Mapping[str, Mapping[str, str]], new: Mapping[str, Mapping[str, str]]
) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        label = (after or before or {}).get("_label", key)
        if before is None:
            changes.append(Change(key, label, "tambah"))
        elif after is None:
            changes.append(Change(key, label, "hapus"))
        else:
            fields = tuple(
                (name, before.get(name, ""), after.get(name, ""))
                for name in sorted((set(before) | set(after)) - {"_label"})
                if before.get(name, "") != after.get(name, "")
            )
            if fields:
                changes.append(Change(key, label, "ubah", fields))
    return changes
