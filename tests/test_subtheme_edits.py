import numpy as np

from pipeline.codebook import read_codebook
from pipeline.config import DEFAULT_MODELS_DIR
from pipeline.corpus.language import detect_language
from pipeline.embed import embed_texts
from pipeline.subtheme_edits import apply_subtheme_edits, is_subtheme_id, split_levels
from pipeline.tagging import load_label_set

STAGES = load_label_set(DEFAULT_MODELS_DIR / "stages.toml", "stage")
POLARITY = load_label_set(DEFAULT_MODELS_DIR / "polarity.toml", "polarity")

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
                                 [detect_language(t) for t in texts], lambda batch: embed_texts(list(batch), embedder),
                                 stages=STAGES, polarity=POLARITY)
    assert edits.theme_ids == ["T01"] * 3 + ["T02"] * 6  # the credit-note sub-theme now counts in T02
    assert edits.subtheme_ids == ["T01.1"] * 3 + ["T02.2"] * 3 + ["T02.1"] * 3
    assert edits.labels == {"T02.2": "Hyvityslaskut"} and edits.moved
    assert any("moved in from T01" in note for note in edits.notes["T02"])
    assert edits.stage_pins == {"T01.1": "customership"}  # a sub-theme's own pin
    assert any("T09.9" in str(s) and "no sub-theme" in str(s) for s in edits.stale)


def test_subtheme_ids():
    assert is_subtheme_id("T03.2") and is_subtheme_id("T03a.1")
    assert not is_subtheme_id("T03") and not is_subtheme_id("T03a")


def _apply(book, embedder, texts, theme_ids, subtheme_ids):
    return apply_subtheme_edits(split_levels(read_codebook(book))[1], theme_ids, subtheme_ids,
                                embed_texts(texts, embedder), [detect_language(t) for t in texts],
                                lambda batch: embed_texts(list(batch), embedder), stages=STAGES, polarity=POLARITY)


def test_a_subtheme_is_pinned_and_set_aside_and_a_bad_pin_is_named(embedder, tmp_path):
    book = tmp_path / "codebook.csv"
    book.write_text("theme_id,label,example,stage,polarity,not_relevant\n"
                    f"T01.1,väärin,{WRONG[0]},Asiakkuus,failure,\n"
                    f"T01.2,hyvitys,{CREDIT[0]},,,x\n"
                    f"T02.1,tuki,{SUPPORT[0]},somewhere,,\n", encoding="utf-8")
    edits = _apply(book, embedder, WRONG + CREDIT + SUPPORT, ["T01"] * 6 + ["T02"] * 3,
                   ["T01.1"] * 3 + ["T01.2"] * 3 + ["T02.1"] * 3)
    assert edits.stage_pins == {"T01.1": "customership"}  # the Finnish stage name is understood
    assert edits.polarity_pins == {"T01.1": "failure"}
    assert edits.not_relevant == {"T01.2"}
    assert any("not relevant" in n for n in edits.notes["T01"])
    bad = [str(s) for s in edits.stale]
    assert any("codebook.csv:4" in s and "somewhere" in s for s in bad), bad  # file, line and the value


