import dataclasses
import math

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
    for bad in (-3, 500, "many", 2.5, True):
        with pytest.raises(ConfigError, match="top_level"):
            parse_config({"themes": {"top_level": bad}})


def _numeric_keys():
    from pipeline.config import _SECTIONS

    for section, cls in _SECTIONS.items():
        for f in dataclasses.fields(cls):
            default = getattr(cls(), f.name)
            if isinstance(default, int | float) and not isinstance(default, bool):
                yield section, f.name, default


def test_every_numeric_key_has_a_range():
    from pipeline.config import RANGES

    keys = {(section, key) for section, key, _ in _numeric_keys()}
    assert keys and keys == set(RANGES)


@pytest.mark.parametrize(("section", "key", "default"), list(_numeric_keys()))
def test_every_numeric_key_refuses_bad_values(tmp_path, section, key, default):
    """0 where 0 means nothing, negative, huge, nan, inf and the wrong type: a ConfigError naming the file, the key
    and the allowed range; the default itself is accepted."""
    from pipeline.config import RANGES, allowed_range

    low, high, zero = RANGES[(section, key)]
    assert parse_config({section: {key: default}}) is not None
    bad = [-1, -0.5, high * 10 + 1, 1e18, float("nan"), float("inf"), "kolme", True, [1]]
    if not zero and low > 0:
        bad.append(0)
    for value in bad:
        toml = tmp_path / "teema.toml"
        if isinstance(value, float) and not math.isfinite(value):
            literal = "nan" if math.isnan(value) else "inf"
        elif isinstance(value, str):
            literal = f'"{value}"'
        elif isinstance(value, bool):
            literal = "true"
        else:
            literal = repr(value)
        toml.write_text(f"[{section}]\n{key} = {literal}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_config(tmp_path)
        message = str(err.value)
        assert str(toml) in message and f"[{section}] {key}" in message, message
        if not isinstance(value, str | bool | list) and not (isinstance(default, int) and isinstance(value, float)):
            assert allowed_range(section, key) in message, message


def test_the_attackers_values_are_refused():
    for section, key, value in (("embed", "batch_size", 0), ("tag", "stage_threshold", 7),
                                ("tag", "polarity_threshold", 99), ("themes", "outlier_agreement", 5),
                                ("themes", "merge_threshold", float("nan")), ("themes", "min_size", 1e9),
                                ("themes", "dimensions", 100000), ("themes", "min_size", 1)):
        with pytest.raises(ConfigError, match=rf"\[{section}\] {key}: .*(must be|expected)"):
            parse_config({section: {key: value}}, "kansio/teema.toml")


def test_study_and_wave_names_must_be_plain(tmp_path):
    for bad in ("../../../../tmp/x", "a/b", "..", "a\\b", "kevät\n2026", ""):
        with pytest.raises(ConfigError, match="not a plain name"):
            parse_config({"study": {"name": bad}} if bad else {"study": {"wave": bad}})
        if bad:
            with pytest.raises(ConfigError, match="--wave: .*not a plain name"):
                with_overrides(StudyConfig(), study__wave=bad)
    assert parse_config({"study": {"name": "Asiakkaat 2026", "wave": "2026-11"}}).study.wave == "2026-11"


def test_small_talk_is_one_of_its_checks():  # issue 17
    assert StudyConfig().study.small_talk == "words+classifier"
    assert parse_config({"study": {"small_talk": "words"}}).study.small_talk == "words"
    with pytest.raises(ConfigError, match=r"x/teema\.toml: \[study\] small_talk: must be one of words, "
                                          r"words\+classifier, words\+nearest, got 'embedding'"):
        parse_config({"study": {"small_talk": "embedding"}}, "x/teema.toml")
