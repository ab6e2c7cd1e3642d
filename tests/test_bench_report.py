"""The benchmark's image check knows the first screen (bench/run.py): an image there
must not be lazy (it would delay the Largest Contentful Paint), every other must."""

from bench.run import Assets, image_problems

PICTURE = '<img src="/media/{name}.webp" srcset="/media/{name}.webp 400w" {attrs} alt="">'


def problems(html):
    parser = Assets()
    parser.feed(html)
    return image_problems(parser.images)


def page(*images, text_before=""):
    pictures = "".join(PICTURE.format(name=name, attrs=attrs) for name, attrs in images)
    return (
        f'<header><img src="/static/logo.svg"></header><main><h1>Titre</h1>{text_before}'
        f"{pictures}</main><footer></footer>"
    )


def test_the_first_image_of_main_is_on_the_first_screen_and_the_next_ones_below():
    assert problems(page(("hero", ""), ("card", 'loading="lazy"'))) == []
    assert problems(page(("hero", 'loading="lazy"'), ("card", 'loading="lazy"'))) == [
        "hero.webp: lazy above the fold"
    ]
    assert problems(page(("hero", ""), ("card", ""))) == ["card.webp: not lazy below the fold"]


def test_an_image_after_a_screen_of_text_is_below_the_fold_unless_marked_high_priority():
    long_text = "<p>" + "Une longue introduction. " * 20 + "</p>"
    assert problems(page(("late", ""), text_before=long_text)) == [
        "late.webp: not lazy below the fold"
    ]
    assert problems(page(("late", 'fetchpriority="high"'), text_before=long_text)) == []
    assert problems(page(("late", 'loading="lazy"'), text_before=long_text)) == []
