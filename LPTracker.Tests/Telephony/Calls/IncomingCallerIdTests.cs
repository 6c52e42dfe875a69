using LPTracker.Core.Numbers;
using LPTracker.Telephony.Calls;

namespace LPTracker.Tests.Telephony.Calls;

/// <summary>Caller ID on the legs the PBX creates, and dialled numbers as E.164.</summary>
public sealed class IncomingCallerIdTests
{
    [Theory]
    [InlineData(LegKind.Sip, false, "+79001234567", "+79001234567")]
    [InlineData(LegKind.Sip, true, "+79001234567", IncomingCallerIdRules.HiddenClientNumber)]
    [InlineData(LegKind.Sip, false, null, null)]
    [InlineData(LegKind.Sip, true, null, IncomingCallerIdRules.HiddenClientNumber)]
    [InlineData(LegKind.Carrier, false, "+79001234567", "+78123893201")]
    [InlineData(LegKind.Carrier, true, "+79001234567", "+78123893201")]
    public void A_leg_presents_the_client_the_placeholder_or_the_dialled_number(LegKind leg, bool hide, string? client, string? expected)
    {
        var callerId = IncomingCallerIdRules.Choose(leg, hide, client, "+78123893201");

        Assert.Equal(expected, callerId);
    }

    [Theory]
    [InlineData("+78123893201", "+78123893201")]
    [InlineData("88123893201", "+78123893201")]
    [InlineData("78123893201", "+78123893201")]
    [InlineData("+7(812)389-32-01", "+78123893201")]
    [InlineData("+4930123456", "+4930123456")]
    [InlineData("alice", null)]
    [InlineData("123", null)]
    [InlineData("8123893201", null)]
    [InlineData("+7812389320112345678", null)]
    [InlineData("7812;3893201", null)]
    [InlineData(null, null)]
    public void A_request_uri_user_becomes_e164_or_nothing(string? user, string? expected)
    {
        Assert.Equal(expected, DialledNumber.ToE164(user));
    }
}
