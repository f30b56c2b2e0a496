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


def test_a_utf8_file_with_a_broken_byte_stays_utf8_and_the_line_is_named(tmp_path):
    text = ("Haastattelija: Miten laskutus on toiminut?\nVastaaja: Laskuissa on ollut virheitä.\n"
            "Haastattelija: Entä tuki?\nVastaaja: Lisäksi eräpäivä \udcff oli väärä.\n")
    (tmp_path / "haastattelu.txt").write_bytes(text.encode("utf-8", errors="surrogateescape"))
    turns, problems = read_study(tmp_path, StudyConfig())
    answers = turns.loc[turns["role"] == "respondent", "text"].tolist()
    assert answers[0] == "Laskuissa on ollut virheitä." and answers[1].startswith("Lisäksi eräpäivä")
    assert [(p.file, p.read) for p in problems] == [("haastattelu.txt", True)]
    assert "line 4 holds bytes that are not UTF-8" in problems[0].message


def test_a_windows_1252_file_is_read_without_a_warning(tmp_path):
    (tmp_path / "vanha.txt").write_bytes("Haastattelija: Miten meni?\nVastaaja: Hyvä että säätö toimi.\n"
                                         .encode("cp1252"))
    turns, problems = read_study(tmp_path, StudyConfig())
    assert turns.loc[turns["role"] == "respondent", "text"].tolist() == ["Hyvä että säätö toimi."]
    assert problems == []


def test_links_out_of_the_study_folder_are_named_and_never_read(tmp_path):
    """`ln -s /etc/passwd kayttajat.csv` published passwd lines; a link to a folder outside was silently skipped.
    Links that stay inside the study are read as before."""
    outside = tmp_path / "muualla"
    outside.mkdir()
    secret = outside / "salainen.csv"
    secret.write_text("id,palaute\nroot,SALAINEN rivi joka ei saa näkyä\n", encoding="utf-8")
    (outside / "haastattelu.txt").write_text("Haastattelija: Mitä?\nVastaaja: SALAINEN vastaus.\n", encoding="utf-8")
    study = tmp_path / "tutkimus"
    (study / "ala").mkdir(parents=True)
    (study / "haastattelu.txt").write_text("Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin.\n",
                                           encoding="utf-8")
    (study / "kayttajat.csv").symlink_to(secret)
    (study / "passwd.csv").symlink_to("/etc/passwd")
    (study / "ala" / "linkki.csv").symlink_to("../../muualla/salainen.csv")
    (study / "kansio").symlink_to(outside, target_is_directory=True)
    (study / "manifest.csv").symlink_to(outside / "salainen.csv")
    (study / "sisalla.txt").symlink_to(study / "haastattelu.txt")  # inside: read (as a copy, once)
    turns, problems = read_study(study, StudyConfig())
    assert "SALAINEN" not in " ".join(turns["text"]) and "root" not in " ".join(turns["text"])
    assert turns["doc_id"].unique().tolist() == ["haastattelu.txt"]
    outside_named = sorted(p.file for p in problems if "outside the study folder" in p.message)
    assert outside_named == ["ala/linkki.csv", "kansio", "kayttajat.csv", "manifest.csv", "passwd.csv"]
    assert all(not p.read for p in problems if p.file in outside_named)
    assert [p.file for p in problems if "same content" in p.message] == ["sisalla.txt"]


def test_a_line_break_in_a_file_name_cannot_forge_a_console_line(tmp_path, capsys):
    """A file named "x\\nteema: 0 statements ... report: /tmp/fake" printed a line of its own in the console and
    the log; names are printed with control characters escaped."""
    from pipeline.corpus.problems import Problem, printable

    forged = "kuva\nteema: 500 statements from 9 files -> report: vale\x1b[2K.png"
    (tmp_path / forged).write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (tmp_path / "haastattelu.txt").write_text("Haastattelija: Miten meni?\nVastaaja: Lasku oli väärin.\n",
                                              encoding="utf-8")
    _, problems = read_study(tmp_path, StudyConfig())
    line = str(next(p for p in problems if p.file == forged))
    assert "\n" not in line and "\x1b" not in line
    assert line.startswith("kuva\\nteema: 500 statements") and "\\x1b[2K.png: " in line
    assert printable("rivi\r\nrivi\u2028") == "rivi\\r\\nrivi\\u2028"
    assert str(Problem("hyvä ä.txt", "ok")) == "hyvä ä.txt: ok"  # letters stay as they are
