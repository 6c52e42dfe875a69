using BenchmarkDotNet.Running;
using LPTracker.Bench;

// serve: a registrar host for bench/sip/register-load.sh; seed: the product's database for bench/sip/web-register-load.sh;
// memory: bytes per 10,000 bindings; otherwise BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "serve" => await RegistrarHost.RunAsync(args[1..]),
    "seed" => await WebSeeder.RunAsync(args[1..]),
    "memory" => await BindingMemory.RunAsync(),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(SipBenchmarks).Assembly).Run(args);
    return 0;
}
