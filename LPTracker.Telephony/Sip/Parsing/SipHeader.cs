namespace LPTracker.Telephony.Sip.Parsing;

/// <summary>A header field as received: its canonical name (compact forms expanded) and its unfolded value.</summary>
/// <param name="Name">Canonical header name, e.g. <c>Call-ID</c> for <c>i</c>.</param>
/// <param name="Value">The value with leading/trailing whitespace removed and line folds replaced by whitespace.</param>
public readonly record struct SipHeader(string Name, string Value);
