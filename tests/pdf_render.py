"""The render check of the project's PDFs (issue 15 item 5): pages rendered to PNG by poppler's
`pdftoppm`, then checked as pictures — not blank, and each Chinese heading found on a page by
matching its rendering (the same text set alone in the same font and size, rendered the same
way) against the page's pixels. `pdftotext -layout` is only checked in addition.

Matching: grey ink (1 − grey/255, the heading band's light fill dropped) of the page against the
heading's, by cosine similarity at every offset (FFT correlation, window sums from an integral
image); a heading counts as drawn when some offset scores ≥ `THRESHOLD`. A font without the
glyphs draws the same box for every character, so a heading is also checked to look unlike its
own characters reversed."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

DPI = 96
THRESHOLD = 0.93  # drawn headings score ~0.97; one differing in 2 of 9 characters ~0.86
FILL_CUT = 0.2  # ink below this (the heading bands' pale fill, anti-aliasing haze) is background


def _pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        raise AssertionError("pdftoppm is missing: install Debian's poppler-utils (.ci/run does)")
    return path


def render_pages(content: bytes, dpi: int = DPI) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [_pdftoppm(), "-png", "-r", str(dpi), str(source), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pages = sorted(Path(folder).glob("page*.png"))
        return [Image.open(io.BytesIO(p.read_bytes())).convert("L") for p in pages]


def ink(image: Image.Image) -> np.ndarray:
    values = 1.0 - np.asarray(image, dtype=np.float64) / 255.0
    values[values < FILL_CUT] = 0.0
    return values


def assert_not_blank(image: Image.Image, page: int = 0) -> None:
    """A page with text or charts on it: enough dark pixels, spread over the page."""
    values = np.asarray(image, dtype=np.float64)
    dark = values < 128
    share = dark.mean()
    assert share > 0.002, f"page {page + 1} is blank ({share:.4%} dark pixels)"
    rows = np.flatnonzero(dark.any(axis=1))
    assert rows.size and (rows[-1] - rows[0]) > values.shape[0] * 0.1, (
        f"page {page + 1}: ink in one strip only"
    )
    assert values.std() > 5, f"page {page + 1} is one flat colour"


@functools.cache
def _text_image(text: str, size: float, dpi: int) -> np.ndarray:
    """`text` set alone in the documents' CJK font at `size` pt, rendered like the pages and
    cropped to its ink."""
    from fpdf import FPDF

    from campusgrid.dossiers.pdf import font_path

    pdf = FPDF(unit="mm", format=(max(40, len(text) * size * 0.5), 20))
    pdf.add_font("noto", "", str(font_path()))
    pdf.set_margins(2, 2, 2)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("noto", size=size)
    pdf.cell(0, 10, text)
    values = ink(render_pages(bytes(pdf.output()), dpi)[0])
    rows, columns = np.flatnonzero(values.any(axis=1)), np.flatnonzero(values.any(axis=0))
    assert rows.size, f"the heading {text!r} renders as nothing"
    return values[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _best_match(page: np.ndarray, template: np.ndarray) -> float:
    """The best cosine similarity of `template` over every offset inside `page`."""
    h, w = template.shape
    H, W = page.shape
    if h > H or w > W:
        return 0.0
    shape = (H + h, W + w)
    spectrum = np.fft.rfft2(page, shape) * np.conj(np.fft.rfft2(template, shape))
    overlap = np.fft.irfft2(spectrum, shape)[: H - h + 1, : W - w + 1]
    squares = np.pad(page**2, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    window = squares[h:, w:] - squares[:-h, w:] - squares[h:, :-w] + squares[:-h, :-w]
    norm = np.sqrt(np.maximum(window, 1e-9) * (template**2).sum())
    score = np.where(window > 1e-6, overlap / norm, 0.0)
    return float(score.max())


def heading_score(pages: list[Image.Image], text: str, size: float, dpi: int = DPI) -> float:
    template = _text_image(text, size, dpi)
    return max(_best_match(ink(page), template) for page in pages)


def assert_headings(content: bytes, headings: list[str], size: float, dpi: int = DPI) -> list[Image.Image]:
    """Every page not blank and every heading drawn on one of them (and, in addition, in the
    text pdftotext extracts). Returns the rendered pages."""
    pages = render_pages(content, dpi)
    assert pages, "the PDF has no page"
    for number, page in enumerate(pages):
        assert_not_blank(page, number)
    for text in headings:
        if len(set(text)) > 1:
            mirrored = _best_match(_pad(_text_image(text, size, dpi)), _text_image(text[::-1], size, dpi))
            assert mirrored < THRESHOLD, f"{text!r} looks like its own reversal: the font draws no glyphs"
        score = heading_score(pages, text, size, dpi)
        assert score >= THRESHOLD, f"heading {text!r} not drawn on any page (best match {score:.2f})"
    extracted = pdftotext(content)
    for text in headings:
        assert text in extracted, f"heading {text!r} missing from the extracted text"
    return pages


def _pad(values: np.ndarray, margin: int = 12) -> np.ndarray:
    return np.pad(values, margin)


def pdftotext(content: bytes) -> str:
    path = shutil.which("pdftotext")
    if path is None:
        raise AssertionError("pdftotext is missing: install Debian's poppler-utils")
    result = subprocess.run(
        [path, "-layout", "-", "-"], input=content, capture_output=True, check=True, timeout=120
    )
    return result.stdout.decode("utf-8")


def colour_pixels(content: bytes, rgb: tuple[int, int, int], dpi: int = DPI, tolerance: int = 24) -> int:
    """How many pixels of the rendered pages have (about) this colour: a chart drawn in it."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(content)
        subprocess.run(
            [_pdftoppm(), "-png", "-r", str(dpi), str(source), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        total = 0
        for path in Path(folder).glob("page*.png"):
            values = np.asarray(Image.open(path).convert("RGB"), dtype=np.int32)
            close = np.abs(values - np.array(rgb)).max(axis=2) <= tolerance
            total += int(close.sum())
        return total
