"""Ray job: `syndeid train-mlm [options]`, PHI-aware masked-LM fine-tuning with Ray Train on this cluster.

    ray job submit --working-dir . --runtime-env cluster/runtime_env.yaml -- \
        python jobs/train_mlm.py INPUT OUTPUT --workers 4 --gpus-per-worker 1 --checkpoint-dir s3://... --resume

Every option of `syndeid train-mlm --help` is accepted: `--workers N` (N > 1) trains N data-parallel
workers with Ray Train, and on a multi-node cluster the checkpoints must go to a location every node reaches
(any fsspec URL such as s3://). The package is shipped to the training workers when the cluster does not
have it: see _bootstrap.py.
"""

import sys

import _bootstrap

if __name__ == "__main__":
    sys.exit(_bootstrap.run(["train-mlm"], sys.argv[1:]))
