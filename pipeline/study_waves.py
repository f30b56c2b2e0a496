"""A study of several waves, analysed from the library: every earlier wave without a state first, then the chosen
wave, matched with the last one and compared with all of them (trends). No writing: a caller that keeps reports
(the CLI) writes each wave's in `analyse`, and says where earlier states are with `reports`.

```python
from pipeline.config import load_config
from pipeline.study_waves import analyse_waves

results = analyse_waves(Path("corpora/asiakkaat"), load_config(Path("corpora/asiakkaat")))
latest = results[next(reversed(results))]          # the newest wave, its themes matched with the wave before
latest.match, latest.trends["issues"]
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import StudyConfig
from pipeline.corpus import Problem
from pipeline.embed import Embedder, EmbeddingCache, load_embedder
from pipeline.scale import RowMap
from pipeline.steps import NothingToCode
from pipeline.steps.run import quiet
from pipeline.study import StepFn, StudyResult, analyse_study
from pipeline.waves import (
    STATE_FILE,
    DateWaves,
    WaveState,
    active_period,
    date_waves,
    detect_waves,
    pick_wave,
    read_state,
)


@dataclass(frozen=True)
class WaveJob:
    """One wave to analyse: where its files are read from, its config, and the waves before it (oldest first)."""

    wave: str
    read_dir: Path
    config: StudyConfig
    earlier: tuple[WaveState, ...]
    stray: tuple[str, ...] = ()  # material files outside every wave folder (named on the chosen wave only)

    @property
    def previous(self) -> WaveState | None:
        return self.earlier[-1] if self.earlier else None


WaveAnalyser = Callable[[WaveJob], StudyResult]


def _silent(_: str) -> None:
    return None


def study_date_waves(study_dir: Path, config: StudyConfig) -> DateWaves | None:
    """Waves cut from the feedback dates of a study without wave folders ([study] wave_period); None when the
    study is one wave."""
    from pipeline.corpus import read_study

    if not active_period(config.study.wave_period):
        return None
    whole = dataclasses.replace(config, study=dataclasses.replace(config.study, wave=""))  # no wave picked: all
    turns, _ = read_study(study_dir, whole)
    return date_waves(turns, config.study.wave_period)


def wave_config(config: StudyConfig, wave: str, by_date: bool) -> StudyConfig:
    """The study's config for one wave (wave folders are never split by date)."""
    return dataclasses.replace(config, study=dataclasses.replace(
        config.study, wave=wave, wave_period=config.study.wave_period if by_date else "none"))


def analyse_wave(job: WaveJob, study_dir: Path, *, embedder: Embedder | None = None,
                 cache: EmbeddingCache | None = None, progress: StepFn = quiet, mapper: RowMap | None = None,
                 previous: WaveState | None = None, notify: Callable[[str], None] = _silent) -> StudyResult:
    """One wave: `analyse_study` matched with `previous` (default: the wave before), with the stray files named
    and the trends against the earlier waves (deadlines from the study's actions.xlsx when it can be read)."""
    result = analyse_study(job.read_dir, job.config, embedder=embedder, cache=cache, progress=progress,
                           previous=previous or job.previous, track_waves=True, study_root=study_dir, mapper=mapper)
    result.problems = [Problem(f, "outside the wave folders, so in no wave; move it into one (e.g. "
                                  f"{job.config.study.wave}/)") for f in job.stray] + result.problems
    if job.earlier:
        from pipeline.report import ActionsError, read_decisions
        from pipeline.trends import compare_waves

        try:
            decisions = read_decisions(study_dir / "actions.xlsx")
        except ActionsError as err:
            notify(f"{err}; deadlines are not checked")
            decisions = None
        result.trends = compare_waves(result.wave, result.issues, result.themes, result.respondents,
                                      list(job.earlier), decisions)
    return result


def analyse_waves(study_dir: Path, config: StudyConfig, wave: str | None = None, *, waves: list[str] | None = None,
                  by_date: DateWaves | None = None, reports: Path | None = None, stray: list[str] | None = None,
                  analyse: WaveAnalyser | None = None, embedder: Embedder | None = None,
                  cache: EmbeddingCache | None = None, progress: StepFn = quiet, mapper: RowMap | None = None,
                  notify: Callable[[str], None] = _silent) -> dict[str, StudyResult]:
    """The waves analysed here, oldest first; the last one is `wave` (default: the newest).

    Waves are the study's wave sub-folders, else the periods of its feedback dates ([study] wave_period), unless
    `waves` (and `by_date`) name them. An earlier wave's state is read from `reports/WAVE/wave_state.json` when
    `reports` is given (a report folder without one is left out, as an older teema wrote it); an earlier wave
    without a state is analysed first, and one with nothing to code is left out. `analyse` runs one wave (the
    CLI writes its report there); the default is `analyse_wave`. `notify` gets a line for each of these."""
    if waves is None:
        waves = detect_waves(study_dir)
        by_date = None if waves else study_date_waves(study_dir, config)
        waves = by_date.waves if by_date else waves
    if not waves:
        raise NothingToCode(f"{study_dir} has no waves: no wave sub-folders and no [study] wave_period to cut its "
                            "feedback dates by; analyse it with pipeline.study.analyse_study")
    period = config.study.wave_period
    target = pick_wave(waves, wave, f'cut by the feedback dates, [study] wave_period = "{period}"' if by_date
                       else "one sub-folder per wave")
    embedder = embedder or load_embedder(config.embed.embedder)
    run = analyse or (lambda job: analyse_wave(job, study_dir, embedder=embedder, cache=cache, progress=progress,
                                               mapper=mapper, notify=notify))
    results: dict[str, StudyResult] = {}
    earlier: list[WaveState] = []
    for name in waves[:waves.index(target)]:
        state = read_state(reports / name) if reports is not None else None
        if state is None and reports is not None and (reports / name).exists():
            notify(f"wave {name}: {reports / name} has no {STATE_FILE} (an older teema wrote it); it is left as it "
                   "is and not compared")
            continue
        if state is None:
            notify(f"wave {name} has no report yet; analysing it first")
            try:
                results[name] = run(WaveJob(name, study_dir if by_date else study_dir / name,
                                            wave_config(config, name, bool(by_date)), tuple(earlier)))
            except NothingToCode as err:
                notify(f"wave {name}: {err}; it is not compared")
                continue
            state = results[name].state
        earlier.append(state)
    results[target] = run(WaveJob(target, study_dir if by_date else study_dir / target,
                                  wave_config(config, target, bool(by_date)), tuple(earlier), tuple(stray or ())))
    return results
