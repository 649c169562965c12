"""Ray job: the nightly corpus-wide run, `syndeid synthesize --incremental INPUT OUTPUT_DIR [options]`.

    python jobs/nightly.py s3://corpus/letters/ s3://synthetic/nightly --seed 7 --mask-actors 8 --fill-actors 2

Run every night by the RayCronJob in cluster/raycronjob.yaml with the same INPUT, OUTPUT_DIR and settings.
It relies on the contract of `synthesize --incremental` (src/syndeid/io/manifest.py):

- Only letters not yet synthesized into OUTPUT_DIR with the same config hash are processed; a letter counts as
  done by its id and the SHA-256 of its text, so an edited letter is synthesized again and an unchanged one is not.
- Results are committed batch by batch: a letters part, then its manifest part under OUTPUT_DIR/_manifest/ (the
  commit point). A crash, a kill or a lost node leaves at most uncommitted parts, which the next run removes
  before it resumes; committed work is never redone.
- Re-running a finished night adds nothing and duplicates nothing: when an id has rows in several parts (its
  text or the config changed, or a retried task wrote it twice), the latest part wins and the others are
  rewritten without it, so every input id appears exactly once across letters/ and errors.parquet (the bad
  rows of the latest run).
- summary.json reports this run (rows_ok, rows_error...) and what it found done (rows_already_done).

The RayCronJob's jobTemplate retries a failed night (backoffLimit) and bounds it (activeDeadlineSeconds) so
that it ends before the next one starts: RayCronJob has no concurrency policy of its own.
"""

import sys

import _bootstrap

COMMAND = ["synthesize", "--incremental"]

if __name__ == "__main__":
    sys.exit(_bootstrap.run(COMMAND, sys.argv[1:]))
