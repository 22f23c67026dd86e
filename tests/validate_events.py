#!/usr/bin/env python3
"""Validate polytls -json output: every line is one JSON object that
conforms to docs/events.schema.json. Usage: validate_events.py SCHEMA FILE..."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema)
bad = 0
lines = 0
for path in sys.argv[2:]:
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        lines += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"{path}:{n}: not JSON: {e}")
            bad += 1
            continue
        for err in validator.iter_errors(obj):
            print(f"{path}:{n}: {err.message} (at {list(err.path)})")
            bad += 1
print(f"{lines} lines, {bad} problems")
sys.exit(1 if bad or not lines else 0)
