import dataclasses, sys
from pathlib import Path
from bench.common import cache_dir, go_offline
go_offline()
from bench.eval_sample_tags import SAMPLE, planted_issues, sample_copy, score
from pipeline.config import load_config
from pipeline.embed import EmbeddingCache
from pipeline.steps import StudyRun, study_steps
from pipeline.study import run_steps
from pipeline.steps.embed import english_example_texts
from pipeline.study import study_result
issues = planted_issues(SAMPLE / "ANSWER.md")
cache = EmbeddingCache(cache_dir())
with sample_copy() as study:
    base = load_config(study)
    for g in [float(x) for x in sys.argv[1:]]:
        config = dataclasses.replace(base, tag=dataclasses.replace(base.tag, english_unsure=g))
        run = run_steps(StudyRun(study, config, study_root=study, cache=cache), study_steps(config, study))
        n_en = int((run.coded.lang == "en").sum())
        sent = len(run.english) - len(set(english_example_texts(run.definitions)))
        r = score(study_result(run).segments, issues)
        print(g, "en", n_en, "sent", sent, {k: v for k, v in r.items() if k.startswith(("stage_acc", "polarity_acc", "polarity_neu", "issue_free"))}, flush=True)
