"""Stop an oversized video while it is still arriving: the shared handler of core.uploads, by its old name."""

from core.uploads import UploadSizeLimitHandler as VideoSizeLimitUploadHandler

__all__ = ["VideoSizeLimitUploadHandler"]
