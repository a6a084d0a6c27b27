"""``lettergen pack new DIR``: a template pack to start from.

It writes a manifest whose every key is shown with an example (the optional ones
commented out), one built-in letter copied to be reworded, one letter of the pack's
own, and a README for the pack's authors. ``pack check`` passes on it as written.
All files are written or none.
"""

from __future__ import annotations

import re
from pathlib import Path

from lettergen.errors import LettergenError, OutputExistsError

__all__ = ["new_pack"]

OVERRIDDEN = "itemized-bill-request"  # the built-in letter the new pack rewords
OWN_LETTER = "advocate-introduction"

_MANIFEST = '''\
# The manifest of a lettergen template pack. `lettergen pack check {folder}` checks it
# and every template of the pack. The [style] applies to every letter built with
# --pack {folder}, the built-in letters this pack does not change included.
# Lines starting with # are examples: remove the # to use one.

[pack]
name = "{name}"   # required: shown by `lettergen list` and in each file's properties
version = "0.1.0"   # required: raise it with every change you share
description = "Our letters, with our wording."
# authors = ["Ana Ruiz <ana@example.org>"]
# license = "CC-BY-4.0"
languages = ["en"]   # add "es" once es/ holds the Spanish versions of your templates
# extends = "built-in"   # the pack this one stands in front of: "built-in", or a pack
#                        # folder inside this one (a copy of the pack you build on)

[style]
# font = "serif"   # serif | sans
# font_size = 11   # points, 9 to 14
# margins = 1.0   # inches, 0.5 to 2; or {{ top = 1.0, right = 1.0, bottom = 1.0, left = 1.0 }}
# footer = "{name} · (512) 555-0100"   # printed at the foot of every page
# reference_docx = "word/reference.docx"   # a Word file in the pack: the DOCX styles start here

# The letterhead printed above the sender on the first page: remove the # of the
# table line and of the keys you use (organization or logo at least).
# [style.letterhead]
# organization = "{name}"
# address = ["500 Congress Avenue, Suite 200", "Austin, TX 78701"]
# phone = "(512) 555-0100"
# email = "help@example.org"
# website = "https://example.org"
# logo = "logo.png"   # PNG or JPEG inside the pack, at most 1 MB
# logo_width = 1.5   # inches, 0.5 to 3
'''

_OVERRIDE_NOTE = '''\
{{#- This file replaces the built-in letter "{id}" whenever a case is built with this
    pack. Reword the paragraphs below to suit your organisation; keep the front matter
    above (between the +++ lines) and the includes of head.md and close.md, which print
    the addresses, the RE block and the signature. Never type a number of days or a
    citation: they come from the rules table (cite("id"), rule("id").days, reply_by).
    Delete this file to go back to the built-in wording. -#}}
'''

_OWN_LETTER = '''\
+++
title = "Introduction of the patient's advocate"
to = "provider"
purpose = "Tell the billing office who helps with this bill, and ask it to write to both."
when = "When your organisation starts helping with a bill, before the other letters."
needs = ["provider.name", "provider.address", "claim.service_date", "sender.name"]
stage = "any"
reply_rule = "reply-standard"
salutation = "Billing Office"
+++
{#- A letter of this pack's own: its id is the file name. `lettergen pack check` lists
    the case fields it reads and renders it against the sample cases. -#}
{% import "_partials/macros.md" as m with context %}
{% if not sender.name %}
{{ refuse("this letter introduces the patient's advocate, and the case has no [sender]",
          "add a [sender] table with the advocate's name, or send the letters as the patient") }}
{% endif %}
{% set subject = "Introduction of the patient's advocate" %}
{% include "_partials/head.md" %}

I am writing about the bill for care {{ patient.name }} received on
{{ m.service_dates() }}. I help {{ patient.name }} with this bill, and I ask that you
send a copy of every statement and letter about this account to me as well as to the
patient.{{ m.on_behalf() }}

Please confirm in writing by **{{ reply_by }}** that your records now show me as the
patient's contact for this account.

Thank you for your help.

{% include "_partials/close.md" %}
'''

