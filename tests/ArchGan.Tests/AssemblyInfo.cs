// One test at a time. TorchSharp 0.107 turns numbers into native Scalars (`tensor.add_(1)`, Adam's steps,
// BatchNorm's batch counter) and passes their handles to libtorch without keeping the .NET objects alive, so a
// garbage collection started by another thread during that call can let the finalizer free a Scalar that
// libtorch is still reading ("Expected false to be true" from c10's Scalar::toLong). Tests running side by side
// are exactly such threads: one run of .ci/run failed that way in TrainerTests. See docs/troubleshooting.md, "TorchSharp's temporary Scalars".
[assembly: CollectionBehavior(DisableTestParallelization = true)]
