"""embed: every text the run needs, once per model."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd

from pipeline.agree import Coded
from pipeline.config import StudyConfig
from pipeline.embed import (
    ENGLISH_ONLY_MODELS,
    AutoEmbedder,
    Embedder,
    EmbedderError,
    english_pass,
    load_embedder,
    with_precision,
)
from pipeline.hierarchy import topic_texts
from pipeline.notices import Notice, notice
from pipeline.settings import top_level_params
from pipeline.small_talk_model import candidates, classifier_flags, definition_substance, load_examples
from pipeline.small_talk_vectors import set_aside_flagged, small_talk_flags, talk_examples
from pipeline.steps.run import Definitions, StudyRun
from pipeline.tagging import english_examples
from pipeline.text_vectors import TextVectors
from pipeline.theme_model import fit_sample
from pipeline.topic_vectors import distinct_lemmas, lemma_topic_vectors, statement_lemmas


def choose_embedder(run: StudyRun) -> tuple[Embedder, tuple[Notice, ...]]:
    """The study's embedder (`auto` picks one for the statements' languages, or keeps the previous wave's), and
    what the researcher should know about it."""
    embedder = run.embedder or load_embedder(run.config.embed.embedder)
    coded, previous = run.coded, run.previous
    if isinstance(embedder, AutoEmbedder):
        embedder = embedder.choose(coded["lang"].tolist(), previous.embedder if previous is not None else "")
    notices = []
    rerun = run.last_run is not None  # a re-run is matched by the statements it shares, whatever the model
    if previous is not None and previous.embedder and previous.embedder != embedder.name and not rerun:
        notices.append(notice("embed.other_wave_model", wave=previous.wave, previous=previous.embedder,
                              embedder=embedder.name))
    not_english = int((coded["lang"] != "en").sum())
    if embedder.name in ENGLISH_ONLY_MODELS and not_english:
        notices.append(notice("embed.english_only", embedder=embedder.name, other=not_english, total=len(coded)))
    return embedder, tuple(notices)


def example_texts(definitions: Definitions) -> list[str]:
    """Every definition example the tagger learns from: stages, polarity and frames."""
    return [text for label_set in (definitions.stages, definitions.polarity, *definitions.frames)
            for label in label_set.labels for text in label.examples]


def english_example_texts(definitions: Definitions) -> list[str]:
    """The English examples the English model's stage and polarity classifiers learn from."""
    return [text for label_set in (definitions.stages, definitions.polarity)
            for label in english_examples(label_set).labels for text in label.examples]


def coded_texts(hand_coded: Coded | None) -> list[str]:
    return hand_coded.rows["text"].tolist() if hand_coded is not None else []


def english_vectors(run: StudyRun, embedder: Embedder) -> tuple[TextVectors | None, tuple[str, ...]]:
    """[tag] english_model's vectors when the study has English statements and embeds them with another model;
    None (and why, when the model cannot be loaded) otherwise."""
    name = run.config.tag.english_model
    if not english_pass(name, embedder.name) or not (run.coded["lang"] == "en").any():
        return None, ()
    try:
        english = load_embedder(with_precision(name, run.config.embed.precision))
    except EmbedderError as err:
        return None, (f"English statements are tagged on {embedder.name}, not {name}: {err}",)
    return TextVectors(english, run.cache, run.config.embed.batch_size, run.mapper,
                       run.config.scale.partition_rows), ()


