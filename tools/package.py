"""Package the prod stage for CloudFormation: `python -m tools.package` (`make package`).

Runs `chalice package --stage prod --merge-template infra/resources.json dist/`. Chalice needs a
region but no credentials. It caches one zip per version of requirements.txt *and* app code, and
calls `pip download` on every miss, so a code change alone would need PyPI again. Hence the Lambda
wheels are downloaded once per requirements.txt into a wheelhouse (gitignored, under
`.chalice/deployments/`) and chalice's pip is pointed there: after the first run, packaging works
offline. `infra/resources.json` is not regenerated here: a stale one is refused (`make infra`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MERGE_TEMPLATE = ROOT / "infra" / "resources.json"
DEFAULT_OUT = ROOT / "dist"
REQUIREMENTS = ROOT / "requirements.txt"
DEPLOYMENTS = ROOT / ".chalice" / "deployments"
WHEELHOUSE = DEPLOYMENTS / "wheelhouse"
KEEP_CACHED_ZIPS = 3
STAGE = "prod"
REGION = "eu-west-1"
# The Lambda platform: chalice builds for the local interpreter's version on x86_64.
LAMBDA_WHEELS = (
    "--platform", "manylinux2014_x86_64",
    "--python-version", f"{sys.version_info.major}.{sys.version_info.minor}",
    "--implementation", "cp",
    "--only-binary=:all:",
)


@dataclass(frozen=True)
class Package:
    template: Path
    zip: Path


def chalice_command() -> list[str]:
    script = Path(sys.executable).with_name("chalice")
    found = str(script) if script.exists() else shutil.which("chalice")
    if found is None:
        raise SystemExit("chalice is not installed. Fix: make deps")
    return [found]


def package_environment() -> dict[str, str]:
    """Chalice builds a botocore client only to read the region: give it dummy credentials so it
    never searches the machine's profiles or the instance metadata service for real ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEERRIJK_", "AWS_"))}
    env.update({
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "packaging-only",
        "AWS_SECRET_ACCESS_KEY": "packaging-only",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    return env


def ensure_wheelhouse() -> Path:
    """Download the Lambda wheels of requirements.txt once (PyPI); afterwards they are local."""
    stamp = WHEELHOUSE / "requirements.sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        return WHEELHOUSE
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "-q", "-r", str(REQUIREMENTS), "-d", str(WHEELHOUSE)]
    result = subprocess.run([*command, *LAMBDA_WHEELS], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"downloading the Lambda wheels from PyPI failed:\n{result.stdout}{result.stderr}")
    stamp.write_text(digest, encoding="utf-8")
    return WHEELHOUSE


def prune_cached_zips() -> None:
    """Chalice keeps a ~20 MB zip per code version and never deletes one: keep the newest few."""
    cached = sorted(DEPLOYMENTS.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in cached[KEEP_CACHED_ZIPS:]:
        stale.unlink(missing_ok=True)


def package(out_dir: Path = DEFAULT_OUT) -> Package:
    """Write sam.json and deployment.zip to `out_dir` (replaced whole) and return their paths."""
    env = package_environment()
    env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(ensure_wheelhouse())})
    if out_dir.exists():
        shutil.rmtree(out_dir)
    command = [*chalice_command(), "package", "--stage", STAGE, "--merge-template", str(MERGE_TEMPLATE), str(out_dir)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"chalice package failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    prune_cached_zips()
    return Package(out_dir / "sam.json", out_dir / "deployment.zip")


def infra_is_current() -> bool:
    check = subprocess.run([sys.executable, "-m", "tools.gen_infra", "--check"], cwd=ROOT, env=package_environment())
    return check.returncode == 0


def describe(path: Path) -> str:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if path.suffix != ".zip":
        return str(shown)
    with zipfile.ZipFile(path) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    return f"{shown} ({path.stat().st_size / 1e6:.1f} MB, {unzipped / 1e6:.1f} MB unzipped)"


def main() -> int:
    if not infra_is_current():
        return 1
    print(f"Packaging stage {STAGE} (region {REGION}); the first run downloads the Lambda wheels from PyPI ...")
    try:
        built = package()
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"Template: {describe(built.template)}")
    print(f"Zip:      {describe(built.zip)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
