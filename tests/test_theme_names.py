import numpy as np

from pipeline.theme_names import candidate, theme_name, tidy


def test_tidy_takes_off_fillers_and_the_full_stop():
    assert tidy("No, laskut on aina väärin.", "fi") == "Laskut on aina väärin"
    assert tidy("And the invoices are wrong.", "en") == "The invoices are wrong"
    assert tidy("well, so the support is slow...", "en") == "The support is slow"


def test_candidates_are_short_single_statements_without_names():
    assert candidate("Laskuissa on virheitä joka kuukausi.")
    assert not candidate("Lasku.")  # too short
    assert not candidate("Why are the invoices always wrong?")
    assert not candidate("Our trainer Sanna was great with everyone.")  # names a person
    assert not candidate("Invoices are wrong. Support is slow too.")
    assert not candidate("The [NAME] invoice was wrong again.")
    assert not candidate("Meidän vuoden sopimus olis päättyny elokuussa 2025.")  # one customer's story
    assert not candidate("We waited 6 weeks for a credit note.")
    assert not candidate(" ".join(["word"] * 12))


def test_the_name_is_the_central_short_phrase_that_says_the_keywords():
    texts = ["Laskuissa on virheitä joka kuukausi.", "Meitä laskutettiin kahdesti samasta lisenssistä ja kukaan ei "
             "osannut kertoa miksi niin kävi.", "Hyvä kysymys.", "Invoices are wrong."]
    langs = ["fi", "fi", "fi", "en"]
    points = np.array([[1.0, 0.0], [0.95, 0.3], [0.2, 0.98], [0.9, 0.1]])
    keywords = [("lasku", "fi"), ("virhe", "fi"), ("invoice", "en")]
    name = theme_name(texts, langs, points, np.array([1.0, 0.0]), keywords, "fi", "lasku · virhe")
    assert name == "Laskuissa on virheitä joka kuukausi"


def test_no_phrase_keeps_the_keywords():
    name = theme_name(["Hm."], ["fi"], np.array([[1.0, 0.0]]), np.array([1.0, 0.0]), [("lasku", "fi")], "fi",
                      "lasku · virhe")
    assert name == "lasku · virhe"


def test_advice_and_requests_do_not_head_a_theme():
    from pipeline.imperative import is_imperative

    for text in ["Tarkista laskut jokainen kuukausi sopimusta vasten", "Korjatkaa laskutus", "Älkää uskoko myyjää"]:
        assert is_imperative(text, "fi"), text
    for text in ["Laskut ovat jatkuvasti väärin", "Tuki vastaa hitaasti", "Käyttöönotto oli ihan tavanomainen"]:
        assert not is_imperative(text, "fi"), text
    for text in ["Check your invoices every month", "Please fix the app", "Stop billing us for cancelled licences",
                 "Don't trust the sales rep", "Do not trust the sales team"]:
        assert is_imperative(text, "en"), text
    for text in ["Support is painfully slow", "Call waiting times are long", "Sync fails in basements",
                 "Love the new design"]:
        assert not is_imperative(text, "en"), text
    texts = ["Tarkista laskut jokainen kuukausi.", "Laskuissa on virheitä usein."]
    points = np.array([[1.0, 0.0], [0.9, 0.1]])
    name = theme_name(texts, ["fi", "fi"], points, np.array([1.0, 0.0]), [("lasku", "fi")], "fi", "lasku")
    assert name == "Laskuissa on virheitä usein"  # the advice is nearer the centre, the finding heads the theme
