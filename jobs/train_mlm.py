"""Ray job: `syndeid train-mlm [options]`, PHI-aware masked-LM fine-tuning with Ray Train on this cluster.

    ray job submit --working-dir . --runtime-env cluster/runtime_env.yaml -- \
        python jobs/train_mlm.py --help

Every option of `syndeid train-mlm --help` is accepted (checkpoints may go to any fsspec location). The
package is shipped to the training workers when the cluster does not have it: see _bootstrap.py.
"""

import sys

import _bootstrap

if __name__ == "__main__":
    sys.exit(_bootstrap.run(["train-mlm"], sys.argv[1:]))
