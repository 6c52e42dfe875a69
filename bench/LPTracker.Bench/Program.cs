using BenchmarkDotNet.Running;
using LPTracker.Bench;

// serve: a registrar host for bench/sip/register-load.sh; seed: the product's database for its REGISTRAR=web mode;
// list-load: the employee list's query timed for a while (bench/scale/two-nodes.sh); serve-calls: the B2BUA for bench/sip/call-load.sh; memory: bytes per 10,000 bindings; alloc: bytes allocated per registration; transactions: the server transaction table under concurrent use; writers: CPU per row of the bindings and history writers; otherwise BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "serve" => await RegistrarHost.RunAsync(args[1..]),
    "seed" => await WebSeeder.RunAsync(args[1..]),
    "list-load" => await ListQueryLoad.RunAsync(args[1..]),
    "memory" => await BindingMemory.RunAsync(),
    "alloc" => await RegistrationAllocation.RunAsync(args[1..]),
    "allocparts" => AllocParts.Run(),
    "transactions" => await TransactionTableLoad.RunAsync(args[1..]),
    "serve-calls" => await B2buaHost.RunAsync(args[1..]),
    "writers" => await WriterLoad.RunAsync(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(SipBenchmarks).Assembly).Run(args);
    return 0;
}
