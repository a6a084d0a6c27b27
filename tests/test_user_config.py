"""The per-user config: packs listed in config.toml are used on every run, behind the
packs of --pack and in front of the built-in one; a bad config gets a message."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from conftest import ROOT
from lettergen.cli import main
from lettergen.errors import PackError
from lettergen.letters.templates import find_template
from lettergen.packs.folder import open_packs
from lettergen.packs.manifest import CONFIG_ENV, config_dir, config_path, read_config

ADVOCATE = ROOT / "tests" / "fixtures" / "packs" / "advocate"


def _config(folder: Path, text: str) -> Path:
    path = folder / "config.toml"
    path.write_text(text, "utf-8")
    return path


def test_tests_run_with_an_empty_config_folder_of_their_own(user_config_dir):
    assert os.environ[CONFIG_ENV] == str(user_config_dir)
    assert config_path() == user_config_dir / "config.toml"
    assert not any(user_config_dir.iterdir())
    assert read_config() == ()
    assert [p.name for p in open_packs([], user_config=True)] == ["built-in"]


def test_without_the_variable_the_platform_folder_is_used(monkeypatch):
    monkeypatch.delenv(CONFIG_ENV)
    assert config_dir() == Path(platformdirs.user_config_dir("lettergen", appauthor=False))


def test_config_packs_stand_behind_pack_and_in_front_of_the_built_in(user_config_dir,
                                                                       tmp_path, capsys):
    _config(user_config_dir, f'packs = ["{ADVOCATE}"]\n')
    packs = open_packs([], user_config=True)
    assert [p.name for p in packs] == ["Central Texas Health Advocates", "built-in"]
    assert open_packs([]) == (packs[-1],)  # the library reads the config only when asked

    front = tmp_path / "front"
    front.mkdir()
    source = (ADVOCATE / "itemized-bill-request.md").read_text("utf-8")
    (front / "itemized-bill-request.md").write_text(
        source.replace('title = "Request for an itemized bill"', 'title = "Front pack bill"'),
        "utf-8")
    packs = open_packs([str(front)], user_config=True)
    assert [p.name for p in packs] == ["front", "Central Texas Health Advocates", "built-in"]
    assert find_template("itemized-bill-request", packs).title == "Front pack bill"
    assert find_template("intake-summary", packs).pack.name == "Central Texas Health Advocates"

    assert main(["list"]) == 0  # the command line reads the config
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if line.startswith("intake-summary "))
    assert row.endswith(" 1.2.0") and "Central Texas" in row
    assert next(line for line in lines if line.startswith("records-request ")).endswith(
        "built-in")
    assert max(len(line) for line in lines) <= 100


def test_a_pack_named_twice_is_used_once(user_config_dir):
    _config(user_config_dir, f'packs = ["{ADVOCATE}"]\n')
    packs = open_packs([str(ADVOCATE)], user_config=True)
    assert [p.name for p in packs] == ["Central Texas Health Advocates", "built-in"]


def test_a_relative_path_is_read_from_the_config_folder(user_config_dir):
    (user_config_dir / "packs" / "ours").mkdir(parents=True)
    _config(user_config_dir, 'packs = ["packs/ours"]\n')
    assert read_config() == ((user_config_dir / "packs" / "ours").resolve(),)


@pytest.mark.parametrize("text, words", [
    ('pack = ["/x"]\n', "config.toml, line 1: [pack]: unknown key; did you mean 'packs'?"),
    ('packs = "/x"\n', 'config.toml, line 1: [packs]: expected a list of pack folders'),
    ('\n\npacks = ["/no/such/pack"]\n', 'config.toml, line 3: [packs]: item 1, '
                                         '"/no/such/pack": no such folder'),
    ('packs = [\n', "config.toml, end of file: not valid TOML"),
    ('packs = [1 2]\n', "config.toml, line 1, column 12: not valid TOML"),
])
def test_a_bad_config_is_refused_naming_the_file_and_line(user_config_dir, capsys, text,
                                                         words):
    path = _config(user_config_dir, text)
    with pytest.raises(PackError) as caught:
        read_config()
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert main(["list"]) == 1
    assert words in capsys.readouterr().err


def test_a_long_pack_name_keeps_list_within_100_columns(tmp_path, capsys):
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "pack.toml").write_text('[pack]\nname = "' + "Very Long Organisation Name " * 4
                                      + '"\nversion = "10.20.30"\n', "utf-8")
    (folder / "intake-summary.md").write_text(
        (ADVOCATE / "intake-summary.md").read_text("utf-8"), "utf-8")
    assert main(["list", "--pack", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 100
    row = next(line for line in lines if line.startswith("intake-summary "))
    assert row.endswith("... 10.20.30") and "Very Long" in row
