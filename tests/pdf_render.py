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

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

DPI = 96
THRESHOLD = 0.93  # drawn headings score ≥0.99; ones differing in a character or two ≤0.88
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


SHIFTS = 2  # sub-pixel positions a heading's template is rendered at (a glyph's pixels depend on it)
_TEMPLATES: dict[tuple, np.ndarray] = {}


def _render_templates(keys: list[tuple]) -> None:
    """Render the templates of `keys` ((text, size, dpi, shift), one dpi) in one document, one
    page each: one pdftoppm run for them all."""
    from fpdf import FPDF

    from campusgrid.dossiers.pdf import font_path

    missing = [k for k in dict.fromkeys(keys) if k not in _TEMPLATES]
    if not missing:
        return
    dpi = missing[0][2]
    pdf = FPDF(unit="mm", format=(200, 20))
    pdf.add_font("noto", "", str(font_path()))
    pdf.set_auto_page_break(False)
    for text, size, _, shift in missing:
        pdf.set_margins(2 + 25.4 / dpi * shift / SHIFTS, 2, 2)
        pdf.add_page()
        pdf.set_font("noto", size=size)
        pdf.cell(0, 10, text)
    for key, page in zip(missing, render_pages(bytes(pdf.output()), dpi), strict=True):
        values = ink(page)
        rows, columns = np.flatnonzero(values.any(axis=1)), np.flatnonzero(values.any(axis=0))
        assert rows.size, f"the heading {key[0]!r} renders as nothing"
        _TEMPLATES[key] = values[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _text_image(text: str, size: float, dpi: int, shift: int = 0) -> np.ndarray:
    """`text` set alone in the documents' CJK font at `size` pt, rendered like the pages (at
    `shift`/SHIFTS of a pixel across) and cropped to its ink."""
    key = (text, size, dpi, shift)
    _render_templates([key])
    return _TEMPLATES[key]


class _Page:
    """One rendered page ready for matching: its ink, its spectrum at a fixed padded size (so
    one forward transform serves every heading) and its integral image of squares."""

    PAD = (96, 768)  # room for the largest heading template (a title across the page)

    def __init__(self, image: Image.Image):
        self.ink = ink(image)
        H, W = self.ink.shape
        self.shape = (H + self.PAD[0], W + self.PAD[1])
        self.spectrum = np.fft.rfft2(self.ink, self.shape)
        self.squares = np.pad(self.ink**2, ((1, 0), (1, 0))).cumsum(0).cumsum(1)

    def best_match(self, template: np.ndarray) -> float:
        """The best cosine similarity of `template` over every offset inside the page."""
        h, w = template.shape
        H, W = self.ink.shape
        if h > min(H, self.PAD[0]) or w > min(W, self.PAD[1]):
            return 0.0
        overlap = np.fft.irfft2(self.spectrum * np.conj(np.fft.rfft2(template, self.shape)), self.shape)
        overlap = overlap[: H - h + 1, : W - w + 1]
        q = self.squares
        window = q[h:, w:] - q[:-h, w:] - q[h:, :-w] + q[:-h, :-w]
        norm = np.sqrt(np.maximum(window, 1e-9) * (template**2).sum())
        return float(np.where(window > 1e-6, overlap / norm, 0.0).max())


def _best_match(page: np.ndarray, template: np.ndarray) -> float:
    return _Page(Image.fromarray(np.uint8(255 - page * 255))).best_match(template)


def heading_score(pages, text: str, size: float, dpi: int = DPI) -> float:
    """How well the heading's rendering matches somewhere on the pages (1.0: exactly)."""
    prepared = [p if isinstance(p, _Page) else _Page(p) for p in pages]
    return max(
        page.best_match(_text_image(text, size, dpi, shift)) for shift in range(SHIFTS) for page in prepared
    )


def prepare(pages: list[Image.Image]) -> list[_Page]:
    return [_Page(p) for p in pages]


def assert_headings(content: bytes, headings: list[str], size: float, dpi: int = DPI) -> list[Image.Image]:
    """Every page not blank and every heading drawn on one of them (and, in addition, in the
    text pdftotext extracts). Returns the rendered pages."""
    pages = render_pages(content, dpi)
    assert pages, "the PDF has no page"
    for number, page in enumerate(pages):
        assert_not_blank(page, number)
    prepared = prepare(pages)
    _render_templates(
        [(t, size, dpi, shift) for t in headings for shift in range(SHIFTS)]
        + [(t[::-1], size, dpi, 0) for t in headings]
    )
    for text in headings:
        if len(set(text)) > 1:
            mirrored = _best_match(_pad(_text_image(text, size, dpi)), _text_image(text[::-1], size, dpi))
            assert mirrored < THRESHOLD, f"{text!r} looks like its own reversal: the font draws no glyphs"
        score = heading_score(prepared, text, size, dpi)
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
