"""The report's words in Finnish and English, number formats, and picking the language.

The interface follows `--lang` (or teema.toml [report] lang); with `auto` it follows the material:
the language most respondent statements are in.
"""

from __future__ import annotations

import math

import pandas as pd

LANGS = ("en", "fi")

STRINGS: dict[str, dict[str, str]] = {
    "title": {"en": "what goes right and wrong", "fi": "mikä onnistuu ja mikä ei"},
    "wave": {"en": "Wave", "fi": "Aalto"},
    "coded_by": {"en": "coded by teema {version} on {date}", "fi": "koodannut teema {version} {date}"},
    "respondents": {"en": "respondents", "fi": "vastaajaa"},
    "statements": {"en": "statements", "fi": "lausumaa"},
    "themes": {"en": "themes", "fi": "teemaa"},
    "failure_issues": {"en": "failure issues", "fi": "epäonnistumista"},
    "success_issues": {"en": "success issues", "fi": "onnistumista"},
    "files_read": {"en": "files read", "fi": "tiedostoa luettu"},
    "files_read_of": {"en": "of {total} files read", "fi": "/ {total} tiedostosta luettu"},
    "files_not_read": {"en": "{n} not read: see Not read", "fi": "{n} lukematta: katso Lukematta jääneet"},
    "asked": {"en": "Asked", "fi": "Kysymys"},
    "nav_journey": {"en": "Journey", "fi": "Polku"},
    "nav_issues": {"en": "Issues", "fi": "Havainnot"},
    "nav_metrics": {"en": "Metrics", "fi": "Mittarit"},
    "nav_themes": {"en": "Themes", "fi": "Teemat"},
    "nav_method": {"en": "Method", "fi": "Menetelmä"},
    "nav_changes": {"en": "What changed", "fi": "Mikä muuttui"},
    "changes": {"en": "What changed since {wave}", "fi": "Mikä muuttui aallosta {wave}"},
    "changes_help": {
        "en": "Share of respondents per wave. Grown or shrunk: the change is beyond chance (Fisher's exact test on "
              "the respondent counts, p < 0.05). Themes are matched across waves by content and keep their ids.",
        "fi": "Osuus vastaajista aalloittain. Kasvanut tai pienentynyt: muutos on sattumaa suurempi (Fisherin tarkka "
              "testi vastaajamääristä, p < 0,05). Teemat yhdistetään aaltojen välillä sisällön perusteella, ja ne "
              "pitävät tunnuksensa.",
    },
    "trend_grown": {"en": "grown", "fi": "kasvanut"},
    "trend_shrunk": {"en": "shrunk", "fi": "pienentynyt"},
    "trend_new": {"en": "new", "fi": "uusi"},
    "trend_vanished": {"en": "vanished", "fi": "kadonnut"},
    "trend_no clear change": {"en": "no clear change", "fi": "ei selvää muutosta"},
    "new_themes": {"en": "New themes", "fi": "Uudet teemat"},
    "vanished_themes": {"en": "Vanished themes", "fi": "Kadonneet teemat"},
    "change_col": {"en": "Change", "fi": "Muutos"},
    "counts_col": {"en": "Counts (now / before)", "fi": "Määrät (nyt / ennen)"},
    "trend_col": {"en": "Trend", "fi": "Suunta"},
    "deadlines": {"en": "Actions with an owner and a deadline",
                  "fi": "Toimenpiteet, joilla on vastuuhenkilö ja määräaika"},
    "owner_col": {"en": "Owner", "fi": "Vastuu"},
    "due_col": {"en": "By when", "fi": "Määräaika"},
    "verdict_col": {"en": "After the deadline", "fi": "Määräajan jälkeen"},
    "filters": {"en": "Filter respondents", "fi": "Rajaa vastaajia"},
    "all": {"en": "All", "fi": "Kaikki"},
    "clear_filters": {"en": "Clear", "fi": "Tyhjennä"},
    "filtered_note": {"en": "Showing {n} of {total} respondents", "fi": "Näytetään {n}/{total} vastaajaa"},
    "journey": {"en": "Customer journey", "fi": "Asiakaspolku"},
    "journey_help": {
        "en": "Each cell counts the respondents with a success or a failure at that stage; the darker, the more. "
              "Click a cell for its issues.",
        "fi": "Kukin solu kertoo, monellako vastaajalla on vaiheessa onnistuminen tai epäonnistuminen; "
              "mitä tummempi, sitä useammalla. Napsauta solua nähdäksesi sen havainnot.",
    },
    "failures": {"en": "Failures", "fi": "Epäonnistumiset"},
    "successes": {"en": "Successes", "fi": "Onnistumiset"},
    "failure": {"en": "failure", "fi": "epäonnistuminen"},
    "success": {"en": "success", "fi": "onnistuminen"},
    "neutral": {"en": "neutral", "fi": "neutraali"},
    "unplaced": {"en": "Not placed", "fi": "Ei vaihetta"},
    "issues": {"en": "Ranked issues", "fi": "Havainnot järjestyksessä"},
    "issues_help": {
        "en": "Issue = theme × stage × success or failure. Ranked by how many respondents mention it; "
              "failures first. Every count traces back to segments.csv.",
        "fi": "Havainto = teema × vaihe × onnistuminen tai epäonnistuminen. Järjestetty sen mukaan, moniko "
              "vastaaja mainitsee sen; epäonnistumiset ensin. Jokainen luku löytyy segments.csv:stä.",
    },
    "rank": {"en": "#", "fi": "#"},
    "issue": {"en": "Issue", "fi": "Havainto"},
    "stage": {"en": "Stage", "fi": "Vaihe"},
    "polarity": {"en": "Success / failure", "fi": "Onnistuminen / epäonnistuminen"},
    "mentions": {"en": "Mentions", "fi": "Mainintoja"},
    "respondents_col": {"en": "Respondents", "fi": "Vastaajia"},
    "quotes": {"en": "What people said", "fi": "Mitä sanottiin"},
    "all_stages": {"en": "All stages", "fi": "Kaikki vaiheet"},
    "all_polarities": {"en": "Failures and successes", "fi": "Epäonnistumiset ja onnistumiset"},
    "show_all": {"en": "Show all {n}", "fi": "Näytä kaikki {n}"},
    "show_fewer": {"en": "Show fewer", "fi": "Näytä vähemmän"},
    "no_issues": {"en": "No issues match.", "fi": "Ei havaintoja näillä rajauksilla."},
    "subthemes_n": {"en": "{n} sub-themes", "fi": "{n} alateemaa"},
    "respondents_n": {"en": "{n} respondents", "fi": "{n} vastaajaa"},
    # its theme's respondents of that polarity at every stage, when the tagger split the theme over stages
    "every_stage_n": {"en": "{n} at every stage", "fi": "{n} kaikissa vaiheissa"},
    # an issue's interviewees and how many of them it rests on one statement of (pipeline.rank.interviewee_counts)
    "interviewees_n": {"en": "{n} of them interviewed, {one} in one statement",
                       "fi": "joista haastateltuja {n}, yhdessä lausumassa {one}"},
    "no_quote_here": {"en": "No quote from the selected respondents.", "fi": "Ei lainausta valituilta vastaajilta."},
    "metrics": {"en": "Metrics", "fi": "Mittarit"},
    "no_metrics": {"en": "The material has no NPS, CSAT or CES scores.",
                   "fi": "Aineistossa ei ole NPS-, CSAT- tai CES-lukuja."},
    "nps": {"en": "NPS", "fi": "NPS"},
    "nps_help": {"en": "Net Promoter Score: % promoters (9-10) minus % detractors (0-6), of {n} respondents "
                       "who gave a score.",
                 "fi": "Suositteluindeksi: suosittelijoiden (9-10) osuus miinus arvostelijoiden (0-6) osuus, "
                       "{n} pisteen antaneesta vastaajasta."},
    "ci": {"en": "95% interval", "fi": "95 %:n luottamusväli"},
    "promoters": {"en": "promoters", "fi": "suosittelijat"},
    "passives": {"en": "passives", "fi": "passiiviset"},
    "detractors": {"en": "detractors", "fi": "arvostelijat"},
    "mean_score": {"en": "mean score", "fi": "keskiarvo"},
    "csat": {"en": "CSAT", "fi": "CSAT"},
    "csat_help": {"en": "Satisfied: {good_from}-{top} on a {bottom}-{top} scale.",
                  "fi": "Tyytyväiset: {good_from}-{top} asteikolla {bottom}-{top}."},
    "ces": {"en": "CES", "fi": "CES"},
    "ces_help": {"en": "Customer effort, higher = easier. Easy: {good_from}-{top} on a {bottom}-{top} scale.",
                 "fi": "Asiakkaan vaivannäkö, suurempi = helpompi. Helppo: {good_from}-{top} asteikolla "
                       "{bottom}-{top}."},
    "satisfied": {"en": "satisfied", "fi": "tyytyväisiä"},
    "easy": {"en": "found it easy", "fi": "koki helpoksi"},
    "distribution": {"en": "Scores", "fi": "Pisteet"},
    "impact": {"en": "Themes and NPS", "fi": "Teemat ja NPS"},
    "impact_help": {
        "en": "For each theme: NPS of the respondents who mention it against those who do not, and how many "
              "points the NPS would rise if the theme's detractors became passives (impact). Ranked by impact.",
        "fi": "Kullekin teemalle: sen maininneiden vastaajien NPS verrattuna muihin, ja montako pistettä NPS "
              "nousisi, jos teeman maininneet arvostelijat muuttuisivat passiivisiksi (vaikutus). Järjestetty "
              "vaikutuksen mukaan.",
    },
    "theme": {"en": "Theme", "fi": "Teema"},
    "mentioning": {"en": "Mention it", "fi": "Maininneet"},
    "not_mentioning": {"en": "Others", "fi": "Muut"},
    "difference": {"en": "Difference", "fi": "Ero"},
    "impact_col": {"en": "Impact (NPS points)", "fi": "Vaikutus (NPS-pistettä)"},
    "theme_explorer": {"en": "Themes", "fi": "Teemat"},
    "theme_help": {"en": "Every theme with its keywords, stage and polarity mix and all its statements.",
                   "fi": "Jokainen teema avainsanoineen, vaihe- ja sävyjakaumineen sekä kaikkine lausumineen."},
    "search": {"en": "Search themes and quotes", "fi": "Hae teemoista ja lainauksista"},
    "keywords": {"en": "Keywords", "fi": "Avainsanat"},
    "frames_help": {"en": "Every statement is also tagged with the frame's label it is closest to, when it is close "
                             "enough. Respondents: distinct respondents with a statement under the label.",
                    "fi": "Jokainen lausuma luokitellaan myös kehikon lähimpään luokkaan, kun se on riittävän lähellä. "
                          "Vastaajat: eri vastaajat, joilla on lausuma luokassa."},
    "frame_label": {"en": "Label", "fi": "Luokka"},
    "codebook": {"en": "Codebook", "fi": "Koodikirja"},
    "not_relevant": {"en": "not relevant (codebook): not ranked", "fi": "ei olennainen (koodikirja): ei listata"},
    "codebook_notices": {"en": "Codebook and coded statements: not applied", "fi": "Koodikirja ja käsin koodatut: "
                                                                                    "ei käytetty"},
    "stage_mix": {"en": "Stages", "fi": "Vaiheet"},
    "polarity_mix": {"en": "Polarity", "fi": "Sävy"},
    "all_quotes": {"en": "All {n} statements", "fi": "Kaikki {n} lausumaa"},
    "no_match": {"en": "No theme matches.", "fi": "Yksikään teema ei vastaa hakua."},
    "method": {"en": "Method", "fi": "Menetelmä"},
    "method_read": {
        "en": "{files} files read: {statements} respondent statements from {respondents} respondents; {coded} of "
              "them in a theme.",
        "fi": "{files} tiedostoa luettu: {statements} vastaajan lausumaa {respondents} vastaajalta; niistä "
              "{coded} kuuluu johonkin teemaan.",
    },
    "set_aside": {"en": "Statements not coded", "fi": "Koodaamatta jääneet lausumat"},
    "reason_non-answer": {"en": "non-answer (\"-\", \"no comment\")", "fi": "ei vastausta (\"-\", \"ei kommenttia\")"},
    "reason_small talk": {"en": "small talk (\"Okay, I see.\", thanks, \"can you hear me?\")",
                          "fi": "keskustelun ylläpitoa (\"Joo, selvä.\", kiitokset, \"kuuluuko?\")"},
    "reason_question echo": {"en": "the end of the question repeated in the answer (\"quality issue?\")",
                             "fi": "kysymyksen loppu toistettuna vastauksessa (\"laatuongelma?\")"},
    "reason_too short": {"en": "three words or fewer, with no content (\"Yes, it was.\")",
                         "fi": "enintään kolme sanaa, ei sisältöä (\"Ei ollut.\")"},
    "reason_other language": {"en": "in a language other than Finnish or English (see Read, with warnings)",
                              "fi": "muulla kuin suomen tai englannin kielellä (katso Luettu, huomautuksin)"},
    "reason_no close theme": {"en": "no close theme", "fi": "ei lähellä mitään teemaa"},
    "reason_interviewer": {"en": "interviewer turns (kept for context, never counted)",
                           "fi": "haastattelijan puheenvuorot (kontekstina, ei lasketa)"},
    "files": {"en": "Files", "fi": "Tiedostot"},
    "file": {"en": "File", "fi": "Tiedosto"},
    "source": {"en": "Source", "fi": "Lähde"},
    "settings": {"en": "Models and settings", "fi": "Mallit ja asetukset"},
    "not_read": {"en": "Not read", "fi": "Lukematta jääneet"},
    "all_read": {"en": "Every file was read.", "fi": "Kaikki tiedostot luettiin."},
    "read_with_warnings": {"en": "Read, with warnings", "fi": "Luettu, huomautuksin"},
    "footer": {"en": "Every count traces back to statements in segments.csv (segment ids in issues.csv).",
               "fi": "Jokainen luku palautuu segments.csv:n lausumiin (lausumien tunnisteet issues.csv:ssä)."},
    "report_lang": {"en": "report language", "fi": "raportin kieli"},
    "current_wave": {"en": "current", "fi": "nykyinen"},  # the wave of a study without waves
    "date": {"en": "date", "fi": "päivämäärä"},
    "interview": {"en": "interview", "fi": "haastattelu"},
    "feedback": {"en": "feedback", "fi": "palaute"},
    "lang": {"en": "Language", "fi": "Kieli"},
    "lang_fi": {"en": "Finnish", "fi": "suomi"},
    "lang_en": {"en": "English", "fi": "englanti"},
    "statements_col": {"en": "Statements", "fi": "Lausumia"},
    "detractors_col": {"en": "Detractors", "fi": "Arvostelijoita"},
    "mean_col": {"en": "Mean score", "fi": "Keskiarvo"},
    "legend": {"en": "Colours", "fi": "Värit"},
    "of_respondents": {"en": "of respondents", "fi": "vastaajista"},
}


