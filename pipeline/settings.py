"""Each step's parameters from its teema.toml section: the one place where a setting becomes a parameter.

`teema themes`, `teema agree`, the benchmarks and a library caller all build their parameters here, so the
tagger a benchmark measures is the tagger a study runs, and a default lives in one place (pipeline.config).
"""

from __future__ import annotations

from pipeline.config import StudyConfig, TagSection, ThemesSection
from pipeline.embed import umap_neighbours_for
from pipeline.hierarchy import TopLevelParams
from pipeline.tagging import TagParams
from pipeline.themes import ThemeParams


def theme_params(section: ThemesSection, embedder: str = "") -> ThemeParams:
    """The fine clusters' parameters; UMAP's neighbours follow the embedder when [themes] neighbours is 0."""
    return ThemeParams(min_size=section.min_size, min_samples=section.min_samples, dimensions=section.dimensions,
                       neighbours=section.neighbours or umap_neighbours_for(embedder),
                       outlier_neighbours=section.outlier_neighbours,
                       outlier_agreement=section.outlier_agreement,
                       merge_threshold=section.merge_threshold, lexical_weight=section.lexical_weight,
                       random_state=section.random_state, max_share=section.max_share)


def top_level_params(config: StudyConfig) -> TopLevelParams:
    """The broad themes' parameters from [themes]."""
    t = config.themes
    return TopLevelParams(top_level=t.top_level, max_themes=t.max_themes, lemma_weight=t.topic_weight,
                          method=t.top_method, graph_neighbours=t.top_neighbours, resolution=t.top_resolution,
                          random_state=t.random_state)


def tag_params(section: TagSection) -> TagParams:
    """Stage and polarity tagging's parameters from [tag]."""
    return TagParams(section.stage_threshold, section.polarity_threshold, section.context_weight,
                     nps_weight=section.nps_weight, lexicon_weight=section.lexicon_weight,
                     polarity_theme_weight=section.polarity_theme_weight,
                     stage_override=section.stage_override,
                     english_unsure=section.english_unsure, stage_subtheme_weight=section.stage_subtheme_weight)
