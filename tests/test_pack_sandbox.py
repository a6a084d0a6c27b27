"""A template pack is data, never code: hostile packs against the sandbox and its limits.

Each folder of ``tests/fixtures/hostile-packs`` is one trick, a pack whose
``itemized-bill-request.md`` replaces the built-in one. Tricks that cannot be kept as
files in git (symlinks, a 10 MB template) are made here. Each is built through the
command line, as a user would run it, in a child process with a generous hang guard,
and must end in exit 1 with a message naming the pack, the file and, where there is
one, the line; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest

from conftest import EXAMPLES, case_file
from lettergen.case.casefile import load_case
from lettergen.letters.render import letter_context
from lettergen.letters.sandbox import PackSandbox
from lettergen.letters.templates import environment, list_templates
from lettergen.packs.folder import open_packs
from lettergen.template_types import is_template_value

FIXTURES = Path(__file__).parent / "fixtures" / "hostile-packs"
LETTER = "itemized-bill-request"
HEADER = ('+++\ntitle = "Hostile"\nto = "provider"\npurpose = "a trick"\nwhen = "never"\n'
          "+++\n")
HANG_GUARD = 90  # seconds: a hang fails the test instead of stalling CI


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lettergen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=HANG_GUARD,
                          env={**os.environ, "NO_COLOR": "1"})


def build_with(pack: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    case = case_file(tmp_path, "er-out-of-network")
    return run_cli("build", str(case), "-l", LETTER, "-o", str(tmp_path / "out"),
                   "--pack", str(pack), cwd=tmp_path)


def assert_refused(result: subprocess.CompletedProcess[str], pack: Path, tmp_path: Path,
                   *, line: bool = True) -> str:
    message = result.stderr
    assert result.returncode == 1, message
    assert "Traceback" not in message
    assert f"pack {pack.name}" in message and f"{LETTER}.md" in message, message
    if line:
        assert "line " in message, message
    assert not (tmp_path / "out").exists(), "something was written"
    return message


def write_pack(tmp_path: Path, body: str, name: str = "trick") -> Path:
    pack = tmp_path / name
    pack.mkdir()
    (pack / f"{LETTER}.md").write_text(HEADER + "Dear {{ provider.name }},\n\n" + body + "\n",
                                       "utf-8")
    return pack


# --- 1. no path, file or live object reaches a template --------------------------------


def _walk(value, where, seen, problems, env: PackSandbox, depth=0):
    """Every object a template can reach from ``value`` by public attributes, items
    and keys; a problem for each that is not a template value."""
    if id(value) in seen or depth > 12:
        return
    seen.add(id(value))
    if callable(value) and not isinstance(value, type):
        own = getattr(value, "lettergen_template_function", False)
        bound = is_template_value(getattr(value, "__self__", None)) and \
            getattr(value, "__self__", None) is not None
        if not (own or bound):
            problems.append(f"{where}: callable {value!r}")
        return
    if not env.readable(value):
        problems.append(f"{where}: {type(value).__module__}.{type(value).__name__}")
        return
    if isinstance(value, (str, int, float, Decimal, dt.date)) or value is None:
        return
    if isinstance(value, (tuple, list, frozenset)):
        for i, item in enumerate(value):
            _walk(item, f"{where}[{i}]", seen, problems, env, depth + 1)
        return
    if isinstance(value, (dict, MappingProxyType)):
        for key, item in value.items():
            _walk(key, f"{where} key", seen, problems, env, depth + 1)
            _walk(item, f"{where}[{key!r}]", seen, problems, env, depth + 1)
        return
    for name in dir(value):
        if name.startswith("_"):
            continue
        try:
            item = getattr(value, name)
        except Exception:  # a derived fact that does not apply to this case
            continue
        _walk(item, f"{where}.{name}", seen, problems, env, depth + 1)


FULL_CASES = sorted(p.stem for p in EXAMPLES.glob("*.toml") if p.stem != "base")


@pytest.mark.parametrize("example", FULL_CASES)
def test_the_context_holds_only_template_values(example):
    """Walk everything every letter of every example can reach: only plain values,
    the project's registered value types and its own functions."""
    case = load_case(EXAMPLES / f"{example}.toml")
    packs = open_packs([])
    env = environment(packs)
    problems: list[str] = []
    for info in list_templates(packs):
        context, _ = letter_context(info, case)
        for name, value in context.items():
            _walk(value, name, set(), problems, env)
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_the_walk_finds_a_path(tmp_path):
    """The walk above can fail: a Path in a context is reported."""
    env = environment(open_packs([]))
    problems: list[str] = []
    _walk({"letter": (tmp_path,)}, "ctx", set(), problems, env)
    assert problems and "Path" in problems[0]


