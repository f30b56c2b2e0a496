"""Generated NPS feedback for speed and scale runs: many rows, mostly distinct, Finnish and English.

Not for quality: the words are drawn from a few dozen CX phrases, so themes exist but are easy. Seeded, so a
size gives the same rows on every run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FI_SUBJECTS = ["Lasku", "Asiakaspalvelu", "Sovellus", "Myyjä", "Sopimus", "Asennus", "Hinnasto", "Verkkosivu",
               "Tilaus", "Toimitus", "Puhelinpalvelu", "Chat", "Uusiminen", "Hyvityspyyntö"]
FI_PREDICATES = ["oli väärin", "toimi hyvin", "oli hidas", "oli selkeä", "kaatui kesken", "oli ystävällinen",
                 "vei liikaa aikaa", "ylitti odotukset", "jäi epäselväksi", "oli kallis", "onnistui nopeasti",
                 "vaati monta yhteydenottoa"]
FI_TAILS = ["", "taas", "tällä kertaa", "viime kuussa", "heti alussa", "kuten aina", "yllättäen", "kolmannen kerran",
            "vaikka lupasitte muuta", "ja olin tyytyväinen", "ja jouduin soittamaan uudelleen"]
EN_SUBJECTS = ["The invoice", "Customer support", "The app", "The salesperson", "The contract", "The installation",
               "The price list", "The website", "The order", "The delivery", "The phone service", "The chat",
               "The renewal", "The refund request"]
EN_PREDICATES = ["was wrong", "worked well", "was slow", "was clear", "crashed halfway", "was friendly",
                 "took far too long", "exceeded my expectations", "was confusing", "was expensive",
                 "went through quickly", "needed several calls"]
EN_TAILS = ["", "again", "this time", "last month", "right at the start", "as always", "to my surprise",
            "for the third time", "although you promised otherwise", "and I was happy", "and I had to call again"]


def feedback_rows(n: int, seed: int = 0, english_share: float = 0.5) -> pd.DataFrame:
    """`n` answers (id, nps, date, answer): one or two statements each, three in ten in English by default."""
    rng = np.random.default_rng(seed)
    english = rng.random(n) < english_share
    answers = []
    for i in range(n):
        subjects, predicates, tails = (EN_SUBJECTS, EN_PREDICATES, EN_TAILS) if english[i] else \
            (FI_SUBJECTS, FI_PREDICATES, FI_TAILS)
        parts = []
        for _ in range(1 + int(rng.random() < 0.4)):
            tail = tails[int(rng.integers(len(tails)))]
            subject = subjects[int(rng.integers(len(subjects)))]
            predicate = predicates[int(rng.integers(len(predicates)))]
            parts.append(f"{subject} {predicate}{' ' + tail if tail else ''}.")
        order = f" (tilaus {int(rng.integers(10_000, 99_999))})" if rng.random() < 0.3 else ""
        answers.append(" ".join(parts) + order)
    return pd.DataFrame({"id": [f"R{i:07d}" for i in range(n)], "nps": rng.integers(0, 11, n),
                         "date": "2026-11-15", "answer": answers})


def write_study(folder: Path, n: int, model: str, seed: int = 0, english_share: float = 0.5,
                extra_toml: str = "") -> Path:
    """A study folder with `n` generated feedback rows in palaute.csv and a teema.toml for them."""
    folder.mkdir(parents=True, exist_ok=True)
    feedback_rows(n, seed, english_share).to_csv(folder / "palaute.csv", index=False)
    (folder / "teema.toml").write_text(
        f'[study]\nname = "generated"\nwave_period = "none"\n[feedback]\ntext_column = "answer"\nid_column = "id"\n'
        f'date_column = "date"\nnps_column = "nps"\n[embed]\nmodel = "{model}"\n{extra_toml}', encoding="utf-8")
    return folder