def test_a_subtheme_split_takes_only_what_its_examples_speak_of(embedder, tmp_path):
    """A data sub-theme split into "missing data" and "duplicates" (the theme-level split's statements,
    tests/test_codebook.py): the slow-tool statements, close to neither part's examples, stay in the sub-theme;
    the parts are new sub-themes of the same theme, named on their split rows."""
    from tests.test_codebook import COFFEE, DELIVERY, DUPLICATES, INVOICE, MISSING, SLOW_TOOL, SUPPORT

    book = tmp_path / "codebook.csv"
    book.write_text("theme_id,label,split_examples,rename_to\n"
                    "T04.1,data,Data is missing from the report.|Tiedoista puuttuu kenttiä.,Missing data\n"
                    "T04.1,data,There are duplicate records.|Samat rivit ovat kahteen kertaan.,Duplicates\n",
                    encoding="utf-8")
    sub = MISSING + DUPLICATES + SLOW_TOOL
    others = INVOICE + SUPPORT + COFFEE + DELIVERY
    edits = _apply(book, embedder, sub + others, ["T04"] * len(sub) + ["T01"] * len(others),
                   ["T04.1"] * len(sub) + ["T01.1"] * len(others))
    assert edits.split == {"T04.1": ["T04.2", "T04.3"]}
    final = edits.subtheme_ids
    assert final[:6].count("T04.2") >= 4 and final[6:12].count("T04.3") >= 4
    assert final[12:18].count("T04.1") >= 4  # not forced into a part
    assert edits.labels == {"T04.2": "Missing data", "T04.3": "Duplicates"}
    assert set(edits.theme_ids[:len(sub)]) == {"T04"}  # a sub-theme's parts stay in its theme
    assert set(final[len(sub):]) == {"T01.1"}
    assert any("stay" in note for note in edits.notes["T04"])


def _folded(old: str, new: str, n: int, total: int):
    from pipeline.notices import notice

    return notice("codebook.folded", file="codebook.csv", old=old, new=new, n=n, total=total)


def test_the_edits_of_a_theme_folded_into_another_land_on_the_subtheme_that_holds_it(tmp_path):
    """issue 17: a re-run made the edited T05 (four statements) one sub-theme of T03; its rename and its not
    relevant fit those statements, so they apply to that sub-theme, and the notice says where they went."""
    from pipeline.codebook import Codebook, Edit
    from pipeline.subtheme_edits import carry_folded_edits

    edit = Edit(3, "T05", rename_to="Aulan kahvi", not_relevant=True)
    members = {"T05": ["b0", "b1", "b2", "b3"]}
    segments = ["a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3", "c0"]
    subs = ["T03.1"] * 5 + ["T03.2"] * 4 + ["T03.2"]
    carried, notices = carry_folded_edits([(edit, _folded("T05", "T03", 4, 10))], members, segments, subs)
    assert [(e.theme_id, e.rename_to, e.not_relevant, e.line) for e in carried] == [("T03.2", "Aulan kahvi", True, 3)]
    assert list(map(str, notices)) == ["codebook.csv: this run folded the statements of T05 into T03; the edits on "
                                       "T05 now apply to its sub-theme T03.2, which holds 4 of the 4 statements T05 "
                                       "had"]
    assert "alateemaa T03.2" in notices[0].text("fi")
    book = Codebook(tmp_path / "codebook.csv", carried, {"T03.2"})
    texts = ["x"] * len(segments)
    applied = apply_subtheme_edits(book, ["T03"] * len(segments), subs, np.eye(len(segments)), ["fi"] * len(texts),
                                   lambda batch: np.eye(len(batch), len(segments)), frozenset({"T03.2"}))
    assert applied.labels == {"T03.2": "Aulan kahvi"} and applied.not_relevant == {"T03.2"}


def test_a_folded_theme_spread_over_subthemes_or_onto_an_edited_one_keeps_the_folded_notice():
    from pipeline.codebook import Edit
    from pipeline.subtheme_edits import carry_folded_edits

    edit = Edit(3, "T05", rename_to="Aulan kahvi")
    folded = _folded("T05", "T03", 4, 10)
    members = {"T05": ["b0", "b1", "b2", "b3"]}
    segments = ["a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3"]
    spread = ["T03.1"] * 5 + ["T03.1", "T03.1", "T03.2", "T03.3"]  # half in T03.1, but a small part of it
    assert carry_folded_edits([(edit, folded)], members, segments, spread) == ([], [folded])
    whole = ["T03.1"] * 5 + ["T03.2"] * 4
    assert carry_folded_edits([(edit, folded)], members, segments, whole, taken=frozenset({"T03.2"})) == ([], [folded])
    assert carry_folded_edits([(edit, folded)], members, segments, ["T03.1"] * 5 + [""] * 4) == ([], [folded])
