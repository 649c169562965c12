"""Ray job: `syndeid evaluate --original INPUT --synthetic OUTPUT_DIR --report DIR [options]`.

    ray job submit --working-dir . --runtime-env cluster/runtime_env.yaml -- \
        python jobs/evaluate.py --original s3://corpus/letters/ --synthetic s3://synthetic/run-1 --report s3://reports/run-1

Every option of `syndeid evaluate --help` is accepted. The report quotes no letter text unless the command's
own options say so (evaluation inside a trusted zone). Works from a plain checkout: see _bootstrap.py.
"""

import sys

import _bootstrap

if __name__ == "__main__":
    sys.exit(_bootstrap.run(["evaluate"], sys.argv[1:], uses_ray=False))
