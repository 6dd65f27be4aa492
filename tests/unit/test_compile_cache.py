"""The on-disk store of compiled Jinja code (tutor_eks_plugin.compile_cache) and the
compile wrapper that uses it: code round-trips and renders the same, every input of
the compile changes the entry, an unsafe or broken store is never read, config values
(possibly passwords) never reach the disk, and two real `tutor config save` runs, one
filling the store and one reading it, write the same env as a run without it."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
from eks_in_process import eks_plugin_in_process
from tutor import config as tutor_config
from tutor import env as tutor_env
from tutor_cli import TUTOR

from tutor_eks_plugin import compile_cache, tutor_internals


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> t.Iterator[Path]:
    """The process's store pointed at an empty private folder, and nothing compiled in
    memory, so that every compile goes through the store."""
    folder = tmp_path / "store"
    monkeypatch.setenv(compile_cache.ENV_VAR, str(folder))
    compile_cache.reset()
    monkeypatch.setattr(tutor_internals, "_COMPILED", {})
    monkeypatch.setattr(tutor_internals, "_OUTPUTS", {})
    yield folder
    compile_cache.reset()


def _code(text: str) -> t.Any:
    return compile(text, "<test>", "exec")


def test_code_round_trips_through_the_store(store_dir: Path) -> None:
    store = compile_cache.store()
    store.put("k", _code("answer = 6 * 7"))
    found: dict[str, t.Any] = {}
    exec(store.get("k"), found)  # noqa: S102 - the code this test just stored
    assert found["answer"] == 42
    assert store.get("absent") is None
    assert (store_dir.stat().st_mode & 0o777) == 0o700


@pytest.mark.parametrize("change", [0, 1, 2, 3, 4])
def test_every_compile_input_changes_the_entry(change: int) -> None:
    parts = ["{{ x }}", "a.yml", "/t/a.yml", False, ("inputs", 1)]
    changed = list(parts)
    changed[change] = {0: "{{ y }}", 1: "b.yml", 2: "/t/b.yml", 3: True, 4: ("inputs", 2)}[change]
    assert compile_cache.digest(tuple(parts)) != compile_cache.digest(tuple(changed))


def test_the_digest_is_the_same_in_another_process() -> None:
    """Compile inputs hold functions (filters, finalize): their repr holds a memory
    address, which must not reach the digest, or no process would find another's code."""
    script = (
        "from tutor_eks_plugin import compile_cache, tutor_internals\n"
        "from tutor import env\n"
        "print(compile_cache.digest(('{{ x }}', 'n', 'f', False, "
        "tutor_internals._compile_inputs(env.JinjaEnvironment()))))\n"
    )
    digests = {subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                              text=True).stdout.strip() for _ in range(2)}
    assert len(digests) == 1 and len(digests.pop()) == 64


def test_a_store_others_may_write_to_is_not_used(store_dir: Path) -> None:
    store_dir.mkdir(mode=0o700)
    os.chmod(store_dir, 0o777)  # noqa: S103 - the unsafe folder under test
    store = compile_cache.store()
    store.put("k", _code("x = 1"))
    assert not store.usable()
    assert list(store_dir.iterdir()) == []
    (store_dir / "planted").write_bytes(b"")
    assert store.get("planted") is None


def test_a_corrupt_entry_is_compiled_again(store_dir: Path) -> None:
    store = compile_cache.store()
    store.put("k", _code("x = 1"))
    (store_dir / "k").write_bytes(b"\x00not marshal")
    assert store.get("k") is None


def test_the_store_starts_over_when_full(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compile_cache, "MAX_ENTRIES", 3)
    store = compile_cache.store()
    for n in range(3):
        store.put(f"k{n}", _code(f"x = {n}"))
    store.put("k3", _code("x = 3"))
    assert sorted(p.name for p in store_dir.iterdir()) == ["k3"]


@pytest.mark.parametrize("value", ["off", "OFF", "", "0", "false"])
def test_the_variable_turns_the_store_off(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(compile_cache.ENV_VAR, value)
    assert compile_cache.default_directory() is None
    assert not compile_cache.Store(None).usable()


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(compile_cache.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert compile_cache.default_directory() == str(tmp_path / "tutor-eks" / "jinja")


def test_config_values_never_reach_the_disk_but_templates_and_patches_do(
    store_dir: Path, tmp_path: Path,
) -> None:
    """A password the user set, even one Jinja must render (`tutor config save --set`
    renders it; render_full renders every value), is compiled in memory only."""
    secret = "s3cr3t-{{ 'x' }}-" + "Q" * 12
    with eks_plugin_in_process(mark_loaded=True):
        config = tutor_config.load_full(str(tmp_path / "root"))
        config["OPENEDX_MYSQL_PASSWORD"] = secret
        tutor_config.render_full(config)
        assert config["OPENEDX_MYSQL_PASSWORD"] == "s3cr3t-x-" + "Q" * 12
        assert tutor_env.render_unknown(config, secret) == "s3cr3t-x-" + "Q" * 12
        renderer = tutor_env.Renderer(config)
        templates = ("k8s/deployments.yml", "k8s/override.yml", "kustomization.yml")
        for name in templates:
            renderer.render_template(name)
    entries = list(store_dir.iterdir())
    assert len(entries) > len(templates) + 3  # the templates and the plugin's patches
    for entry in entries:
        assert b"QQQQQQQQQQQQ" not in entry.read_bytes(), entry


def _save(root: Path, cache: str) -> None:
    env = {**os.environ, "TUTOR_ROOT": str(root), compile_cache.ENV_VAR: cache}
    subprocess.run([TUTOR, "config", "save"], env=env, check=True, capture_output=True)


def _same_tree(left: Path, right: Path) -> list[str]:
    differ: list[str] = []
    compared = filecmp.dircmp(left, right)
    differ += compared.left_only + compared.right_only + compared.diff_files
    for sub in compared.common_dirs:
        differ += _same_tree(left / sub, right / sub)
    return differ


def test_tutor_config_save_writes_the_same_env_from_the_store(tmp_path: Path) -> None:
    """The consumer: real `tutor config save` runs. The first fills an empty store, the
    second (another root, the same config.yml) reads every template from it, the third
    has the store off; the three env folders are the same, file for file."""
    store = tmp_path / "store"
    first, second, plain = tmp_path / "first", tmp_path / "second", tmp_path / "plain"
    first.mkdir()
    env = {**os.environ, "TUTOR_ROOT": str(first), compile_cache.ENV_VAR: str(store)}
    subprocess.run([TUTOR, "plugins", "enable", "eks"], env=env, check=True, capture_output=True)
    # Saved again: the first save renders before Tutor adds its default plugins (mfe),
    # so the plugins load in another order than from the config.yml it then writes.
    _save(first, str(store))
    for root in (second, plain):
        root.mkdir()
        (root / "config.yml").write_bytes((first / "config.yml").read_bytes())
    stored = len(list(store.iterdir()))
    assert stored > 50
    _save(second, str(store))
    assert len(list(store.iterdir())) == stored  # nothing new to compile: all read back
    _save(plain, "off")
    assert _same_tree(first / "env", second / "env") == []
    assert _same_tree(first / "env", plain / "env") == []
