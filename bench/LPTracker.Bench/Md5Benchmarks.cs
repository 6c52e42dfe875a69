using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using LPTracker.Telephony.Sip.Auth;

namespace LPTracker.Bench;

/// <summary>MD5 of the digest check's two inputs (HA2's "REGISTER:uri", ~30 bytes; the response's
/// "HA1:nonce:nc:cnonce:qop:HA2", ~130 bytes): OpenSSL one-shot, OpenSSL on a reused context, managed (decision 0077).</summary>
[MemoryDiagnoser]
#pragma warning disable CA5351 // MD5 is what SIP digest requires; this measures its cost.
public class Md5Benchmarks
{
    private readonly byte[] _hash = new byte[16];
    private readonly IncrementalHash _reused = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    [Params(30, 130)]
    public int Length { get; set; }

    private byte[] _input = [];

    [GlobalSetup]
    public void Setup() => _input = Encoding.ASCII.GetBytes(new string('a', Length));

    [Benchmark(Baseline = true)]
    public int OpenSslOneShot() => MD5.HashData(_input, _hash);

    [Benchmark]
    public int OpenSslReusedContext()
    {
        _reused.AppendData(_input);
        return _reused.GetHashAndReset(_hash);
    }

    [Benchmark]
    public int Managed() => Md5.HashData(_input, _hash);
}
#pragma warning restore CA5351
