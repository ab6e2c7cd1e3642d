#!/usr/bin/env python
"""Django's command-line utility for Ville citoyenne.

The Django project lives in the folder `site/`, but `site` is a module of Python's
standard library, so that folder is installed under the import name
`ville_citoyenne` (see `[tool.setuptools] package-dir` in pyproject.toml, installed
with `pip install -e .`). Settings are therefore `ville_citoyenne.settings.*`.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ville_citoyenne.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
