"""The production shape in docker-compose.yml allows more than one web instance and worker
(no fixed host port on the web instances, a proxy in front, shared storage), keeps exactly
one beat, and S3 storage is a setting away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_web_instances_can_be_scaled_behind_the_proxy():
    services = compose()["services"]
    assert "ports" not in services["web"], "a fixed host port stops --scale web=3"
    assert services["proxy"]["ports"] == ["8000:8000"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "dynamic a web 8000" in caddyfile and "health_uri /healthz" in caddyfile


def test_instances_share_state_and_files_and_there_is_one_beat():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis") and "postgres" in env["DATABASE_URL"]
        assert "media:/app/var/media" in services[name]["volumes"]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_s3_storage_is_chosen_by_the_environment():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casemgmt.settings.local",
           "CASEWORK_S3_BUCKET": "casework-files",
           "CASEWORK_S3_ENDPOINT_URL": "https://s3.example.org"}
    code = ("import django; django.setup(); from django.conf import settings; "
            "d = settings.STORAGES['default']; "
            "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['default_acl'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "casework-files",
                                     "private"], result.stderr
