from pipeline.keywords import content_lemmas, ctfidf_keywords, distinct_words, label_from_keywords


def test_lemmas_drop_stop_words_in_both_languages():
    assert content_lemmas("Laskut ovat olleet meille aina väärin", "fi") == ["lasku", "väärin"]
    assert content_lemmas("I'm sure the invoices were wrong", "en") == ["invoice", "wrong"]


def test_ctfidf_prefers_words_specific_to_a_group():
    texts = ["lasku väärin", "laskut väärin taas", "tuki hidas", "tuki hidas aina", "lasku hidas"]
    keywords = ctfidf_keywords(texts, ["fi"] * 5, ["a", "a", "b", "b", "a"])
    assert keywords["a"][0] == ("lasku", "fi")
    assert keywords["b"][0] == ("tuki", "fi")


def test_addresses_are_not_keywords():
    text = "Kirjoitin osoitteeseen anna.korhonen@example.com ja katsoin ohjeen sivulta https://tuki.example.fi/ohje"
    lemmas = content_lemmas(text, "fi")
    assert "osoite" in lemmas and "katsoa" in lemmas
    assert lemmas.count("ohje") == 1 and not {"anna", "korhonen", "example", "com", "https", "tuki"} & set(lemmas)


def test_a_word_said_in_both_languages_is_one_keyword():
    terms = [("demo", "en"), ("demo", "fi"), ("hyvä", "fi"), ("good", "en")]
    assert distinct_words(terms, 8) == ["demo", "hyvä", "good"]
    assert label_from_keywords(terms, "fi") == "demo · hyvä"  # a shared word still counts as the theme's own


def test_label_uses_the_theme_language():
    terms = [("invoice", "en"), ("lasku", "fi"), ("wrong", "en"), ("väärä", "fi")]
    assert label_from_keywords(terms, "fi") == "lasku · väärä"
    assert label_from_keywords([], "fi") == "(no keywords)"