def without_small_talk(run: StudyRun, vectors: TextVectors, coded: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The segments and the statements to code, less the short interview statements [study] small_talk's second
    check takes for small talk: the classifier (pipeline/small_talk_model.py) or the nearest example
    (pipeline/small_talk_vectors.py); "words" leaves it to the word lists of the segment step."""
    mode = run.config.study.small_talk
    if mode == "words":
        return run.segments, coded
    label_sets = (run.definitions.stages, run.definitions.polarity)
    if mode == "words+classifier":
        examples = load_examples(substance=definition_substance(label_sets), study_dir=run.root)
        if candidates(coded, segments=run.segments).any():  # a survey-only study embeds none of them
            vectors.gather(examples.texts, partial(run.progress, "Embedding small-talk examples"))
        return set_aside_flagged(run.segments, coded, classifier_flags(coded, vectors, examples, run.segments))
    substance = [text for label_set in label_sets for label in label_set.labels for text in label.examples]
    talk = talk_examples()
    vectors.gather([*talk, *substance], partial(run.progress, "Embedding small-talk examples"))
    flags = small_talk_flags(coded, vectors(coded["text"]), vectors(talk), vectors(substance))
    return set_aside_flagged(run.segments, coded, flags)


@dataclass(frozen=True)
class TopicSource:
    """What the topic space embeds for the fit rows ([themes] topic_vectors): each statement's lemma phrase, or
    each distinct lemma once (`words`, then averaged per statement)."""

    texts: list[str]
    lemmas: list[list[str]] | None = None  # per statement, when the words are embedded

    @property
    def words(self) -> bool:
        return self.lemmas is not None

    def vectors(self, vectors: TextVectors, own: np.ndarray) -> np.ndarray:
        return lemma_topic_vectors(self.lemmas, vectors, own) if self.words else vectors(self.texts)


def topic_source(rows: pd.DataFrame, config: StudyConfig) -> TopicSource:
    if config.themes.topic_vectors == "words":
        lemmas = statement_lemmas(rows)  # each distinct content lemma once, not every statement's phrase (issue 14)
        return TopicSource(distinct_lemmas(lemmas), lemmas)
    return TopicSource(topic_texts(rows))


def embed_step(run: StudyRun) -> StudyRun:
    """Statements, the content lemmas of the rows the theme model is fitted on, questions, the definitions'
    examples and the coders' statements, each embedded once per model; English statements also on [tag]
    english_model (only those the tagger is unsure of when [tag] english_unsure < 1)."""
    embedder, notices = choose_embedder(run)
    coded, config = run.coded, run.config
    vectors = TextVectors(embedder, run.cache, config.embed.batch_size, run.mapper, config.scale.partition_rows)

    def report(label: str):
        return lambda done, total: run.progress(label, done, total)

    vectors.gather(coded["text"], report("Embedding statements"))
    segments, coded = without_small_talk(run, vectors, coded)  # issue 17: what the word lists missed
    fit_rows = fit_sample(coded, config.themes.fit_sample, config.themes.random_state)
    topics = topic_source(coded.iloc[fit_rows], config) if top_level_params(config).lemma_weight > 0 else None
    if topics is not None:
        vectors.gather(topics.texts, report("Embedding topic words" if topics.words else "Embedding topics"))
    questions = coded.loc[coded["question"] != "", "question"]
    vectors.gather([*questions, *example_texts(run.definitions), *coded_texts(run.hand_coded),
                    *(text for touchpoint in run.definitions.touchpoints for text in touchpoint.texts)],
                   report("Embedding questions and examples"))
    english, english_notices = english_vectors(run, embedder)
    if english is not None:  # with [tag] english_unsure < 1 the tag step embeds only the statements it is unsure of
        statements = coded.loc[coded["lang"] == "en", "text"] if config.tag.english_unsure >= 1 else []
        english.gather([*statements, *english_example_texts(run.definitions), *coded_texts(run.hand_coded)],
                       report(f"Embedding English statements ({english.name})"))
    statement_vectors = vectors(coded["text"])
    return replace(run, embedder=embedder, vectors=vectors, english=english, segments=segments, coded=coded,
                   statement_vectors=statement_vectors, fit_rows=fit_rows,
                   topic_vectors=None if topics is None else topics.vectors(vectors, statement_vectors[fit_rows]),
                   notices=run.say(*notices, *english_notices))
