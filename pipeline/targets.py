"""Targets: the customer experience the team aims at, measured. `[targets]` in teema.toml names NPS, CSAT and CES
values and a theme's or an issue's share of respondents, each with a date; the report opens with the current value
against each target and its trend over the waves, and the action table links each issue to its target.

    [targets]
    by = "2027-06"                  # the date of every target that gives none
    nps = 30                        # at least 30
    ces = { value = 5.5, by = "2027-12" }
    [targets.themes]
    T03 = 0.10                      # a theme's share of respondents: at most 10 % (a theme id or its label)
    [targets.issues]
    "T01-customership-failure" = { share = 0.05, by = "2027-03" }   # a failure: at most; a success: at least

Scores are "at least" and shares of failures and themes "at most" unless `direction = "at_least"` / `"at_most"`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.config import ConfigError

SCORES = ("nps", "csat", "ces")
AT_LEAST, AT_MOST = "at_least", "at_most"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|[QH]\d)?$")
_KEYS = {"value", "share", "by", "direction"}


@dataclass(frozen=True)
class Target:
    kind: str  # nps | csat | ces | theme | issue
    key: str  # the theme (id or label) or issue id; '' for a score
    value: float  # a score, or a share of respondents between 0 and 1
    by: str = ""  # the date it is for: 2027-06, 2027-06-30, 2027Q2
    direction: str = AT_LEAST

    @property
    def name(self) -> str:
        return self.kind.upper() if self.kind in SCORES else f"{self.kind} {self.key}"


def _number(value: Any, where: str, share: bool) -> float:
    if isinstance(value, str) and share and value.strip().endswith("%"):
        try:
            value = float(value.strip().rstrip("%").replace(",", ".")) / 100
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        hint = " (a share such as 0.10 or '10%')" if share else ""
        raise ConfigError(f"{where}: expected a number{hint}, got {value!r}")
    if share and not 0 <= value <= 1:
        raise ConfigError(f"{where}: a share of respondents is between 0 and 1 (0.10 = 10 %), got {value!r}")
    return float(value)


def _date(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise ConfigError(f"{where}: 'by' is a date such as \"2027-06\", \"2027-06-30\" or \"2027Q2\", got {value!r}")
    return value.strip()


def _one(kind: str, key: str, given: Any, default_by: str, where: str, default_direction: str) -> Target:
    share = kind in ("theme", "issue")
    if not isinstance(given, dict):
        return Target(kind, key, _number(given, where, share), default_by, default_direction)
    unknown = sorted(set(given) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (known: by, direction, share, value)")
    field_name = "share" if "share" in given or share else "value"
    if field_name not in given and "value" not in given:
        raise ConfigError(f"{where}: needs {'share' if share else 'value'} = ...")
    value = _number(given.get(field_name, given.get("value")), f"{where} {field_name}", share)
    direction = given.get("direction", default_direction)
    if direction not in (AT_LEAST, AT_MOST):
        raise ConfigError(f"{where}: direction must be at_least or at_most, got {direction!r}")
    return Target(kind, key, value, _date(given["by"], f"{where} by") if "by" in given else default_by, direction)


def parse_targets(table: dict[str, Any], source: str = "teema.toml") -> tuple[Target, ...]:
    """[targets] checked into Targets; ConfigError naming the file and key for anything else."""
    where = f"{source}: [targets]"
    known = {"by", "themes", "issues", *SCORES}
    for key in table:
        if key not in known:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(sorted(known))})")
    by = _date(table["by"], f"{where} by") if "by" in table else ""
    targets = [_one(kind, "", table[kind], by, f"{where} {kind}", AT_LEAST) for kind in SCORES if kind in table]
    for group, kind in (("themes", "theme"), ("issues", "issue")):
        entries = table.get(group, {})
        if not isinstance(entries, dict):
            raise ConfigError(f"{where} {group}: a table of {kind} = share, e.g. [targets.{group}] T03 = 0.10")
        for key, given in entries.items():
            default = AT_LEAST if kind == "issue" and str(key).endswith("-success") else AT_MOST
            targets.append(_one(kind, str(key), given, by, f"{where} {group}.{key}", default))
    return tuple(targets)


def _theme_id(key: str, themes: dict[str, dict]) -> str:
    """A theme given by id, or by its label (any case)."""
    if key in themes:
        return key
    wanted = " ".join(key.split()).casefold()
    return next((t for t, v in themes.items() if " ".join(str(v.get("label", "")).split()).casefold() == wanted), key)


def measured(target: Target, measures: dict) -> tuple[float | None, str]:
    """(the value a wave's measures give for the target, what it is called there); None when not measured."""
    if target.kind in SCORES:
        return (measures.get("scores") or {}).get(target.kind), target.kind.upper()
    total = measures.get("respondents") or 0
    if target.kind == "theme":
        themes = measures.get("themes") or {}
        theme_id = _theme_id(target.key, themes)
        found = themes.get(theme_id)
        label = f"{theme_id} {found['label']}" if found else target.key
        return (found["respondents"] / total if found and total else (0.0 if total else None)), label
    found = (measures.get("issues") or {}).get(target.key)
    return (found["respondents"] / total if found and total else (0.0 if total else None)), target.key


def evaluate_targets(targets: tuple[Target, ...], current: dict, earlier: list[dict]) -> pd.DataFrame:
    """One row per target: now, the target, met or not and the gap, and the value in every wave (oldest first)."""
    rows = []
    for target in targets:
        now, label = measured(target, current)
        history = [(m["wave"], measured(target, m)[0]) for m in earlier] + [(current.get("wave", ""), now)]
        met = None if now is None else (now >= target.value if target.direction == AT_LEAST else now <= target.value)
        rows.append({
            "target": target.name, "kind": target.kind, "key": target.key, "label": label, "current": now,
            "value": target.value, "direction": target.direction, "by": target.by, "met": met,
            "gap": None if now is None else round(target.value - now, 4),
            "trend": [(wave, value) for wave, value in history if value is not None],
        })
    return pd.DataFrame(rows, columns=["target", "kind", "key", "label", "current", "value", "direction", "by", "met",
                                       "gap", "trend"])


def issue_target(issue_id: str, theme_id: str, targets: tuple[Target, ...], themes: dict[str, dict]) -> Target | None:
    """The target an issue works toward: its own, else its theme's."""
    own = next((t for t in targets if t.kind == "issue" and t.key == issue_id), None)
    return own or next((t for t in targets if t.kind == "theme" and _theme_id(t.key, themes) == theme_id), None)
