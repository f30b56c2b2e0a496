"""One loaded spaCy pipeline per language, each caller running only its components: the same tokens as a pipeline
loaded without the others (as each caller loaded its own before, issue 14)."""

import pytest
import spacy

from pipeline.corpus.continuation import _PARSER_ONLY
from pipeline.imperative import _TAGGER_ONLY
from pipeline.privacy.names import load_ner
from pipeline.spacy_models import MODELS, load_pipeline, shared_pipeline

SENTENCES = {
    "fi": ["Se koulutus oli tosi hyvä, ja Sanna Virtanen vastasi aina nopeasti.",
           "Lasku tuli Tampereelta kahteen kertaan, eikä sitä korjattu.", "Korjatkaa laskutus."],
    "en": ["Fix the invoicing before March.", "Jari Mäkinen from Lumivaara called us back in Helsinki.",
           "Love the new design, but the app crashed twice."],
}


def _alone(lang: str, exclude: list[str]):
    try:
        return spacy.load(MODELS[lang], exclude=exclude)
    except OSError:
        pytest.skip(f"{MODELS[lang]} is not installed")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_each_callers_view_reads_as_its_own_pipeline_would(lang):
    parser = _alone(lang, [*_PARSER_ONLY, "lemmatizer"])
    tagger = _alone(lang, [*_TAGGER_ONLY, "lemmatizer"])
    ner = _alone(lang, ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"])
    for sentence in SENTENCES[lang]:
        assert [t.dep_ for t in load_pipeline(lang, _PARSER_ONLY)(sentence)] == [t.dep_ for t in parser(sentence)]
        mine, theirs = load_pipeline(lang, _TAGGER_ONLY)(sentence), tagger(sentence)
        assert [(t.tag_, str(t.morph), t.pos_) for t in mine] == [(t.tag_, str(t.morph), t.pos_) for t in theirs]
        found = [(e.text, e.label_) for doc in load_ner(lang).pipe([sentence]) for e in doc.ents]
        assert found == [(e.text, e.label_) for e in ner(sentence).ents]


def test_the_package_is_loaded_once_and_a_view_runs_only_its_components():
    if shared_pipeline("fi") is None:
        pytest.skip("the Finnish pipeline is not installed")
    assert load_pipeline("fi", _PARSER_ONLY).nlp is load_ner("fi").nlp is shared_pipeline("fi")
    assert load_ner("fi").pipe_names == ["ner"]
    assert "parser" in load_pipeline("fi", _PARSER_ONLY).pipe_names
    assert "parser" not in load_pipeline("fi", _TAGGER_ONLY).pipe_names
    assert load_pipeline("sv", ()) is None
