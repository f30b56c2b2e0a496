from pipeline.config import StudyConfig
from pipeline.corpus.read import read_study


def test_reads_transcripts_and_feedback_and_reports_bad_files(tmp_path):
    (tmp_path / "haastattelu.txt").write_text("Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin.\n", encoding="utf-8")
    (tmp_path / "kysely.csv").write_text("id,palaute\nV1,Tuki on hidas\n", encoding="cp1252")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00")
    (tmp_path / "notes.txt").write_text("no speakers here\n")
    (tmp_path / "README.md").write_text("# about this study\n")
    (tmp_path / ".hidden.txt").write_text("Q: x?\nA: y\n")
    turns, problems = read_study(tmp_path, StudyConfig())
    assert sorted(turns["doc_id"].unique()) == ["haastattelu.txt", "kysely.csv"]
    assert turns.loc[turns["doc_id"] == "kysely.csv", "respondent_id"].tolist() == ["V1"]
    assert turns.loc[turns["role"] == "respondent", "location"].tolist() == ["haastattelu.txt:2", "kysely.csv:2"]
    assert {p.file for p in problems} == {"empty.txt", "photo.jpg", "notes.txt"}
    assert all(p.message for p in problems)


def test_legacy_encoding_keeps_umlauts(tmp_path):
    (tmp_path / "vanha.csv").write_bytes("id,palaute\n1,Hyvä että säätö toimi\n".encode("cp1252"))
    turns, _ = read_study(tmp_path, StudyConfig())
    assert turns["text"].tolist() == ["Hyvä että säätö toimi"]
