"""The caches hold no statement text, know which study each entry came from, and `teema forget STUDY` removes
exactly that study's entries, leaving no copy of their bytes in the SQLite files."""

from __future__ import annotations

import os
import sqlite3

import numpy as np
import pytest

from pipeline.cache_owners import study_key
from pipeline.cli import main
from pipeline.embed import EmbeddingCache, embed_texts, load_embedder
from pipeline.forget import forget_study
from pipeline.result_cache import ResultCache

FI = ["Mikko Virtanen lupasi soittaa numerosta 040 123 4567.", "Lasku oli väärin kolme kertaa."]
EN = ["Olivia Bennett never called back.", "The invoice was wrong again."]


def _count(path, table):
    db = sqlite3.connect(path)
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


@pytest.fixture(scope="module")
def static():
    return load_embedder("static")


def test_the_cache_files_hold_no_statement_text(tmp_path, static):
    cache = EmbeddingCache(tmp_path / "cache", study=tmp_path / "a")
    embed_texts(FI + EN, static, cache)
    ResultCache.beside(cache).put("ner", "k1", [(0, 5)])
    raw = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    for text in FI + EN:
        assert text.encode() not in raw
    for word in ("Virtanen", "Bennett", "040 123 4567", "invoice", "Lasku"):
        assert word.encode() not in raw
    if os.name == "posix":
        assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700


def test_forget_removes_one_studys_entries_and_keeps_the_others(tmp_path, static):
    folder = tmp_path / "cache"
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    cache_a = EmbeddingCache(folder, study=a)
    vectors_a = embed_texts(FI + EN[:1], static, cache_a)
    ResultCache.beside(cache_a).put("themes", "key-a", {"x": 1})
    cache_b = EmbeddingCache(folder, study=b)
    embed_texts(EN, static, cache_b)  # EN[0] is shared: read from the cache, so b owns it too
    ResultCache.beside(cache_b).put("themes", "key-b", {"y": 2})
    assert _count(folder / "embeddings.sqlite", "vectors") == 4

    done = forget_study(folder, a)
    assert done.removed == {"embeddings.sqlite": 3, "results.sqlite": 1}
    assert done.unowned == {"embeddings.sqlite": 0, "results.sqlite": 0}
    left = EmbeddingCache(folder)
    assert set(left.get(static.name, FI + EN)) == {EN[1]}  # the shared one went with a; b embeds it again
    assert ResultCache(folder).get("themes", "key-b") == (True, {"y": 2})
    assert ResultCache(folder).get("themes", "key-a") == (False, None)
    raw = (folder / "embeddings.sqlite").read_bytes()
    for vector in vectors_a:  # secure_delete + VACUUM: the freed pages do not keep the vectors
        assert vector.astype(np.float32).tobytes() not in raw


def test_entries_from_before_owners_were_recorded_are_counted(tmp_path, static):
    folder = tmp_path / "cache"
    embed_texts(EN, static, EmbeddingCache(folder))  # no study: as an older teema wrote them
    done = forget_study(folder, tmp_path / "a")
    assert done.removed["embeddings.sqlite"] == 0 and done.unowned["embeddings.sqlite"] == 2


def test_the_study_is_named_by_a_hash_of_its_path(tmp_path, static):
    study = tmp_path / "Asiakkaat Virtanen"
    study.mkdir()
    embed_texts(EN, static, EmbeddingCache(tmp_path / "cache", study=study))
    raw = (tmp_path / "cache" / "embeddings.sqlite").read_bytes()
    assert b"Virtanen" not in raw and study_key(study).encode() in raw
    assert study_key(study) == study_key(tmp_path / "." / "Asiakkaat Virtanen")


def test_teema_forget_on_the_command_line(tmp_path, static, capsys):
    study = tmp_path / "tutkimus"
    study.mkdir()
    embed_texts(FI, static, EmbeddingCache(tmp_path / "cache", study=study))
    assert main(["forget", str(study), "--cache-dir", str(tmp_path / "cache")]) == 0
    assert "2 cached vectors and 0 cached results removed" in capsys.readouterr().out
    assert _count(tmp_path / "cache" / "embeddings.sqlite", "vectors") == 0
    assert main(["forget", str(study), "--cache-dir", str(tmp_path / "nothing")]) == 0
    assert "nothing to forget" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["forget", str(study), "--cache-dir", str(tmp_path / "file")]) == 2
    assert "not a folder" in capsys.readouterr().err
