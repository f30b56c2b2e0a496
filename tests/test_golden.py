"""The golden record's sample copy: it must see what a clean clone has, whatever an earlier run left behind."""

from __future__ import annotations

from tests.golden import changed_files, copy_study_inputs, output_digests


def test_the_copy_leaves_out_what_a_researcher_or_an_earlier_run_wrote(tmp_path):
    source = tmp_path / "sample"
    source.mkdir()
    for name in ("teema.toml", "haastattelu_01.txt", "avoin_palaute.csv", "ANSWER.md",
                 "codebook.csv", "codebook.backup-20261207-175110.csv", "actions.xlsx",
                 "actions.backup-20261207-175110.xlsx", "coded.csv"):
        (source / name).write_text("x", encoding="utf-8")
    copied = copy_study_inputs(source, tmp_path / "copy" / "sample")
    assert sorted(path.name for path in copied.iterdir()) == ["ANSWER.md", "avoin_palaute.csv",
                                                               "haastattelu_01.txt", "teema.toml"]
    assert (source / "codebook.csv").exists(), "the source is left as it was"


def test_changed_files_names_changed_missing_and_new_files(tmp_path):
    (tmp_path / "a.csv").write_text("1", encoding="utf-8")
    (tmp_path / "b.csv").write_text("2", encoding="utf-8")
    recorded = output_digests(tmp_path)
    assert changed_files(recorded, tmp_path) == []
    (tmp_path / "a.csv").write_text("changed", encoding="utf-8")
    (tmp_path / "b.csv").unlink()
    (tmp_path / "c.csv").write_text("3", encoding="utf-8")
    assert changed_files(recorded, tmp_path) == ["a.csv", "b.csv", "c.csv"]
