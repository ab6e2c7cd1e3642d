"""Pictures for the demo site, drawn with Pillow rather than shipped: a valley of the
Loire at several hours of the day, with a foreground that tells what an event is
about (market stalls, a stage, a pitch, trees, a town hall...). The same seed always
draws the same picture, so the demo is reproducible and the repository carries no
photo (and no licence to track)."""

import io
import math
import random

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from PIL import Image, ImageDraw, ImageFilter

# Sky top, sky bottom, far hills, near hills, river, sun: one mood per motif.
PALETTES = {
    "dawn": ("#f4b183", "#fde8c8", "#8fa9a0", "#4d7a5c", "#9fc5d1", "#fff3d6"),
    "day": ("#6fb3d9", "#d8eef6", "#8db39a", "#4f8a57", "#5fa3bf", "#fffbe8"),
    "dusk": ("#3b3f7a", "#f49c6b", "#6d6a8f", "#3f4d63", "#d98b6d", "#ffd59a"),
    "spring": ("#8ccbe6", "#eef8f2", "#a7c98f", "#5f9a4a", "#77b7c9", "#ffffff"),
}
MOTIF_MOOD = {
    "loire": "dawn",
    "market": "day",
    "music": "dusk",
    "sport": "day",
    "nature": "spring",
    "meeting": "dawn",
    "workshop": "day",
    "solidarity": "dawn",
    "ceremony": "day",
}


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _ridge(rng, width, base, amplitude, bumps):
    """A hill line: a sum of soft sines, from left to right."""
    phases = [rng.uniform(0, math.tau) for _ in range(bumps)]
    points = []
    for x in range(0, width + 8, 8):
        y = base + sum(
            amplitude / (i + 1) * math.sin(x / width * math.pi * (i + 1.3) + phase)
            for i, phase in enumerate(phases)
        )
        points.append((x, y))
    return points


def draw_picture(seed, motif="loire", size=(1600, 900)):
    """The picture as a Pillow image, 16:9 (drawn large, then reduced: smooth edges)."""
    rng = random.Random(f"{seed}-{motif}")  # noqa: S311 - a drawing, not a secret
    sky_top, sky_bottom, far, near, river, sun = (
        _rgb(c) for c in PALETTES[MOTIF_MOOD.get(motif, "day")]
    )
    # Drawn at 3200 × 1800 whatever the size asked (the shapes are placed for it).
    width, height = 3200, 1800
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.5, 0.6))
    for y in range(horizon + 200):
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_bottom, min(1, y / horizon)))
    # the sun and its halo
    sun_x, sun_y = rng.uniform(0.15, 0.85) * width, horizon * rng.uniform(0.35, 0.7)
    # The halo is blurred at an eighth of the size: the same glow, a fraction of the work.
    halo = Image.new("L", (150, 150))
    ImageDraw.Draw(halo).ellipse([43, 43, 107, 107], fill=110)
    halo = halo.filter(ImageFilter.GaussianBlur(15)).resize((1200, 1200), Image.BILINEAR)
    image.paste(sun, (round(sun_x) - 600, round(sun_y) - 600), mask=halo)
    draw.ellipse([sun_x - 90, sun_y - 90, sun_x + 90, sun_y + 90], fill=sun)
    # clouds
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(0, width), rng.uniform(0.1, 0.4) * horizon
        for _ in range(5):
            r = rng.uniform(50, 110)
            dx, dy = rng.uniform(-160, 160), rng.uniform(-30, 30)
            draw.ellipse(
                [cx + dx - r * 1.6, cy + dy - r, cx + dx + r * 1.6, cy + dy + r],
                fill=_mix(sky_bottom, (255, 255, 255), 0.6),
            )
    # far hills, near hills, the river
    draw.polygon([(0, height), *_ridge(rng, width, horizon - 60, 70, 3), (width, height)], fill=far)
    village_x = rng.uniform(0.2, 0.7) * width
    _village(draw, rng, village_x, horizon - 20, _mix(far, (40, 40, 50), 0.35))
    draw.polygon(
        [(0, height), *_ridge(rng, width, horizon + 80, 50, 2), (width, height)], fill=near
    )
    river_top = horizon + 170
    draw.polygon(
        [
            (0, river_top + 60),
            (width * 0.35, river_top),
            (width * 0.7, river_top + 30),
            (width, river_top + 10),
            (width, river_top + 190),
            (width * 0.6, river_top + 260),
            (0, river_top + 230),
        ],
        fill=river,
    )
    for _ in range(14):  # light on the water
        x, y = rng.uniform(0, width), rng.uniform(river_top + 40, river_top + 200)
        draw.line([(x, y), (x + rng.uniform(40, 140), y)], fill=_mix(river, sun, 0.6), width=5)
    ground = _mix(near, (30, 45, 30), 0.25)
    draw.rectangle([0, river_top + 220, width, height], fill=ground)
    draw.polygon(
        [
            (0, river_top + 230),
            (width * 0.6, river_top + 260),
            (width, river_top + 190),
            (width, river_top + 240),
            (0, river_top + 290),
        ],
        fill=ground,
    )
    FOREGROUNDS.get(motif, _trees)(draw, rng, width, height, river_top + 250)
    image = image.reduce(2)  # a box filter: fast, and smooth enough for flat shapes
    return image if image.size == size else image.resize(size, Image.BILINEAR)


