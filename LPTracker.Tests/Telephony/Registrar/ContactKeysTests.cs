using LPTracker.Telephony.Registrar;

namespace LPTracker.Tests.Telephony.Registrar;

/// <summary>The registrar matches a REGISTER's contacts against the bindings with <c>ContactKeys.Match</c>, without
/// making keys; it must agree with comparing the keys <c>ContactKeys.For</c> makes, or a refresh would add a binding
/// instead of replacing one (or replace the wrong one).</summary>
public sealed class ContactKeysTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "sip:alice@192.0.2.1:5060", "sip:alice@192.0.2.1:5060" },
        { "sip:alice@192.0.2.1:5060;transport=UDP", "sip:alice@192.0.2.1:5060;transport=udp" },
        { "SIP:alice@Host.Example;transport=TCP", "sip:alice@host.example;transport=tcp" },
        { "sip:Alice@host", "sip:alice@host" },
        { "sip:alice@host", "sip:alice@host2" },
        { "sip:alice@host", "sips:alice@host" },
        { "sip:al:ice@host", "sip:al:ICE@host" },
        { "sip:192.0.2.1:5060", "SIP:192.0.2.1:5060" },
        { "sip:HOST:5060", "sip:host:5061" },
        { "sip:alice@HÖST", "sip:alice@höst" },
        { "sip:alice@h\U00010400", "sip:alice@h\U00010428" },
        { "sip:alice@host;a=B", "sip:alice@host;a=b;" },
        { "sip:a@b@c", "sip:a@B@C" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Match_agrees_with_comparing_the_keys(string a, string b)
    {
        var expected = ContactKeys.For(a) == ContactKeys.For(b);

        Assert.Equal(expected, ContactKeys.Match(a, b));
        Assert.Equal(expected, ContactKeys.Match(b, a));
    }
}
