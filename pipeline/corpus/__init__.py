"""Reading a study folder: formats, speakers, statements."""

from pipeline.corpus.problems import Problem, ReadError
from pipeline.corpus.read import location_order, read_study
from pipeline.corpus.segment import segment_turns

__all__ = ["Problem", "ReadError", "location_order", "read_study", "segment_turns"]