def _village(draw, rng, x, ground, colour):
    for i in range(rng.randint(5, 8)):
        w, h = rng.uniform(60, 110), rng.uniform(50, 90)
        left = x + i * 95 + rng.uniform(-10, 10)
        draw.rectangle([left, ground - h, left + w, ground + 40], fill=colour)
        draw.polygon(
            [(left - 8, ground - h), (left + w / 2, ground - h - 45), (left + w + 8, ground - h)],
            fill=colour,
        )
    # the church and its spire
    cx = x + rng.uniform(150, 350)
    draw.rectangle([cx, ground - 170, cx + 60, ground + 40], fill=colour)
    draw.polygon(
        [(cx - 6, ground - 170), (cx + 30, ground - 330), (cx + 66, ground - 170)], fill=colour
    )


def _tree(draw, x, base, size, colour, trunk=(80, 60, 45)):
    draw.rectangle([x - size * 0.08, base - size * 0.6, x + size * 0.08, base], fill=trunk)
    for dx, dy, r in ((0, -1.0, 0.5), (-0.3, -0.75, 0.38), (0.3, -0.75, 0.38)):
        draw.ellipse(
            [
                x + dx * size - r * size,
                base + dy * size - r * size,
                x + dx * size + r * size,
                base + dy * size + r * size,
            ],
            fill=colour,
        )


def _trees(draw, rng, width, height, base):
    for _ in range(rng.randint(5, 9)):
        green = _mix((46, 110, 60), (120, 160, 70), rng.random())
        _tree(
            draw, rng.uniform(0, width), base + rng.uniform(80, 500), rng.uniform(160, 320), green
        )


def _market(draw, rng, width, height, base):
    colours = [(200, 60, 50), (235, 170, 40), (40, 110, 150), (60, 140, 90)]
    for i in range(4):
        left = width * (0.06 + i * 0.24)
        top = base + 160 + rng.uniform(-20, 20)
        w = width * 0.2
        draw.rectangle([left + 10, top + 120, left + 20, top + 420], fill=(90, 70, 50))
        draw.rectangle([left + w - 20, top + 120, left + w - 10, top + 420], fill=(90, 70, 50))
        draw.rectangle([left, top + 300, left + w, top + 360], fill=(150, 110, 70))
        for k in range(8):  # the striped awning
            colour = colours[i] if k % 2 else (250, 245, 235)
            draw.polygon(
                [
                    (left + k * w / 8, top),
                    (left + (k + 1) * w / 8, top),
                    (left + (k + 1) * w / 8, top + 130),
                    (left + k * w / 8, top + 130),
                ],
                fill=colour,
            )
        for k in range(6):  # fruit and vegetables
            r = 22
            cx = left + 30 + k * (w - 60) / 5
            draw.ellipse([cx - r, top + 270, cx + r, top + 310], fill=colours[(i + k) % 4])


def _music(draw, rng, width, height, base):
    stage = (40, 35, 50)
    draw.rectangle([width * 0.2, base + 120, width * 0.8, height], fill=stage)
    draw.rectangle([width * 0.18, base - 260, width * 0.82, base - 220], fill=stage)
    for i in range(7):  # lights and their beams
        x = width * (0.24 + i * 0.09)
        colour = [(255, 210, 90), (255, 120, 120), (140, 200, 255)][i % 3]
        draw.polygon(
            [(x, base - 220), (x - 120, base + 120), (x + 120, base + 120)],
            fill=_mix(colour, (70, 60, 80), 0.55),
        )
        draw.ellipse([x - 22, base - 240, x + 22, base - 196], fill=colour)
    for _ in range(40):  # the crowd
        x = rng.uniform(0, width)
        y = height - rng.uniform(40, 260)
        draw.ellipse([x - 40, y - 40, x + 40, y + 40], fill=(25, 22, 32))
        draw.rectangle([x - 55, y + 30, x + 55, height], fill=(25, 22, 32))


