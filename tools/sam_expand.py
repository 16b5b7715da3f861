"""Expand the packaged SAM template into plain CloudFormation, offline: `python -m tools.sam_expand`.

CloudFormation runs the SAM transform itself when it deploys. cfn-lint 1.58 no longer expands SAM,
so a Ref or GetAtt to a resource that only exists after the transform, or to one that does not exist
at all (E1020), passed `make deploy-check` unseen. This runs the same translator AWS runs
(aws-sam-translator, pinned) on `dist/sam.json` and writes `dist/cloudformation.json`, which
`make deploy-check` lints too and `make deploy-rehearsal` deploys to moto. No AWS account or network.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAM_TEMPLATE = ROOT / "dist" / "sam.json"
EXPANDED_TEMPLATE = ROOT / "dist" / "cloudformation.json"
REGION = "eu-west-1"
# The transform wants the code in S3, where `make deploy` uploads it (tools/deploy.py); any location will do.
PLACEHOLDER_CODE = ("leer-rijk-artifacts", "deployment.zip")


def with_code_location(template: dict[str, Any], bucket: str, key: str) -> dict[str, Any]:
    """The template with every function's code at s3://bucket/key (the packaged one says ./deployment.zip)."""
    located = copy.deepcopy(template)
    for resource in located["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{bucket}/{key}"
    return located


def expand(template: dict[str, Any], parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """The CloudFormation template the SAM transform makes of `template` in REGION."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import to_py27_compatible_template, undo_mark_unicode_str_in_template

    def no_managed_policies() -> dict[str, str]:
        raise SystemExit("a function names an AWS managed policy: the offline expansion cannot look it up")

    sam = copy.deepcopy(template)
    values: dict[str, Any] = dict(parameters or {})
    to_py27_compatible_template(sam, values)
    # The session only names the region (pseudo parameters); it makes no call.
    session = boto3.session.Session(region_name=REGION)
    translator = Translator(None, Parser(), boto_session=session)
    translated = translator.translate(sam, parameter_values=values, get_managed_policy_map=no_managed_policies)
    translator.metrics.publish()  # to its no-op publisher; unpublished metrics are warned about at exit
    expanded: dict[str, Any] = undo_mark_unicode_str_in_template(translated)
    return expanded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", nargs="?", type=Path, default=SAM_TEMPLATE)
    parser.add_argument("--out", type=Path, default=EXPANDED_TEMPLATE)
    args = parser.parse_args(argv)
    from samtranslator.model.exceptions import InvalidDocumentException

    template = json.loads(args.template.read_text(encoding="utf-8"))
    try:
        expanded = expand(with_code_location(template, *PLACEHOLDER_CODE))
    except InvalidDocumentException as err:
        print(f"{args.template}: the SAM transform refuses it:", file=sys.stderr)
        for cause in err.causes:
            print(f"  {cause.message}", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(expanded, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
