"""The polar-word lexicon: negation, contrast and Finnish morphology decide the sign, and weight 0 changes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.config import DEFAULT_MODELS_DIR, TagSection
from pipeline.embed import embed_texts
from pipeline.polarity_lexicon import (
    DEFAULT_LEXICON,
    PolarityLexicon,
    lexicon_scores,
    load_polarity_lexicon,
    statement_valence,
    with_lexicon,
)
from pipeline.tagging import TagParams, fit_label_classifier, load_label_set, tag_statements

IDS = ["success", "failure", "neutral"]


@pytest.mark.parametrize("text, lang", [
    ("Ei ollut mitään ongelmia.", "fi"),        # a negated problem is good news
    ("Nopeeta ja kivutonta.", "fi"),            # spoken form, matched by its stem
    ("Asiakaspalvelu oli tosi ystävällistä.", "fi"),
    ("Ei jonoja, ei paperisotaa.", "fi"),
    ("Tekninen tuki korjasi vian samana päivänä.", "fi"),  # a fixing verb turns the fault it fixed
    ("Hinta on vähän kallis, mutta palvelu on loistavaa.", "fi"),  # the clause after "mutta" counts more
    ("Not bad at all.", "en"),
    ("I never had a single problem with them.", "en"),
    ("The app crashed once, but support fixed it quickly.", "en"),
    ("They sorted out the billing mix-up in one call.", "en"),
])
def test_positive_statements(text: str, lang: str) -> None:
    assert statement_valence(text, lang) > 0


@pytest.mark.parametrize("text, lang", [
    ("Tuki ei vastaa.", "fi"),                  # a negated neutral verb listed under when_negated
    ("Sovellus ei toimi kunnolla.", "fi"),
    ("Laskutusvirhe taas.", "fi"),              # a compound counts as its last part
    ("Palvelu oli hyvin hidasta.", "fi"),       # "hyvin" intensifies here rather than praises
    ("Myyjä oli mukava, mutta toimitus myöhästyi kaksi viikkoa.", "fi"),
    ("Vikaa ei ole vieläkään korjattu.", "fi"),  # a negated fixing verb leaves the fault negative
    ("Not good.", "en"),
    ("The staff were nice but the app kept crashing.", "en"),
    ("It didn't work and nobody called me back.", "en"),
    ("They never fixed the problem.", "en"),
])
def test_negative_statements(text: str, lang: str) -> None:
    assert statement_valence(text, lang) < 0


@pytest.mark.parametrize("text, lang", [
    ("Soitin asiakaspalveluun laskusta.", "fi"),
    ("We moved to the new office in March.", "en"),
    ("", "en"),
])
def test_statements_without_polar_words_score_zero(text: str, lang: str) -> None:
    assert statement_valence(text, lang) == 0


@pytest.mark.parametrize("text, sign", [
    ("Yhteys on ollut katkoton koko vuoden.", 1),     # caritive of a bad base ("katko*") is good
    ("Toimitus tuli viiveettä.", 1),                   # abessive of a bad base
    ("Laskut ovat tulleet virheettä.", 1),             # simplemma's lemma "virhe" must not win
    ("Asennus meni läpi häiriöittä.", 1),              # plural abessive
    ("Pääsin sisään jonottamatta.", 1),                # a verb's abessive reads as the verb negated
    ("Laite on täysin toimimaton.", -1),               # "-mAtOn" of a verb that is bad when negated
    ("Viestini jäi vastaamatta.", -1),
    ("Vika on yhä korjaamaton.", -1),
    ("Myyjä oli epäpätevä.", -1),                      # "epä-" turns a good word bad, not its compound tail
    ("Ohjeet olivat epäselkeät.", -1),
    ("Työ tehtiin huolimattomasti.", -1),              # a longer listed stem names the word itself
    ("Joulun alla oli kiirettä.", -1),                 # a partitive, not the abessive "kiireettä"
    ("Laskut on aina pielessä.", -1),                  # "pielessä" as well as "pieleen"
])
def test_finnish_words_that_say_their_base_is_absent(text: str, sign: int) -> None:
    assert sign * statement_valence(text, "fi") > 0


def test_caritive_turns_the_base_it_lacks(tmp_path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('[fi.words]\n"toivo" = 1.0\n"vaiva" = -1.0\n[en.words]\n"good" = 1.0\n', encoding="utf-8")
    lexicon = load_polarity_lexicon(path)
    assert statement_valence("Tilanne on toivoton.", "fi", lexicon) < 0          # a good base lacking: bad
    assert statement_valence("Palvelu on toivottoman hidas.", "fi", lexicon) < 0
    assert statement_valence("Kaikki sujui vaivatta.", "fi", lexicon) > 0        # a bad base lacking: good
    assert statement_valence("Rekisteröinti oli vaivaton.", "fi", lexicon) > 0
    assert statement_valence("Toivo on tärkeää.", "fi", lexicon) > 0             # the base itself is unchanged


def test_a_credit_is_no_success_by_itself() -> None:
    assert statement_valence("Hyvityksen saaminen kesti kaksi kuukautta.", "fi") <= 0
    assert statement_valence("Meille hyvitettiin koko summa.", "fi") > 0  # being credited is


def test_postposition_despite_is_not_a_worry() -> None:
    assert statement_valence("Soitin sateesta huolimatta.", "fi") == 0


def test_scores_follow_each_statements_language_and_stay_in_range() -> None:
    scores = lexicon_scores(["Surkeaa palvelua.", "Great service!", "Hyvä."], ["fi", "en", "xx"])
    assert scores.shape == (3,) and scores[0] < 0 < scores[1]
    assert np.all(np.abs(scores) < 1)


def test_bundled_lexicon_has_hundreds_of_entries_and_a_source() -> None:
    lexicon = load_polarity_lexicon(DEFAULT_LEXICON)
    assert isinstance(lexicon, PolarityLexicon) and "teema" in lexicon.source
    for lang in ("fi", "en"):
        lex = lexicon.languages[lang]
        assert len(lex.words) + len(lex.stems) + len(lex.when_negated) >= 300
        assert lex.negators and lex.contrast and lex.intensifiers


def test_with_lexicon_tilts_success_and_failure_only_when_on() -> None:
    probs = np.array([[0.3, 0.3, 0.4], [0.3, 0.3, 0.4], [0.3, 0.3, 0.4]])
    valence = np.array([0.6, -0.6, 0.0])
    tilted = with_lexicon(probs, valence, IDS, weight=2.0)
    assert tilted[0, 0] > tilted[0, 1] and tilted[1, 1] > tilted[1, 0]
    np.testing.assert_allclose(tilted[2], probs[2])  # no polar word, no change
    np.testing.assert_allclose(tilted.sum(axis=1), 1.0)
    np.testing.assert_allclose(with_lexicon(probs, valence, IDS, weight=0.0), probs)
    np.testing.assert_allclose(with_lexicon(probs, valence, ["good", "bad", "meh"], 2.0), probs)


def test_weight_zero_leaves_tagging_unchanged_and_a_weight_moves_polarity(embedder) -> None:
    stages = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
    polarity = load_label_set(DEFAULT_MODELS_DIR / "polarity.toml", "polarity")
    embed = lambda texts: embed_texts(list(texts), embedder)  # noqa: E731
    models = (stages, fit_label_classifier(stages, embed)), (polarity, fit_label_classifier(polarity, embed))
    texts, langs = ["Ei ollut mitään ongelmia.", "Tuki ei vastaa."], ["fi", "fi"]
    vectors = embed(texts)
    args = (vectors, np.zeros((0, vectors.shape[1])), np.array([False, False]), ["", ""], *models)
    plain = tag_statements(*args, TagParams())
    off = tag_statements(*args, TagParams(lexicon_weight=0.0), texts=texts, langs=langs)
    assert off.equals(plain)
    on = tag_statements(*args, TagParams(lexicon_weight=TagSection().lexicon_weight or 3.0), texts=texts, langs=langs)
    success = polarity.ids.index("success")
    scores = [[float(part.split("=")[1]) for part in row.split()] for row in on["polarity_scores"]]
    base = [[float(part.split("=")[1]) for part in row.split()] for row in plain["polarity_scores"]]
    assert scores[0][success] > base[0][success] and scores[1][success] < base[1][success]


def test_stems_are_found_by_prefix_as_the_whole_list_would_find_them():
    # The stem lookup reads prefixes of the stems' lengths instead of comparing every stem (issue 14): the longest
    # stem wins, of two of one length the one listed first, and a compound's tail takes a stem of 5+ letters.
    from pipeline.polarity_lexicon import _compound_stem, _language, _matching_stem

    lex = _language({"words": {"hidas*": -1.0, "hida*": -0.5, "sotku*": -2.0, "hyvä*": 1.0, "ok*": 0.3}},
                    compounds=True, scope=3, negation_factor=-0.75)

    def whole_list(word: str, base: str):
        return next(((stem, value) for stem, value in lex.stems if word.startswith(stem) or base.startswith(stem)),
                    None)

    for word, base in [("hitaus", "hidas"), ("hidastelu", "hidastelu"), ("hidaste", "hida"), ("sotkun", "sotku"),
                       ("okei", "okei"), ("talo", "talo"), ("hyväksyä", "hyväksyä"), ("hyväx", "hidax"), ("", "")]:
        assert _matching_stem(lex, word, base) == whole_list(word, base)
    assert _compound_stem(lex, "sotkun") == -2.0  # "suoramaksu|sotkun"
    assert _compound_stem(lex, "sotkuisuudesta") is None  # more than 4 letters after the stem
    assert _compound_stem(lex, "okei") is None  # a stem under 5 letters is no compound part
