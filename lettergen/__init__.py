"""lettergen: letters that fight US medical bills and insurance denials.

The library's public entry points; the CLI (``lettergen.cli``) only parses arguments
and calls these.
"""

__version__ = "0.1.0"
