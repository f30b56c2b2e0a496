from pipeline.text_vectors import TextVectors
from tests.test_study import Counting


def test_late_texts_are_reported_to_late_progress():
    vectors = TextVectors(Counting())
    vectors.gather(["Support is slow."])
    lines = []
    vectors.late_progress = lambda done, total: lines.append((done, total))
    vectors(["Support is slow."])
    assert lines == []  # nothing late yet
    vectors(["Invoices are wrong.", "The app crashes.", "Support is slow."])
    assert lines == [(0, 2), (2, 2)] and vectors.late == 2
