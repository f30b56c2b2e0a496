"""The public small-talk bench's helpers: the fixed dev/held-out split, the labels file, a turn's own small talk."""

from pathlib import Path

import pytest

from bench.eval_small_talk import is_talk_part
from bench.eval_small_talk_public import DATA, load_labels, split


def test_split_is_fixed_by_sorted_names():
    names = ["b.txt", "a.txt", "d.txt", "c.txt", "e.txt"]
    assert split(names, "dev") == ["a.txt", "c.txt", "e.txt"]
    assert split(names, "held-out") == ["b.txt", "d.txt"]
    assert split(names, "all") == sorted(names)


def test_talk_part_in_english_and_finnish():
    assert is_talk_part("Yeah.", "Yeah.|Thanks, Adam.")
    assert is_talk_part("Thanks,  Adam.", "Yeah.|Thanks, Adam.")
    assert not is_talk_part("Yeah, the invoices were wrong.", "Yeah.")
    assert is_talk_part("Joo.", "Joo.|Kiitti.")
    assert not is_talk_part("Laskut olivat väärin.", "Joo.")
    assert not is_talk_part("", "Joo.")


def test_labels_file_reads_and_names_a_bad_kind(tmp_path: Path):
    labels = load_labels(DATA / "labels.csv")
    assert set(labels["kind"]) == {"talk", "substance"}
    bad = tmp_path / "labels.csv"
    bad.write_text("file,line,kind\na.txt,3,talk\na.txt,5,puhetta\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"line 3: kind must be talk or substance"):
        load_labels(bad)