_README = '''\
# {name}: a lettergen template pack

This folder is a template pack for [lettergen](https://github.com/): letters built with
`--pack {folder}` use its templates in front of the built-in ones, file by file, and
its letterhead and style.

    lettergen list --pack {folder}                      # where each letter comes from
    lettergen build CASE.toml --pack {folder}           # letters with this pack
    lettergen pack check {folder}                       # check it before you share it

To use it on every run, list it in lettergen's per-user config, `config.toml` in the
folder `python -c "import platformdirs; print(platformdirs.user_config_dir('lettergen'))"`
prints (or in `$LETTERGEN_CONFIG_DIR`): `packs = ["/path/to/{folder}"]`.

## What is here

- `pack.toml`: the pack's name and version, its languages, and the look of its letters
  (font, size, margins, footer, letterhead with a logo). The examples in it are
  commented out; remove the `#` to use one.
- `{overridden}.md`: the built-in letter copied to be reworded. A file named like a
  built-in letter replaces it; delete it to go back to the built-in wording.
- `{own}.md`: a letter of the pack's own. Its file name is its id.
- Shared parts go in `_partials/` under the same names as the built-in ones
  (`_partials/close.md` replaces the closing of every letter). Spanish versions go in
  `es/`, with the same names, once `languages` lists "es".

The template language, what a template sees and the rules a letter must keep are in
`letter_templates/README.md` of lettergen. In short: never type a number of days or a
citation into a letter (use `cite("rule-id")`, `rule("rule-id").days`, `reply_by`),
and let `refuse("reason", "next step")` say when a letter does not fit a case.

## Before you share a change

Raise `version` in `pack.toml` and run `lettergen pack check {folder}`: it checks the
manifest, every template's syntax, the case fields and rules each one names, and
builds each letter from lettergen's sample cases.
'''


def _title(folder: Path) -> str:
    words = re.split(r"[-_\s]+", folder.name.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "My Template Pack"


def new_pack(folder: str | Path, name: str = "", force: bool = False) -> list[Path]:
    """Write a new pack into ``folder``; refuse a folder that holds anything unless
    ``force`` (then only the pack's own file names are replaced). Returns the files."""
    from lettergen.letters.templates import split_front_matter
    from lettergen.output.build import (  # one way to write many files, or none
        OutputFile,
        _write_all,
    )
    from lettergen.packs.folder import builtin_pack

    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise LettergenError(f"{target} is a file; name a folder for the new pack")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputExistsError(f"{target} exists and is not empty; choose a new folder, or "
                                "add --force to write the pack's files into it")
    name = (name or _title(target.resolve())).strip()
    if not name or '"' in name or "\\" in name or any(ord(c) < 32 for c in name):
        raise LettergenError("--name: write the pack's name without quotes or backslashes")
    shown = str(folder)
    source = (builtin_pack().root / f"{OVERRIDDEN}.md").read_text("utf-8")
    meta_end = source.index("\n+++", 3) + len("\n+++\n")
    split_front_matter(source, Path(OVERRIDDEN))  # the copy keeps valid front matter
    override = source[:meta_end] + _OVERRIDE_NOTE.format(id=OVERRIDDEN) + source[meta_end:]
    files = {
        "pack.toml": _MANIFEST.format(name=name, folder=shown),
        f"{OVERRIDDEN}.md": override,
        f"{OWN_LETTER}.md": _OWN_LETTER,
        "README.md": _README.format(name=name, folder=shown, overridden=OVERRIDDEN,
                                    own=OWN_LETTER),
    }
    outputs = [OutputFile(target / file, text.encode("utf-8")) for file, text in files.items()]
    for output in outputs:
        if output.path.is_dir() or output.path.is_symlink():
            raise LettergenError(f"nothing was written: {output.path} is a folder or a link, "
                                 "where the pack's file should go; move or remove it")
    _write_all(outputs, lambda f: force, "nothing was written: ")
    return [o.path for o in outputs]
