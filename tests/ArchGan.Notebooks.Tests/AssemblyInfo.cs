// The runner serializes notebook runs anyway (current directory and console are process state), and a test
// that checks the current directory is restored cannot share the process with a run in flight.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
