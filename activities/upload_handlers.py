"""Stop an oversized video while it is still arriving: the shared handler of programs.uploads, by its old name."""

from programs.uploads import UploadSizeLimitHandler as VideoSizeLimitUploadHandler

__all__ = ["VideoSizeLimitUploadHandler"]
