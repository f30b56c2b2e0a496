"""Parquet feedback reads as the same table saved as CSV would."""

import pandas as pd

from pipeline.config import StudyConfig
from pipeline.corpus import read_study
from pipeline.corpus.parquet import parquet_records

ROWS = {"Vastaajan tunnus": ["R1", "R2", "R3"], "NPS": [9, None, 3],
        "Avoin palaute": ["Lasku oli väärin kahtena kuukautena.", "", "Support never called back."]}


def test_parquet_rows_are_read_in_batches_as_text(tmp_path):
    path = tmp_path / "palaute.parquet"
    pd.DataFrame(ROWS).to_parquet(path, index=False, row_group_size=2)
    headers, records = parquet_records(path, batch_rows=1)
    assert headers == ["Vastaajan tunnus", "NPS", "Avoin palaute"]
    assert [line for line, _ in records] == [1, 2, 3]
    assert records[0][1] == {"Vastaajan tunnus": "R1", "NPS": "9.0", "Avoin palaute": ROWS["Avoin palaute"][0]}
    assert records[1][1]["NPS"] == ""


def test_a_study_reads_parquet_as_it_reads_the_same_csv(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    frame = pd.DataFrame(ROWS)
    frame.to_parquet(tmp_path / "a" / "palaute.parquet", index=False)
    frame.to_csv(tmp_path / "b" / "palaute.csv", index=False)
    from_parquet, problems = read_study(tmp_path / "a", StudyConfig())
    from_csv, _ = read_study(tmp_path / "b", StudyConfig())
    assert not problems
    assert from_parquet["text"].tolist() == from_csv["text"].tolist() == [ROWS["Avoin palaute"][0],
                                                                           ROWS["Avoin palaute"][2]]
    assert from_parquet["respondent_id"].tolist() == from_csv["respondent_id"].tolist()
