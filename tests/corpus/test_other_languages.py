"""Files in other languages than Finnish and English are named and set aside (issue 17)."""

from pipeline.config import StudyConfig
from pipeline.corpus.language import detect_language, other_language
from pipeline.corpus.other_languages import OTHER_LANGUAGE, set_aside_other_languages
from pipeline.corpus.read import read_study
from pipeline.corpus.segment import segment_turns

FRENCH = """Entretien 12

Interviewer: Comment s'est passée la facturation cette année ?
Interviewee: Alors, pour moi le plus gros problème, c'est la facture. Chaque mois elle arrive en retard,
et personne au service client ne répond au téléphone.
Interviewer: Et l'application ?
Interviewee: L'application fonctionne bien, mais la connexion échoue souvent le matin.
"""
SWEDISH = """Haastattelija: Hur har faktureringen fungerat?
Vastaaja: Jag tycker att kundtjänsten var ganska bra, men fakturan var fel två gånger i rad.
Det tog tre veckor innan någon ringde tillbaka.
"""
GERMAN = ("Die Rechnung war zweimal falsch und der Kundendienst hat nicht geantwortet. Ich musste drei Wochen "
          "warten, bis jemand zurückgerufen hat.")
FINNISH = """Haastattelija: Miten laskutus on toiminut?
Vastaaja: Lasku oli väärin kaksi kertaa peräkkäin ja asiakaspalvelu ei vastannut.
Jouduin odottamaan kolme viikkoa ennen kuin joku soitti takaisin.
"""
ENGLISH = """Interviewer: How has invoicing worked?
Interviewee: The invoice was wrong twice in a row and customer service did not answer.
I had to wait three weeks before anyone called back, and by then I had already paid too much.
"""


def test_other_languages_are_named_finnish_and_english_are_not():
    assert other_language(FRENCH) == "French"
    assert other_language(SWEDISH) == "Swedish"
    assert other_language(GERMAN) == "German"
    assert other_language(FINNISH) == "" and other_language(ENGLISH) == ""
    assert other_language("Merci.") == ""  # too short to tell
    assert detect_language(FINNISH) == "fi"


def test_a_french_and_a_swedish_interview_are_set_aside_with_one_line_each(tmp_path):
    for name, text in {"entretien_12.txt": FRENCH, "intervju_04.txt": SWEDISH, "haastattelu_01.txt": FINNISH,
                       "interview_02.txt": ENGLISH}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    turns, _ = read_study(tmp_path, StudyConfig())
    segments, problems = set_aside_other_languages(segment_turns(turns, "w"), turns)
    assert [(p.file, p.read) for p in problems] == [("entretien_12.txt", True), ("intervju_04.txt", True)]
    assert "in French, not Finnish or English" in problems[0].message and "set aside" in problems[0].message
    assert "in Swedish" in problems[1].message
    spoken = segments[segments["role"] == "respondent"]
    reasons = spoken.groupby("doc_id")["unassigned_reason"].agg(set).to_dict()
    assert reasons["entretien_12.txt"] == {OTHER_LANGUAGE} and reasons["intervju_04.txt"] == {OTHER_LANGUAGE}
    assert reasons["haastattelu_01.txt"] == {""} and reasons["interview_02.txt"] == {""}
