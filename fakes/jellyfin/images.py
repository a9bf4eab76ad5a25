"""An item's images: ``GET``, ``POST`` and ``DELETE /Items/{itemId}/Images/{imageType}``
(and ``/{imageIndex}``), ``GET /Items/{itemId}/Images``, and the item's ``ImageTags``,
read from jellyfin/jellyfin at v10.10.7 (aefb9b2cffca3ccb7a95d89af0d9fb2040de6ed3; the
item image actions are the same at v10.9.11 7bbdfc0d49, v10.11.11 1fbd873929 and
v12.0-rc5 6d501ba418), v10.8.13 (e93d03d8cb) where it differs:

- ``Jellyfin.Api/Controllers/ImageController.cs``: ``SetItemImage`` (``[Authorize(Policy
  = RequiresElevation)]``) answers 404 for no item, then 400 ``Incorrect ContentType.``
  unless the Content-Type is ``image/...`` with a known extension
  (``TryGetImageExtensionFromContentType``: ``MimeTypes.IsImage`` and ``ToExtension``),
  then reads the body through ``GetFromBase64Stream`` (a ``FromBase64Transform``,
  whitespace ignored): the body is the image **base64-encoded**; raw bytes make
  ``FormatException``, which ``Jellyfin.Api/Middleware/ExceptionMiddleware.cs`` answers
  500 ``Error processing request.`` (only ArgumentException is its 400). 204 once saved;
  the ``/{imageIndex}`` form ignores the index. 10.8.13 decodes first
  (``Convert.FromBase64String``, the same 500) and checks no Content-Type: the saver's
  ``ArgumentException`` for a missing one or one with no extension is a 400;
- ``DeleteItemImage`` (RequiresElevation; index from ``?imageIndex=`` or the route):
  404 for no item, else 204, also when there is no such image (``BaseItem.DeleteImageAsync``:
  "Nothing to do");
- ``GetItemImageInfos`` (``[Authorize]``, any user): ``ImageInfo``
  (``MediaBrowser.Model/Dto/ImageInfo.cs``) per image: ImageType, ImageIndex (null but
  for Backdrop and Chapter, ``AllowsMultipleImages``), ImageTag, Path, BlurHash, Height,
  Width (null when not known; the fake reads PNG, GIF and JPEG headers), Size in bytes;
- ``GetItemImage`` has **no** ``[Authorize]``: anyone may read an image (a token is not
  needed, a wrong one is not refused). 404 ``{Name} does not have an image of type
  {type}``; else the stored bytes (``ImageProcessor.ProcessImage`` gives the original
  when nothing is asked), Content-Type from the saved file's extension, and
  ``GetImageResult``'s headers: ``Cache-Control: public`` (``public, max-age=31536000``
  with ``?tag=``), ``Last-Modified``, ``Vary: Accept``, ``Content-Disposition:
  attachment``. **No ETag**: ``PhysicalFile`` is given none; a client sees a change
  through the tag. ``If-Modified-Since`` not older than the image: 304 (ASP.NET's file
  result). Resizing and format query parameters are ignored;
- the tag (``src/Jellyfin.Drawing/ImageProcessor.cs`` ``GetImageCacheTag``):
  ``(item.Path + image.DateModified.Ticks).GetMD5()`` as a Guid "N" (MD5 of the UTF-16
  text, ``MediaBrowser.Common/Extensions/BaseExtensions.cs``): a new one on every save,
  even of the same bytes. ``Emby.Server.Implementations/Dto/DtoService.cs`` puts it in
  the item's ``ImageTags`` (``{"Primary": tag}``, single images) and
  ``BackdropImageTags``; the fake's items carry both once they have had an image;
- who: a token the fake does not know is no one (401 on the authorised actions), the
  API key is an administrator (``CustomAuthenticationHandler``: ``IsApiKey`` gets the
  Administrator role), a user's token (``state.user_token``) is his; RequiresElevation
  wants the Administrator role: 403 for another user. From 10.9 a user's request finds
  only the items he may see (``LibraryManager.GetItemById<T>(id, user)``);
- size: Jellyfin sets no body limit, so Kestrel's default ``MaxRequestBodySize``
  (30,000,000 bytes) holds: the fake answers 413 to a bigger body (*inferred*: Kestrel
  throws when the body is read, and ExceptionMiddleware may turn that into a 500);
- what a save does: ``UpdateToRepositoryAsync(ItemUpdateType.ImageUpdate)`` saves the
  item (``state.saves()``), without rewriting its NFO (the NFO savers want
  MetadataDownload unless SaveImagePathsInNfo).

image_routes.py answers the routes; this module holds what the state keeps.

Not played: image processing (sizes, formats, blur hashes), a failed upload's truncated
file, ``HEAD``, the reordering route. Emby (*inferred*, closed source) is played as 10.8.
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any

MAX_BODY_BYTES = 30_000_000  # Kestrel's default MaxRequestBodySize
# MediaBrowser.Model/Entities/ImageType.cs, in its order (the number binds too).
IMAGE_TYPES = (
    "Primary", "Art", "Backdrop", "Banner", "Logo", "Thumb", "Disc", "Box", "Screenshot",
    "Menu", "Chapter", "BoxRear", "Profile",
)  # fmt: skip
MULTIPLE = frozenset({"Backdrop", "Chapter"})  # BaseItem.AllowsMultipleImages
# MimeTypes.ToExtension, for the image types (its own table, then the MimeTypes package's).
EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/x-png": ".png", "image/gif": ".gif",
    "image/webp": ".webp", "image/bmp": ".bmp", "image/tiff": ".tiff", "image/x-icon": ".ico",
    "image/svg+xml": ".svg", "image/avif": ".avif",
}  # fmt: skip
# MimeTypes.GetMimeType of the saved file: what GET answers.
SERVED = {
    ".jpg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
    ".bmp": "image/bmp", ".tiff": "image/tiff", ".ico": "image/x-icon",
    ".svg": "image/svg+xml", ".avif": "image/avif",
}  # fmt: skip
# ImageSaver.GetStandardSavePath's file names (in the internal metadata folder).
_FILE_NAMES = {"Primary": "poster", "Art": "clearart", "BoxRear": "back", "Thumb": "landscape"}
TICKS_AT_EPOCH = 621_355_968_000_000_000  # DateTime ticks (100 ns since 0001) at 1970
_MEDIA_TYPE = re.compile(r"^[!#$%&'*+.^_`|~0-9a-z-]+/[!#$%&'*+.^_`|~0-9a-z-]+$")


@dataclass(frozen=True)
class StoredImage:
    """One image of an item as the server holds it (ItemImageInfo and its file)."""

    image_type: str
    data: bytes
    content_type: str  # what GET answers: from the saved file's extension
    path: str
    ticks: int  # DateModified, in .NET ticks (UTC)
    tag: str
    width: int | None
    height: int | None

    @property
    def last_modified(self) -> str:
        return formatdate((self.ticks - TICKS_AT_EPOCH) / 10_000_000, usegmt=True)


@dataclass(frozen=True)
class Caller:
    """Who asks: ``user_id`` None for the API key."""

    user_id: str | None
    admin: bool


def image_type(name: str) -> str | None:
    """The ImageType a route names (case ignored, or its number), None for none."""
    if name.isdigit():
        return IMAGE_TYPES[int(name)] if int(name) < len(IMAGE_TYPES) else None
    return next((known for known in IMAGE_TYPES if known.lower() == name.lower()), None)


def media_type(content_type: str | None) -> str | None:
    """The media type of a Content-Type header (``image/png; charset=utf-8``), lower case."""
    value = (content_type or "").split(";")[0].strip().lower()
    return value if _MEDIA_TYPE.match(value) else None


def extension(content_type: str | None) -> str | None:
    """ToExtension of an image media type; None when it is not an image or not known."""
    value = media_type(content_type)
    return EXTENSIONS.get(value) if value and value.startswith("image/") else None


def ticks_of(time_ns: int) -> int:
    """A time (ns since 1970, UTC) as .NET DateTime ticks."""
    return TICKS_AT_EPOCH + time_ns // 100


def cache_tag(item_path: str | None, ticks: int) -> str:
    """GetImageCacheTag: the MD5 of (item path + ticks) in UTF-16, as a .NET Guid "N"."""
    digest = hashlib.md5(f"{item_path or ''}{ticks}".encode("utf-16-le"), usedforsecurity=False)
    return uuid.UUID(bytes_le=digest.digest()).hex


def dimensions(data: bytes) -> tuple[int | None, int | None]:
    """(width, height) from a PNG, GIF or JPEG header; (None, None) otherwise."""
    size: tuple[int, int] | None = None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        size = struct.unpack(">II", data[16:24])
    elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        size = struct.unpack("<HH", data[6:10])
    elif data.startswith(b"\xff\xd8"):
        size = _jpeg_size(data)
    if size is None or size[0] <= 0 or size[1] <= 0:
        return None, None
    return size


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # no length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def stored_image(
    item: Mapping[str, Any], kind: str, index: int, data: bytes, ext: str, ticks: int
) -> StoredImage:
    item_id = str(item["Id"])
    name = _FILE_NAMES.get(kind, kind.lower())
    if kind == "Backdrop":
        name = f"backdrop{index or ''}"
    path = f"/config/metadata/library/{item_id[:2]}/{item_id}/{name}{ext}"
    width, height = dimensions(data)
    return StoredImage(
        image_type=kind, data=data, content_type=SERVED[ext], path=path, ticks=ticks,
        tag=cache_tag(item.get("Path"), ticks), width=width, height=height,
    )  # fmt: skip


def image_info(image: StoredImage, index: int | None) -> dict[str, Any]:
    """An ImageInfo of GET /Items/{itemId}/Images."""
    return {
        "ImageType": image.image_type, "ImageIndex": index, "ImageTag": image.tag,
        "Path": image.path, "BlurHash": None, "Height": image.height, "Width": image.width,
        "Size": len(image.data),
    }  # fmt: skip
