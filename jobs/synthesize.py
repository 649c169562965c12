"""Ray job: `syndeid synthesize INPUT OUTPUT_DIR [options]` on the cluster this job runs on.

    ray job submit --working-dir . --runtime-env cluster/runtime_env.yaml -- \
        python jobs/synthesize.py s3://corpus/letters/ s3://synthetic/run-1 --seed 7 --mask-actors 8 --fill-actors 2

Every option of `syndeid synthesize --help` is accepted. Under `ray job submit` the driver joins the job's
cluster by itself (RAY_ADDRESS is set); outside it, --address names a cluster, or a local Ray is started.
Works from a plain checkout: see _bootstrap.py.
"""

import sys

import _bootstrap

if __name__ == "__main__":
    sys.exit(_bootstrap.run(["synthesize"], sys.argv[1:]))
