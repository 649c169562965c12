"""`syndeid train-mlm INPUT OUTPUT`: fine-tune a masked LM (or train one from scratch) with the paper's
PHI-aware whole-word masking."""

from __future__ import annotations

import argparse
import json

from syndeid.config import ConfigError, SynthesisConfig


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train-mlm", help="fine-tune a masked LM on your letters with PHI-aware masking",
        description="Read letters (any format `synthesize` reads), hold out a share of the unique letters by a "
        "hash of their text, and train with the PHI-aware whole-word collator (PHI masked first, medical "
        "entities never). Starts from --model (local directory, hub id or fsspec URL) or, without it, from "
        "scratch with a new WordPiece vocabulary. Writes the model and tokenizer to OUTPUT (directory or fsspec "
        "URL) and prints a JSON summary; progress and held-out loss go to the log. With --workers N > 1 the "
        "training runs data-parallel on Ray Train (DDP), each worker on its own shard of the letters' windows.",
    )
    parser.add_argument("input", metavar="INPUT", help="a file, a directory or an fsspec URL")
    parser.add_argument("output", metavar="OUTPUT", help="where to write the trained model (directory or fsspec URL)")
    parser.add_argument("--model", metavar="PATH_OR_ID", help="checkpoint to fine-tune (default: train from scratch)")
    parser.add_argument("--max-steps", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, help="peak learning rate (default 5e-5 to fine-tune, 6e-4 from scratch)")
    parser.add_argument("--warmup-share", type=float, default=0.06, help="share of the steps spent warming up (default 0.06)")
    parser.add_argument("--mlm-probability", type=float, default=0.15, help="share of words masked per window (default 0.15)")
    parser.add_argument("--held-out-share", type=float, default=0.1, help="share of unique letters held out (default 0.1)")
    parser.add_argument("--eval-every", type=int, default=200, help="steps between held-out losses (default 200)")
    parser.add_argument("--checkpoint-dir", metavar="URL", help="save checkpoints here (directory or fsspec URL)")
    parser.add_argument("--checkpoint-every", type=int, default=500, help="steps between checkpoints (default 500)")
    parser.add_argument("--resume", action="store_true", help="continue from the latest checkpoint in --checkpoint-dir")
    parser.add_argument("--max-seconds", type=float, help="stop (and save) after this much training time")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-length", type=int, default=128, help="tokens per window, special tokens included (default 128)")
    scratch = parser.add_argument_group("from scratch")
    scratch.add_argument("--vocab-size", type=int, default=10000)
    scratch.add_argument("--hidden-size", type=int, default=256)
    scratch.add_argument("--layers", type=int, default=4)
    scratch.add_argument("--heads", type=int, default=4)
    scratch.add_argument("--intermediate-size", type=int, default=1024)
    scratch.add_argument("--lowercase", action="store_true", help="an uncased vocabulary (default cased)")
    parser.add_argument("--input-format", choices=("auto", "jsonl", "parquet", "csv", "txt"))
    parser.add_argument("--id-column", help="name of the id column or JSON key (default id)")
    parser.add_argument("--text-column", help="name of the text column or JSON key (default text)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    ray_group = parser.add_argument_group("distributed (Ray Train)")
    ray_group.add_argument("--workers", type=int, default=1, metavar="N",
                           help="data-parallel training workers on Ray Train (default 1: train in this process); "
                           "--batch-size is then the batch of all workers together and must divide by N")
    ray_group.add_argument("--cpus-per-worker", type=float, default=1.0, metavar="CPUS", help="CPUs reserved per worker (default 1)")
    ray_group.add_argument("--gpus-per-worker", type=float, metavar="GPUS",
                           help="GPUs per worker (default: 1 when the cluster has a GPU for every worker and --device is not cpu, else 0)")
    ray_group.add_argument("--address", help="Ray cluster address for --workers > 1 (default: RAY_ADDRESS, or start a local Ray)")
    parser.set_defaults(func=run)


def job_from_args(args: argparse.Namespace):
    from syndeid.training.job import TrainJob
    from syndeid.training.train import ModelShape, TrainSettings

    if args.resume and not args.checkpoint_dir:
        raise ConfigError("--resume needs --checkpoint-dir")
    if not 0.0 < args.held_out_share < 1.0:
        raise ConfigError("--held-out-share must be in (0, 1)")
    if not 0.0 < args.mlm_probability <= 1.0:
        raise ConfigError("--mlm-probability must be in (0, 1]")
    for name in ("max_steps", "batch_size", "eval_every", "max_length", "workers"):
        if getattr(args, name) < 1:
            raise ConfigError(f"--{name.replace('_', '-')} must be >= 1")
    learning_rate = args.learning_rate or (5e-5 if args.model else 6e-4)
    settings = TrainSettings(
        max_steps=args.max_steps, batch_size=args.batch_size, learning_rate=learning_rate,
        warmup_share=args.warmup_share, mlm_probability=args.mlm_probability, seed=args.seed,
        eval_every=args.eval_every, checkpoint_every=args.checkpoint_every if args.checkpoint_dir else 0,
        max_seconds=args.max_seconds,
    )
    shape = ModelShape(args.vocab_size, args.hidden_size, args.layers, args.heads, args.intermediate_size, args.max_length)
    job = TrainJob(
        output=args.output, base_model=args.model, shape=shape, lowercase=args.lowercase, settings=settings,
        held_out_share=args.held_out_share, checkpoint_dir=args.checkpoint_dir, resume=args.resume, device=args.device,
        workers=args.workers, cpus_per_worker=args.cpus_per_worker, gpus_per_worker=args.gpus_per_worker,
    )
    if job.workers > 1:
        from syndeid.training.distributed import check_job

        check_job(job)
    return job


def run(args: argparse.Namespace) -> int:
    from syndeid.commands.mlm_eval import read_texts
    from syndeid.training.job import run_job

    job = job_from_args(args)
    config = SynthesisConfig.load(None, input_format=args.input_format, id_column=args.id_column, text_column=args.text_column)
    if job.workers > 1:
        from syndeid.pipeline import init_ray

        init_ray(args.address)
    summary = run_job(job, read_texts(args.input, config))
    print(json.dumps(summary))
    return 0
