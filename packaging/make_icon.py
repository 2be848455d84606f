"""Draw perfdesk's icon: a report page with a bar chart and a red seal, on a blue tile.

Run once by hand (``python packaging/make_icon.py``) and commit the output; the build only reads
``packaging/icons/perfdesk.png`` and ``perfdesk.ico`` so it needs neither Pillow nor this script.
Drawn at 4× and scaled down so the small Windows sizes stay smooth.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent / "icons"
SIZE = 256
SCALE = 4
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]

BLUE = (30, 86, 160, 255)
PAPER = (250, 250, 246, 255)
INK = (60, 70, 85, 255)
BAR = (46, 125, 200, 255)
SEAL = (200, 30, 40, 255)


def draw() -> Image.Image:
    s = SIZE * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def box(x0: float, y0: float, x1: float, y1: float) -> list[int]:
        return [round(v * s) for v in (x0, y0, x1, y1)]

    d.rounded_rectangle(box(0.03, 0.03, 0.97, 0.97), radius=round(0.18 * s), fill=BLUE)
    d.rounded_rectangle(box(0.22, 0.12, 0.78, 0.88), radius=round(0.04 * s), fill=PAPER)
    # A title rule and text lines: "a report".
    d.rectangle(box(0.30, 0.20, 0.70, 0.25), fill=INK)
    for y in (0.32, 0.39):
        d.rectangle(box(0.30, y, 0.70, y + 0.025), fill=INK)
    # The bar chart: "performance".
    for x, top in ((0.31, 0.62), (0.41, 0.54), (0.51, 0.47)):
        d.rectangle(box(x, top, x + 0.07, 0.78), fill=BAR)
    # The seal in the lower right corner: "self-evaluation, stamped".
    d.ellipse(box(0.58, 0.58, 0.86, 0.86), fill=PAPER, outline=SEAL, width=round(0.035 * s))
    d.line(
        [tuple(round(v * s) for v in p) for p in ((0.64, 0.72), (0.70, 0.78), (0.80, 0.65))],
        fill=SEAL,
        width=round(0.04 * s),
        joint="curve",
    )
    return img.resize((SIZE, SIZE), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    img = draw()
    img.save(OUT / "perfdesk.png", optimize=True)
    img.save(OUT / "perfdesk.ico", sizes=ICO_SIZES)
    print(f"wrote {OUT / 'perfdesk.png'} and {OUT / 'perfdesk.ico'}")


if __name__ == "__main__":
    main()
