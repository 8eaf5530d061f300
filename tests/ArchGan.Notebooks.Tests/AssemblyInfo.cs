// The runner's tests share one kernel (KernelFixture), which runs one command at a time, and each tutorial
// notebook trains in a kernel of its own on two cores: in parallel they would only wait for each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
