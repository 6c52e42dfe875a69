using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Sip.Transactions;

/// <summary>
/// The RFC 3261 §17.2.3 matching key of a request as 128 bits: XxHash128 with a secret per-process seed over the key's
/// parts, each prefixed with its length. A completed transaction keeps these 16 bytes instead of a ~100-byte string
/// (decision 0066); an accidental collision among the ~300,000 kept keys is ~2^-90, and the seed is never sent out.
/// </summary>
internal static class ServerTransactionKey
{
    private static readonly long _seed = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    private static readonly long _tagSeed = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    private static readonly long _identitySeed = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));

    [ThreadStatic]
    private static XxHash128? _hash;

    [ThreadStatic]
    private static XxHash3? _identity;

    /// <summary>
    /// Branch + sent-by + method for magic-cookie branches; otherwise the RFC 2543 fallback of Call-ID, CSeq, From tag
    /// and the top Via. ACK to a non-2xx would match its INVITE's transaction; we keep no INVITE transactions here,
    /// so ACK keys on itself.
    /// </summary>
    public static UInt128 Of(SipRequest request)
    {
        var hash = _hash ??= new XxHash128(_seed);
        var via = request.TopVia!;
        var branch = via.Branch;
        if (branch is not null && branch.StartsWith("z9hG4bK", StringComparison.Ordinal) && branch.Length > 7)
        {
            Append(hash, branch);
            Append(hash, via.Host);
            Append(hash, via.Port ?? -1);
            Append(hash, request.Method);
        }
        else
        {
            Append(hash, "rfc2543");
            Append(hash, request.CallId);
            Append(hash, request.GetHeader(SipHeaderNames.CSeq));
            Append(hash, request.ParseFrom()?.Tag);
            Append(hash, via.Host);
            Append(hash, via.Port ?? -1);
            Append(hash, branch);
        }

        var key = hash.GetCurrentHashAsUInt128();
        hash.Reset();
        return key;
    }

    /// <summary>
    /// A To tag that every copy of <paramref name="request"/> gets: a hash of its transaction key under another secret
    /// seed, so a response built again for a retransmission carries the same tag and the key itself is never sent out
    /// (decision 0075). Needs the request's top Via.
    /// </summary>
    public static string ToTag(SipRequest request)
    {
        Span<byte> key = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(key, Of(request));
        return XxHash3.HashToUInt64(key, _tagSeed).ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A hash of what a retransmission repeats but the key leaves out (From, To, Call-ID, CSeq). A request that matches
    /// a completed transaction by its key (branch, sent-by, method: all the sender's own choice) but names another AOR
    /// must not get a response built from that AOR's state (decision 0075).
    /// </summary>
    public static ulong Identity(SipRequest request)
    {
        var hash = _identity ??= new XxHash3(_identitySeed);
        Append(hash, request.GetHeader(SipHeaderNames.From));
        Append(hash, request.GetHeader(SipHeaderNames.To));
        Append(hash, request.CallId);
        Append(hash, request.GetHeader(SipHeaderNames.CSeq));
        Append(hash, request.RequestUri);
        var identity = hash.GetCurrentHashAsUInt64();
        hash.Reset();
        return identity;
    }

    private static void Append(NonCryptographicHashAlgorithm hash, string? part)
    {
        Append(hash, part?.Length ?? -1);
        hash.Append(MemoryMarshal.AsBytes((part ?? "").AsSpan()));
    }

    private static void Append(NonCryptographicHashAlgorithm hash, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        hash.Append(bytes);
    }
}