def _sport(draw, rng, width, height, base):
    pitch = (70, 140, 70)
    draw.polygon(
        [(0, height), (width * 0.12, base + 80), (width * 0.88, base + 80), (width, height)],
        fill=pitch,
    )
    white = (245, 245, 240)
    draw.line([(width * 0.5, base + 80), (width * 0.5, height)], fill=white, width=8)
    draw.ellipse(
        [width * 0.5 - 200, base + 300, width * 0.5 + 200, base + 520], outline=white, width=8
    )
    draw.rectangle([width * 0.14, base + 20, width * 0.14 + 12, base + 180], fill=white)
    draw.rectangle([width * 0.86 - 12, base + 20, width * 0.86, base + 180], fill=white)
    bx, by = width * rng.uniform(0.3, 0.7), height - 180
    draw.ellipse([bx - 60, by - 60, bx + 60, by + 60], fill=white, outline=(30, 30, 30), width=6)


def _meeting(draw, rng, width, height, base):
    wall = (238, 228, 205)
    left, right, top = width * 0.25, width * 0.75, base - 150
    draw.rectangle([left, top, right, height], fill=wall)
    draw.polygon(
        [(left - 40, top), (width * 0.5, top - 220), (right + 40, top)], fill=(80, 90, 110)
    )
    draw.rectangle([width * 0.47, top - 120, width * 0.53, top - 60], fill=(60, 60, 70))
    for row in range(2):
        for col in range(5):
            x = left + 60 + col * (right - left - 120) / 4
            y = top + 80 + row * 260
            draw.rectangle([x - 45, y, x + 45, y + 170], fill=(70, 100, 130))
    draw.rectangle([width * 0.46, height - 260, width * 0.54, height], fill=(90, 60, 40))
    for x in (left + 40, right - 40):  # flags
        draw.line([(x, top - 10), (x, top - 200)], fill=(60, 60, 60), width=8)
        for k, colour in enumerate(((0, 85, 164), (255, 255, 255), (239, 65, 53))):
            draw.rectangle([x + k * 40, top - 200, x + (k + 1) * 40, top - 130], fill=colour)


def _workshop(draw, rng, width, height, base):
    _trees(draw, rng, width, height, base - 100)
    table = (160, 115, 70)
    draw.rectangle([width * 0.1, height - 420, width * 0.9, height - 360], fill=table)
    colours = [(220, 90, 60), (240, 190, 60), (70, 140, 200), (90, 160, 100)]
    for i in range(9):
        x = width * (0.14 + i * 0.085)
        draw.rounded_rectangle([x, height - 520, x + 90, height - 420], 14, fill=colours[i % 4])


def _solidarity(draw, rng, width, height, base):
    _trees(draw, rng, width, height, base)
    for i in range(3):
        cx, cy, r = width * (0.3 + i * 0.2), height - 330 - (i % 2) * 80, 110
        colour = [(200, 70, 80), (230, 130, 60), (200, 70, 80)][i]
        draw.ellipse([cx - r, cy - r, cx, cy], fill=colour)
        draw.ellipse([cx, cy - r, cx + r, cy], fill=colour)
        draw.polygon(
            [(cx - r + 5, cy - r / 2 + 10), (cx + r - 5, cy - r / 2 + 10), (cx, cy + r)],
            fill=colour,
        )


def _ceremony(draw, rng, width, height, base):
    _meeting(draw, rng, width, height, base)
    for i in range(30):  # garlands
        x = width * i / 30
        y = base - 180 + 40 * math.sin(i / 2)
        colour = [(0, 85, 164), (250, 250, 250), (239, 65, 53)][i % 3]
        draw.polygon([(x, y), (x + 40, y), (x + 20, y + 50)], fill=colour)


FOREGROUNDS = {
    "loire": _trees,
    "nature": _trees,
    "market": _market,
    "music": _music,
    "sport": _sport,
    "meeting": _meeting,
    "workshop": _workshop,
    "solidarity": _solidarity,
    "ceremony": _ceremony,
}


def demo_image(title, motif, seed=0, size=(1600, 900), collection=None):
    """The demo's Wagtail image of this title, drawn once (get or create)."""
    model = get_image_model()
    existing = model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    buffer = io.BytesIO()
    draw_picture(seed, motif, size).save(
        buffer, "JPEG", quality=80, optimize=True, progressive=True
    )
    name = f"demo-{motif}-{seed}.jpg"
    image = model(title=title, file=ImageFile(buffer, name=name))
    if collection is not None:
        image.collection = collection
    image.save()
    return image