# The run's settings (StudyResult.settings) as the Finnish report names them; English shows the keys as they are.
SETTING_NAMES_FI = {
    "teema": "teema-versio", "embedder": "upotusmalli", "theme_min_size": "teeman vähimmäiskoko",
    "stages": "vaiheet", "polarity": "suunta", "english_statements": "englanninkieliset lausumat",
    "frames": "kehykset", "coded_by_hand": "käsin koodatut", "codebook": "koodikirja", "date": "päivä",
    "redaction": "henkilötietojen peitto",
}
SETTING_VALUES_FI = {"none": "ei", "on": "päällä", "off": "pois", "auto": "automaattinen"}


def setting_rows(settings: dict[str, str], lang: str) -> dict[str, str]:
    """The settings table in the report's language (names and the plain values none / on / off / auto)."""
    if lang != "fi":
        return dict(settings)
    return {SETTING_NAMES_FI.get(key, key): SETTING_VALUES_FI.get(str(value), value) for key, value in settings.items()}


def t(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang`, with {placeholders} filled."""
    text = STRINGS[key].get(lang) or STRINGS[key]["en"]
    return text.format(**values) if values else text


def material_language(segments: pd.DataFrame) -> str:
    """'fi' or 'en': the language of most respondent statements (Finnish on a tie)."""
    rows = segments[segments["role"] == "respondent"] if "role" in segments else segments
    counts = rows["lang"].value_counts() if "lang" in rows else pd.Series(dtype=int)
    fi, en = int(counts.get("fi", 0)), int(counts.get("en", 0))
    return "fi" if fi >= en and fi > 0 else "en"


def choose_language(requested: str, segments: pd.DataFrame) -> str:
    """`requested` when it is fi or en, else the material's language."""
    return requested if requested in LANGS else material_language(segments)


def number(value: float, lang: str, digits: int = 0) -> str:
    """A number with the language's decimal mark and a minus sign; '–' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    text = text.replace("-", "−")
    return text.replace(".", ",") if lang == "fi" else text


def percent(share: float, lang: str, digits: int = 0) -> str:
    """0.114 -> '11%' (English) or '11 %' (Finnish)."""
    text = number(100 * share, lang, digits)
    return f"{text}\u00a0%" if lang == "fi" else f"{text}%"
