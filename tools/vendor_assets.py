"""Copy the site's typeface and pictograms from their npm packages into static_src/.

Run again to update (change the versions below), then commit the files it writes:
the site serves them itself, no CDN at run time. Needs `npm` (for `npm pack` only:
nothing is installed, no node_modules folder is made).

    python tools/vendor_assets.py

- Atkinson Hyperlegible (Braille Institute, SIL Open Font License 1.1), from
  @fontsource/atkinson-hyperlegible: the latin subset (French included) in regular,
  italic and bold, as WOFF2 -> static_src/fonts/.
- Tabler Icons (MIT), from @tabler/icons: the outline pictograms named in ICONS,
  gathered in one SVG sprite -> static_src/img/icons.svg, used as
  <svg aria-hidden="true"><use href="icons.svg#name"></use></svg>.
"""

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT_PACKAGE = "@fontsource/atkinson-hyperlegible@5.3.0"
ICON_PACKAGE = "@tabler/icons@3.51.0"
FONT_FILES = [
    "atkinson-hyperlegible-latin-400-normal.woff2",
    "atkinson-hyperlegible-latin-400-italic.woff2",
    "atkinson-hyperlegible-latin-700-normal.woff2",
]
# The sprite's symbols: the site's own id -> Tabler's file name. The ids are what
# templates and home/icons.py (the pictograms editors choose) use.
ICONS = {
    # the header and links
    "menu": "menu-2",
    "close": "x",
    "home": "home",
    "search": "search",
    "pin": "map-pin",
    "arrow": "arrow-right",
    "chevron": "chevron-right",
    "calendar": "calendar-event",
    "clock": "clock",
    "calendar-plus": "calendar-plus",
    "language": "language",
    "phone": "phone",
    "mail": "mail",
    "external": "external-link",
    # quick actions and message kinds
    "alert": "alert-triangle",
    "bulb": "bulb",
    "help": "help-circle",
    "heart": "heart",
    "angry": "mood-angry",
    "hand-heart": "heart-handshake",
    "message": "message-circle",
    # themes, event categories, fields of activity
    "basket": "basket",
    "music": "music",
    "ball": "ball-football",
    "tree": "trees",
    "leaf": "leaf",
    "users": "users-group",
    "tools": "tools",
    "palette": "palette",
    "book": "book",
    "baby": "baby-carriage",
    "old": "old",
    "confetti": "confetti",
    "flag": "flag",
    "building": "building-community",
    "town-hall": "building-bank",
    "speaker": "speakerphone",
    "school": "school",
    "bike": "bike",
    "recycle": "recycle",
    "star": "star",
    "list": "list-check",
    "chart": "chart-bar",
}


def npm_pack(spec, into):
    # A fixed command with the package names above: no untrusted input.
    output = subprocess.run(  # noqa: S603
        ["npm", "pack", "--silent", spec],  # noqa: S607 - npm from the PATH, as a developer runs it
        cwd=into,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    with tarfile.open(Path(into) / output) as archive:
        archive.extractall(Path(into) / spec.rsplit("@", 1)[0].replace("/", "_"), filter="data")
    return Path(into) / spec.rsplit("@", 1)[0].replace("/", "_") / "package"


def symbol(name, svg):
    # Keep the drawing; the stroke settings move to the <symbol> so that CSS sets the colour.
    body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
    body = re.sub(r'<path stroke="none" d="M0 0h24v24H0z" fill="none"\s*/>', "", body)
    body = re.sub(r"\s+", " ", body).strip()
    return (
        f'<symbol id="{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{body}</symbol>'
    )


def main():
    with tempfile.TemporaryDirectory() as tmp:
        fonts = npm_pack(FONT_PACKAGE, tmp)
        target = ROOT / "static_src" / "fonts"
        target.mkdir(parents=True, exist_ok=True)
        for name in FONT_FILES:
            shutil.copyfile(fonts / "files" / name, target / name)
        shutil.copyfile(fonts / "LICENSE", target / "LICENSE-atkinson-hyperlegible.txt")

        icons = npm_pack(ICON_PACKAGE, tmp)
        symbols = [
            symbol(name, (icons / "icons" / "outline" / f"{file}.svg").read_text())
            for name, file in ICONS.items()
        ]
        sprite = (
            "<!-- Tabler Icons " + ICON_PACKAGE.rsplit("@", 1)[1] + ", MIT licence "
            "(static_src/img/LICENSE-tabler-icons.txt); built by tools/vendor_assets.py -->\n"
            '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(symbols) + "\n</svg>\n"
        )
        (ROOT / "static_src" / "img" / "icons.svg").write_text(sprite)
        shutil.copyfile(icons / "LICENSE", ROOT / "static_src" / "img" / "LICENSE-tabler-icons.txt")
    print(f"{len(FONT_FILES)} fonts, {len(ICONS)} pictograms written to static_src/")


if __name__ == "__main__":
    sys.exit(main())
