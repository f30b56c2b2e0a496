"""REFI-QDA exchange: the study as a `.qdpx` project and its codes as a `.qdc` codebook for NVivo, ATLAS.ti,
MAXQDA, QualCoder and Taguette, and a team's own codebook read back in (docs/qda.md)."""

from pipeline.qda.codebook import CODEBOOK_QDC, codebook_xml, write_codebook
from pipeline.qda.export import write_qda
from pipeline.qda.project import project_file_name, write_project
from pipeline.qda.read import QdaError, read_codes, read_project

__all__ = ["CODEBOOK_QDC", "QdaError", "codebook_xml", "project_file_name", "read_codes", "read_project", "write_qda",
           "write_codebook", "write_project"]
