using System.Globalization;
using LPTracker.Telephony.Sip.Parsing;

namespace LPTracker.Telephony.Registrar;

/// <summary>A contact of a REGISTER with its effective expiry in seconds and the parameters a binding keeps.</summary>
/// <param name="Uri">The contact URI text.</param>
/// <param name="Expires">Seconds requested after defaults; 0 removes.</param>
/// <param name="Q">The <c>q</c> preference, 1.0 when absent (RFC 3261 §20.10).</param>
/// <param name="InstanceId">The <c>+sip.instance</c> value without its quotes (RFC 5626 §4.1), or null.</param>
/// <param name="RegId">The <c>reg-id</c> (RFC 5626 §4.2), or null.</param>
public readonly record struct RequestedContact(string Uri, long Expires, double Q = 1.0, string? InstanceId = null, int? RegId = null);

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
        // A malformed Expires is treated as the default, not refused (RFC 3261 §20.19: "SHOULD be treated as 3600").
        if (request.GetHeader(SipHeaderNames.Expires) is { } expiresText && TryParseDeltaSeconds(expiresText, out var e))
        {
            headerExpires = e;
        }

        var values = request.GetHeaderValues(SipHeaderNames.Contact);
        if (HasWildcard(values))
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
            if (address.Parameters.Get("expires") is { } param && TryParseDeltaSeconds(param, out var own))
            {
                expires = own;
            }

            var q = 1.0;
            if (address.Parameters.TryGet("q", out var qText) && !TryParseQValue(qText, out q))
            {
                return new SipError(400, "Bad Contact q");
            }

            int? regId = null;
            if (address.Parameters.TryGet("reg-id", out var regIdText))
            {
                if (!int.TryParse(regIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
                {
                    return new SipError(400, "Bad Contact reg-id");
                }

                regId = id;
            }

            var instance = address.Parameters.Get("+sip.instance");
            contacts.Add(new RequestedContact(address.Uri.Raw, expires, q, string.IsNullOrEmpty(instance) ? null : instance, regId));
        }

        result = new RegistrationRequest(false, contacts);
        return null;
    }

    /// <summary>A loop, not Any(): no boxed enumerator on every REGISTER.</summary>
    private static bool HasWildcard(List<string> values)
    {
        foreach (var value in values)
        {
            if (value.AsSpan().Trim().SequenceEqual("*"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1).</summary>
    public static bool TryParseQValue(string? text, out double value)
    {
        value = 1.0;
        if (text is not { Length: > 0 and <= 5 } || (text[0] != '0' && text[0] != '1') || (text.Length > 1 && text[1] != '.'))
        {
            return false;
        }

        for (var i = 2; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) || (text[0] == '1' && text[i] != '0'))
            {
                return false;
            }
        }

        value = double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
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
