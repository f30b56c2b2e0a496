"""The report folder's REFI-QDA files: `<study>.qdpx` (the whole coded study) and `codebook.qdc` (its codes)."""

from __future__ import annotations

from pathlib import Path

from pipeline.qda.codebook import CODEBOOK_QDC, write_codebook
from pipeline.qda.codes import study_codes
from pipeline.qda.project import project_file_name, write_project


def write_qda(result, out_dir: Path, lang: str = "en") -> dict[str, Path]:
    """Both files from a StudyResult's exported tables (redacted when redaction is on); paths by file name."""
    project = write_project(result, out_dir, lang)
    codes = study_codes(result.segments, result.themes, result.subthemes, result.stages,
                        getattr(result, "frames", ()), lang, getattr(result, "touchpoints", None))
    codebook = write_codebook(out_dir / CODEBOOK_QDC, codes)
    return {project_file_name(result.study): project, CODEBOOK_QDC: codebook}
