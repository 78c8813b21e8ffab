"""Uploaded photos made safe to store: the pixel count is checked from the header
before anything is decoded (a 48 KB PNG can hold 20,000 × 20,000 pixels), then the
image is decoded once, turned upright by its EXIF orientation, scaled down to at
most PHOTO_MAX_SIDE pixels, and re-encoded as JPEG (or PNG when it has transparency
or was a PNG) without any metadata: no EXIF, so no GPS position of the phone."""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile


class PhotoRefused(ValueError):
    """The upload is not a photo we store; the message is Chinese."""


SOURCE_TYPES = ("JPEG", "PNG", "GIF", "WEBP")


def clean_photo(upload) -> tuple[ContentFile, str]:
    """The re-encoded photo (named like the upload, with the new extension) and its type."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.PHOTO_MAX_PIXELS
    # Pillow's own guard: over MAX_IMAGE_PIXELS it warns, over twice that it raises.
    Image.MAX_IMAGE_PIXELS = limit
    name = getattr(upload, "name", "") or "photo"
    limit_text = f"{limit // 10_000}万像素"
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind = image.format
                width, height = image.size  # from the header: nothing decoded yet
                if width * height > limit:
                    raise PhotoRefused(
                        f"照片“{name}”为 {width}×{height} 像素，超过 {limit_text} 的上限，请缩小后再上传"
                    )
                if kind not in SOURCE_TYPES:
                    raise PhotoRefused(f"“{name}”格式不支持（支持 JPG、PNG、GIF、WEBP）")
                if kind == "JPEG":
                    # Decode JPEG at a reduced scale when it is far larger than we keep.
                    image.draft("RGB", (settings.PHOTO_MAX_SIDE, settings.PHOTO_MAX_SIDE))
                image.load()
                upright = ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(f"照片“{name}”像素过多，超过 {limit_text} 的上限，请缩小后再上传")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise PhotoRefused(f"“{name}”不是图片（支持 JPG、PNG、GIF、WEBP）")
    finally:
        upload.seek(0)
    return _encode(upright, kind, name)


def _encode(image, kind: str, name: str) -> tuple[ContentFile, str]:
    side = settings.PHOTO_MAX_SIDE
    if max(image.size) > side:
        image.thumbnail((side, side))
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if kind == "PNG" or transparent:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if transparent else "RGB")
        image.save(out, "PNG", optimize=True)  # no pnginfo: text chunks and EXIF are dropped
        suffix, content_type = "png", "image/png"
    else:
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)  # no exif=: none is written
        suffix, content_type = "jpg", "image/jpeg"
    stem = PurePath(name).stem or "photo"
    return ContentFile(out.getvalue(), name=f"{stem}.{suffix}"), content_type
