import pytest

from pipeline.corpus.continuation import MAX_UNIT_WORDS, joins_previous, refers_back
from pipeline.corpus.segment import segment_turns, split_statements
from tests.corpus.test_segment import _turns


@pytest.mark.parametrize("sentence", [
    "Sitä ei ole.",
    "Ei toiminut, ja siitä on nyt kulunut kahdeksan kuukautta.",
    "Lopulta siitä tuli erillinen maksullinen projekti.",
    "Tämä pitäisi saada kuntoon pian.",
    "Toivottavasti tähän tulee parannus.",
    "Odotimme sitä viisi kuukautta.",
    "Mutta sekään ei auttanut mitään.",
    "Eikä toimi vieläkään kunnolla.",
])
def test_finnish_sentences_that_point_back(sentence):
    assert refers_back(sentence, "fi")


@pytest.mark.parametrize("sentence", [
    "Se koulutus oli tosi hyvä ja asentajat oppivat nopeasti.",  # spoken Finnish's article: its own topic
    "Tämä järjestelmä on helppokäyttöinen kaikille asentajille.",
    "Laskuissa on ollut virheitä jo kolme kertaa.",
    "Ei mitään valittamista koulutuksesta.",
    "Ne vastaavat tukipyyntöihin aina samana päivänä.",  # plural: mostly the vendor
    "Sen sijaan koulutus oli erinomainen ja selkeä.",  # a pointer that opens a new point
    "Ei ollut mitään ongelmia asennuksessa.",  # there was nothing: no subject left out
    "2) Se on myös hidas käyttää.",  # a list's next item
])
def test_finnish_sentences_that_name_their_own_topic(sentence):
    assert not refers_back(sentence, "fi")


@pytest.mark.parametrize("sentence", [
    "It ended up being November.",
    "It's still on the roadmap eight months later.",
    "That was in the project plan attached to the contract.",
    "But it took four months before the credit note came.",
    "In the end it took five weeks to get a price.",
    "Hope they fix it soon.",
])
def test_english_sentences_that_point_back(sentence):
    assert refers_back(sentence, "en")


@pytest.mark.parametrize("sentence", [
    "This app is easy to use for everyone.",
    "Those videos are still in our intranet.",
    "The invoices were wrong twice this year.",
    "They answer support tickets within a day.",
    "It would be great to have an offline mode in the app.",  # "it" pointing at nothing: a new point
    "It is hard to say what went wrong.",
    "It depends on the day.",
    "IT support never answered the tickets we sent.",  # the acronym
])
def test_english_sentences_that_name_their_own_topic(sentence):
    assert not refers_back(sentence, "en")


def test_other_languages_are_never_joined():
    assert not refers_back("Ce n'était pas prêt.", "fr")


def test_a_promise_and_what_became_of_it_are_one_statement():
    assert split_statements("Myyjä kehui, että SAP-liittymä on vakio-ominaisuus. Lopulta siitä tuli erillinen "
                            "maksullinen projekti. Koulutus oli sen sijaan erinomainen.", "fi") == [
        "Myyjä kehui, että SAP-liittymä on vakio-ominaisuus. Lopulta siitä tuli erillinen maksullinen projekti.",
        "Koulutus oli sen sijaan erinomainen.",
    ]
    assert split_statements("We were told go-live would be in August. It ended up being November. "
                            "The training was excellent though.", "en") == [
        "We were told go-live would be in August. It ended up being November.",
        "The training was excellent though.",
    ]


def test_a_chain_stops_growing_at_the_unit_limit():
    long = " ".join(["word"] * (MAX_UNIT_WORDS - 3))
    assert not joins_previous(long, "It ended up being November.", "en")
    assert joins_previous("We were told go-live would be in August.", "It ended up being November.", "en")


def test_sentences_of_different_turns_are_never_joined():
    turns = _turns([
        {"text": "Meille luvattiin integraatio kirjanpitoon.", "line": 1, "respondent_id": "R1"},
        {"text": "Sitä ei ole vieläkään tullut meille käyttöön.", "line": 2, "respondent_id": "R2"},
    ])
    segments = segment_turns(turns, wave="w1", language="fi")
    assert segments["text"].tolist() == ["Meille luvattiin integraatio kirjanpitoon.",
                                         "Sitä ei ole vieläkään tullut meille käyttöön."]