ESCAPES = ["letter.path", "letter.pack.root", "facts.case.source_path"]
METHODS = ['read_text()', 'write_text("pwned")', 'unlink()', 'open("w")', 'iterdir() | list',
           'glob("*") | list']


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ESCAPES)
def test_no_path_object_is_reachable(tmp_path, path, method):
    target = tmp_path / "victim.txt"
    target.write_text("secret", "utf-8")
    body = f'{{{{ {path}.joinpath("{target}").{method} }}}}'
    pack = write_pack(tmp_path, body)
    result = build_with(pack, tmp_path)
    assert_refused(result, pack, tmp_path)
    assert target.read_text("utf-8") == "secret"
    assert "secret" not in result.stdout + result.stderr


def test_check_with_a_hostile_pack_exits_1_naming_the_template(tmp_path):
    pack = write_pack(tmp_path, '{{ letter.path.joinpath("/etc/passwd").read_text() }}')
    case = case_file(tmp_path, "er-out-of-network")
    result = run_cli("check", str(case), "--pack", str(pack), cwd=tmp_path)
    assert result.returncode == 1
    assert f"pack {pack.name}, {LETTER}.md, line" in result.stderr
    assert "root:" not in result.stdout + result.stderr


# --- the fixture packs --------------------------------------------------------------------

# trick -> words the message must hold
TRICKS = {
    "huge-power": "too large",
    "huge-repeat": "repeated",
    "huge-list-repeat": "repeated",
    "huge-width-percent": "field width",
    "huge-width-format": "field width",
    "huge-width-format-filter": "field width",
    "huge-center-filter": "width or count",
    "huge-ljust-method": "width or count",
    "huge-range": "range",
    "doubling-join": "characters",
    "nested-loops": "seconds",
    "endless-output": "characters",
    "macro-recursion": "calls itself",
    "macro-fanout": "seconds",
    "dunder-class": "unsafe",
    "globals-via-cycler": "unsafe",
    "globals-via-function": "unsafe",
    "private-case": "unsafe",
    "list-append": "unsafe",
}


def test_every_fixture_pack_has_a_test():
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} == set(TRICKS) | {
        "include-outside", "bad-needs-type", "bad-front-matter-key", "not-utf8"}


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_hostile_pack_is_refused(tmp_path, trick):
    pack = tmp_path / trick
    shutil.copytree(FIXTURES / trick, pack)
    message = assert_refused(build_with(pack, tmp_path), pack, tmp_path)
    assert TRICKS[trick] in message, message
    assert not Path("/tmp/lettergen-pwned").exists()


def test_include_outside_the_pack_is_refused(tmp_path):
    pack = tmp_path / "include-outside"
    shutil.copytree(FIXTURES / "include-outside", pack)
    message = assert_refused(build_with(pack, tmp_path), pack, tmp_path, line=False)
    assert "no pack has" in message


@pytest.mark.parametrize("trick, words", [
    ("bad-needs-type", "`needs` must be a list of text"),
    ("bad-front-matter-key", "did you mean `plan_types`"),
    ("not-utf8", "not UTF-8"),
])
def test_broken_pack_files_get_a_message(tmp_path, trick, words):
    pack = tmp_path / trick
    shutil.copytree(FIXTURES / trick, pack)
    message = assert_refused(build_with(pack, tmp_path), pack, tmp_path, line=False)
    assert words in message
    listed = run_cli("list", "--pack", str(pack), cwd=tmp_path)
    assert listed.returncode == 1 and words in listed.stderr and "Traceback" not in listed.stderr


