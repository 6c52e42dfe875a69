using System.Globalization;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Registrar;

/// <summary>A contact of a REGISTER with its effective expiry in seconds.</summary>
/// <param name="Uri">The contact URI text.</param>
/// <param name="Expires">Seconds requested after defaults; 0 removes.</param>
public readonly record struct RequestedContact(string Uri, long Expires);

/// <summary>
/// The contact part of a REGISTER, read and checked before anything is changed (RFC 3261 §10.3 steps 6-7):
/// wildcard rules, Expires header and expires parameters.
/// </summary>
public sealed class RegistrationRequest
{
    private RegistrationRequest(bool isWildcard, IReadOnlyList<RequestedContact> contacts)
    {
        IsWildcard = isWildcard;
        Contacts = contacts;
    }

    /// <summary>True for <c>Contact: *</c> with <c>Expires: 0</c> (remove all bindings).</summary>
    public bool IsWildcard { get; }

    /// <summary>The contacts; empty for a query.</summary>
    public IReadOnlyList<RequestedContact> Contacts { get; }

    /// <summary>Reads the contacts; returns the error to answer with (400 or 423) or null.</summary>
    public static SipError? TryRead(SipRequest request, int defaultExpires, out RegistrationRequest? result)
    {
        result = null;
        long? headerExpires = null;
        if (request.GetHeader(SipHeaderNames.Expires) is { } expiresText)
        {
            if (!TryParseDeltaSeconds(expiresText, out var e))
            {
                return new SipError(400, "Bad Expires");
            }

            headerExpires = e;
        }

        var values = request.GetHeaderValues(SipHeaderNames.Contact);
        if (values.Any(v => v.Trim() == "*"))
        {
            // '*' is only valid alone and with Expires: 0 (RFC 3261 §10.2.2, §10.3 step 6).
            if (values.Count != 1 || headerExpires != 0)
            {
                return new SipError(400, "Invalid Wildcard");
            }

            result = new RegistrationRequest(true, []);
            return null;
        }

        var contacts = new List<RequestedContact>(values.Count);
        foreach (var value in values)
        {
            if (!NameAddress.TryParse(value, out var address) || !address!.Uri.IsSip)
            {
                return new SipError(400, "Bad Contact");
            }

            long expires = headerExpires ?? defaultExpires;
            if (address.Parameters.TryGet("expires", out var param))
            {
                if (param is null || !TryParseDeltaSeconds(param, out expires))
                {
                    return new SipError(400, "Bad Contact Expires");
                }
            }

            contacts.Add(new RequestedContact(address.Uri.Raw, expires));
        }

        result = new RegistrationRequest(false, contacts);
        return null;
    }

    /// <summary>delta-seconds: 1*DIGIT, at most 2^32-1 (larger is malformed, RFC 4475 §3.1.2.4).</summary>
    public static bool TryParseDeltaSeconds(string text, out long value)
    {
        var span = text.AsSpan().Trim(" \t");
        value = 0;
        return span.Length is > 0 and <= 10
            && long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= uint.MaxValue;
    }
}
