"""A real S3-compatible server for the tests of uploads straight to the bucket: moto in server mode
(ThreadedMotoServer) on a free loopback port, one per test process, and a fresh bucket per test with the portal's
media storage pointed at it (S3Storage, as config/settings.py sets it up from S3_BUCKET).

A plugin of tests/conftest.py: a test asks for `s3_media`, which yields the bucket's name and a boto3 client of it."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass

import boto3
import pytest

MIB = 1024**2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@dataclass
class S3Media:
    endpoint: str
    bucket: str
    client: object

    def keys(self, prefix: str = "") -> list[str]:
        return [o["Key"] for o in self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix).get("Contents", [])]

    def multipart_uploads(self, prefix: str = "") -> list[dict]:
        return self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=prefix).get("Uploads", [])

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


@pytest.fixture
def s3_media(settings, moto_endpoint):
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = moto_endpoint
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.S3_UPLOAD_PART_BYTES = 5 * MIB  # S3's (and moto's) smallest part but the last
    # Changing STORAGES makes Django drop the storage instances it built, so the video field's storage is S3 now.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    yield S3Media(endpoint=moto_endpoint, bucket=bucket, client=client)
