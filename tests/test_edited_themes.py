"""Edited themes put back together when a re-run regrouped their statements (pipeline/edited_themes.py)."""

from __future__ import annotations

import numpy as np

from pipeline.edited_themes import KeptTheme, keep_edited_themes

A, B, C = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])


def _rows(spec: list[tuple[str, np.ndarray, str]]):
    segments = [s for s, _, _ in spec]
    vectors = np.stack([v + 0.01 * i for i, (_, v, _) in enumerate(spec)])
    themes = [t for _, _, t in spec]
    return segments, vectors, themes


def test_an_edited_theme_folded_into_another_edited_one_is_put_back_and_takes_the_new_statements_near_it():
    last = {"T01": ["a0", "a1", "a2", "a3"], "T02": ["b0", "b1", "b2"]}
    segments, vectors, themes = _rows([*((f"a{i}", A, "T01") for i in range(4)),
                                       *((f"b{i}", B, "T01") for i in range(3)),
                                       ("new-b", B, "T01"), ("new-a", A, "T01")])
    ids, kept = keep_edited_themes(segments, themes, vectors, ["T01", "T02"], last)
    assert dict(zip(segments, ids, strict=True)) == {"a0": "T01", "a1": "T01", "a2": "T01", "a3": "T01",
                                                     "b0": "T02", "b1": "T02", "b2": "T02",
                                                     "new-b": "T02", "new-a": "T01"}
    assert kept == [KeptTheme("T02", returned=3, joined=1, taken_from=("T01",))]


def test_a_spread_edited_theme_is_put_back_and_statements_set_aside_stay_set_aside():
    last = {"T01": ["a0", "a1", "a2"], "T02": ["b0", "b1"], "T03": ["c0", "c1", "c2", "c3", "c4"]}
    segments, vectors, themes = _rows([*((f"a{i}", A, "T01") for i in range(3)), *((f"b{i}", B, "T02") for i in range(2)),
                                       ("c0", C, "T01"), ("c1", C, "T01"), ("c2", C, "T02"), ("c3", C, "T02"),
                                       ("c4", C, "")])
    ids, kept = keep_edited_themes(segments, themes, vectors, ["T03"], last)
    assert ids == ["T01"] * 3 + ["T02"] * 2 + ["T03"] * 4 + [""]
    assert kept == [KeptTheme("T03", returned=4, joined=0, taken_from=("T01", "T02"))]


def test_themes_found_again_or_under_a_new_id_are_left_to_the_codebook():
    last = {"T01": ["a0", "a1", "a2"], "T02": ["b0", "b1", "b2"]}
    segments, vectors, themes = _rows([*((f"a{i}", A, "T01") for i in range(3)),
                                       *((f"b{i}", B, "T07") for i in range(3)), ("new-b", B, "T07")])
    ids, kept = keep_edited_themes(segments, themes, vectors, ["T01", "T02"], last)
    assert ids == themes and kept == [], "T01 is found again; T02 is T07 now (the edits follow it there)"
    ids, kept = keep_edited_themes(segments, themes, vectors, ["T02", "T07"], last)
    assert ids[3:6] == ["T02"] * 3 and kept[0].theme_id == "T02", "T07 has its own edit row: T02 is put back"


def test_the_result_does_not_follow_row_order():
    last = {"T01": ["a0", "a1", "a2"], "T02": ["b0", "b1", "b2"]}
    spec = [*((f"a{i}", A, "T01") for i in range(3)), *((f"b{i}", B, "T01") for i in range(3)),
            ("new-1", B + 0.2 * A, "T01"), ("new-2", A + 0.2 * B, "T01")]
    segments, vectors, themes = _rows(spec)
    ids, _ = keep_edited_themes(segments, themes, vectors, ["T01", "T02"], last)
    order = [7, 2, 5, 0, 6, 3, 1, 4]
    shuffled, _ = keep_edited_themes([segments[i] for i in order], [themes[i] for i in order], vectors[order],
                                     ["T02", "T01"], last)
    assert dict(zip([segments[i] for i in order], shuffled, strict=True)) == dict(zip(segments, ids, strict=True))


def test_a_theme_left_with_a_remnant_joins_the_edited_themes_it_gave_to():
    """Another embedder regrouped everything: the edited themes take their statements back, and what is left of
    the re-run's theme (fewer statements than the study's smallest theme) is a remnant, not a theme."""
    last = {"T01": ["a0", "a1", "a2", "a3"], "T02": ["b0", "b1", "b2", "b3"]}
    segments, vectors, themes = _rows([*((f"a{i}", A, "T09") for i in range(4)), *((f"b{i}", B, "T09") for i in range(4)),
                                       ("was-unthemed", A + 0.1 * B, "T09")])
    ids, kept = keep_edited_themes(segments, themes, vectors, ["T01", "T02"], last, min_size=2)
    assert ids == ["T01"] * 4 + ["T02"] * 4 + ["T01"]
    assert [(k.theme_id, k.returned, k.joined) for k in kept] == [("T01", 4, 1), ("T02", 4, 0)]
    ids, _ = keep_edited_themes(segments, themes, vectors, ["T01", "T02"], last, min_size=1)
    assert ids[-1] == "T09", "with 1 as the smallest theme, what is left is a theme"
    segments, vectors, themes = _rows([*((f"a{i}", A, "T09") for i in range(4)), *((f"b{i}", B, "T09") for i in range(4)),
                                       ("c0", C, "T09"), ("c1", C, "T09")])
    ids, _ = keep_edited_themes(segments, themes, vectors, ["T01", "T02"], last, min_size=2)
    assert ids[-2:] == ["T09", "T09"], "a remnant of the smallest theme's size stays a theme"


def test_a_theme_the_last_run_kept_takes_its_statements_before_the_fitted_theme_that_also_lists_them():
    """The last run kept T07 (its fit had put T07's statements in T04); this re-run regrouped both: T07 gets its
    statements back, and T04 the ones that were T04's."""
    last = {"T04": ["a0", "a1", "a2", "b0", "b1", "b2"], "T07": ["b0", "b1", "b2"]}
    segments, vectors, themes = _rows([*((f"a{i}", A, "T20") for i in range(3)), *((f"b{i}", B, "T20") for i in range(3)),
                                       ("c0", C, "T20"), ("c1", C, "T20")])
    ids, kept = keep_edited_themes(segments, themes, vectors, ["T04", "T07"], last, first=["T07"])
    assert ids == ["T04"] * 3 + ["T07"] * 3 + ["T20"] * 2
    assert [(k.theme_id, k.returned) for k in kept] == [("T07", 3), ("T04", 3)]


def test_slivers_of_a_theme_put_back_join_its_nearest_larger_subtheme():
    from pipeline.edited_themes import join_sliver_subthemes

    subs = ["T07.1", "T07.1", "T07.1", "T07.2", "T07.2", "T07.2", "T07.5", "T07.6", "T04.1", "T04.9"]
    themes = ["T07"] * 8 + ["T04"] * 2
    vectors = np.stack([A, A, A, B, B, B, A + 0.1 * C, B + 0.1 * C, C, C])
    joined = join_sliver_subthemes(subs, themes, vectors, ["T07"], sliver=2)
    assert joined == ["T07.1"] * 3 + ["T07.2"] * 3 + ["T07.1", "T07.2", "T04.1", "T04.9"], "T04 is not tidied"
    assert join_sliver_subthemes(subs, themes, vectors, ["T04"], sliver=2) == subs, "no larger sub-theme there"