# --- 2. symlinks -----------------------------------------------------------------------

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="symlinks need privileges on Windows")


@needs_symlinks
def test_a_partial_linked_outside_the_pack_is_refused(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("root:x:0:0 SECRET", "utf-8")
    pack = tmp_path / "linked"
    (pack / "_partials").mkdir(parents=True)
    (pack / "_partials" / "letterhead.md").symlink_to(secret)
    result = build_with(pack, tmp_path)
    assert result.returncode == 1
    assert "pack linked, _partials/letterhead.md" in result.stderr
    assert "outside the pack" in result.stderr
    assert "SECRET" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


@needs_symlinks
def test_a_letter_linked_outside_the_pack_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(HEADER + "SECRET\n", "utf-8")
    pack = tmp_path / "linked"
    pack.mkdir()
    (pack / f"{LETTER}.md").symlink_to(outside)
    for args in (["list"], ["show", LETTER]):
        result = run_cli(*args, "--pack", str(pack), cwd=tmp_path)
        assert result.returncode == 1 and "outside the pack" in result.stderr
        assert "SECRET" not in result.stdout


@needs_symlinks
def test_a_link_inside_the_pack_is_fine(tmp_path):
    pack = tmp_path / "linked"
    (pack / "_partials").mkdir(parents=True)
    (pack / "_partials" / "real.md").write_text("**Our Advocacy Office**\n\n", "utf-8")
    (pack / "_partials" / "letterhead.md").symlink_to(pack / "_partials" / "real.md")
    case = case_file(tmp_path, "er-out-of-network")
    result = run_cli("build", str(case), "-l", LETTER, "-f", "md", "-o", str(tmp_path / "out"),
                     "--pack", str(pack), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / case.stem / f"{LETTER}.md").read_text("utf-8")
    assert "Our Advocacy Office" in text


@needs_symlinks
def test_a_symlink_loop_in_a_pack_gets_a_message(tmp_path):
    pack = tmp_path / "loop"
    (pack / "_partials").mkdir(parents=True)
    (pack / "_partials" / "letterhead.md").symlink_to(pack / "_partials" / "letterhead.md")
    result = build_with(pack, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pack loop, _partials/letterhead.md" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_pack_does_not_block(tmp_path):
    pack = tmp_path / "fifo"
    (pack / "_partials").mkdir(parents=True)
    os.mkfifo(pack / "_partials" / "letterhead.md")
    result = build_with(pack, tmp_path)
    assert result.returncode == 1 and "not a regular file" in result.stderr


# --- 3. size limits on the pack's own files --------------------------------------------


@pytest.mark.parametrize("megabytes", [1, 10])
def test_a_huge_template_is_refused_before_it_is_read(tmp_path, megabytes):
    pack = write_pack(tmp_path, "word " * (megabytes * 200_000))
    message = assert_refused(build_with(pack, tmp_path), pack, tmp_path, line=False)
    assert "the limit is" in message


def test_a_template_that_exhausts_memory_gets_a_message(tmp_path, monkeypatch):
    """MemoryError cannot be caused on purpose without harming the machine running
    the tests: a function the template calls raises it instead."""
    import lettergen.rules.table as rules
    from lettergen.errors import TemplateError
    from lettergen.letters.render import render_letter

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(rules, "cite", exhausted)
    pack = write_pack(tmp_path, '{{ cite("hipaa-access") }}')
    case = load_case(case_file(tmp_path, "er-out-of-network"))
    with pytest.raises(TemplateError, match="more memory"):
        render_letter(case, LETTER, open_packs([str(pack)]))


def test_pack_text_reaches_the_terminal_with_control_characters_visible(tmp_path):
    pack = tmp_path / "esc"
    pack.mkdir()
    (pack / "my-letter.md").write_text(
        '+++\ntitle = "Evil \\u001b]0;pwned\\u0007 title"\nto = "provider"\n'
        'purpose = "\\u001b[2J wipes the screen"\nwhen = "never"\n+++\nHello\n', "utf-8")
    for args in (["list"], ["show", "my-letter"]):
        result = run_cli(*args, "--pack", str(pack), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "\\x1b" in result.stdout
