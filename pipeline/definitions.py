"""Where teema's definitions are found: the study folder first, then the copy shipped inside the package.

Stages, polarity, frames and the polar-word lexicon are data in `pipeline/models/`, declared as package data,
so a built wheel carries them and `pip install .` (not editable) works from any folder. Every loader asks
`definitions_path` for a file, so a study's own `stages.toml` (or any file its teema.toml names) wins the same
way for all of them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_MODELS = Path(__file__).resolve().parent / "models"


def definitions_path(name: str, study_dir: Path | None = None, models_dir: Path = PACKAGE_MODELS) -> Path:
    """The file `name` (e.g. "stages.toml", "frames/six_pillars.toml"): the study folder's own file when it has
    one, else the packaged one (`models_dir`, default the package's). Missing files are the loader's to report."""
    if study_dir is not None and (Path(study_dir) / name).is_file():
        return Path(study_dir) / name
    return Path(models_dir) / name
