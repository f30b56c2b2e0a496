import pytest

from pipeline.config import ConfigError, StudyConfig, load_config, parse_config, with_overrides


def test_defaults_when_no_file(tmp_path):
    config = load_config(tmp_path)
    assert config.study.name == tmp_path.name
    assert config.embed.model == "auto"


def test_reads_known_keys(tmp_path):
    (tmp_path / "teema.toml").write_text('[study]\nname = "Asiakkaat"\nwave = "2026-11"\n[themes]\nmin_size = 4\n')
    config = load_config(tmp_path)
    assert (config.study.name, config.study.wave, config.themes.min_size) == ("Asiakkaat", "2026-11", 4)


def test_unknown_key_names_key_and_file(tmp_path):
    (tmp_path / "teema.toml").write_text("[themes]\nmin_sise = 4\n")
    with pytest.raises(ConfigError, match=r"teema\.toml: unknown key 'min_sise' in \[themes\]"):
        load_config(tmp_path)


def test_unknown_section_is_an_error():
    with pytest.raises(ConfigError, match=r"unknown section \[theme\]"):
        parse_config({"theme": {}}, "x/teema.toml")


def test_bad_type_and_bad_choice():
    with pytest.raises(ConfigError, match=r"\[themes\] min_size: expected int"):
        parse_config({"themes": {"min_size": "four"}})
    with pytest.raises(ConfigError, match="must be one of auto, fi, en"):
        parse_config({"study": {"language": "sv"}})
    with pytest.raises(ConfigError, match="must not be negative"):
        parse_config({"themes": {"min_size": -1}})


def test_broken_toml_names_file(tmp_path):
    (tmp_path / "teema.toml").write_text("[study\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path)


def test_overrides_skip_none():
    config = with_overrides(StudyConfig(), study__wave="2027-05", embed__model=None)
    assert config.study.wave == "2027-05" and config.embed.model == "auto"


def test_top_level_is_auto_or_a_number():
    assert parse_config({"themes": {"top_level": "auto"}}).themes.top_level == 0
    assert parse_config({"themes": {"top_level": 12}}).themes.top_level == 12
    for bad in (0, -3, 500, "many", 2.5, True):
        with pytest.raises(ConfigError, match="top_level"):
            parse_config({"themes": {"top_level": bad}})
