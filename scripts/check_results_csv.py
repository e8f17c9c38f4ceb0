#!/usr/bin/env python3
"""Check that results.csv of a reram-emu run contains exactly the numbers of results.json.

Usage: scripts/check_results_csv.py RESULTS_DIR

For every grid point of results.json, the row of results.csv must give the same value in
each column. Numbers must be equal as doubles, not merely close. The CSV is read with
`pandas.read_csv(path)` and no options when pandas is installed, because that is how most
users load it; otherwise with the csv module and float(). Exits 1 and lists the mismatches
when any value differs.
"""

import csv
import json
import math
import sys
from pathlib import Path

# CSV column -> key of a point in results.json. trialAccuracies stays JSON-only.
COLUMNS = {
    "point": "point",
    "levels": "levels",
    "variation": "variation",
    "dynamic_range": "dynamicRange",
    "trials": "trials",
    "accuracy_mean": "accuracyMean",
    "accuracy_std": "accuracyStd",
    "accuracy_min": "accuracyMin",
    "accuracy_max": "accuracyMax",
    "ci95_low": "ci95Low",
    "ci95_high": "ci95High",
    "accuracy_drop": "accuracyDrop",
    "adc_clip_low_rate": "adcClipLowRate",
    "adc_clip_high_rate": "adcClipHighRate",
}


def read_rows(path):
    """Read results.csv into a list of {column: value}; returns the rows and the reader's name."""
    try:
        import pandas
    except ImportError:
        with open(path, newline="") as handle:
            return list(csv.DictReader(handle)), "csv module"
    frame = pandas.read_csv(path)
    return frame.to_dict("records"), f"pandas {pandas.__version__}"


def same(csv_value, json_value):
    """Compare a CSV cell with its JSON value: text for levels, exact doubles otherwise."""
    if isinstance(json_value, str):
        return str(csv_value) == json_value
    try:
        number = float(csv_value)
    except (TypeError, ValueError):
        return False
    if math.isnan(number) and math.isnan(float(json_value)):
        return True
    return number == float(json_value)


def check(directory):
    """Return the mismatches between results.csv and results.json in `directory` as messages."""
    points = json.loads((directory / "results.json").read_text())["points"]
    rows, reader = read_rows(directory / "results.csv")
    print(f"read {len(rows)} rows of results.csv with {reader}")
    problems = []
    if len(rows) != len(points):
        problems.append(f"results.csv has {len(rows)} rows but results.json has {len(points)} points")
    missing = [column for column in COLUMNS if rows and column not in rows[0]]
    if missing:
        problems.append(f"results.csv lacks the columns {', '.join(missing)}")
        return problems
    for row, point in zip(rows, points):
        for column, key in COLUMNS.items():
            if not same(row[column], point[key]):
                problems.append(f"point {point['point']}: {column} is {row[column]!r} in results.csv "
                                f"but {point[key]!r} in results.json")
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    directory = Path(sys.argv[1])
    if not (directory / "results.json").is_file() or not (directory / "results.csv").is_file():
        print(f"error: {directory} needs results.csv and results.json; give the output folder of `reram-emu run`",
              file=sys.stderr)
        return 2
    problems = check(directory)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} mismatches" if problems else "every value of results.json is in results.csv")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
