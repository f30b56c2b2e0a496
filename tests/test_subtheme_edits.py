from pipeline.codebook import read_codebook
from pipeline.corpus.language import detect_language
from pipeline.embed import embed_texts
from pipeline.subtheme_edits import apply_subtheme_edits, is_subtheme_id, split_levels

CREDIT = ["Hyvityslasku kesti neljä kuukautta.", "The credit note took four months.", "Hyvitystä odotettiin kauan."]
WRONG = ["Lasku oli taas väärin.", "The invoice was wrong again.", "Laskun summa oli väärä."]
SUPPORT = ["Tukeen ei saa yhteyttä.", "Support never calls back.", "Tuen jonossa menee puoli tuntia."]


def test_a_subtheme_is_renamed_and_moved_into_another_theme(embedder, tmp_path):
    book = tmp_path / "codebook.csv"
    book.write_text("theme_id,label,example,rename_to,merge_into,stage\n"
                    "T01,lasku,,Laskut,,\n"
                    f"t01.2,hyvitys,{CREDIT[0]},Hyvityslaskut,T02,\n"
                    f"T01.1,väärin,{WRONG[0]},,,customership\n"
                    "T09.9,ei ole,,Jotain,,\n", encoding="utf-8")
    themes_book, subthemes_book = split_levels(read_codebook(book))
    assert [e.theme_id for e in themes_book.edits] == ["T01"]
    assert [e.theme_id for e in subthemes_book.edits] == ["T01.2", "T01.1", "T09.9"]
    texts = WRONG + CREDIT + SUPPORT
    theme_ids = ["T01"] * 6 + ["T02"] * 3
    subtheme_ids = ["T01.1"] * 3 + ["T01.2"] * 3 + ["T02.1"] * 3
    edits = apply_subtheme_edits(subthemes_book, theme_ids, subtheme_ids, embed_texts(texts, embedder),
                                 [detect_language(t) for t in texts], lambda batch: embed_texts(list(batch), embedder))
    assert edits.theme_ids == ["T01"] * 3 + ["T02"] * 6  # the credit-note sub-theme now counts in T02
    assert edits.subtheme_ids == ["T01.1"] * 3 + ["T02.2"] * 3 + ["T02.1"] * 3
    assert edits.labels == {"T02.2": "Hyvityslaskut"} and edits.moved
    assert any("moved in from T01" in note for note in edits.notes["T02"])
    assert any("T01.1" in str(s) and "pins" in str(s) for s in edits.stale)  # a pin goes on the theme's row
    assert any("T09.9" in str(s) and "no sub-theme" in str(s) for s in edits.stale)


def test_subtheme_ids():
    assert is_subtheme_id("T03.2") and is_subtheme_id("T03a.1")
    assert not is_subtheme_id("T03") and not is_subtheme_id("T03a")
