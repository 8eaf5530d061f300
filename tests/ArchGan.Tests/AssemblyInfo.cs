// One test at a time. It once guarded against TorchSharp 0.107's temporary Scalars, which a garbage collection
// started by a test running beside another could let the finalizer free mid-call; the training path now holds
// every Scalar it passes (docs/troubleshooting.md, "TorchSharp's temporary Scalars", and ScalarRaceTests). On
// the 2-core machine the fast tests took as long side by side as one at a time (libtorch already uses both
// cores in each), and the metrics and benchmarks still make temporary Scalars, so parallelism would buy risk
// and no time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
